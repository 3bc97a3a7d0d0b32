"""The bank format of issue 24 §2 (rubric levels, look_for, memo, figures, interprets, lesson)
and the quality checks, on small fixture banks; and what students and instructors each see."""

from __future__ import annotations

import copy
import json

import pytest
from banks import CHOICE, INTERPRET, LEVELS2, MEMO, VARY, bank_dict, with_changes, write_bank

from dualwheel.grading import quality, release
from dualwheel.grading.questions import BankError, load_bank
from dualwheel.grading.text import prompt_markdown, solutions_markdown


def load(tmp_path, *questions):
    return load_bank(write_bank(tmp_path, bank_dict(*questions)))


def test_the_fixture_bank_loads_and_passes_every_check(tmp_path):
    bank = load(tmp_path)
    assert quality.problems(bank) == []
    memo = bank.get("ch03-q3-memo")
    assert memo.memo and memo.figures == 2 and memo.lesson == "mode"
    assert memo.criteria[0]["levels"][4].startswith("A clear recommendation")
    assert memo.criteria[0]["recommendation"] is True and memo.criteria[1]["recommendation"] is False
    assert bank.get("ch03-q4-share-meaning").interprets == "ch03-q1-aidc-share"


@pytest.mark.parametrize(
    "levels, says",
    [
        ({0: "none", 1: "one"}, "missing [2]"),  # a mark left out
        ({**LEVELS2, 3: "too high"}, "not allowed [3]"),
        ({0: "none", 1: "", 2: "two"}, "level(s) [1] have no text"),
        ("a string", "levels is a mapping"),
    ],
)
def test_levels_must_describe_every_whole_mark(tmp_path, levels, says):
    crit = [dict(MEMO["criteria"][0]), {"points": 2, "text": "Evidence", "levels": levels}]
    with pytest.raises(BankError, match="ch03-q3-memo") as err:
        load(tmp_path, with_changes(MEMO, criteria=crit))
    assert says in str(err.value) and "criterion 2" in str(err.value)


def test_half_points_cannot_take_levels(tmp_path):
    crit = [dict(MEMO["criteria"][0]), {"points": 1.5, "text": "Evidence", "levels": {0: "a", 1: "b"}}]
    with pytest.raises(BankError, match="whole points"):
        load(tmp_path, with_changes(MEMO, criteria=crit, points=5.5))


@pytest.mark.parametrize(
    "question, says",
    [
        (with_changes(CHOICE, lesson="strategy"), "lesson 'strategy' is not one of entry, mode"),
        (with_changes(CHOICE, memo=True), "memo: only a rubric question"),
        (with_changes(MEMO, memo="yes"), "memo is true or false"),
        (with_changes(MEMO, figures=-1), "figures is how many numbers"),
        (with_changes(INTERPRET, interprets="ch03-q2-entry"), "is not the id of a numeric question"),
    ],
)
def test_bad_fields_are_named_with_file_and_id(tmp_path, question, says):
    qs = [VARY, CHOICE, MEMO, INTERPRET]
    qs = [question if q["id"] == question["id"] else q for q in qs]
    with pytest.raises(BankError) as err:
        load(tmp_path, *qs)
    assert "ch03.yml" in str(err.value) and question["id"] in str(err.value) and says in str(err.value)


def test_students_see_criteria_and_levels_never_look_for_or_the_model_answer(tmp_path):
    bank = load(tmp_path)
    memo = bank.get("ch03-q3-memo")
    paths = release.write_release(bank, tmp_path / "out")
    student = paths["notebook"].read_text(encoding="utf-8") + (paths["student"] / "ch03_checks.py").read_text(
        encoding="utf-8"
    )
    for c in memo.criteria:
        assert c["text"] in student
        for text in c["levels"].values():
            assert json.dumps(text)[1:-1] in student
        assert c["look_for"] not in student
    assert memo.model_answer[:40] not in student
    # the instructor's key has all of it
    key = solutions_markdown(bank)
    for c in memo.criteria:
        assert c["look_for"] in key and c["levels"][0] in key
    assert memo.model_answer in key


def test_the_check_message_lists_the_levels(tmp_path):
    bank = load(tmp_path)
    folder = tmp_path / "out"
    release.write_support(bank, folder)
    import subprocess
    import sys

    code = "from ch03_checks import check\nq3 = ' '.join(['rent'] * 25)\ncheck('q3')"  # as in the notebook
    said = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    assert "25 words recorded" in said
    assert "(4 points) Recommendation and trade-offs" in said and "4: A clear recommendation" in said
    assert "Owning the warehouse" not in said


def test_numeric_prompt_asking_for_words_needs_an_interpreting_rubric(tmp_path):
    wordy = with_changes(VARY, prompt="What share did AIDC earn in FY{year}? Explain what it means.")
    bank = load(tmp_path, wordy, CHOICE, MEMO)  # no interprets item
    found = quality.interpretation(bank)
    assert (
        len(found) == 1
        and "ch03.yml, ch03-q1-aidc-share" in found[0]
        and "interprets: ch03-q1-aidc-share" in found[0]
    )
    assert quality.interpretation(load(tmp_path, wordy, CHOICE, MEMO, INTERPRET)) == []


def test_choice_checks_catch_a_long_key_few_distractors_and_longest_key(tmp_path):
    long_key = with_changes(
        CHOICE,
        options={**CHOICE["options"], "b": CHOICE["options"]["b"] + ", with its own staff and returns desk"},
    )
    bank = load(tmp_path, long_key)
    assert "the key (b) is" in quality.choice_key_length(bank)[0]
    assert "longest option in 1" in quality.longest_key([bank])[0]  # chance with 4 options: 0.25
    few = with_changes(CHOICE, options={k: v for k, v in CHOICE["options"].items() if k in "abc"})
    assert "2 distractor(s)" in quality.distractors(load(tmp_path, few))[0]
    same = [with_changes(CHOICE, id=f"ch03-q{n}-entry") for n in (5, 6, 7)]
    assert "vary which letter" in quality.key_letters(load(tmp_path, *same))[0]


def test_memo_share_words_figures_levels_and_lessons(tmp_path):
    weak = copy.deepcopy(MEMO)
    weak["criteria"][0]["recommendation"] = False
    weak["model_answer"] = "Rent first, since owning ties up cash."
    bank = load(tmp_path, weak)
    assert "0 of 6 points on `recommendation: true`" in quality.memos(bank)[0]
    said = " ".join(quality.model_answers(bank))
    assert "7 words, outside the 20-80" in said and "quotes 0 figure(s)" in said
    unmemo = with_changes(MEMO, memo=False)
    assert "mark it `memo: true`" in quality.memos(load(tmp_path, unmemo))[0]
    bare = copy.deepcopy(MEMO)
    del bare["criteria"][1]["levels"]
    assert "without quality levels (Evidence)" in quality.levels(load(tmp_path, bare))[0]
    untagged = with_changes(CHOICE, lesson=None)
    assert "ch03-q2-entry: no lesson" in quality.lessons(load(tmp_path, untagged))[0]
    numbers = load(tmp_path, VARY, with_changes(INTERPRET, points=2))
    assert "0% of graded points" in quality.strategic_share(numbers)[0]


def test_figures_quoted_leaves_out_years():
    text = "In FY2024 AIDC earned RMB102,598 million, 10.9% of revenue, up 45% on 2023."
    assert quality.figures_quoted(text) == ["RMB102,598 million", "10.9%", "45%"]


def test_prompt_shows_levels_indented_under_their_criterion(tmp_path):
    md = prompt_markdown(load(tmp_path).get("ch03-q3-memo"), 3)
    assert "- (4 points) Recommendation and trade-offs\n    - 0: No recommendation" in md


def test_a_stem_word_repeated_only_in_the_key_is_caught(tmp_path):
    giveaway = with_changes(
        CHOICE,
        prompt="Which entry mode keeps control of the customer relationship with the seller?",
        options={**CHOICE["options"], "b": "A wholly owned storefront that keeps the customer relationship"},
    )
    found = quality.keyword_match(load(tmp_path, giveaway))
    assert (
        len(found) == 1 and "ch03-q2-entry" in found[0] and "custo..." in found[0] and "relat..." in found[0]
    )
    assert quality.keyword_match(load(tmp_path, CHOICE)) == []


MATCH = {
    "id": "ch03-q5-roles",
    "type": "match",
    "lesson": "platform",
    "points": 2,
    "prompt": "Match each unit to what it sells.",
    "items": {"1": "Alibaba Cloud", "2": "Cainiao", "3": "Lazada"},
    "options": {"a": "Computing capacity", "b": "Fulfilment", "c": "A marketplace", "d": "Payments"},
    "answer": {"1": "a", "2": "b", "3": "c"},
    "feedback": {"wrong": "Ask what each unit charges for."},
}


def test_a_match_item_keyed_in_the_options_order_is_caught(tmp_path):
    found = quality.match_order(load(tmp_path, MATCH))
    assert len(found) == 1 and "ch03-q5-roles" in found[0] and "1→a, 2→b, 3→c" in found[0]
    mixed = with_changes(MATCH, answer={"1": "c", "2": "a", "3": "b"})
    assert quality.match_order(load(tmp_path, mixed)) == []
    ordered_but_skips = with_changes(MATCH, answer={"1": "a", "2": "b", "3": "d"})  # not the diagonal
    assert quality.match_order(load(tmp_path, ordered_but_skips)) == []


def test_variants_whose_keys_accept_each_other_are_caught(tmp_path):
    # FY2023 and FY2024 AIDC shares differ by well over 0.1 points, so they pass at 0.1
    assert quality.variant_spread(load(tmp_path, VARY)) == []
    loose = copy.deepcopy(VARY)
    loose["answer"]["tolerance"] = 50  # every share is within 50 points of every other
    found = quality.variant_spread(load(tmp_path, loose))
    assert len(found) == 1 and "3 pair(s)" in found[0] and "{'year': 2022} and {'year': 2023}" in found[0]
