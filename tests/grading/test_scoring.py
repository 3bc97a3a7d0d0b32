"""The scoring rules and the bank format: pure functions, no sandbox (part of make unit)."""

from __future__ import annotations

import pytest

from dualwheel.grading import scoring
from dualwheel.grading.questions import BankError, load_bank


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


# ------------------------------------------------------------------ feedback students read
MATCH = {"type": "match", "options": {"a": "", "b": "", "c": ""}, "items": {"1": "", "2": "", "3": ""}}


@pytest.mark.parametrize(
    ("spec", "blank"),
    [
        (MATCH, {"1": "", "2": "", "3": ""}),  # the matching answer as handed out
        (MATCH, {"1": " ", "2": None, "3": ""}),
        ({"type": "multi", "options": {"a": "", "b": ""}}, []),
        ({"type": "order", "options": {"a": "", "b": ""}}, ["", ""]),
        ({"type": "choice", "options": {"a": "", "b": ""}}, ""),
        ({"type": "numeric"}, None),
    ],
)
def test_a_blank_answer_says_no_answer_yet(spec, blank):
    assert scoring.validate(spec, blank) == "No answer yet."
    assert scoring.score({**spec, "answer": None}, blank) == (0.0, "No answer yet.")


def test_a_partly_blank_match_names_the_items_still_to_do():
    problem = scoring.validate(MATCH, {"1": "a", "2": "", "3": ""})
    assert problem == "No letter yet for 2, 3; use the letters a, b, c."
    assert "Unknown option" not in problem
    assert "Unknown option(s) ['z']" in scoring.validate(MATCH, {"1": "a", "2": "z", "3": "b"})


PERCENT = {
    "type": "numeric",
    "unit": "%",
    "answer": 13.4,
    "tolerance": 0.1,
    "feedback": {"wrong": "Use consolidated revenue as the denominator."},
}


@pytest.mark.parametrize("fraction", [0.134, "0.134", 0.1345])
def test_a_fraction_for_a_percent_gets_a_hint_about_percent(fraction):
    points, feedback = scoring.score(PERCENT, fraction)
    assert points == 0.0
    assert feedback.startswith("Use consolidated revenue as the denominator.")
    assert "percent" in feedback and "13.4" in feedback


@pytest.mark.parametrize("wrong", [0.5, 10.1, 0.0])
def test_other_wrong_percent_answers_get_only_the_banks_hint(wrong):
    assert scoring.score(PERCENT, wrong) == (0.0, "Use consolidated revenue as the denominator.")
    assert scoring.score({**PERCENT, "unit": "RMB bn"}, 0.134)[1] == PERCENT["feedback"]["wrong"]
    assert scoring.score(PERCENT, 13.4) == (1.0, "Correct.")


def test_the_memo_check_reminds_of_the_length_asked_for():
    memo = {"type": "rubric", "words": [150, 250]}
    assert scoring.validate(memo, "\n\n") == (
        "Write your answer as text between the triple quotes (150 to 250 words)."
    )
    assert scoring.validate(memo, "word " * 40) == "40 words; the question asks for 150 to 250 words."
    assert scoring.validate(memo, "word " * 300) == "300 words; the question asks for 150 to 250 words."
    assert scoring.validate(memo, "word " * 200) is None
    assert scoring.validate({"type": "rubric"}, "short") is None  # no length asked: any length
    assert scoring.score(memo, "word " * 40) == (0.0, "Needs manual grading against the rubric.")


def test_every_memo_in_the_banks_states_its_length():
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parents[2].glob("exercises/ch*.yml")):
        for q in load_bank(path).questions:
            if q.type == "rubric":
                low, high = q.words
                assert f"{low} to {high} words" in q.prompt or f"{low}-{high} words" in q.prompt, q.id
                assert q.public_spec()["words"] == [low, high]
            else:
                assert "words" not in q.public_spec()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    words: [250, 150]\n", "two whole numbers"),
        ("    words: 200\n", "two whole numbers"),
        ("    words: [1.5, 3]\n", "two whole numbers"),
    ],
)
def test_a_bad_words_field_is_reported(tmp_path, extra, message):
    path = tmp_path / "ch09.yml"
    path.write_text(
        "chapter: 9\ntitle: t\nquestions:\n  - id: ch09-q1-memo\n    type: rubric\n    points: 1\n"
        "    prompt: p\n    criteria: [{points: 1, text: c}]\n    model_answer: m\n" + extra
    )
    with pytest.raises(BankError, match=message):
        load_bank(path)


def test_words_belongs_to_rubric_questions_only(tmp_path):
    path = tmp_path / "ch09.yml"
    path.write_text(
        "chapter: 9\ntitle: t\nquestions:\n  - id: ch09-q1-x\n    type: choice\n    points: 1\n"
        "    prompt: p\n    options: {a: x, b: y}\n    answer: a\n    feedback: {wrong: w}\n    words: [1, 2]\n"
    )
    with pytest.raises(BankError, match="only a rubric question takes words"):
        load_bank(path)
