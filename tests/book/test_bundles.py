"""The course bundles (make bundle): each zip is unzipped into an empty folder and every page
opened from file:// in Chromium, with every request that would leave the folder refused."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from browser import axe_violations, describe_violations, visible_frame
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dualwheel.grading.questions import all_banks, bank_for, page_banks
from dualwheel.publish import ROOT, toc_files
from dualwheel.publish.bundle import (
    AFTER_CLASS_ZIP,
    BUNDLES,
    INSTRUCTOR_MARKERS,
    INSTRUCTOR_ZIP,
    STUDENT_ZIP,
    build_bundles,
    grading_commands,
)
from dualwheel.publish.editions import STUDENT

pytestmark = pytest.mark.built

ZIPS = {"student": STUDENT_ZIP, "instructor": INSTRUCTOR_ZIP}


def _zip(name: str) -> Path:
    path = BUNDLES / ZIPS[name]
    if not path.exists():
        pytest.fail(f"{path} is missing: build the bundles first (make bundle)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> dict[str, Path]:
    """Each bundle, unzipped into a folder of its own that was empty before."""
    folders = {}
    for name in ZIPS:
        folder = tmp_path_factory.mktemp(f"unzipped-{name}")
        assert not any(folder.iterdir())
        with zipfile.ZipFile(_zip(name)) as zf:
            zf.extractall(folder)
        folders[name] = folder
    return folders


def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("&#x27;", "'").replace("&#39;", "'")
    return " ".join(text.split())


# ------------------------------------------------------------------ in a browser, from file://
class Folder:
    """Keeps an offline page inside one folder: a file:// request outside it is refused and
    recorded (the conftest's ``offline_page`` already refuses anything but file://)."""

    def __init__(self, offline_page, folder: Path) -> None:
        self.offline = offline_page
        self.prefix = folder.as_uri() + "/"
        self.left: list[str] = []
        self.pending: set[object] = set()
        page = offline_page.page
        page.route("**/*", self._route)
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", lambda r: self.pending.discard(r))

    def open(self, path: Path, timeout_ms: int = 15_000) -> object:
        """Open a page and wait until it is drawn and no request is in flight (Playwright's
        "networkidle" waits a fixed half second more on each of some forty pages)."""
        page = self.offline.page
        target = _redirect(path)
        if target is not None:  # Jupyter Book's root page: a refresh to the first chapter
            assert target.is_file() and target.as_uri().startswith(self.prefix), (
                f"{path}: redirects to {target}, which is not in the folder"
            )
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_url(target.as_uri(), wait_until="load", timeout=timeout_ms)
        else:
            page.goto(path.as_uri(), wait_until="load")
        if page.locator(".casebook-whatif").count():  # the widget manager loads its modules after "load"
            page.wait_for_selector(".casebook-whatif .noUi-handle")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        for _ in range(timeout_ms // 20):
            if not self.pending:
                return page
            page.wait_for_timeout(20)
        raise AssertionError(f"{path}: requests still in flight: {[r.url for r in self.pending]}")

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:") and not url.startswith(self.prefix):
            self.left.append(url)
            route.abort()
        else:
            route.fallback()  # to the offline page's own rule

    def problems(self) -> list[str]:
        return [f"left the folder: {u}" for u in self.left] + self.offline.problems()


REFRESH = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.I)


def _redirect(path: Path) -> Path | None:
    """Where a page that only refreshes to another sends the reader (None for a real page). The
    browser follows the refresh after "load", so a check run then would race the navigation."""
    found = REFRESH.search(path.read_text(encoding="utf-8", errors="replace")[:2000])
    return Path(os.path.normpath(path.parent / found.group(1))) if found else None


def _pages(folder: Path) -> list[Path]:
    """Every HTML page of the bundle (Sphinx's theme templates under _static are not pages)."""
    return sorted(p for p in folder.rglob("*.html") if "_static" not in p.relative_to(folder).parts)


#: What a what-if shows now: the src of its visible chart and its visible readout's text (as
#: ``browser.visible_frame``, read in one call, since these tests read it hundreds of times).
SHOWN = """i => {
  const box = document.querySelectorAll(".casebook-whatif")[i];
  const seen = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const imgs = [...box.querySelectorAll("img")].filter(seen);
  const texts = [...box.querySelectorAll(".casebook-readout")].filter(seen);
  return imgs.length === 1 && texts.length === 1 ? [imgs[0].getAttribute("src"), texts[0].innerText] : null;
}"""
CHANGED = f"([i, before]) => JSON.stringify(({SHOWN})(i)) !== JSON.stringify(before)"


def _shown(page, index: int) -> list[str]:
    shown = page.evaluate(SHOWN, index)
    assert shown, f"what-if {index + 1} does not show exactly one chart and one readout"
    return shown


def _changes(page, index: int, before: list[str], ms: int) -> bool:
    """Whether the what-if's chart or readout differs from ``before`` within ``ms`` (the widget
    manager redraws asynchronously)."""
    try:
        page.wait_for_function(CHANGED, arg=[index, before], timeout=ms, polling=20)
        return True
    except PlaywrightTimeout:
        return False


def exercise_whatifs(page, name: str) -> int:
    """Move every slider of every what-if on the page with the arrow keys and check the chart
    follows; press the toggle buttons and check they switch charts. Returns the number of
    what-ifs."""
    boxes = page.locator(".casebook-whatif")
    if not boxes.count():
        return 0
    page.wait_for_selector(".casebook-whatif .noUi-handle")
    assert visible_frame(page, 0)  # the shared helper agrees with SHOWN on the first what-if
    assert list(visible_frame(page, 0)) == _shown(page, 0)
    for i in range(boxes.count()):
        box = boxes.nth(i)
        handles = box.locator(".noUi-handle")
        assert handles.count() >= 1, f"{name}: what-if {i + 1} has no slider"
        for h in range(handles.count()):
            before = _shown(page, i)
            handles.nth(h).focus()
            moved = False
            # a slider may start at either end: right, else back and left (the last waits longest)
            for key, ms in (("ArrowRight", 500), ("ArrowLeft", 500), ("ArrowLeft", 3000)):
                page.keyboard.press(key)
                if _changes(page, i, before, ms):
                    moved = True
                    break
            assert moved, f"{name}: slider {h + 1} of what-if {i + 1} does not change the chart"
        buttons = box.locator("button")
        seen = {tuple(_shown(page, i))}
        for b in range(buttons.count()):
            before = _shown(page, i)
            buttons.nth(b).click()
            _changes(page, i, before, ms=150)  # a button may keep the chart (frames can be shared)
            seen.add(tuple(_shown(page, i)))
        assert not buttons.count() or len(seen) > 1, (
            f"{name}: what-if {i + 1}'s buttons never change the chart"
        )
    return boxes.count()


#: Answer one self-check as a reader would (tick or type, press Check) and return the feedback.
ANSWER = """([id, given]) => {
  const box = document.getElementById("selfcheck-" + id);
  box.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(i => { i.checked = given.includes(i.value); });
  const typed = box.querySelector("input[type=text]");
  if (typed) { typed.value = given.join(" "); }
  box.querySelector(".casebook-sc-check").click();
  const out = box.querySelector(".casebook-sc-feedback");
  return [out.className, out.textContent];
}"""


def _attempts(q) -> list[tuple[list[str], str]]:
    """What to give a self-check, and the feedback class expected: a wrong answer, then the right
    one; a graded question shown in the page (its answer never reaches it) only confirms the form."""
    options = list(q.options)
    if q.graded:
        form = {"choice": options[:1], "multi": options[:1], "numeric": ["1"], "order": options}[q.type]
        return [(form, "is-info")]
    if q.type == "choice":
        return [([next(o for o in options if o != q.answer)], "is-wrong"), ([q.answer], "is-right")]
    if q.type == "multi":
        return [(options, "is-wrong"), (list(q.answer), "is-right")]
    if q.type == "numeric":
        wrong = float(q.answer) + 10 * (q.tolerance + 1)
        return [([repr(wrong)], "is-wrong"), ([repr(float(q.answer))], "is-right")]
    if q.type == "order":
        return [(list(reversed(q.answer)), "is-wrong"), (list(q.answer), "is-right")]
    raise AssertionError(f"{q.id}: self-check type {q.type} has no driver")


def answer_selfchecks(page, name: str) -> int:
    """Answer every self-check on the page, wrong then right, and check the feedback each time."""
    ids = page.evaluate("() => [...document.querySelectorAll('.casebook-selfcheck')].map(b => b.id)")
    for box_id in ids:
        qid = box_id.removeprefix("selfcheck-")
        # a chapter's ids start chNN-; a lettered page's bank is found by its ids (rn-sc-...)
        bank = (
            bank_for(int(qid[2:4]))
            if qid[2:4].isdigit()
            else next(b for b in page_banks() if qid in {q.id for q in b.questions})
        )
        q = bank.get(qid)
        for given, expected in _attempts(q):
            kind, text = page.evaluate(ANSWER, [qid, given])
            assert expected in kind.split(), f"{name}: {qid} given {given}: {kind!r} {text!r}"
            assert text.strip(), f"{name}: {qid} gave no feedback"
            if q.graded:
                assert "graded" in text, f"{name}: {qid}: {text!r}"
    return len(ids)


@pytest.mark.parametrize("name", list(ZIPS))
def test_names_fit_in_a_windows_folder(name):
    """Windows opens paths of up to 260 characters: leave 110 for the folder it is unzipped in."""
    with zipfile.ZipFile(_zip(name)) as zf:
        longest = max(zf.namelist(), key=len)
    assert len(longest) <= 150, longest


@pytest.mark.parametrize("name", list(ZIPS))
def test_double_clicking_index_html_opens_the_bundle_offline(name, unzipped, offline_page):
    folder = unzipped[name]
    names = sorted(p.name for p in folder.iterdir())
    assert "index.html" in names and "book" in names and "exercises" in names, names
    guard = Folder(offline_page, folder)
    page = offline_page.open(folder / "index.html")
    heading = page.locator("h1").inner_text()
    assert heading == ("Start here" if name == "student" else "Instructor guide")
    # the first page anyone opens meets the same accessibility bar as the book's pages
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], describe_violations(serious)
    if name == "instructor":  # and so does a rendered solutions page
        solutions = offline_page.open(folder / "instructor" / "ch03" / "ch03-solutions.html")
        serious = [v for v in axe_violations(solutions) if v["impact"] in ("serious", "critical")]
        assert serious == [], describe_violations(serious)
        page = offline_page.open(folder / "index.html")
    # every link of the first page leads to something in the folder
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert len(links) >= 10
    for url in links:
        assert url.startswith(guard.prefix), f"index.html links out of the folder: {url}"
        target = folder / url[len(guard.prefix) :].split("#")[0]
        assert target.exists(), f"index.html links to {target.relative_to(folder)}, which is not there"
    page.locator("a.open").click()
    page.wait_for_load_state("networkidle")
    assert page.url == (folder / "book" / "book" / "index.html").as_uri()
    assert "Dual-Wheel" in page.title()
    assert guard.problems() == []


@pytest.mark.parametrize("name", list(ZIPS))
def test_every_page_works_offline_from_the_unzipped_folder(name, unzipped, offline_page):
    """Every page loads with no request leaving the folder and no console error; every what-if
    moves with its sliders; every self-check answers; MathJax typesets where there is math."""
    folder = unzipped[name]
    guard = Folder(offline_page, folder)
    pages = _pages(folder)
    whatifs = selfchecks = maths = 0
    for path in pages:
        rel = path.relative_to(folder).as_posix()
        page = guard.open(path)
        assert guard.problems() == [], f"{rel}: {guard.problems()}"
        if page.locator(".math").count():
            page.evaluate("() => MathJax.startup.promise")
            assert page.locator("mjx-container").count() >= 1, f"{rel}: MathJax did not typeset"
            maths += 1
        whatifs += exercise_whatifs(page, rel)
        selfchecks += answer_selfchecks(page, rel)
        assert guard.problems() == [], f"{rel}: {guard.problems()}"
    # the book's pages are all there (an empty folder would pass the loop above)
    chapters = [p for p in pages if re.fullmatch(r"ch\d\d-.*\.html", p.name) and p.parent.name == "book"]
    assert len(chapters) == len(all_banks())
    edition = STUDENT.files() if name == "student" else toc_files()  # the student's: no B-case
    wanted = {f"book/{p.relative_to(ROOT).with_suffix('.html').as_posix()}" for p in edition}
    assert wanted <= {p.relative_to(folder).as_posix() for p in pages} and len(wanted) >= 10
    # (no page uses maths today; a page that does must typeset offline, checked above)
    assert whatifs >= len(chapters) and selfchecks >= 20, (whatifs, selfchecks, maths)


# ------------------------------------------------------------------ what is inside
def test_student_bundle_holds_no_instructor_material():
    with zipfile.ZipFile(_zip("student")) as zf:
        names = zf.namelist()
        texts = {
            n: zf.read(n).decode("utf-8", errors="replace")
            for n in names
            if n.endswith((".html", ".js", ".md", ".ipynb", ".py", ".txt", ".json", ".yml", ".csv"))
        }
        for kit in [n for n in names if n.endswith(".zip")]:  # a page's kit: its contents count too
            assert re.fullmatch(r"book/_kits/[\w-]+\.zip", kit), (
                f"{kit}: a zip inside the student zip (an autograder?)"
            )
            with zipfile.ZipFile(io.BytesIO(zf.read(kit))) as inner:
                names += [f"{kit}/{m}" for m in inner.namelist()]
                texts |= {
                    f"{kit}/{m}": inner.read(m).decode("utf-8", errors="replace")
                    for m in inner.namelist()
                    if m.endswith((".md", ".ipynb", ".yml", ".csv"))
                }
    for n in names:
        assert not re.search(r"solution|otter|autograder|instructor|answer.?key", n, re.I), n
    model_answers = [
        _flat(q.model_answer)[:50] for b in all_banks() for q in b.graded_questions if q.model_answer
    ]
    assert len(model_answers) >= len(all_banks())
    markers = [
        *INSTRUCTOR_MARKERS,
        "# SOLUTION",
        "Feedback students see",
        *model_answers,
    ]  # the guard's and more
    for n, text in texts.items():
        flat = _flat(text)
        for marker in markers:
            assert marker not in flat, f"{n} contains {marker!r}"
    # what students need is there: the book, and each chapter's release
    assert (
        "book/book/ch03-company-overview.html" in names
        and "Key takeaways" in texts["book/book/ch03-company-overview.html"]
    )
    for bank in all_banks():
        slug = f"ch{bank.chapter:02d}"
        for part in (
            f"{slug}-exercises.ipynb",
            f"{slug}_checks.py",
            "casebook_scoring.py",
            "data/segment_revenue.csv",
        ):
            assert f"exercises/{slug}/{part}" in names, f"{slug}: {part} missing"
        _no_answers_in_release(
            bank,
            texts[f"exercises/{slug}/{slug}-exercises.ipynb"],
            texts[f"exercises/{slug}/{slug}_checks.py"],
        )


def _no_answers_in_release(bank, notebook: str, checks: str) -> None:
    """The public checks carry each question's form only; each answer cell is left blank."""
    tree = ast.parse(checks)
    (specs,) = [
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and n.targets[0].id == "QUESTIONS"
    ]
    assert set(specs) == {q.var for q in bank.graded_questions}
    for var, spec in specs.items():
        assert not {"answer", "tolerance", "feedback", "model_answer"} & set(spec), (bank.chapter, var)
        # a rubric's criteria travel with their levels (what students are marked on), never what
        # a strong answer contains (look_for)
        for crit in spec.get("criteria", []):
            assert "look_for" not in crit and set(crit) <= {"points", "text", "levels", "recommendation"}, (
                bank.chapter,
                var,
                sorted(crit),
            )
    cells = [
        c for c in json.loads(notebook)["cells"] if c["metadata"].get("casebook", {}).get("role") == "answer"
    ]
    assert len(cells) == len(bank.graded_questions)
    for cell in cells:
        source = "".join(cell["source"])
        (assign,) = [n for n in ast.parse(source).body if isinstance(n, ast.Assign)]
        value = ast.literal_eval(assign.value)
        blank = value in (None, [], "") or (isinstance(value, str) and not value.strip())
        blank = blank or (isinstance(value, dict) and not any(value.values()))
        assert blank, f"chapter {bank.chapter}: an answer cell is filled in: {source[:80]!r}"


def test_instructor_bundle_has_solutions_autograders_and_a_guide():
    with zipfile.ZipFile(_zip("instructor")) as zf:
        names = set(zf.namelist())
        guide = zf.read("index.html").decode("utf-8")
        for bank in all_banks():
            slug = f"ch{bank.chapter:02d}"
            folder = f"instructor/{slug}"
            solutions = _flat(zf.read(f"{folder}/{slug}-solutions.html").decode("utf-8"))
            answers = [_flat(q.model_answer)[:50] for q in bank.graded_questions if q.model_answer]
            assert answers and all(a in solutions for a in answers), slug
            assert f"{folder}/{slug}-solutions.md" in names and f"{folder}/{slug}-otter-master.ipynb" in names
            assert f"exercises/{slug}/{slug}-exercises.ipynb" in names
            with zipfile.ZipFile(zf.open(f"{folder}/{slug}-otter-autograder.zip")) as auto:
                inner = set(auto.namelist())
                assert {"run_autograder", "setup.sh", "otter_config.json"} <= inner, slug
                config = json.loads(auto.read("otter_config.json"))
                notebook = json.loads(zf.read(f"exercises/{slug}/{slug}-exercises.ipynb"))
                assert config["assignment_name"] == notebook["metadata"]["otter"]["assignment_name"]
                tests = {n for n in inner if n.startswith("tests/")}
                assert tests == {f"tests/{q.var}.py" for q in bank.graded_questions if not q.manual}, slug
        chapter = zf.read("book/book/ch03-company-overview.html").decode("utf-8")
        assert "For instructors" in chapter and "Solutions to the graded exercises" in chapter
    # the guide has a section on every command of `casebook --help`, and on the two of issue 16
    for command in set(grading_commands()) | {
        "release",
        "check",
        "grade",
        "merge",
        "otter",
        "review",
        "export",
    }:
        assert f'id="casebook-{command}"' in guide, f"the guide does not describe `casebook {command}`"
    assert "casebook --help" in guide and STUDENT_ZIP in guide


def test_bundles_are_reproducible_byte_for_byte(tmp_path):
    """Built again from the same editions and question banks, each zip has the same bytes."""
    again = build_bundles(out=tmp_path, say=lambda _line: None)
    assert set(again) == {*ZIPS, "after-class"}
    for name, path in again.items():
        before = BUNDLES / {**ZIPS, "after-class": AFTER_CLASS_ZIP}[name]
        assert path.read_bytes() == before.read_bytes(), (
            f"{before.name} differs when built again: if an edition was rebuilt since, run make bundle"
        )
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


@pytest.mark.sandbox
def test_the_bundled_autograder_grades_a_notebook_with_otter(unzipped, tmp_path):
    """The repacked autograder still works: otter gives the corpus's correct Chapter 3
    notebook every automatic point."""
    import subprocess
    import sys

    corpus = Path(__file__).resolve().parents[1] / "grading" / "fixtures" / "submissions" / "ch03"
    autograder = unzipped["instructor"] / "instructor" / "ch03" / "ch03-otter-autograder.zip"
    out = tmp_path / "otter"
    out.mkdir()
    otter = Path(sys.executable).with_name("otter")
    done = subprocess.run(
        [str(otter), "run", "-a", str(autograder), "-o", str(out), str(corpus / "correct.ipynb")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    scores = {t["name"]: t.get("score") for t in json.loads((out / "results.json").read_text())["tests"]}
    auto = {q.var: q.points for q in bank_for(3).graded_questions if not q.manual}
    assert {k: v for k, v in scores.items() if k in auto} == auto
