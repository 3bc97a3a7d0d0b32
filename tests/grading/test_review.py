"""``casebook review``: the offline marking page for rubric answers.

Most tests build a graded folder from results made the way the grader makes them
(``grade.score_answers``), which takes no sandbox; the last one grades a small class of real
submissions in the sandbox (marker ``sandbox``), marks it in Chromium, exports, merges and
reads the gradebook.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dualwheel.grading import batch, cli, grade, gradebook, review
from dualwheel.grading.files import atomic_write
from dualwheel.grading.questions import bank_for

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_submissions as corpus  # noqa: E402

CLI = [sys.executable, "-m", "dualwheel.grading.cli"]
#: An answer that would run script, load an image or end the data block if it were ever
#: parsed as HTML. Each payload sets window.__pwned or opens a dialog.
HOSTILE_ANSWER = (
    '<img src=x onerror="window.__pwned=1;alert(1)">'
    "</script><script>window.__pwned=2;alert(2)</script>"
    "<!-- <script> <svg onload=window.__pwned=3> &lt;b&gt; & \u2028 "
    '"quoted", with a comma\nand a second line'
)
#: Student names are file names, chosen by students.
HOSTILE_NAME = "<img src=x onerror=window.__pwned=4>"
NAMES = ("alice", "=cmd", "__proto__", HOSTILE_NAME)


@pytest.fixture(scope="module")
def bank():
    return bank_for(3)


def _graded(folder: Path, bank, answers: dict[str, str]) -> Path:
    """A graded folder as ``casebook grade`` leaves it: results, gradebook, manual sheet."""
    results = {}
    for student, text in sorted(answers.items()):
        results[student] = {
            "student": student,
            "file": f"{student}.ipynb",
            "chapter": bank.chapter,
            "status": "graded",
            "message": "",
            "questions": grade.score_answers(bank, {"q1": -0.7, "q6": text}),
            "auto_total": 2.0,
            "max_points": bank.total_points,
        }
        atomic_write(batch.result_path(folder, student), json.dumps(results[student]))
    atomic_write(folder / "gradebook.csv", gradebook.gradebook_csv(bank, results))
    gradebook.write_manual_template(folder / "manual_scores.csv", bank, results)
    return folder


def _class(tmp_path: Path, bank, name: str = "class-graded") -> Path:
    answers = {
        "alice": "Alibaba's AIDC earned 10.9% of consolidated revenue in FY2024.",
        "=cmd": "A formula-looking name.",
        "__proto__": "",
        HOSTILE_NAME: HOSTILE_ANSWER,
    }
    return _graded(tmp_path / name, bank, answers)


def _embedded(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', text, re.S)
    assert found, "no data block"
    return json.loads(found.group(1))


def _cli(*args: str) -> subprocess.CompletedProcess:
    """``casebook ARGS`` in this process (a new Python would spend seconds on imports)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


# ------------------------------------------------------------------ the page file
def test_review_has_help():
    done = _cli("review", "--help")
    assert done.returncode == 0 and "usage: casebook review" in done.stdout and "--out" in done.stdout


def test_page_is_written_next_to_the_results_and_holds_every_answer(tmp_path, bank):
    folder = _class(tmp_path, bank)
    done = _cli("review", str(folder))
    assert done.returncode == 0, done.stderr
    assert "4 students, 1 rubric question, 4 answers" in done.stdout
    page = folder / "review.html"
    data = _embedded(page)
    assert [s["name"] for s in data["students"]] == sorted(NAMES)
    assert next(s for s in data["students"] if s["name"] == HOSTILE_NAME)["answers"]["q6"] == HOSTILE_ANSWER
    # the ids the export writes are the gradebook's, formula guard included
    book = {r["student"] for r in csv.DictReader(open(folder / "gradebook.csv", encoding="utf-8"))}
    assert {s["id"] for s in data["students"]} == book and "'=cmd" in book
    # the rows it exports are the sheet's rows, cell for cell
    sheet = list(csv.DictReader(open(folder / "manual_scores.csv", encoding="utf-8")))
    assert data["rows"] == sheet and data["columns"] == list(gradebook.MANUAL_COLUMNS)
    assert [c["points"] for c in data["questions"][0]["criteria"]] == [2, 2, 2]


def test_student_text_cannot_end_the_data_block(tmp_path, bank):
    page = review.write_review(_class(tmp_path, bank), bank).page
    text = page.read_text(encoding="utf-8")
    block = text[text.index('id="review-data">') : text.index("</script>")]
    assert "<" not in block[len('id="review-data">') :] and "&" not in block
    assert text.count("<script") == 2 and text.count("</script>") == 2  # the data and the page's own
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "http://" not in text and "https://" not in text  # it loads nothing


def test_a_file_the_command_did_not_write_is_never_replaced(tmp_path, bank):
    folder = _class(tmp_path, bank)
    notes = folder / "review.html"
    notes.write_text("my own notes")
    done = _cli("review", str(folder))
    assert done.returncode == 1 and "is not a page `casebook review` wrote" in done.stderr
    assert notes.read_text() == "my own notes"
    other = tmp_path / "elsewhere" / "marking.html"
    assert _cli("review", str(folder), "--out", str(other)).returncode == 0
    assert _cli("review", str(folder), "--out", str(other)).returncode == 0  # its own page: updated
    assert _cli("review", str(folder), "--force").returncode == 0
    assert review.GENERATOR in notes.read_text()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("missing", "is not a folder"),
        ("no_results", "has no results/ folder"),
        ("empty_results", "holds no results"),
        ("broken_result", "is not a result `casebook grade` wrote"),
    ],
)
def test_a_folder_it_cannot_read_is_a_clear_error(tmp_path, bank, damage, message):
    folder = _class(tmp_path, bank)
    if damage == "missing":
        folder = tmp_path / "nowhere"
    elif damage == "no_results":
        shutil.rmtree(folder / "results")
    elif damage == "empty_results":
        for p in (folder / "results").iterdir():
            p.unlink()
    else:
        (folder / "results" / "alice.json").write_text("{not json")
    done = _cli("review", str(folder))
    assert done.returncode == 1 and message in done.stderr, done.stderr
    if damage == "broken_result":
        assert "alice.json" in done.stderr
    assert not (folder / "review.html").exists()


def test_scores_in_the_sheet_prefill_the_page_and_bad_ones_are_named(tmp_path, bank):
    folder = _class(tmp_path, bank)
    rows = list(csv.DictReader(open(folder / "manual_scores.csv", encoding="utf-8")))
    for r in rows:
        r["points"] = {"alice": "4.5", "'=cmd": "9", "__proto__": "lots"}.get(r["student"], "")
    rows.append({**next(r for r in rows if r["student"] == "alice"), "points": "1"})  # alice twice
    _write_csv(folder / "manual_scores.csv", rows)
    done = _cli("review", str(folder))
    assert done.returncode == 0, done.stderr
    assert "1 already scored in manual_scores.csv" in done.stdout
    assert "row 3: points 9 is outside 0 to 6" in done.stderr and "'lots' is not a number" in done.stderr
    assert "row 6: a second score for 'alice' q6" in done.stderr
    assert _embedded(folder / "review.html")["saved"] == {"alice\0q6": "4.5"}


def test_a_step_that_does_not_divide_a_criterion_is_refused(tmp_path, bank):
    folder = _class(tmp_path, bank)
    done = _cli("review", str(folder), "--step", "0.75")
    assert done.returncode == 1 and "criterion 1 of q6 is worth 2 points" in done.stderr
    assert _cli("review", str(folder), "--step", "1").returncode == 0
    assert _embedded(folder / "review.html")["step"] == 1


def test_every_rubric_question_of_a_chapter_is_on_the_page(tmp_path):
    bank4 = bank_for(4)  # three rubric questions (q9 grades the reading of numeric q8)
    folder = _graded(tmp_path / "ch04-graded", bank4, {"ann": "memo", "bo": "memo"})
    data = _embedded(review.write_review(folder, bank4).page)
    assert [q["var"] for q in data["questions"]] == ["q6", "q7", "q9"]
    assert len(data["rows"]) == 6


def test_merge_command_reads_the_sheet(tmp_path, bank):
    folder = _class(tmp_path, bank)
    rows = list(csv.DictReader(open(folder / "manual_scores.csv", encoding="utf-8")))
    for r in rows:
        r["points"] = "5" if r["student"] == "'=cmd" else ""
    _write_csv(folder / "manual_scores.csv", rows)
    done = _cli("merge", str(folder / "gradebook.csv"), str(folder / "manual_scores.csv"))
    assert done.returncode == 0, done.stderr
    book = {
        r["student"]: r for r in csv.DictReader(open(folder / "gradebook-with-manual.csv", encoding="utf-8"))
    }
    assert (book["'=cmd"]["q6"], book["'=cmd"]["total"]) == ("5", "7")


def _write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


# ------------------------------------------------------------------ in the browser
def _open(offline_page, path: Path, settle: bool = False):
    """Open a review page and wait for its script to draw the marks (``#progress``). With
    ``settle``, also for the network to stay idle half a second (offline_page.open), so that a
    request a hostile answer might start is recorded: the tests that assert nothing ran."""
    page = offline_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    if settle:
        offline_page.open(path)
    else:
        page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector("#progress")
    return page, dialogs


def _marks(page, student: str, question: str = "q6"):
    return page.get_by_role("group", name=f"Marks for {student}, {question}", exact=True).get_by_role(
        "spinbutton"
    )


def _assert_nothing_ran(page, dialogs: list[str], offline_page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    assert offline_page.problems() == []


def test_hostile_answers_and_names_are_shown_as_text_and_nothing_runs(tmp_path, bank, offline_page):
    page_path = review.write_review(_class(tmp_path, bank), bank).page
    page, dialogs = _open(offline_page, page_path, settle=True)
    page.wait_for_timeout(300)  # time for an image error or a load handler to fire
    _assert_nothing_ran(page, dialogs, offline_page)
    card = page.get_by_role("article", name=HOSTILE_NAME, exact=True)
    assert card.locator(".text").text_content() == HOSTILE_ANSWER
    assert page.get_by_role("heading", name=HOSTILE_NAME, exact=True).count() == 1
    # marking the hostile student's answer works like any other
    boxes = _marks(page, HOSTILE_NAME)
    assert boxes.count() == 3
    for box in boxes.all():
        box.fill("1")
    assert "Marked 1 of 4 answers, 3 left." in page.locator("#progress").inner_text()
    _assert_nothing_ran(page, dialogs, offline_page)


def test_invalid_marks_are_flagged_not_clamped_and_block_the_export(tmp_path, bank, offline_page):
    page_path = review.write_review(_class(tmp_path, bank), bank).page
    page, _ = _open(offline_page, page_path)
    first, second, _third = _marks(page, "alice").all()
    first.fill("3")
    assert first.get_attribute("aria-invalid") == "true"
    assert first.input_value() == "3"  # kept as typed, not clamped
    error = page.locator(f"#{first.get_attribute('aria-describedby')}")
    assert error.inner_text() == "3 is outside 0 to 2. Enter 0 to 2."
    second.fill("0.3")
    assert "not in steps of 0.5" in page.locator(f"#{second.get_attribute('aria-describedby')}").inner_text()
    page.get_by_role("button", name="Export manual_scores.csv").click()
    assert "Not exported" in page.locator("#export-alert").inner_text()
    assert page.evaluate("document.activeElement.id") == first.get_attribute("id")
    first.fill("2")
    second.fill("0.5")
    assert first.get_attribute("aria-invalid") is None
    assert page.locator("#export-alert").inner_text() == ""


def test_two_classes_keep_their_own_marks(tmp_path, bank, offline_page):
    one = review.write_review(_class(tmp_path, bank, "one-graded"), bank).page
    two = review.write_review(_class(tmp_path, bank, "two-graded"), bank).page
    page, _ = _open(offline_page, one)
    _marks(page, "alice").first.fill("2")
    _open(offline_page, two)  # wait for the page's script to draw the marks, as on first open
    assert _marks(page, "alice").first.input_value() == ""
    _open(offline_page, one)
    assert _marks(page, "alice").first.input_value() == "2"


def test_marks_survive_a_regrade_and_a_changed_answer_is_pointed_out(tmp_path, bank, offline_page):
    folder = _class(tmp_path, bank)
    page, _ = _open(offline_page, review.write_review(folder, bank).page)
    for box in _marks(page, "alice").all() + _marks(page, "=cmd").all():
        box.fill("2")
    _graded(folder, bank, {"alice": "A resubmitted memo.", "=cmd": "A formula-looking name."})
    assert review.write_review(folder, bank).replaced
    offline_page.open(folder / "review.html")
    assert [b.input_value() for b in _marks(page, "alice").all()] == ["2", "2", "2"]
    changed = "has changed since you marked it"
    assert changed in page.get_by_role("article", name="alice", exact=True).inner_text()
    assert changed not in page.get_by_role("article", name="=cmd", exact=True).inner_text()
    assert "Marked 2 of 4 answers, 2 left." in page.locator("#progress").inner_text()


def test_marks_typed_against_other_criteria_are_not_put_in_the_new_boxes(tmp_path, bank, offline_page):
    import dataclasses

    folder = _class(tmp_path, bank)
    page, _ = _open(offline_page, review.write_review(folder, bank).page)
    for box in _marks(page, "alice").all():
        box.fill("2")
    # the instructor edits the rubric: the first rubric question's criteria are reordered
    first = next(q for q in bank.graded_questions if q.type == "rubric")
    edited = dataclasses.replace(first, criteria=tuple(reversed(first.criteria)))
    other = dataclasses.replace(bank, questions=tuple(edited if q is first else q for q in bank.questions))
    review.write_review(folder, other)
    _open(offline_page, folder / "review.html")
    card = page.get_by_role("article", name="alice", exact=True).first
    assert "criteria of this question changed" in card.inner_text()
    assert [b.input_value() for b in card.locator("input").all()] == ["", "", ""]


def test_marks_the_browser_cannot_read_are_left_alone_and_said(tmp_path, bank, offline_page):
    page_path = review.write_review(_class(tmp_path, bank), bank).page
    page, _ = _open(offline_page, page_path)
    key = _embedded(page_path)["key"]
    page.evaluate("k => localStorage.setItem(k, '{broken')", key)
    page.reload()
    page.wait_for_selector("#progress")
    assert "cannot be read" in page.get_by_role("alert").first.inner_text()
    _marks(page, "alice").first.fill("2")
    assert page.evaluate("k => localStorage.getItem(k)", key) == "{broken"


def test_a_score_from_the_sheet_counts_until_the_criteria_replace_it(tmp_path, bank, offline_page):
    folder = _class(tmp_path, bank)
    rows = list(csv.DictReader(open(folder / "manual_scores.csv", encoding="utf-8")))
    for r in rows:
        r["points"] = "4.5" if r["student"] == "alice" else ""
    _write_csv(folder / "manual_scores.csv", rows)
    page, _ = _open(offline_page, review.write_review(folder, bank).page)
    assert "Marked 1 of 4 answers, 3 left." in page.locator("#progress").inner_text()
    card = page.get_by_role("article", name="alice", exact=True)
    assert "manual_scores.csv gives 4.5 of 6" in card.locator(".total").inner_text()
    with page.expect_download() as got:
        page.get_by_role("button", name="Export manual_scores.csv").click()
    exported = {r["student"]: r["points"] for r in csv.DictReader(open(got.value.path(), encoding="utf-8"))}
    assert exported == {"alice": "4.5", "'=cmd": "", "__proto__": "", HOSTILE_NAME: ""}


def test_the_page_passes_axe(tmp_path, bank, offline_page):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = _open(offline_page, review.write_review(_class(tmp_path, bank), bank).page)
    _marks(page, "alice").first.fill("9")  # an error message on screen too
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()


# ------------------------------------------------------------------ the round trip, graded for real
@pytest.mark.sandbox
def test_marks_round_trip_from_the_page_into_the_gradebook(tmp_path, bank, offline_page):
    """Grade real submissions, mark two answers on the page (mouse and keyboard), reload,
    export, merge, and read the points in the merged gradebook."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("correct", "partly_correct"):
        shutil.copy(corpus.CORPUS / f"{name}.ipynb", folder / f"{name}.ipynb")
    hostile = corpus.filled({**corpus.RIGHT, "q6": repr(HOSTILE_ANSWER)})
    (folder / f"{HOSTILE_NAME}.ipynb").write_bytes(corpus.render(lambda: hostile))
    graded = tmp_path / "class-graded"
    done = subprocess.run(
        CLI + ["grade", str(folder), "--out", str(graded), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    done = _cli("review", str(graded))
    assert done.returncode == 0, done.stderr

    page, dialogs = _open(offline_page, graded / "review.html", settle=True)
    page.wait_for_timeout(300)
    _assert_nothing_ran(page, dialogs, offline_page)
    shown = page.get_by_role("article", name=HOSTILE_NAME, exact=True).locator(".text").text_content()
    assert shown == HOSTILE_ANSWER
    assert "Marked 0 of 3 answers, 3 left." in page.locator("#progress").inner_text()

    # 'correct' with the mouse and typing, one box after another with Tab
    first = _marks(page, "correct").first
    first.click()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")  # a number box steps by the rubric's half point
    page.keyboard.press("ArrowUp")
    # 'partly_correct' from the keyboard alone: the "next unmarked" button goes to the
    # answer after the last one worked on, and puts the focus in its first box
    page.get_by_role("button", name="Next unmarked answer").focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.closest('fieldset').querySelector('legend').textContent")
    assert focused == "Marks for partly_correct, q6"
    page.keyboard.type("0.5")
    for _ in range(2):
        page.keyboard.press("Tab")
        page.keyboard.type("0")
    assert "Marked 2 of 3 answers, 1 left." in page.locator("#progress").inner_text()

    page.reload()
    page.wait_for_selector("#progress")
    assert [b.input_value() for b in _marks(page, "correct").all()] == ["2", "1.5", "1"]
    assert [b.input_value() for b in _marks(page, "partly_correct").all()] == ["0.5", "0", "0"]
    assert "Marked 2 of 3 answers, 1 left." in page.locator("#progress").inner_text()

    with page.expect_download() as got:
        page.get_by_role("button", name="Export manual_scores.csv").click()
    assert got.value.suggested_filename == "manual_scores.csv"
    exported = tmp_path / "manual_scores.csv"
    got.value.save_as(exported)
    _assert_nothing_ran(page, dialogs, offline_page)

    # the same sheet as the grader's, with the points filled in
    ours = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    template = list(csv.DictReader(open(graded / "manual_scores.csv", encoding="utf-8")))
    assert list(ours[0]) == list(gradebook.MANUAL_COLUMNS)
    assert [{**r, "points": ""} for r in ours] == template
    assert {r["student"]: r["points"] for r in ours} == {
        "correct": "4.5",
        "partly_correct": "0.5",
        HOSTILE_NAME: "",
    }

    merged = tmp_path / "final.csv"
    done = _cli("merge", str(graded / "gradebook.csv"), str(exported), "--out", str(merged))
    assert done.returncode == 0, done.stderr
    assert "merged 2 rubric scores" in done.stdout
    book = {r["student"]: r for r in csv.DictReader(open(merged, encoding="utf-8"))}
    assert (book["correct"]["q6"], book["correct"]["manual_total"], book["correct"]["total"]) == (
        "4.5",
        "4.5",
        "15.5",
    )
    assert (book["partly_correct"]["q6"], book["partly_correct"]["total"]) == ("0.5", "7.5")
    assert book[HOSTILE_NAME]["q6"] == "" and book[HOSTILE_NAME]["total"] == ""
    assert "rubric answers need manual grading" in book[HOSTILE_NAME]["message"]
