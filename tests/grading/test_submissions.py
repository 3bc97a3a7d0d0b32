"""Finding and reading submissions, result names, scrubbing: no sandbox (part of make unit).

The hostile file-system corpus comes from ``fixtures/make_submissions.py`` (``write_tricks``).
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from dualwheel.grading import batch, files, gradebook, release, scoring, submission
from dualwheel.grading.grade import iter_feedback
from dualwheel.grading.questions import bank_for

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_submissions as corpus  # noqa: E402


@pytest.fixture
def tricks(tmp_path):
    folder, instructor = tmp_path / "class", tmp_path / "instructor"
    folder.mkdir()
    instructor.mkdir()
    nbformat.write(release.otter_master(bank_for(3)), instructor / "ch03-otter-master.ipynb")
    corpus.write_tricks(folder, instructor)
    return folder, instructor


def test_every_entry_of_the_folder_gets_exactly_one_row(tricks):
    folder, _ = tricks
    entries = submission.find_submissions(folder)
    students = [e.student for e in entries]
    assert len(students) == len(set(students))
    assert set(students) == set(corpus.TRICKS)
    by = {e.student: e for e in entries}
    for name in ("empty_folder", "only_a_pdf", "two_notebooks/draft.ipynb", "sam/", "sam.ipynb"):
        assert by[name].review, name
    assert "2 notebooks (draft.ipynb, final.ipynb)" in by["two_notebooks/final.ipynb"].review
    assert "'sam.ipynb', 'sam/'" in by["sam/"].review or "'sam/', 'sam.ipynb'" in by["sam/"].review
    assert "holds ch03.pdf" in by["only_a_pdf"].review
    assert by["nested"].parts == ("nested", "unzipped", "ch03-exercises.ipynb")  # checkpoints skipped
    assert by["zipped"].member == "ch03-exercises.ipynb"


@pytest.mark.parametrize(
    ("student", "says"),
    [
        ("link_to_master", "symbolic link; links are never followed"),
        ("link_to_folder", "symbolic link; links are never followed"),
        ("hides_link", "symbolic link"),
        ("folder", "a folder, not a notebook"),
        ("zipped_link", "symbolic link; links are never followed"),
        ("zip_slip", "points outside the archive"),
        ("pipe", "named pipe"),
        ("notes.pdf", "not a notebook"),
    ],
)
def test_links_and_non_notebooks_are_refused_and_never_read(tricks, student, says):
    folder, _ = tricks
    entry = {e.student: e for e in submission.find_submissions(folder)}[student]
    assert says in entry.problem
    with pytest.raises(submission.NotebookFileError):
        submission.read_entry(folder, entry)


def test_reading_never_follows_a_link_even_if_the_folder_changes(tricks):
    """The check is in the read itself (O_NOFOLLOW at every step), not only in the listing."""
    folder, instructor = tricks
    entry = {e.student: e for e in submission.find_submissions(folder)}["nested"]
    os.rename(folder / "nested" / "unzipped", folder / "nested" / "moved")
    os.symlink(instructor, folder / "nested" / "unzipped")  # swapped for a link after the scan
    with pytest.raises(OSError):
        submission.read_entry(folder, entry)
    (folder / "sam lee.ipynb").unlink()
    os.symlink(instructor / "ch03-otter-master.ipynb", folder / "sam lee.ipynb")
    entry = submission.Entry("sam lee", "sam lee.ipynb", parts=("sam lee.ipynb",))
    with pytest.raises(submission.NotebookFileError, match="symbolic link"):
        submission.read_entry(folder, entry)


def test_a_hard_link_is_refused_not_read(tricks):
    """A second name for the instructor's master (same disk) must not be read as a notebook."""
    folder, instructor = tricks
    os.link(instructor / "ch03-otter-master.ipynb", folder / "kim.ipynb")
    entry = {e.student: e for e in submission.find_submissions(folder)}["kim"]
    with pytest.raises(submission.NotebookFileError, match="hard link"):
        submission.read_entry(folder, entry)
    (instructor / "ch03-otter-master.ipynb").unlink()  # one name left: an ordinary file again
    assert submission.read_entry(folder, entry).startswith(b"{")


def test_unicode_twins_are_flagged_not_merged(tricks):
    folder, _ = tricks
    twins = [
        e
        for e in submission.find_submissions(folder)
        if unicodedata.normalize("NFC", e.student) == "José.ipynb"
    ]
    assert len(twins) == 2 and all("are all for student" in e.review for e in twins)


def test_result_files_are_unique_and_reversible(tmp_path):
    names = [
        "sam lee",
        "sam_lee",
        "sam%20lee",
        "sam/",
        "..",
        ".hidden",
        "José",
        "a" * 400,
        "a" * 401,
        "x:y*?",
    ]
    paths = [batch.result_path(tmp_path, n) for n in names]
    assert len({p.name for p in paths}) == len(names)
    for name, path in zip(names, paths, strict=True):
        assert path.parent == tmp_path / "results" and len(path.name) < 250
        if len(name) < 50:
            assert unquote(path.name.removesuffix(".json")) == name


def test_saved_outputs_do_not_count_toward_the_size_limit():
    raw = corpus.render(corpus.CASES["big_saved_outputs"])
    assert len(raw) > 5_000_000
    parsed = submission.parse_submission(raw, bank_for(3))
    assert parsed.problem is None and parsed.cells
    code = json.dumps({"cells": [{"cell_type": "code", "source": "x = 1\n" * 1_000_000}]}).encode()
    assert "characters of code" in submission.parse_submission(code, bank_for(3)).problem


def test_notebook_for_another_chapter_is_flagged_for_review():
    parsed = submission.parse_submission(corpus.render(corpus.CASES["other_chapter"]), bank_for(3))
    assert parsed.problem is None and "chapter 6" in parsed.review[0]


# ------------------------------------------------------------------ answers that lie or overflow
class Liar(float):
    def __float__(self):
        return 11.2

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class LyingText(str):
    def strip(self, *args):
        return "b"

    def lower(self):
        return "b"


def test_scoring_reads_the_value_not_what_a_subclass_claims():
    numeric = {"type": "numeric", "answer": 11.2, "tolerance": 0.1}
    assert scoring.score(numeric, Liar(3.0))[0] == 0.0  # the otter route calls score() directly
    assert scoring.normalise(Liar(3.0)) == 3.0 and type(scoring.normalise(Liar(3.0))) is float
    choice = {"type": "choice", "options": {"a": "", "b": ""}, "answer": "b"}
    assert scoring.score(choice, LyingText("a"))[0] == 0.0


def test_an_integer_beyond_any_float_is_a_wrong_answer_not_a_crash():
    numeric = {"type": "numeric", "answer": 11.2, "tolerance": 0.1}
    assert scoring.validate(numeric, 10**5000) == "Expected a finite number."
    assert scoring.score(numeric, -(10**5000))[0] == 0.0
    json.dumps(scoring.normalise(10**5000), allow_nan=True)  # the runner can send it


def test_an_answer_that_cannot_be_read_loses_only_itself():
    from dualwheel.grading import runner

    class Hostile:
        def __getattribute__(self, name):
            raise RuntimeError("no")

    answers = runner._answers({"q1": Hostile(), "q2": "b", "q3": 10**5000}, ["q1", "q2", "q3"], notes := {})
    assert answers["q2"] == "b" and answers["q3"] == float("inf")
    json.dumps(answers, allow_nan=True)
    assert set(notes) <= {"q1"}


# ------------------------------------------------------------------ no secret in any output
def test_scrub_redacts_the_graders_secrets(monkeypatch):
    monkeypatch.setenv("CLOUD_TOKEN", "tok-9f8e7d6c5b")
    monkeypatch.setenv("SHORT", "yes")
    data = {"message": "env: CLOUD_TOKEN=tok-9f8e7d6c5b", "list": ["tok-9f8e7d6c5b"], "n": 3, "ok": "yes"}
    assert files.scrub(data) == {
        "message": "env: CLOUD_TOKEN=[redacted]",
        "list": ["[redacted]"],
        "n": 3,
        "ok": "yes",
    }


def test_every_output_writer_scrubs(monkeypatch, tmp_path):
    canary = "canary-77aa55cc33"
    monkeypatch.setenv("CASEBOOK_CANARY", canary)
    bank = bank_for(3)
    result = {
        "student": "s",
        "status": "graded_with_errors",
        "message": f"RuntimeError: {canary}",
        "auto_total": 0.0,
        "questions": [
            {"question": q.var, "points": None if q.manual else 0.0, "max": q.points, "manual": q.manual,
             "feedback": canary, "answer": canary}
            for q in bank.graded_questions
        ],
        "manual_pending": ["q6"],
    }  # fmt: skip
    files.atomic_write(tmp_path / "gradebook.csv", gradebook.gradebook_csv(bank, {"s": result}))
    gradebook.write_manual_template(tmp_path / "manual.csv", bank, {"s": result})
    files.atomic_write(tmp_path / "r.json", json.dumps(result))
    for path in tmp_path.iterdir():
        assert canary not in path.read_text(encoding="utf-8"), path.name
    assert not any(canary in files.scrub(line) for line in iter_feedback(result, bank))


def test_scrub_keeps_words_and_names_that_are_not_secrets(monkeypatch):
    """Only the grader's secrets are redacted: values of variables named like secrets, and values
    that look random. A student's name or a word that is also an environment value is kept."""
    monkeypatch.setenv("USERNAME", "zhang_wei")
    monkeypatch.setenv("CONDA_DEFAULT_ENV", "finance")
    monkeypatch.setenv("PROJECT", "quarterly_report_2024")
    monkeypatch.setenv("DB_PASSWORD", "finance")  # named a secret: redacted whatever it looks like
    monkeypatch.setenv("CI_JOB", "build")
    monkeypatch.setenv("UPLOAD_ID", "3e1f9a7c5d2b")  # random-looking, under any name
    monkeypatch.setenv("GH", "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5")
    text = "zhang_wei's finance memo for quarterly_report_2024: upload 3e1f9a7c5d2b, ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"
    assert (
        files.scrub(text)
        == "zhang_wei's [redacted] memo for quarterly_report_2024: upload [redacted], [redacted]"
    )
    monkeypatch.delenv("DB_PASSWORD")
    assert files.scrub("zhang_wei's finance memo") == "zhang_wei's finance memo"
    for name, value, secret in [
        ("USERNAME", "zhang_wei", False),
        ("CONDA_DEFAULT_ENV", "finance", False),
        ("API_KEY", "hunter22", True),
        ("GITHUB_TOKEN", "ghp_x1y2z3w4v5u6", True),
        ("SESSION_SECRET", "correcthorse", True),
        ("CANARY", "casebook-canary-3e1f9a7c5d", True),
        ("AWS", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
        ("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64", False),
        ("VERSION", "3.11.7", False),
        ("BUILD_DATE", "2026-12-07", False),
    ]:
        assert files.is_secret(name, value) is secret, (name, value)


def test_visible_escapes_control_characters_and_surrogates(tmp_path):
    raw = "a\x1b[2Jb\x07c\x00d\x9be\u202ef\ud800g\udcd5\tkeep\nlines"
    shown = files.visible(raw)
    assert shown == "a\\x1b[2Jb\\x07c\\x00d\\x9be\\u202ef\\ud800g\\udcd5\tkeep\nlines"
    assert files.visible(raw, one_line=True).endswith("\\udcd5 keep lines")
    shown.encode("utf-8")  # no lone surrogate left: any writer can write it
    files.atomic_write(tmp_path / "x.json", json.dumps(files.scrub({"s": raw}), ensure_ascii=False))
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["s"] == shown
    files.atomic_write(tmp_path / "x.csv", raw)  # any text: written, never a crash
    assert (tmp_path / "x.csv").read_text(encoding="utf-8") == shown


@pytest.mark.parametrize(
    "raw",
    [
        "张三".encode("gbk") + b".ipynb",
        b"a\\b",
        b"x\x1b[2Jy",
        "é\u202eq".encode(),
        b"plain",
        b"\\x41",
        b"\x85\xc2\x85",
    ],
)
def test_shown_names_are_escaped_and_reversible(raw):
    shown = submission.shown_name(os.fsdecode(raw))
    assert shown.isprintable() and submission.name_bytes(shown) == raw
    shown.encode("utf-8")


def test_a_folder_with_a_name_that_is_not_utf8_is_read(tmp_path):
    name = os.fsdecode("张三".encode("gbk"))
    (tmp_path / name).mkdir()
    (tmp_path / name / "ch03-exercises.ipynb").write_bytes(corpus.render(corpus.CASES["correct"]))
    (entry,) = submission.find_submissions(tmp_path)
    assert entry.student == "\\xd5\\xc5\\xc8\\xfd" and entry.source == "\\xd5\\xc5\\xc8\\xfd/"
    assert submission.read_entry(tmp_path, entry) == corpus.render(corpus.CASES["correct"])
    assert batch.result_path(tmp_path, entry.student).name == "%5Cxd5%5Cxc5%5Cxc8%5Cxfd.json"


@pytest.mark.parametrize(
    ("chapter", "review"),
    [(3, False), ("3", False), (" 03 ", False), (3.0, False), ("6", True), ("three", True), (6, True)],
)
def test_a_chapter_written_as_text_is_that_chapter(chapter, review):
    raw = corpus.render(lambda: corpus._chapter(corpus.filled(corpus.RIGHT), chapter))
    parsed = submission.parse_submission(raw, bank_for(3))
    assert parsed.problem is None and bool(parsed.review) is review, parsed.review


def test_limits_are_in_one_table_and_documented_from_it():
    """README, `casebook grade --help`, the sandbox's defaults and the readers all use limits.TABLE."""
    from dualwheel.grading import cli, limits, sandbox

    readme = (Path(__file__).resolve().parents[2] / "exercises" / "README.md").read_text(encoding="utf-8")
    assert limits.markdown() in readme, (
        "run python -m dualwheel.grading.limits and paste it in exercises/README.md"
    )
    helps = {}
    for command in ("grade", "check"):
        sub = cli.parser()._subparsers._group_actions[0].choices[command]
        helps[command] = sub.format_help()
    for limit in limits.TABLE:
        for text in helps.values():
            assert f"{limit.key}:" in text and limit.shown in text
    d = sandbox.Limits()
    assert (d.timeout, d.memory_mb, d.processes, d.output_bytes, d.print_chars, d.tmp_mb) == (
        limits.TIMEOUT,
        limits.MEMORY_MB,
        limits.PROCESSES,
        limits.OUTPUT_BYTES,
        limits.PRINT_CHARS,
        limits.TMP_MB,
    )
    assert submission.MAX_CELLS == limits.MAX_CELLS >= 5_000
    assert limits.MAX_CODE_CHARS >= 5_000_000


def test_a_notebook_over_a_limit_gets_a_status_naming_it():
    parsed = submission.parse_submission(corpus.too_many_cells(), bank_for(3))
    assert "the limit is 5,000 cells (limit 'cells')" in parsed.problem
    nb = corpus.filled(corpus.RIGHT)
    nb.cells.append(nbformat.v4.new_code_cell("x = '" + "a" * 300_000 + "'"))  # one long cell: honest
    parsed = submission.parse_submission(corpus.render(lambda: nb), bank_for(3))
    assert parsed.problem is None and not parsed.notes
    assert max(len(c["source"]) for c in parsed.cells) > 300_000


def test_an_archive_over_the_entry_limit_is_refused_by_name(tmp_path):
    from dualwheel.grading import limits

    corpus._zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(limits.MAX_ZIP_MEMBERS + 1)})
    (entry,) = submission.find_submissions(tmp_path)
    assert "limit 'archive entries'" in entry.problem


@pytest.mark.parametrize(
    "chapter", [float("inf"), float("-inf"), float("nan"), 1e300, 3.5, "³", "٣", True, 10**30, "9" * 50, [3]]
)
def test_a_chapter_that_is_not_a_number_is_for_review_never_a_crash(chapter):
    from dualwheel.grading import cli

    raw = corpus.render(lambda: corpus._chapter(corpus.filled(corpus.RIGHT), chapter))
    parsed = submission.parse_submission(raw, bank_for(3))
    assert parsed.problem is None and parsed.review and "not a chapter number" in parsed.review[0]
    assert submission.chapter_number(chapter) is None
    assert cli._chapter_of(raw) is None


def test_a_chapter_infinity_in_the_json_text_does_not_crash_the_chapter_vote(tmp_path):
    from dualwheel.grading import cli

    good = corpus.render(corpus.CASES["correct"])
    (tmp_path / "a.ipynb").write_bytes(good)
    (tmp_path / "b.ipynb").write_bytes(good)
    for name, literal in (("inf", b"Infinity"), ("big", b"1e999"), ("sup", b'"\\u00b3"')):
        nb = json.loads(good)
        nb["metadata"]["casebook"]["chapter"] = "@@"
        raw = json.dumps(nb).encode().replace(b'"@@"', literal)
        (tmp_path / f"{name}.ipynb").write_bytes(raw)
        assert cli._chapter_of(raw) is None
    assert cli._class_chapter(tmp_path)[0] == 3


def _class_folder(tmp_path, loose: dict[str, int], zipped: dict[str, list[int]]):
    import zipfile

    for name, chapter in loose.items():
        nb = corpus.render(lambda c=chapter: corpus._chapter(corpus.filled(corpus.RIGHT), c))
        (tmp_path / f"{name}.ipynb").write_bytes(nb)
    for name, chapters in zipped.items():
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as z:
            for i, c in enumerate(chapters):
                z.writestr(
                    f"nb{i}.ipynb", corpus.render(lambda c=c: corpus._chapter(corpus.filled(corpus.RIGHT), c))
                )
    return tmp_path


def test_one_zip_of_many_notebooks_is_one_vote_for_the_class_chapter(tmp_path):
    from dualwheel.grading import cli

    folder = _class_folder(tmp_path, {"a": 3, "b": 3}, {"mallory": [6, 6, 6, 6]})
    chapter, why = cli._class_chapter(folder)
    assert chapter == 3 and "2 of the 3" in why, why


@pytest.mark.parametrize(
    ("loose", "zipped"),
    [({"a": 3}, {"m": [6, 6, 6]}), ({"a": 3, "b": 6, "c": 5}, {}), ({"a": 3, "b": 3, "c": 6, "d": 6}, {})],
)
def test_no_clear_majority_of_submissions_asks_for_the_chapter(tmp_path, capsys, loose, zipped):
    from dualwheel.grading import cli

    folder = _class_folder(tmp_path, loose, zipped)
    assert cli._class_chapter(folder)[0] is None
    assert cli.main(["grade", str(folder), "--quiet"]) == 1
    assert "give --chapter" in capsys.readouterr().err


def test_the_chosen_chapter_is_printed_even_when_quiet(tmp_path, capsys, monkeypatch):
    from dualwheel.grading import cli

    (tmp_path / "sub").mkdir()
    folder = _class_folder(tmp_path / "sub", {"a": 3, "b": 3}, {"m": [6, 6]})

    def stop(*args, **kwargs):
        raise submission.GradingError("stopped by the test")

    monkeypatch.setattr(cli.batch, "grade_folder", stop)
    assert cli.main(["grade", str(folder), "--quiet", "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "chapter 3: named by 2 of the 3 submissions" in out, out


def test_a_lone_carriage_return_in_a_memo_cannot_add_a_row_to_the_manual_sheet(tmp_path):
    """A memo with ``\\r`` (no ``\\n``) is written escaped; merge accepts the untouched sheet."""
    import csv

    bank = bank_for(3)
    memo = "My memo.\rmallory,q6,9,9,forged,row\r\nnext line\rend"
    results = {
        name: {
            "student": name,
            "status": "graded",
            "message": "",
            "auto_total": 0.0,
            "questions": [
                {"question": q.var, "points": None if q.manual else 0.0, "max": q.points, "manual": q.manual,
                 "answer": memo}
                for q in bank.graded_questions
            ],
        }
        for name in ("alice", "mallory")
    }  # fmt: skip
    files.atomic_write(tmp_path / "gradebook.csv", gradebook.gradebook_csv(bank, results))
    sheet = tmp_path / "manual_scores.csv"
    gradebook.write_manual_template(sheet, bank, results)
    text = sheet.read_text(encoding="utf-8")
    assert "\r" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(open(sheet, encoding="utf-8", newline="")))
    manual = [q for q in bank.graded_questions if q.manual]
    assert len(rows) == 2 * len(manual) and {r["student"] for r in rows} == {"alice", "mallory"}
    assert rows[0]["answer"].startswith("My memo.\\x0dmallory")
    assert gradebook.merge_manual(tmp_path / "gradebook.csv", sheet, bank, tmp_path / "merged.csv") == 0
    assert files.visible("a\rb\r\nc") == "a\\x0db\r\nc"


def test_check_prints_each_feedback_line_on_one_line(tmp_path, capsys, monkeypatch):
    """An error message with CR, LF or TAB cannot print a fake status line in `casebook check`."""
    from dualwheel.grading import cli

    bank = bank_for(3)
    fake = "x\rStatus: graded" + " " * 40 + "\nq9 (Bonus): 6/6. Correct.\tok\x1b[2J"
    result = {
        "student": "s",
        "status": "graded_with_errors",
        "message": f"RuntimeError: {fake}",
        "auto_total": 0.0,
        "questions": [
            {"question": q.var, "points": None if q.manual else 0.0, "max": q.points, "manual": q.manual,
             "feedback": fake}
            for q in bank.graded_questions
        ],
    }  # fmt: skip
    monkeypatch.setattr(cli.grade, "grade_one", lambda *a, **k: result)
    nb = tmp_path / "s.ipynb"
    nb.write_bytes(corpus.render(corpus.CASES["correct"]))
    assert cli.main(["check", str(nb), "--chapter", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "\r" not in out and "\t" not in out and "\x1b" not in out
    assert len(lines) == len(bank.graded_questions) + 2, lines
    assert lines[0].startswith("Status: graded_with_errors (RuntimeError: x\\x0dStatus: graded")
    assert not any(line.startswith("q9") for line in lines)


def test_a_zip_holding_one_name_twice_grades_each_member_on_its_own_unique_row(tmp_path):
    import warnings
    import zipfile

    first = corpus.render(corpus.CASES["correct"])
    second = corpus.render(lambda: corpus._chapter(corpus.filled(corpus.RIGHT), 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(tmp_path / "m.zip", "w") as z:
            z.writestr("a.ipynb", first)
            z.writestr("a.ipynb", second)
            z.writestr("b.ipynb", first)
    (tmp_path / "m.zip:a.ipynb (2).ipynb").write_bytes(first)  # a literal name the numbering would make
    entries = submission.find_submissions(tmp_path)
    labels = [e.student for e in entries]
    assert len(labels) == len(set(labels)) == 4 and "m.zip:a.ipynb (3)" in labels, labels
    dupes = [e for e in entries if e.member == "a.ipynb"]
    assert len(dupes) == 2
    assert {submission.read_entry(tmp_path, e) for e in dupes} == {first, second}


def test_a_literal_name_never_takes_a_cut_name_s_result_file(tmp_path):
    long = "x" * 400
    cut = batch.result_path(tmp_path, long).name[: -len(".json")]
    literal = cut  # a student who names a file exactly as the long name was cut
    assert "~" in cut and batch.result_path(tmp_path, literal) != batch.result_path(tmp_path, long)
    assert batch.result_path(tmp_path, "a~b").name == "a%7Eb.json"
    assert unquote(batch.result_path(tmp_path, "a~b").stem) == "a~b"


def test_a_grader_error_never_shows_host_paths(tmp_path):
    bank = bank_for(3)
    exc = FileNotFoundError(2, "No such file or directory", "/home/grader/secret-course/out/results/x.json")
    row = batch._grader_error(bank, "s", "fp", exc, "its result file: ")
    assert "/home" not in row["message"] and "secret-course" not in row["message"]
    assert "…/x.json" in row["message"] and "No such file" in row["message"]
    assert (
        batch.neutral_paths("in /tmp/casebook-grade-1.2.3-x/public and ./rel/a") == "in …/public and ./rel/a"
    )


def test_a_flood_past_the_cap_is_flagged_and_no_longer_read():
    """The sandbox's reader stops at the output cap, so a flooding writer blocks on the full
    pipe (until the grader kills it) instead of running the cells after the flood."""
    import threading

    from dualwheel.grading import sandbox

    read_fd, write_fd = os.pipe()
    written = []

    def flood() -> None:
        try:
            for _ in range(64):  # 4 MB, far past the pipe's buffer and the cap
                written.append(os.write(write_fd, b"x" * 65536))
        except OSError:  # the read end closed under it
            pass

    kept, over = bytearray(), threading.Event()
    stream = os.fdopen(read_fd, "rb")
    writer = threading.Thread(target=flood, daemon=True)
    reader = threading.Thread(target=sandbox._drain, args=(stream, 100_000, kept, over), daemon=True)
    writer.start()
    reader.start()
    reader.join(timeout=5)
    try:
        assert not reader.is_alive(), "the reader did not stop at the cap"
        assert over.is_set() and len(kept) == 100_000
        writer.join(timeout=0.5)
        assert writer.is_alive(), "the writer finished its flood: the reader kept reading past the cap"
        assert sum(written) < 64 * 65536
    finally:
        os.close(write_fd)  # a reader still reading sees the end
        reader.join(timeout=5)
        stream.close()  # a writer still blocked gets a broken pipe
        writer.join(timeout=5)
