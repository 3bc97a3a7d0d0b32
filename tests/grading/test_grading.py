"""Grading: the release, the sandboxed grader on a corpus of hostile submissions, resume after
an interruption, the gradebook and the rubric merge, and otter parity.

The corpus is in ``tests/grading/fixtures/submissions/ch03`` (made by ``make_submissions.py``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dualwheel.grading import batch, cli, grade, gradebook, release, sandbox, scoring, submission
from dualwheel.grading.questions import all_banks, bank_for
from dualwheel.page.selfcheck import question_html

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_submissions as corpus  # noqa: E402

#: Every test here grades in the bubblewrap sandbox, runs otter or a notebook: slow (make unit skips them).
pytestmark = pytest.mark.sandbox

CLI = [sys.executable, "-m", "dualwheel.grading.cli"]
from graded import ALL, CANARY, FAST, _digest  # noqa: E402 - the graded corpus (conftest.py)


@pytest.fixture(scope="module")
def bank():
    return bank_for(3)


def _q(result: dict, var: str) -> dict:
    return next(i for i in result["questions"] if i["question"] == var)


# ------------------------------------------------------------------ the corpus
def test_corpus_matches_its_generator(tmp_path):
    corpus.write(tmp_path)
    assert _digest(tmp_path) == _digest(corpus.CORPUS), (
        "tests/grading/fixtures/submissions is stale: run python tests/grading/fixtures/make_submissions.py"
    )


def test_every_submission_ends_with_its_status(graded_corpus):
    """Every file and folder of the class ends with one row and the status it deserves."""
    results = graded_corpus["report"].results
    assert set(results) == set(ALL)
    got = {s: r["status"] for s, r in results.items()}
    assert got == ALL


@pytest.mark.parametrize(("student", "points"), sorted(corpus.POINTS.items()))
def test_hostile_and_jupyter_cases_score_as_in_jupyter(graded_corpus, student, points):
    """Magics, display(), broken exceptions, huge integers, saved outputs, lying floats..."""
    assert graded_corpus["report"].results[student]["auto_total"] == points


def test_rows_that_need_review_say_why(graded_corpus):
    r = graded_corpus["report"].results
    assert "no notebook in empty_folder/" in r["empty_folder"]["message"]
    assert (
        r["two_notebooks/final.ipynb"]["auto_total"] == 11
        and r["two_notebooks/draft.ipynb"]["auto_total"] == 0
    )
    assert "keep the one to count" in r["two_notebooks/draft.ipynb"]["message"]
    assert "for chapter 6; graded as chapter 3" in r["other_chapter"]["message"]
    assert (r["sam lee"]["auto_total"], r["sam_lee"]["auto_total"]) == (11, 0)  # two files, two results
    assert r["zipped"]["auto_total"] == 11 and r["nested"]["auto_total"] == 11
    assert "the answer" not in r["huge_integer"]["message"]
    assert "finite" in _q(r["huge_integer"], "q1")["feedback"]
    assert "input() cannot be answered while grading" in r["asks_input"]["message"]
    assert (
        "could not be shown" in r["broken_exception"]["message"]
        or "no message" in r["broken_exception"]["message"]
    )


def test_links_are_never_graded_and_leak_no_model_answer(graded_corpus, bank):
    r = graded_corpus["report"].results
    for student in ("link_to_master", "link_to_folder", "hides_link", "zipped_link", "zip_slip"):
        assert r[student]["auto_total"] == 0 and r[student]["sha256"] == ""
        assert "never followed" in r[student]["message"] or "outside the archive" in r[student]["message"]
    master_q6 = next(q for q in bank.graded_questions if q.manual).model_answer
    text = "\n".join(p.read_text(encoding="utf-8") for p in _outputs(graded_corpus["out"]))
    assert " ".join(master_q6.split())[:60] not in text  # the master's model answer


def _outputs(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()]


def test_no_cell_of_a_sheet_starts_like_a_formula(graded_corpus):
    """A student's name or rubric answer that starts with = is shown as text, not run."""
    for name in ("gradebook.csv", "manual_scores.csv"):
        rows = list(csv.reader(open(graded_corpus["out"] / name, encoding="utf-8")))
        assert not [c for row in rows for c in row if c[:1] in ("=", "+", "@")], name
    sheet = list(csv.DictReader(open(graded_corpus["out"] / "manual_scores.csv", encoding="utf-8")))
    assert next(r for r in sheet if r["student"] == "formula_answer")["answer"].startswith("'=HYPERLINK")
    assert any(r["student"] == "'=cmd" for r in sheet)


def test_no_secret_reaches_any_output(graded_corpus):
    """The canary in the grader's environment, /etc/shadow and the host command line appear in
    no file the grader writes (results, gradebook, manual scores)."""
    paths = _outputs(graded_corpus["out"])
    assert len(paths) > len(ALL)
    made_up = set(sandbox._etc_files((65534, 65534))["/etc/passwd"].decode().splitlines())
    host_root = {
        line for line in Path("/etc/passwd").read_text().splitlines() if line.startswith("root:")
    } - made_up
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert CANARY not in text, path.name
        assert "daemon:" not in text and not re.search(r"root:[$*!]", text), path.name  # /etc/shadow
        assert not any(line in text for line in host_root), path.name  # the host's /etc/passwd
        assert "--ro-bind" not in text and "casebook-grade-" not in text, path.name  # bwrap's mount list
    leak = _q(graded_corpus["report"].results["leaks_environment"], "q6")["answer"]
    # no /proc at all in the sandbox, and /etc holds only what a notebook needs (no shadow)
    assert "/proc/1/environ: FileNotFoundError" in leak and "/etc/shadow: FileNotFoundError" in leak
    if os.geteuid() == 0:
        assert "uid=65534 gid=65534" in leak


def test_the_sandbox_itself_shows_no_secret(tmp_path, bank, monkeypatch):
    """First wall, without the scrubber: what the sandboxed code sees and sends back."""
    monkeypatch.setenv("CASEBOOK_CANARY", CANARY)
    release.write_support(bank, tmp_path)
    outcome = sandbox.run_cells(
        [{"index": 1, "source": corpus.LEAK}], ["q6"], tmp_path, sandbox.Limits(timeout=20)
    )
    seen = json.dumps([outcome.answers, outcome.errors, outcome.stderr])
    assert outcome.answers["q6"] and CANARY not in seen
    assert (
        "--ro-bind" not in seen and str(tmp_path) not in seen
    )  # bwrap's options are not on its command line
    assert "root:" not in seen


def test_one_limit_covers_the_whole_process_tree(graded_corpus):
    r = graded_corpus["report"].results
    assert r["fork_memory"]["status"] == "memory_limit", sandbox.limit_mode()
    forked = int(_q(r["fork_many"], "q6")["answer"].split()[-1])
    assert 0 < forked < FAST.processes


def test_no_process_is_left_behind(graded_corpus):
    left = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == sandbox.SANDBOX_UID:
                    left.append(pid)
            except OSError:
                pass
    assert not left


@pytest.mark.parametrize(
    ("student", "points"),
    [
        ("correct", 11),
        ("partly_correct", 7),
        ("all_wrong", 0),
        ("blank", 0),
        ("invalid_json", 0),
        ("deleted_cells", 9),
        ("reordered_cells", 11),
        ("wrong_types", 0),
        ("raising_cell", 11),
        ("infinite_loop", 4),
        ("memory_bomb", 11),
        ("million_line_print", 11),
        ("output_flood", 6),
        ("exits_python", 6),
        ("redefines_checks", 0),
        ("reads_answer_key", 0),
        ("deletes_files", 11),
    ],
)
def test_scores_are_honest(graded_corpus, student, points):
    """Answers reached before a failure count; cheating and damage earn nothing."""
    assert graded_corpus["report"].results[student]["auto_total"] == points


def test_messages_say_what_went_wrong(graded_corpus):
    r = graded_corpus["report"].results
    assert "q2" in r["deleted_cells"]["message"] and "deleted" in r["deleted_cells"]["message"]
    assert "order" in r["reordered_cells"]["message"]
    assert "FileNotFoundError" in r["raising_cell"]["message"]
    assert "time limit" in r["infinite_loop"]["message"] and "cell" in r["infinite_loop"]["message"]
    assert "memory" in r["memory_bomb"]["message"]
    assert "not valid notebook JSON" in r["invalid_json"]["message"]
    assert "Expected a number" in _q(r["wrong_types"], "q1")["feedback"]
    assert "one of the letters" in _q(r["wrong_types"], "q2")["feedback"]
    assert "dictionary" in _q(r["wrong_types"], "q4")["feedback"]
    assert r["million_line_print"]["message"] == (
        "printed output was long and was cut: the limit is 65,536 characters (limit 'printed text')"
    )
    assert "limit 'time', --timeout" in r["infinite_loop"]["message"]
    assert "limit 'output'" in r["output_flood"]["message"]
    assert "limit 'memory', --memory" in r["memory_bomb"]["message"]
    assert r["infinite_loop"]["seconds"] < FAST.timeout + 3


def test_answer_key_and_other_files_are_out_of_reach(graded_corpus):
    answer = _q(graded_corpus["report"].results["reads_answer_key"], "q6")["answer"]
    assert answer.startswith("found: ")
    found = eval(answer.removeprefix("found: "))  # a list literal the notebook wrote
    assert not [f for f in found if f.endswith(".ipynb") or "exercises" in f or "answer key" in f], found
    assert "network" not in found
    assert all(f.startswith("/submission/data/") for f in found), found  # only the public data


def test_deleting_files_changes_nothing(graded_corpus):
    destroyed = _q(graded_corpus["report"].results["deletes_files"], "q6")["answer"]
    assert destroyed == "destroyed: []"
    assert _digest(graded_corpus["folder"]) == graded_corpus["before"]
    assert (corpus.CORPUS / "correct.ipynb").exists()
    results = graded_corpus["out"] / "results"
    assert len(list(results.glob("*.json"))) == len(ALL)


def test_forged_reports_do_not_change_scores(graded_corpus):
    r = graded_corpus["report"].results["redefines_checks"]
    assert r["auto_total"] == 0 and _q(r, "q1")["points"] == 0
    assert r["status"] == "graded"


def test_gradebook_has_one_row_per_student(graded_corpus, bank):
    rows = list(csv.DictReader(open(graded_corpus["out"] / "gradebook.csv", encoding="utf-8")))
    assert [r["student"] for r in rows] == [gradebook.safe_cell(s) for s in sorted(ALL)]
    assert list(rows[0]) == gradebook.gradebook_columns(bank)
    correct = next(r for r in rows if r["student"] == "correct")
    assert correct["auto_total"] == "11" and correct["q6"] == "" and correct["total"] == ""
    assert "manual grading" in correct["message"]
    sheet = list(csv.DictReader(open(graded_corpus["out"] / "manual_scores.csv", encoding="utf-8")))
    assert len(sheet) == len(ALL)  # one rubric question each
    assert next(s for s in sheet if s["student"] == "correct")["answer"].startswith("Alibaba's AIDC")


def test_the_graded_corpus_merges_and_exports_for_canvas(graded_corpus, tmp_path, capsys):
    """Grade -> merge -> `casebook export` on the corpus's real gradebook: every hostile name
    (``=cmd``, José in two Unicode forms, ``sam/``) reaches its Canvas user, none is dropped."""
    sheet = list(csv.DictReader(open(graded_corpus["out"] / "manual_scores.csv", encoding="utf-8")))
    for row in sheet:
        row["points"] = "6" if row["student"] == "correct" else "0"
    _write_csv(tmp_path / "manual.csv", sheet)
    merged = tmp_path / "merged.csv"
    gradebook.merge_manual(
        graded_corpus["out"] / "gradebook.csv", tmp_path / "manual.csv", bank_for(3), merged
    )
    names = sorted(ALL)
    ids = {name: str(1000 + i) for i, name in enumerate(names)}
    _write_csv(
        tmp_path / "roster.csv",
        [
            {"submission": n, "lms_id": ids[n], "name": f"Student {i}"}
            for i, n in enumerate(names)
            if n != "zipped"
        ]
        + [{"submission": "zoe", "lms_id": "2000", "name": "Zoe"}],
    )
    out = tmp_path / "canvas.csv"
    argv = ["export", str(merged), "--roster", str(tmp_path / "roster.csv"), "--format", "canvas"]
    code = cli.main(argv + ["--out", str(out), "--skip-unmatched"])  # in-process: no interpreter start-up
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    rows = list(csv.reader(open(out, encoding="utf-8", newline="")))
    got = {r[1]: r[5] for r in rows[2:]}
    book = {r["student"]: r["total"] for r in csv.DictReader(open(merged, encoding="utf-8"))}
    expected = {ids[n]: book[gradebook.safe_cell(n)] for n in names if n != "zipped"}
    assert got == {**expected, "2000": ""}
    assert got[ids["correct"]] == "17" and got[ids["=cmd"]] == book["'=cmd"]
    report = {r["outcome"]: r for r in csv.DictReader(open(tmp_path / "canvas-report.csv", encoding="utf-8"))}
    assert (
        report["not_on_roster"]["submission"] == "zipped" and report["no_submission"]["submission"] == "zoe"
    )
    assert "graded but not on the roster (NOT in the file): 1: zipped" in stderr


# ------------------------------------------------------------------ resume and interruption
def _small_class(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for n in names:
        shutil.copy(corpus.CORPUS / f"{n}.ipynb", folder / f"{n}.ipynb")
    return folder


def test_rerun_grades_only_what_is_missing_or_changed(tmp_path, bank):
    folder = _small_class(tmp_path, ["correct", "all_wrong", "blank"])
    out = tmp_path / "out"
    first = batch.grade_folder(folder, bank, out, progress=False)
    assert (first.graded, first.skipped) == (3, 0)
    (out / "results" / "blank.json").unlink()
    shutil.copy(corpus.CORPUS / "partly_correct.ipynb", folder / "all_wrong.ipynb")  # resubmitted
    second = batch.grade_folder(folder, bank, out, progress=False)
    assert (second.graded, second.skipped) == (2, 1)
    assert second.results["all_wrong"]["auto_total"] == 7


def _wait_for(path: Path, count: int, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if len(list(path.glob("*.json"))) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} results in {path}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_batch_keeps_finished_results_and_resumes(tmp_path, sig):
    folder = _small_class(tmp_path, ["correct", "partly_correct", "infinite_loop", "all_wrong"])
    (folder / "zz_loop.ipynb").write_bytes((corpus.CORPUS / "infinite_loop.ipynb").read_bytes())
    out = tmp_path / "out"
    cmd = CLI + ["grade", str(folder), "--out", str(out), "--timeout", "20", "--jobs", "1", "--quiet"]
    # a shell's background job starts with SIGINT ignored, and Python keeps an ignored SIGINT: give
    # the grader the default handling a terminal's Ctrl-C meets
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for(out / "results", 1)  # 'all_wrong' and 'correct' finish fast; the loop runs 20 s
    time.sleep(0.5)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=90)  # a run started just before the signal is killed, then the batch writes its gradebook; 30 s was once too short on CI
    done = sorted(p.stem for p in (out / "results").glob("*.json"))
    assert done and len(done) < 5
    for p in (out / "results").glob("*.json"):
        json.loads(p.read_text())  # every saved result is whole
    assert not list((out / "results").glob(".*.tmp"))
    if sig == signal.SIGINT:
        assert proc.returncode == 130, stderr
        assert "run the same command again" in stderr
        rows = list(csv.DictReader(open(out / "gradebook.csv", encoding="utf-8")))
        assert sorted(r["student"] for r in rows) == done
    else:
        assert proc.returncode == -signal.SIGKILL
        left = [
            p
            for p in Path(tempfile.gettempdir()).iterdir()
            if p.name.startswith(f"casebook-grade-{proc.pid}.")
        ]
        assert left  # the killed grader could not clean up: the next run does
    again = subprocess.run(
        cmd[:-5] + ["--timeout", "2", "--quiet"], capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert f"{5 - len(done)} graded now, {len(done)} already graded" in again.stdout
    rows = list(csv.DictReader(open(out / "gradebook.csv", encoding="utf-8")))
    assert len(rows) == 5
    assert not [
        p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(f"casebook-grade-{proc.pid}.")
    ]


# ------------------------------------------------------------------ rubric merge
def test_manual_scores_merge_into_the_gradebook(tmp_path, bank):
    folder = _small_class(tmp_path, ["correct", "partly_correct"])
    out = tmp_path / "out"
    batch.grade_folder(folder, bank, out, progress=False)
    sheet = out / "manual_scores.csv"
    rows = list(csv.DictReader(open(sheet, encoding="utf-8")))
    for r in rows:
        r["points"] = "5" if r["student"] == "correct" else "2.5"
    _write_csv(sheet, rows)
    merged = out / "final.csv"
    assert gradebook.merge_manual(out / "gradebook.csv", sheet, bank, merged) == 2
    book = {r["student"]: r for r in csv.DictReader(open(merged, encoding="utf-8"))}
    assert (book["correct"]["q6"], book["correct"]["manual_total"], book["correct"]["total"]) == (
        "5",
        "5",
        "16",
    )
    assert book["partly_correct"]["total"] == "9.5"
    assert "manual grading" not in book["correct"]["message"]


def test_bad_manual_rows_are_all_reported_and_nothing_is_written(tmp_path, bank):
    folder = _small_class(tmp_path, ["correct"])
    out = tmp_path / "out"
    batch.grade_folder(folder, bank, out, progress=False)
    sheet = tmp_path / "manual.csv"
    _write_csv(
        sheet,
        [
            {"student": "correct", "question": "q6", "points": "seven"},
            {"student": "mallory", "question": "q6", "points": "3"},
            {"student": "correct", "question": "q1", "points": "2"},
            {"student": "correct", "question": "q6", "points": "9"},
        ],
    )
    target = tmp_path / "merged.csv"
    with pytest.raises(gradebook.MergeError) as err:
        gradebook.merge_manual(out / "gradebook.csv", sheet, bank, target)
    text = str(err.value)
    for expected in (
        "row 2: points 'seven' is not a number",
        "row 3: student 'mallory'",
        "row 4: 'q1' is not a rubric question",
        "row 5: points 9 is outside 0 to 6",
    ):
        assert expected in text
    assert not target.exists()


def _write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


# ------------------------------------------------------------------ the release holds no answers
def _secrets(bank) -> list[str]:
    """Strings that would give an answer away: values, feedback, model answers, hidden tests."""
    out = []
    for q in bank.graded_questions:
        if q.type == "numeric":
            out += [f"{q.answer:.{d}f}" for d in (1, 2, 3, 4)]
        out += [v for v in q.feedback.values() if len(v) > 12]
        if q.model_answer:
            out += [q.model_answer[:60], " ".join(q.model_answer.split())[:60]]
        if q.explanation:
            out.append(q.explanation[:40])
        out.append(json.dumps(q.spec())[:80])
    return out


@pytest.mark.parametrize("bank", all_banks(), ids=lambda b: f"ch{b.chapter:02d}")
def test_student_release_and_selfchecks_hold_no_answers(tmp_path, bank):
    paths = release.write_release(bank, tmp_path)
    data_dir = paths["student"] / "data"  # the public tables and their metadata (data/meta/*.yml)
    student_files = [p for p in paths["student"].rglob("*") if p.is_file() and data_dir not in p.parents]
    scoring_copy = paths["student"] / "casebook_scoring.py"  # the generic rules, the same for every chapter
    assert scoring_copy.read_text(encoding="utf-8") == Path(scoring.__file__).read_text(encoding="utf-8")
    text = "\n".join(p.read_text(encoding="utf-8") for p in student_files if p != scoring_copy)
    text = re.sub(r"'points': [\d.]+", "", text)  # a question's points are public (2.0 is not an answer)
    secrets = _secrets(bank)
    # a number counts only as a whole number (13.4 inside 113.45 is no leak)
    leaks = [s for s in secrets if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", text)]
    assert not leaks
    for spec in release.public_specs(bank).values():
        assert not {"answer", "feedback", "model_answer", "criteria_answer"} & set(spec)
    for q in bank.graded_questions:  # in-page form of a graded question: no answer, no feedback
        if q.type != "rubric" and q.type != "match":
            page = question_html(q, "x")
            payload = json.loads(__import__("base64").b64decode(page.split('data-q="')[1].split('"')[0]))
            assert payload["answer"] is None and payload["feedback"] == {} and payload["explanation"] == ""
    # the instructor side does carry them, so the test above is not vacuous
    solutions = paths["solutions"].read_text(encoding="utf-8")
    assert any(s in solutions for s in secrets)


def test_release_notebook_runs_and_checks_form_only(tmp_path, bank):
    """A student's flow: open the release, run it blank, answer, run again."""
    paths = release.write_release(bank, tmp_path)
    nb = nbformat.read(paths["notebook"], as_version=4)
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(paths["student"])}}
    ).execute()
    blank = _printed(nb)
    assert "✗ q1: No answer yet." in blank
    assert "0 of 6 answers are in the right form." in blank
    filled = corpus.filled(corpus.WRONG)
    NotebookClient(
        filled, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(paths["student"])}}
    ).execute()
    out = _printed(filled)
    assert "✓ q1: answer recorded in the right form" in out  # wrong but well-formed: no verdict
    # the wrong answers are well formed, except the 5-word memo, which is told the length asked for
    assert "✗ q6: 5 words; the question asks for 150 to 250 words." in out
    assert "5 of 6 answers are in the right form." in out
    assert "Correct" not in out and "wrong" not in out.lower()


def _printed(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


# ------------------------------------------------------------------ otter parity
#: Honest submissions in several reasonable forms, plus hostile ones where both routes now
#: agree (the lying float: the shared scoring rules read the value, not __float__).
PARITY = [
    "correct",
    "partly_correct",
    "all_wrong",
    "text_answers",
    "numpy_answers",
    "cell_magic_time",
    "lying_float",
]


def test_otter_autograder_gives_the_same_scores(tmp_path, bank, graded_corpus):
    zip_path = release.build_otter(bank, tmp_path / "rel")
    otter = Path(sys.executable).with_name("otter")
    ours = graded_corpus["report"].results  # the same notebooks, graded once by `casebook grade`
    assert set(PARITY) <= set(ours)
    runs = {}
    for student in PARITY:  # two at a time: otter run takes several seconds each
        outdir = tmp_path / f"otter-{student}"
        outdir.mkdir()
        cmd = [
            str(otter),
            "run",
            "-a",
            str(zip_path),
            "-o",
            str(outdir),
            str(corpus.CORPUS / f"{student}.ipynb"),
        ]
        runs[student] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if len(runs) % 2 == 0:
            for proc in runs.values():
                proc.wait()
    theirs = {}
    for student, proc in runs.items():
        assert proc.wait() == 0, proc.stderr.read().decode()[-2000:]
        tests = json.loads((tmp_path / f"otter-{student}" / "results.json").read_text())["tests"]
        theirs[student] = sum(t.get("score", 0) for t in tests if "score" in t)
    assert theirs == {s: ours[s]["auto_total"] for s in PARITY}
    assert theirs["lying_float"] == 9  # the float subclass is read for its value in both routes
    student_nb = (zip_path.parent.parent / "student" / "ch03-otter-master.ipynb").read_text()
    assert "# SOLUTION" not in student_nb and "casebook_scoring').score" not in student_nb


# ------------------------------------------------------------------ the command line
@pytest.mark.parametrize("command", [[], ["release"], ["check"], ["grade"], ["merge"], ["otter"]])
def test_every_command_has_help(command):
    done = subprocess.run(CLI + command + ["--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: casebook" in done.stdout


def test_check_prints_the_students_feedback():
    done = subprocess.run(
        CLI + ["check", str(corpus.CORPUS / "partly_correct.ipynb")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Automatic score: 7 of 17 + rubric (pending)" in done.stdout
    assert "q6" in done.stdout and "manual" in done.stdout


def test_check_prints_no_secret_and_refuses_links(tmp_path):
    env = {**os.environ, "CASEBOOK_CANARY": CANARY}
    done = subprocess.run(
        CLI + ["check", str(corpus.CORPUS / "leaks_environment.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert CANARY not in done.stdout + done.stderr and "root:" not in done.stdout
    assert "Automatic score: 11 of 17" in done.stdout
    link = tmp_path / "mine.ipynb"
    link.symlink_to(corpus.CORPUS / "correct.ipynb")
    done = subprocess.run(
        CLI + ["check", str(link), "--chapter", "3"], capture_output=True, text=True, timeout=60
    )
    assert "invalid_submission" in done.stdout and "never followed" in done.stdout
    assert "Automatic score: 0 of 17" in done.stdout


def test_a_notebook_for_another_chapter_does_not_stop_the_batch(tmp_path):
    folder = _small_class(tmp_path, ["correct", "partly_correct", "other_chapter"])
    out = tmp_path / "out"
    done = subprocess.run(
        CLI + ["grade", str(folder), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in csv.DictReader(open(out / "gradebook.csv", encoding="utf-8"))}
    assert rows["other_chapter"]["status"] == "needs_review" and rows["correct"]["status"] == "graded"


def test_grade_refuses_a_missing_folder_clearly(tmp_path):
    done = subprocess.run(CLI + ["grade", str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert done.returncode == 1 and "is not a folder" in done.stderr


def test_grader_refuses_to_run_without_a_sandbox(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(submission.GradingError, match="bubblewrap"):
        sandbox.sandbox_command(tmp_path, sandbox.Limits())


def test_release_cli_writes_every_bank(tmp_path):
    done = subprocess.run(CLI + ["release", "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for bank in all_banks():
        assert (tmp_path / f"ch{bank.chapter:02d}" / f"ch{bank.chapter:02d}-exercises.ipynb").exists()


def test_grade_uses_sandbox_env(tmp_path):
    """The sandbox sees none of the grader's environment (e.g. tokens in CI variables)."""
    os.environ["CASEBOOK_SECRET_TOKEN"] = "hunter2"
    try:
        nb = corpus.filled(corpus.RIGHT)
        nb.cells.append(nbformat.v4.new_code_cell("import os\nq6 = repr(sorted(os.environ))"))
        folder = tmp_path / "class"
        folder.mkdir()
        nbformat.write(nb, folder / "env.ipynb")
        r = batch.grade_folder(folder, bank_for(3), tmp_path / "out", progress=False).results["env"]
    finally:
        del os.environ["CASEBOOK_SECRET_TOKEN"]
    assert "CASEBOOK_SECRET_TOKEN" not in _q(r, "q6")["answer"]
    assert "HOME" in _q(r, "q6")["answer"]


def test_the_sandbox_layout_is_neutral(tmp_path):
    """Student code sees /submission, /grader, /venv, /python and the system: every host folder
    is bound at a neutral path, after the private /tmp (mounts apply in order), and there is no
    /proc (it would name each mount's host folder in /proc/self/mountinfo)."""
    (tmp_path / "data").mkdir()
    cmd = sandbox.sandbox_args(tmp_path, sandbox.Limits())
    tmpfs = cmd.index("--tmpfs")
    binds = [i for i, arg in enumerate(cmd) if arg == "--ro-bind"]
    assert cmd[tmpfs + 1] == "/tmp" and binds and all(i > tmpfs for i in binds)
    targets = {cmd[i + 2] for i in binds}
    package = str(Path(submission.__file__).resolve().parents[0])
    assert {"/grader/dualwheel", "/submission/data"} <= targets
    for target in targets:
        assert target.split("/")[1] in {"usr", "lib", "lib64", "lib32", "bin", "sbin", "etc", "grader",
                                        "venv", "python", "submission"}, target  # fmt: skip
        assert not target.startswith((package, str(tmp_path))), target
    assert "--proc" not in cmd and "/etc/passwd" not in targets  # made up, never the host's
    runner = " ".join(sandbox.runner_command())
    assert package not in runner and (sandbox._under_system(sys.prefix) or sys.prefix not in runner)


@pytest.mark.parametrize("bank", all_banks(), ids=lambda b: f"ch{b.chapter:02d}")
def test_every_chapter_runs_as_jupyter_does(tmp_path, bank):
    """The Jupyter cases in each chapter's own notebook: a cell magic, display(), an exception
    whose message is broken, and an integer no float can hold."""
    nb = release.student_notebook(bank)
    cells = [c for c in nb.cells if c.metadata.get("casebook", {}).get("role") == "answer"]
    for n, (cell, q) in enumerate(zip(cells, bank.graded_questions, strict=True)):
        head = "%%time\n" if n == 0 else ""
        cell.source = f"{head}{q.var} = {release._answer_literal(q)}\ndisplay({q.var})\ncheck({q.var!r})"
    nb.cells.insert(3, nbformat.v4.new_code_cell(corpus.BROKEN_EXCEPTION))
    nb.cells.insert(3, nbformat.v4.new_code_cell("big = 10 ** 5000\ncheck_all()"))
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, path)
    support = tmp_path / "public"
    release.write_support(bank, support)
    result = grade.grade_one(path, "student", bank, support, FAST)
    auto = sum(q.points for q in bank.graded_questions if not q.manual)
    assert (result["status"], result["auto_total"]) == ("graded_with_errors", auto), result["message"]
    assert "1 cell(s) raised" in result["message"]


def test_a_long_memo_and_many_cells_is_not_an_output_limit(tmp_path, bank):
    """The answers are re-sent only when they change: a 20 kB memo (the longest kept) and 40 more
    cells stay below the answers channel's cap (4 x output), which is not the printed-output limit."""
    release.write_support(bank, tmp_path)
    limits = sandbox.Limits(timeout=30, output_bytes=10_000)
    cells = [{"index": 1, "source": "q6 = 'memo ' * 10_000"}]
    cells += [{"index": i, "source": "x = 1"} for i in range(2, 42)]
    outcome = sandbox.run_cells(cells, ["q6"], tmp_path, limits)
    assert outcome.finished and outcome.stopped is None, (outcome.stopped, outcome.stderr)
    assert len(outcome.answers["q6"]) >= 10_000
    limits = sandbox.Limits(timeout=30, output_bytes=2_000)
    too_big = sandbox.run_cells([{"index": 1, "source": "q6 = 'm' * 200_000"}], ["q6"], tmp_path, limits)
    assert too_big.stopped == "output_limit" and too_big.answers_too_big
    status, message = grade._status_only(submission.Parsed(), too_big, limits)
    assert status == "output_limit" and "answer variables" in message and "output" in message, message


def test_a_notebook_at_the_cell_limit_runs_inside_the_default_time_limit(tmp_path, bank):
    """The cell limit is set so that a notebook just under it finishes well inside the default
    timeout: a memo answered once, then the rest of the cells each setting a variable."""
    from dualwheel.grading import limits as table

    release.write_support(bank, tmp_path)
    cells = [{"index": 1, "source": "q6 = 'memo ' * 4000"}]
    cells += [{"index": i, "source": f"x{i} = {i}"} for i in range(2, table.MAX_CELLS + 1)]
    outcome = sandbox.run_cells(cells, ["q6"], tmp_path, sandbox.Limits())
    assert outcome.finished and outcome.stopped is None, outcome.stopped
    assert outcome.seconds < table.TIMEOUT / 2, outcome.seconds


def test_the_compiled_editable_hook_names_no_host_path(tmp_path, bank):
    """The editable install's hook is blank in the sandbox: .py, .pth and its compiled __pycache__ copy."""
    release.write_support(bank, tmp_path)
    src = (
        "import glob\n"
        "q6 = {p: open(p, 'rb').read().decode('latin-1') for p in glob.glob('/venv/site-packages/**/*', recursive=True)"
        " if 'editable' in p and not p.endswith('/')}"
    )
    outcome = sandbox.run_cells([{"index": 1, "source": src}], ["q6"], tmp_path, sandbox.Limits(timeout=20))
    seen = outcome.answers.get("q6")
    assert isinstance(seen, dict), (outcome.errors, seen)
    hooks = {p: text for p, text in seen.items() if "__editable__" in p}
    if any("__pycache__" in p for p in sandbox._hidden_files()):
        assert any("__pycache__" in p for p in hooks), sorted(seen)
    assert all(text == "" for text in hooks.values()), [p for p, t in hooks.items() if t]


def test_exit_handlers_of_the_standard_library_are_not_the_notebook_s(tmp_path, bank):
    release.write_support(bank, tmp_path)
    honest = "import multiprocessing.util, concurrent.futures.process\nq6 = 'memo'"
    outcome = sandbox.run_cells(
        [{"index": 1, "source": honest}], ["q6"], tmp_path, sandbox.Limits(timeout=20)
    )
    assert outcome.finished and not outcome.ended, outcome.ended
    mine = (
        "import atexit\ndef bye():\n    pass\natexit.register(bye)\natexit.register(print, 'x')\nq6 = 'memo'"
    )
    outcome = sandbox.run_cells([{"index": 1, "source": mine}], ["q6"], tmp_path, sandbox.Limits(timeout=20))
    assert outcome.ended == ["2 exit handler(s) registered by the notebook"], outcome.ended
