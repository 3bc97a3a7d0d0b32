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
