"""The B-case ("After the case": what happened after the decision date) is kept from students
until the decision class: the student edition's HTML, search index, downloads, kits, PDF,
``make lab`` notebooks and bundle hold none of it; the after-class bundle and the student
edition built ``--with-bcase`` hold it; the instructor edition keeps it.

The markers are read from the B-case's own pages (their titles and file names), so the tests
follow the page when it is rewritten or renamed."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from browser import axe_violations, describe_violations
from test_bundles import Folder, _pages, _redirect

from dualwheel.publish import PDF_NAME, ROOT, notebooks
from dualwheel.publish.bundle import (
    AFTER_CLASS_ZIP,
    BUNDLES,
    STUDENT_ZIP,
    bcase_leaks,
    instructor_leaks,
)
from dualwheel.publish.editions import (
    AFTER_CLASS,
    STUDENT,
    STUDENT_PDF,
    STUDENT_WITH_BCASE,
    bcase_files,
    bcase_title,
    build_student,
    docname,
)

pytestmark = pytest.mark.built

TEXT = (".html", ".js", ".md", ".txt", ".ipynb", ".json", ".yml", ".csv", ".py")


def _flat(text: str) -> str:
    text = html.unescape(text).replace("\u2019", "'")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bcase() -> dict[str, list[str]]:
    """What only the B-case holds: its pages' titles, docnames and file stems."""
    pages = bcase_files()
    assert pages, "_toc.yml has no 'After the case' part: nothing to keep from students"
    return {
        "titles": [_flat(bcase_title(p)) for p in pages],
        "docs": [docname(p) for p in pages],
        "stems": [p.stem for p in pages],
    }


def _search_index(folder: Path) -> dict:
    text = (folder / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def _chart_names(doc: str, executed_notebooks) -> set[str]:
    """The names MyST-NB gives the page's chart images (SHA-256 of their bytes)."""
    import base64
    import hashlib

    names = set()
    for cell in executed_notebooks.get(doc, {}).get("cells", []):
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    raw = base64.b64decode("".join(data) if isinstance(data, list) else data)
                    names.add(hashlib.sha256(raw).hexdigest())
    return names


def _holds(folder: Path, bcase) -> list[str]:
    """Where the B-case is in a built edition's tree: files named after it, text that carries its
    title (zips looked into), its pages in the search index."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(path.name.startswith(f"{stem}.") for stem in bcase["stems"]):
            found.append(f"{rel}: a B-case file")
        if path.suffix == ".zip":
            found += [f"{rel}/{f}" for f in bcase_leaks({rel: path.read_bytes()})]
        elif path.suffix in TEXT:
            text = _flat(path.read_text(encoding="utf-8", errors="replace"))
            found += [f"{rel}: contains {t!r}" for t in bcase["titles"] if t in text]
    index = _search_index(folder)
    titles = [_flat(t) for t in index["titles"]]
    found += [f"searchindex.js: page {d}" for d in bcase["docs"] if d in index["docnames"]]
    found += [f"searchindex.js: title {t!r}" for t in bcase["titles"] if t in titles]
    return found


# ------------------------------------------------------------------ the markers are real
def test_the_instructor_edition_keeps_the_bcase(html_dir, bcase):
    for doc, title in zip(bcase["docs"], bcase["titles"], strict=True):
        page = html_dir / f"{doc}.html"
        assert page.exists(), f"the instructor edition has no {doc}.html"
        assert title in _flat(page.read_text(encoding="utf-8"))
        assert f"{doc.rsplit('/', 1)[-1]}.html" in (html_dir / "book" / "index.html").read_text(
            encoding="utf-8"
        )
    assert _holds(html_dir, bcase), "the markers find nothing even where the B-case is"


# ------------------------------------------------------------------ the student edition
def test_the_student_edition_holds_none_of_the_bcase(bcase, executed_notebooks):
    folder = STUDENT.html
    if not (folder / "index.html").exists():
        pytest.fail(f"{folder} is missing: build it first (make student)", pytrace=False)
    assert _holds(folder, bcase) == []
    # not in the table of contents of any page, not even as a link
    for page in folder.rglob("*.html"):
        for stem in bcase["stems"]:
            assert f"{stem}.html" not in page.read_text(encoding="utf-8"), page
    # downloads: every student page's notebook and kit, and no other
    student_notebooks = notebooks(pages=STUDENT.files())
    assert sorted(p.stem for p in (folder / "_sources").rglob("*.ipynb")) == sorted(
        p.stem for p in student_notebooks
    )
    assert sorted(p.stem for p in (folder / "_kits").glob("*.zip")) == sorted(
        p.stem for p in student_notebooks
    )
    # and no chart only the B-case draws
    images = {p.stem for p in (folder / "_images").glob("*")}
    for doc in bcase["docs"]:
        assert not images & _chart_names(doc, executed_notebooks), doc


@pytest.mark.pdf
def test_the_student_pdf_holds_none_of_the_bcase(bcase):
    pdfs = {"student": STUDENT_PDF, "instructor": ROOT / "_build" / "latex" / PDF_NAME}
    text = {}
    for name, pdf in pdfs.items():
        if not pdf.exists():
            pytest.fail(f"{pdf} is missing: build both PDFs first (make pdf)", pytrace=False)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
        text[name] = _flat(out.stdout.decode("utf-8"))
    for title in bcase["titles"]:
        assert title in text["instructor"], f"the instructor PDF lost {title!r}"
        assert title not in text["student"], f"the student PDF prints {title!r}"


def test_make_labs_student_notebooks_hold_none_of_the_bcase(bcase):
    from dualwheel.publish.lab import lab_pages, write_lab

    folder = write_lab("student", run=False)  # as make lab writes it (it deletes a stale B-case)
    assert sorted(p.stem for p in folder.glob("*.ipynb")) == sorted(p.stem for p in lab_pages("student"))
    assert not [p for p in folder.glob("*.ipynb") if p.stem in bcase["stems"]]
    for path in folder.glob("*.ipynb"):
        text = _flat(path.read_text(encoding="utf-8"))
        assert not [t for t in bcase["titles"] if t in text], path.name
    # make lab BCASE=1 and the instructor's make lab have it
    for pages in (lab_pages("student", with_bcase=True), lab_pages("instructor")):
        assert set(bcase["stems"]) <= {p.stem for p in pages}


# ------------------------------------------------------------------ the bundles
def _bundle(name: str) -> Path:
    path = BUNDLES / name
    if not path.exists():
        pytest.fail(f"{path} is missing: build the bundles first (make bundle)", pytrace=False)
    return path


def test_the_student_bundle_holds_none_of_the_bcase(bcase):
    with zipfile.ZipFile(_bundle(STUDENT_ZIP)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    assert "book/book/ch03-company-overview.html" in entries  # the book is there
    assert bcase_leaks(entries) == []
    start = _flat(entries["index.html"].decode("utf-8"))
    assert not [t for t in bcase["titles"] if t in start]


def test_the_after_class_bundle_holds_the_bcase_and_opens_offline(bcase, tmp_path, offline_page):
    with zipfile.ZipFile(_bundle(AFTER_CLASS_ZIP)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
        zf.extractall(tmp_path)
    assert instructor_leaks(entries) == []  # it is for students too
    for doc, stem, title in zip(bcase["docs"], bcase["stems"], bcase["titles"], strict=True):
        assert title in _flat(entries[f"book/{doc}.html"].decode("utf-8"))
        assert f"book/_sources/{doc}.ipynb" in entries  # its notebook ...
        with zipfile.ZipFile(io.BytesIO(entries[f"book/_kits/{stem}.zip"])) as kit:  # ... and its kit
            assert f"{stem}/book/{stem}.ipynb" in kit.namelist()
    # only the B-case: no chapter of the book
    assert not [n for n in entries if re.search(r"/ch\d\d-[\w-]+\.(html|ipynb|zip)$", n)]
    guard = Folder(offline_page, tmp_path)
    page = offline_page.open(tmp_path / "index.html")
    assert "After class" in page.locator("h1").inner_text()
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], describe_violations(serious)
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert len(links) >= 3
    for url in links:
        assert url.startswith(guard.prefix), f"index.html links out of the folder: {url}"
        assert (tmp_path / url[len(guard.prefix) :].split("#")[0]).exists(), url
    with page.expect_navigation(wait_until="load"):  # not the index page's own load state
        page.locator("a.open").click()
    assert page.url == (tmp_path / "book" / f"{bcase['docs'][0]}.html").as_uri()
    for path in _pages(tmp_path):  # every page loads with nothing leaving the folder
        if _redirect(path) is not None:  # book/index.html: a redirect, to the B-case's page
            assert _redirect(path) == tmp_path / "book" / f"{bcase['docs'][0]}.html", path
        guard.open(path)  # a redirect is followed to its target
        assert guard.problems() == [], f"{path.relative_to(tmp_path)}: {guard.problems()}"


# ------------------------------------------------------------------ after class: --with-bcase
def test_the_student_edition_built_with_the_bcase_holds_it(bcase):
    """Built here from the execution cache (about 15 to 20 s on two cores when not yet built;
    skipped by the up-to-date check when it is)."""
    start = time.perf_counter()
    assert build_student(with_bcase=True) == 0
    print(f"student --with-bcase: {time.perf_counter() - start:.1f} s")
    folder = STUDENT_WITH_BCASE.html
    found = _holds(folder, bcase)
    for doc in bcase["docs"]:
        assert f"searchindex.js: page {doc}" in found
        assert (folder / f"{doc}.html").exists()
    for stem in bcase["stems"]:
        assert (folder / "_kits" / f"{stem}.zip").exists()
        assert f"{stem}.html" in (folder / "book" / "index.html").read_text(encoding="utf-8")
    # still a student edition: no instructor page, note or solution
    assert not (folder / "book" / "instructors.html").exists()
    pages = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.suffix in (".html", ".ipynb")
    }
    assert instructor_leaks(pages) == []
    assert AFTER_CLASS.html != folder and STUDENT.html != folder
