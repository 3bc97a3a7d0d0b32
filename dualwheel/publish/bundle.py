"""Course bundles: two zip files for a classroom without internet (``make bundle``).

    python -m dualwheel.publish bundle     # -> _build/bundles/*.zip

``alibaba-dual-wheel-casebook-student.zip``
    ``index.html``   start here: how to open the book, where the exercises are, how to hand in
    ``book/``        the student edition (``_build/student/_build/html``)
    ``exercises/``   each chapter's release: the notebook without answers, public checks, data

``alibaba-dual-wheel-casebook-after-class.zip``
    ``index.html``   start here, after the decision class: what the B-case is, how to open it
    ``book/``        the B-case alone, student edition (``_build/after-class/_build/html``),
                     with its notebook and its kit in the page's download menu

``alibaba-dual-wheel-casebook-instructor.zip``
    ``index.html``   the guide to the grading tool (``casebook``)
    ``book/``        the instructor edition (``_build/html``)
    ``exercises/``   the same student releases, to hand out or to regrade against
    ``instructor/``  per chapter: solutions (HTML and Markdown), the otter master notebook
                     and the otter autograder zip (otter, Gradescope)

Unzipped anywhere, each opens by double-clicking ``index.html``: every page is a ``file://``
page that needs no server and no network (the widget manager, RequireJS and MathJax are
vendored in the book).

The zips are reproducible: entries in sorted order, one fixed timestamp and fixed
permissions, so the same inputs give the same bytes. Otter's autograder zip, which otter
writes with the current time in its name and its entries, is repacked the same way, and
cached by the hash of what it is built from, so a rebuild with unchanged question banks
skips otter. A cold build runs otter in this process: otter starts once for all chapters
(about 3 s) instead of once per chapter (about 5 s each from the command line).

Before the student zip is written, every text file in it is searched for instructor material
(solutions, teaching notes, model answers, autograders) and for the B-case (its pages' titles
and file names); the build stops if any is found. The after-class zip is searched for
instructor material too.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import io
import os
import re
import shutil
import sys
import time
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from . import ROOT, STUDENT_HTML, toc_files
from .editions import AFTER_CLASS, bcase_files, bcase_title

INSTRUCTOR_HTML = ROOT / "_build" / "html"
BUNDLES = ROOT / "_build" / "bundles"
WORK = BUNDLES / ".work"  # exercise releases and the otter cache
PAGES = Path(__file__).with_name("bundle_pages")
STUDENT_ZIP = "alibaba-dual-wheel-casebook-student.zip"
INSTRUCTOR_ZIP = "alibaba-dual-wheel-casebook-instructor.zip"
AFTER_CLASS_ZIP = "alibaba-dual-wheel-casebook-after-class.zip"

#: Every entry's timestamp: the earliest a zip can hold, so the bytes do not depend on the clock.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
#: Already compressed: stored as they are (deflating them again costs time and saves nothing).
STORED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".gz", ".pdf"}
TEXT = {".html", ".htm", ".js", ".css", ".md", ".ipynb", ".py", ".txt", ".json", ".yml", ".yaml", ".csv"}

#: Text that only instructor material contains. The student zip must hold none of it.
INSTRUCTOR_MARKERS = (
    "For instructors",
    "Teaching note",
    "Timing plan",
    "Suggested answers",
    "Solutions to the graded exercises",
    "Feedback students see for wrong answers",
    "instructor-only",
    "BEGIN SOLUTION",
    "BEGIN TESTS",
    "ASSIGNMENT CONFIG",
)
#: File and folder names that only instructor material has.
INSTRUCTOR_NAMES = re.compile(r"solution|otter|autograder|instructor", re.I)

Progress = Callable[[str], None]


class BundleError(RuntimeError):
    """A bundle that cannot be made: a missing input, or instructor material in the student zip."""


# ------------------------------------------------------------------ reproducible zips
Source = Path | bytes


def write_zip(entries: Mapping[str, Source], out: Path) -> int:
    """Write ``entries`` (name in the zip -> file or bytes) to ``out``; return its size in bytes.

    Sorted names, one timestamp, fixed permissions and compression: the same entries always
    give the same bytes. The zip is written beside ``out`` first and moved into place when
    complete, so a failure never leaves half a zip or destroys the previous one.
    """
    for name in entries:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name or not name:
            raise BundleError(f"unsafe name in a bundle: {name!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(part, "w") as zf:
            for name in sorted(entries):
                source = entries[name]
                data = source if isinstance(source, bytes) else source.read_bytes()
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.external_attr = FILE_MODE << 16
                info.create_system = 3  # unix, so the permissions above are read as such
                if Path(name).suffix.lower() in STORED:
                    info.compress_type = zipfile.ZIP_STORED
                    zf.writestr(info, data)
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, data, compresslevel=6)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return out.stat().st_size


def repack_zip(source: Path) -> bytes:
    """``source`` (a zip) again, with sorted entries and one timestamp; each entry keeps its
    permissions (an autograder's ``run_autograder`` may need its executable bit)."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for old in sorted(zin.infolist(), key=lambda i: i.filename):
            if old.is_dir():
                continue
            info = zipfile.ZipInfo(old.filename, date_time=ZIP_TIME)
            info.external_attr = old.external_attr
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, zin.read(old), compresslevel=6)
    return buffer.getvalue()


def tree(folder: Path, prefix: str) -> dict[str, Path]:
    """Every file under ``folder`` as ``prefix/relative/path`` -> file, hidden files left out
    (Sphinx's ``.buildinfo``)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found[f"{prefix}/{rel.as_posix()}"] = path
    return found


# ------------------------------------------------------------------ what must not reach students
def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("&#x27;", "'").replace("&#39;", "'")
    return " ".join(text.split())


def model_answers() -> list[str]:
    """The start of every graded rubric question's model answer (as the book's tests search it)."""
    from ..grading.questions import all_banks

    return [
        _flat(q.model_answer)[:50] for bank in all_banks() for q in bank.graded_questions if q.model_answer
    ]


def instructor_leaks(entries: Mapping[str, Source]) -> list[str]:
    """What in ``entries`` is instructor material: one line per problem, naming the file."""
    problems = []
    needles = [*INSTRUCTOR_MARKERS, *model_answers()]

    def search(name: str, data: bytes) -> None:
        if INSTRUCTOR_NAMES.search(name):
            problems.append(f"{name}: an instructor file name")
        if Path(name).suffix.lower() == ".zip":  # a page's kit: what is inside counts too
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for member in inner.namelist():
                    search(f"{name}/{member}", inner.read(member))
            return
        if Path(name).suffix.lower() not in TEXT or re.search(r"\.zip/[^/]+/dualwheel/.*\.py$", name):
            return  # a kit's copy of the helper package is the same public code in both editions
        text = _flat(data.decode("utf-8", errors="replace"))
        for needle in needles:
            if needle in text:
                problems.append(f"{name}: contains {needle!r}")

    for name, source in sorted(entries.items()):
        if Path(name).suffix.lower() in TEXT | {".zip"} or INSTRUCTOR_NAMES.search(name):
            search(name, source if isinstance(source, bytes) else source.read_bytes())
    return problems


def bcase_markers() -> tuple[list[str], list[str]]:
    """What only the B-case holds: its pages' titles (as text) and its pages' file names
    (``epilogue.html``, ``epilogue.ipynb``, ``epilogue.zip`` ...)."""
    pages = bcase_files()
    titles = [_flat(bcase_title(p)) for p in pages]
    names = [p.stem for p in pages]
    return titles, names


def bcase_leaks(entries: Mapping[str, Source]) -> list[str]:
    """Where in ``entries`` the B-case is: one line per problem, naming the file."""
    titles, stems = bcase_markers()
    problems = []

    def search(name: str, data: bytes) -> None:
        base = name.rsplit("/", 1)[-1]
        if any(base.startswith(f"{stem}.") for stem in stems):
            problems.append(f"{name}: a B-case file")
        if Path(name).suffix.lower() == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for member in inner.namelist():
                    search(f"{name}/{member}", inner.read(member))
            return
        if Path(name).suffix.lower() in TEXT:
            text = _flat(html.unescape(data.decode("utf-8", errors="replace")))
            problems.extend(f"{name}: contains {t!r}" for t in titles if t in text)

    for name, source in sorted(entries.items()):
        search(name, source if isinstance(source, bytes) else source.read_bytes())
    return problems


# ------------------------------------------------------------------ exercises and autograders
def _otter_key(folder: Path) -> str:
    """Hash of what ``otter assign`` reads for one chapter (the master and its support files)
    and of otter's version: the cache key of the chapter's autograder."""
    h = hashlib.sha256(importlib.metadata.version("otter-grader").encode())
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and rel.parts[0] != "otter":
            h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def exercises(work: Path, say: Progress) -> dict[int, dict[str, Path]]:
    """Every chapter's release, solutions and otter autograder (repacked), written under
    ``work``. Autograders come from the cache when their inputs did not change; the others are
    built in one otter session. Returns, per chapter, the paths of what the bundles take."""
    from ..grading import release
    from ..grading.questions import all_banks

    out = work / "exercises"
    if out.exists():
        shutil.rmtree(out)
    cache = work / "otter-cache"
    cache.mkdir(parents=True, exist_ok=True)
    banks = all_banks()
    if not banks:
        raise BundleError("no question banks in exercises/: nothing to release")
    found: dict[int, dict[str, Path]] = {}
    todo = []
    for bank in banks:
        paths = release.write_release(bank, out)
        key = _otter_key(paths["master"].parent)
        paths["autograder"] = cache / f"{release.slug(bank)}-{key}.zip"
        found[bank.chapter] = paths
        if not paths["autograder"].exists():
            todo.append(bank)
    say(f"bundle: {len(banks)} exercise releases written; {len(todo)} otter autograders to build")
    if todo:
        start = time.perf_counter()
        try:
            built = release.build_otters(todo, out)
        except RuntimeError as exc:
            raise BundleError(str(exc)) from None
        for bank in todo:
            target = found[bank.chapter]["autograder"]
            for stale in cache.glob(f"{release.slug(bank)}-*.zip"):
                stale.unlink()
            part = target.with_name(target.name + ".part")
            part.write_bytes(repack_zip(built[bank.chapter]))
            os.replace(part, target)
        say(f"bundle: otter assign, {len(todo)} chapters ({time.perf_counter() - start:.1f} s)")
    return found


# ------------------------------------------------------------------ the pages at the top
def page_title(page: Path) -> str:
    """A built page's title, without the book's name after it."""
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
    if not found:
        return page.stem
    return html.unescape(found.group(1)).split(" \u2014 ")[0].strip()


def contents(book: Path) -> list[dict[str, str]]:
    """The book's pages in table-of-contents order, as links from the top of a bundle."""
    pages = []
    for source in toc_files():
        rel = source.relative_to(ROOT).with_suffix(".html").as_posix()
        if (book / rel).exists():
            pages.append({"href": f"book/{rel}", "title": page_title(book / rel)})
    return pages


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _markdown_html(text: str) -> str:
    """Markdown to HTML (CommonMark with tables); raw HTML in the text is escaped, not passed."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def _book_title(book: Path) -> str:
    index = book / "book" / "index.html"
    return page_title(index) if index.exists() else "The casebook"


def _chapters(found: Mapping[int, Mapping[str, Path]]) -> list[dict[str, object]]:
    from ..grading.questions import bank_for

    rows = []
    for chapter in sorted(found):
        bank = bank_for(chapter)
        rows.append(
            {
                "chapter": chapter,
                "slug": f"ch{chapter:02d}",
                "title": bank.title,
                "questions": len(bank.graded_questions),
                "points": f"{bank.total_points:g}",
                "rubric": sum(q.manual for q in bank.graded_questions),
            }
        )
    return rows


def grading_commands() -> list[str]:
    """The commands ``casebook --help`` lists (the guide describes each of them)."""
    import argparse

    from ..grading import cli

    for action in cli.parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


# ------------------------------------------------------------------ the two bundles
def student_entries(book: Path, found: Mapping[int, Mapping[str, Path]]) -> dict[str, Source]:
    entries: dict[str, Source] = dict(tree(book, "book"))
    for chapter, paths in sorted(found.items()):
        entries.update(tree(paths["student"], f"exercises/ch{chapter:02d}"))
    page = (
        _environment()
        .get_template("start-here.html")
        .render(title=_book_title(book), pages=contents(book), chapters=_chapters(found))
    )
    entries["index.html"] = page.encode("utf-8")
    return entries


def instructor_entries(book: Path, found: Mapping[int, Mapping[str, Path]]) -> dict[str, Source]:
    env = _environment()
    entries: dict[str, Source] = dict(tree(book, "book"))
    chapters = _chapters(found)
    for row in chapters:
        paths = found[int(row["chapter"])]  # type: ignore[call-overload]
        slug = str(row["slug"])
        entries.update(tree(paths["student"], f"exercises/{slug}"))
        folder = f"instructor/{slug}"
        solutions = paths["solutions"].read_text(encoding="utf-8")
        entries[f"{folder}/{slug}-solutions.md"] = solutions.encode("utf-8")
        entries[f"{folder}/{slug}-solutions.html"] = (
            env.get_template("solutions.html")
            .render(title=f"Chapter {row['chapter']}: solutions", body=_markdown_html(solutions))
            .encode("utf-8")
        )
        entries[f"{folder}/{slug}-otter-master.ipynb"] = paths["master"]
        entries[f"{folder}/{slug}-otter-autograder.zip"] = paths["autograder"]
    page = env.get_template("grading-guide.html").render(
        title=_book_title(book),
        pages=contents(book),
        chapters=chapters,
        commands=grading_commands(),
        student_zip=STUDENT_ZIP,
        after_class_zip=AFTER_CLASS_ZIP,
    )
    entries["index.html"] = page.encode("utf-8")
    return entries


def after_class_entries(book: Path) -> dict[str, Source]:
    """The after-class bundle: the B-case's own small book and a start-here page."""
    entries: dict[str, Source] = dict(tree(book, "book"))
    pages = []
    for source in bcase_files():
        rel = source.relative_to(ROOT).with_suffix("").as_posix()
        if not (book / f"{rel}.html").exists():
            raise BundleError(
                f"the after-class edition has no {rel}.html: rebuild it (python -m dualwheel.publish after-class)"
            )
        notebook, kit = book / "_sources" / f"{rel}.ipynb", book / "_kits" / f"{source.stem}.zip"
        pages.append(
            {
                "href": f"book/{rel}.html",
                "title": page_title(book / f"{rel}.html"),
                "notebook": f"book/_sources/{rel}.ipynb" if notebook.exists() else "",
                "kit": f"book/_kits/{source.stem}.zip" if kit.exists() else "",
            }
        )
    page = (
        _environment()
        .get_template("after-class.html")
        .render(title=_book_title_of(book), pages=pages, student_zip=STUDENT_ZIP)
    )
    entries["index.html"] = page.encode("utf-8")
    return entries


def _book_title_of(book: Path) -> str:
    """The book's name, from its configuration (the after-class book's first page is the B-case)."""
    import yaml

    return str(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"])


def build_bundles(
    out: Path = BUNDLES,
    student_book: Path = STUDENT_HTML,
    instructor_book: Path = INSTRUCTOR_HTML,
    work: Path = WORK,
    say: Progress = print,
    after_class_book: Path = AFTER_CLASS.html,
) -> dict[str, Path]:
    """Write the bundles into ``out``; return {"student": zip, "instructor": zip, "after-class":
    zip} (the last only when ``_toc.yml`` has a B-case).

    ``work`` holds the exercise releases (written again each time) and the otter cache."""
    books = [("student", student_book, "make student"), ("instructor", instructor_book, "make html")]
    if bcase_files():
        books.append(("after-class", after_class_book, "python -m dualwheel.publish after-class"))
    for name, book, make in books:
        if not (book / "index.html").exists():
            raise BundleError(f"the {name} edition is missing ({book / 'index.html'}): run `{make}` first")
    start = time.perf_counter()
    found = exercises(work, say)
    student = student_entries(student_book, found)
    bundles = [
        ("student", student, STUDENT_ZIP),
        ("instructor", instructor_entries(instructor_book, found), INSTRUCTOR_ZIP),
    ]
    if bcase_files():
        bundles.append(("after-class", after_class_entries(after_class_book), AFTER_CLASS_ZIP))
    for name, entries, _filename in bundles:  # what students get holds no instructor material
        leaks = instructor_leaks(entries) if name != "instructor" else []
        if leaks:
            shown = "\n  ".join(leaks[:20])
            raise BundleError(f"instructor material in the {name} bundle ({len(leaks)} problems):\n  {shown}")
    leaks = bcase_leaks(student)
    if leaks:
        shown = "\n  ".join(leaks[:20])
        raise BundleError(
            f"the B-case in the student bundle ({len(leaks)} problems; build the student edition "
            f"without --with-bcase):\n  {shown}"
        )
    written = {}
    for name, entries, filename in bundles:
        size = write_zip(entries, out / filename)
        written[name] = out / filename
        say(f"bundle: {name:11} {out / filename}  ({len(entries)} files, {size / 1e6:.1f} MB)")
    say(f"bundle: done in {time.perf_counter() - start:.1f} s")
    return written


def main(out: Path = BUNDLES, build_books: bool = True) -> int:
    """``python -m dualwheel.publish bundle``: build the editions that are out of date, then the
    bundles. Returns the exit status."""
    from . import build_after_class, build_html, build_student

    if build_books:
        steps = [build_html, build_student] + ([build_after_class] if bcase_files() else [])
        for step in steps:
            code = step()
            if code:
                return code
    try:
        build_bundles(out)
    except BundleError as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. --out names a file, or the disk is full
        print(f"bundle: cannot write the bundles in {out}: {exc}", file=sys.stderr)
        return 1
    return 0
