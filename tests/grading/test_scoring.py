"""The scoring rules and the bank format: pure functions, no sandbox (part of make unit)."""

from __future__ import annotations

import pytest

from casebook.grading import scoring
from casebook.grading.questions import BankError, load_bank


# ------------------------------------------------------------------ the rules and the bank format
@pytest.mark.parametrize(
    ("spec", "response", "fraction"),
    [
        ({"type": "numeric", "answer": 10.1, "tolerance": 0.1}, 10.05, 1.0),
        ({"type": "numeric", "answer": 10.1, "tolerance": 0.1}, "10.1%", 1.0),
        ({"type": "numeric", "answer": 10.1, "tolerance": 0.1}, 10.3, 0.0),
        ({"type": "numeric", "answer": 10.1, "tolerance": 0.1}, float("nan"), 0.0),
        ({"type": "choice", "options": {"a": "", "b": ""}, "answer": "b"}, " B ", 1.0),
        ({"type": "multi", "options": {"a": "", "b": "", "c": ""}, "answer": ["a", "c"]}, ["c", "a"], 1.0),
        ({"type": "multi", "options": {"a": "", "b": "", "c": ""}, "answer": ["a", "c"]}, ["a"], 0.0),
        ({"type": "order", "options": {"a": "", "b": "", "c": ""}, "answer": ["b", "c", "a"]}, "b c a", 1.0),
        (
            {"type": "order", "options": {"a": "", "b": "", "c": ""}, "answer": ["b", "c", "a"]},
            ["a", "b", "c"],
            0.0,
        ),
        (
            {
                "type": "match",
                "options": {"a": "", "b": ""},
                "items": {"1": "", "2": ""},
                "answer": {"1": "b", "2": "a"},
            },
            {1: "B", "2": "a"},
            1.0,
        ),
        ({"type": "rubric"}, "a fine essay", 0.0),
    ],
)
def test_scoring_rules(spec, response, fraction):
    assert scoring.score(spec, response)[0] == fraction


def test_rubric_is_never_scored_automatically():
    assert scoring.score({"type": "rubric"}, "x" * 500) == (0.0, "Needs manual grading against the rubric.")


def test_hostile_answer_objects_do_not_break_scoring():
    class Evil:
        def __eq__(self, other):
            raise RuntimeError("boom")

        @property
        def shape(self):
            raise RuntimeError("boom")

    fraction, feedback = scoring.score({"type": "numeric", "answer": 1, "tolerance": 0}, Evil())
    assert fraction == 0.0 and "Expected a number" in feedback


def test_broken_bank_names_file_and_question(tmp_path):
    path = tmp_path / "ch09.yml"
    path.write_text(
        "chapter: 9\ntitle: t\nquestions:\n  - id: ch09-q1-x\n    type: choice\n    points: 1\n"
        "    prompt: p\n    options: {a: x, b: y}\n    answer: c\n    feedback: {wrong: w}\n"
    )
    with pytest.raises(BankError, match=r"ch09.yml, question 1 \(ch09-q1-x\): answer 'c' is not one of"):
        load_bank(path)
