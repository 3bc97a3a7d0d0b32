"""Chapter 3 (company overview): glued headline figures and claim verdicts recomputed from data/,
the what-if model's edge cases, and the question bank's rules (issue 14). No build needed."""

from __future__ import annotations

from pathlib import Path

import chapter_conventions as conventions
import pytest

from dualwheel import claims
from dualwheel import segments as seg
from dualwheel.chapters import ch03_overview as c3
from dualwheel.grading import keys
from dualwheel.grading.questions import bank_for

PAGE = Path(__file__).resolve().parents[2] / "book" / "ch03-company-overview.md"


def test_six_groups_plus_all_others():
    groups = c3.business_groups()
    assert len(groups) == 7 and "all_others" in set(groups["group_id"])
    assert int((groups["group_id"] != "all_others").sum()) == 6
    text = PAGE.read_text(encoding="utf-8")
    assert "seven business groups" not in text.lower() and "seven groups" not in text.lower()


@pytest.mark.parametrize(
    ("claim_id", "expected"),
    [
        ("taotian_share_fy2024", 42.80),  # Taotian / total segment revenue FY2024 (paper: 43%)
        ("aidc_share_segments_fy2024", 10.10),  # 102,598 / 1,016,163
        ("aidc_growth_fy2024", 45.52),  # 102,598 / 70,506 - 1
    ],
)
def test_section_three_figures_recompute(claim_id, expected):
    assert claims.recompute(claim_id) == pytest.approx(expected, abs=0.01)


def test_profit_figures_in_exhibit_3_5():
    # FY2024 20-F, R111 (DATA_SOURCES_3.md section 1a)
    assert seg.ebita("taotian_total", 2024) == 194_827
    assert seg.ebita("segment_total", 2024) == 173_804
    assert seg.ebita("taotian_total", 2024) > seg.ebita("segment_total", 2024)  # the rest lose money
    assert [seg.ebita("aidc_total", y) for y in (2022, 2023, 2024)] == [-8_614, -4_944, -8_035]


def test_graded_answers_need_computation_not_the_page():
    bank = bank_for(3)
    # q2: FY2024 gap between the denominators as a share of consolidated revenue (7.97%) -> b;
    # each distractor is one slip: the segment-total base (a), the wrong year (d: FY2022 and
    # FY2023 both land there), or the elimination line alone without the unallocated line (a)
    q2 = bank.get("ch03-q2-gap")
    ranges = {k: tuple(float(x.rstrip("%")) for x in v.split(" to ")) for k, v in q2.options.items()}

    def where(x):
        return [k for k, (lo, hi) in ranges.items() if lo <= round(x, 1) <= hi]

    st, con = (lambda y: seg.value("segment_total", y)), (lambda y: seg.value("consolidated", y))
    assert where(100 * (st(2024) / con(2024) - 1)) == [q2.answer] == ["b"]
    assert where(100 * (st(2024) - con(2024)) / st(2024)) == ["c"]  # wrong base
    assert where(100 * (st(2023) / con(2023) - 1)) == where(100 * (st(2022) / con(2022) - 1)) == ["d"]
    assert where(-100 * seg.value("elimination", 2024) / con(2024)) == ["a"]  # elimination alone
    # q4: change in adjusted EBITA margin FY2022 -> FY2024, in points
    q4 = bank.get("ch03-q4-margins")
    change = {
        k: 100 * (seg.ebita_margin(line, 2024) - seg.ebita_margin(line, 2022))
        for k, line in (("1", "aidc_total"), ("2", "cloud"), ("3", "cainiao"))
    }
    targets = {k: float(v.split()[1]) for k, v in q4.options.items()}  # "About +3.5 points" -> 3.5
    assert targets == {"a": 0, "b": 3.5, "c": 6, "d": 2}
    for item, letter in q4.answer.items():
        nearest = min(targets, key=lambda x: abs(targets[x] - change[item]))
        assert nearest == letter, (item, change[item])
    spare = 100 * (seg.ebita_margin("taotian_total", 2024) - seg.ebita_margin("taotian_total", 2022))
    assert spare == pytest.approx(0, abs=0.5)  # the spare option


def test_bank_meets_the_brief():
    bank = bank_for(3)
    graded = bank.graded_questions
    assert len(graded) >= 5 and len(bank.uses("self_check")) >= 3
    assert {q.type for q in graded} >= {"numeric", "choice", "rubric"}
    assert not [q for q in bank.questions if q.graded and q.self_check]
    memo = bank.get("ch03-q6-memo")
    assert "adjusted EBITA" in memo.prompt and "EBITA" in memo.model_answer


def test_share_path_and_crossing():
    s = c3.aidc_share_path(0, 0, 20)
    assert s.path["aidc_share_pct"].round(6).nunique() == 1  # no growth, no change
    assert s.crossing_year is None
    assert c3.crossing_label(20, 5, 20).startswith("FY")
    with pytest.raises(ValueError, match="horizon"):
        c3.aidc_share_path(10, 5, 20, horizon=0)


def test_whatif_against_the_later_actual_share():
    # the epilogue's check: AIDC FY2025 revenue 132,300 (FY2026 20-F, recast) of group revenue
    # 996,347 (results, medium confidence) is 13.3%; the what-if's one-year step from FY2024
    # with AIDC +30% and the rest +2.5% gives about the same
    path = c3.aidc_share_path(30, 2.5, 20).path.set_index("fiscal_year")
    assert path.loc[2025, "aidc_share_pct"] == pytest.approx(100 * 132_300 / 996_347, abs=0.5)


# --------------------------------------------------------------------------- the decision case (issue 22)
def _student_text() -> str:
    return PAGE.read_text(encoding="utf-8").split("(ch03-instructors)=")[0]


def test_student_text_is_about_the_company_not_the_paper():
    """At most 10 mentions of "the paper" before the instructors' section; its claims are checked
    in one exhibit only (ch.claims)."""
    text = _student_text()
    assert text.lower().count("the paper") <= 10
    assert text.count("ch.claims(") == 1


def test_back_to_the_decision_box_closes_the_body_and_poses_questions():
    text = _student_text()
    box = text.split("```{admonition} Back to the decision")[1].split("```")[0]
    assert ":class: decision" in box
    assert text.index("## Key takeaways") < text.index("Back to the decision")  # the page ends on the box
    assert text.rindex("ch.table(") < text.index("Back to the decision")  # after the last exhibit
    assert box.count("?") >= 2 and "therefore" not in box.lower()
    for option in ("Choice shipped from China", "near the buyer", "local marketplaces"):
        assert option in box


def test_student_text_stops_at_fy2024():
    """Nothing after the decision date (30 June 2024): no later fiscal year or calendar year."""
    text = _student_text()
    for later in ("FY2025", "FY2026", "2025", "2026"):
        assert later not in text
    # the exhibits read FY2022-FY2024 of the shared segment tables, and the what-if starts there
    assert seg.ebita_wide().loc[:, [2022, 2023, 2024]].notna().all().all()
    assert c3.aidc_share_path(c3.BASE_AIDC_GROWTH, c3.BASE_REST_GROWTH, 20).path["fiscal_year"].min() == 2024


# ---------------------------------------------------------------- session-3 conventions (issues 23, 24)


# the session-3 conventions (issues 23, 24): one shared check per rule, on this chapter
def test_every_exhibit_names_a_lesson_and_most_are_strategic():
    conventions.every_exhibit_names_a_lesson_and_most_are_strategic(3)


def test_graded_points_are_mostly_strategic_and_every_question_has_a_lesson():
    conventions.graded_points_are_mostly_strategic_and_every_question_has_a_lesson(3)


def test_key_phrases_of_the_suggested_answers_stay_off_the_student_page():
    conventions.key_phrases_of_the_suggested_answers_stay_off_the_student_page(3)


def test_choice_keys_are_not_the_longest_option_by_far():
    conventions.choice_keys_are_not_the_longest_option_by_far(3)


def test_rubrics_are_levelled_and_memos_weight_the_recommendation():
    conventions.rubrics_are_levelled_and_memos_weight_the_recommendation(3)


def test_numeric_graded_items_vary_per_student():
    conventions.numeric_graded_items_vary_per_student(3)


def test_aidc_growth_came_from_retail():
    """Exhibit 3.2: AIDC's two businesses, from the segment table. The page shows the levels only
    (issue 24: the growth columns answered before-class question 2); the growth is for the note."""
    assert not any(c.startswith("Growth") for c in c3.aidc_mix().columns)
    mix = c3.aidc_mix(growth=True).set_index("Business")
    retail, wholesale = mix.iloc[0], mix.iloc[1]
    assert retail["FY2024"] == 81_654 and wholesale["FY2024"] == 20_944
    assert retail["Growth FY2024 (%)"] == pytest.approx(100 * (81_654 / 50_933 - 1), abs=0.05)
    assert wholesale["Growth FY2024 (%)"] == pytest.approx(100 * (20_944 / 19_573 - 1), abs=0.05)
    assert retail["FY2024"] + wholesale["FY2024"] == seg.value("aidc_total", 2024)


def test_growth_beside_profit_and_the_ratio_behind_q3():
    """Exhibit 3.4 and ch03-q3: adjusted EBITA per extra yuan of revenue."""
    t = c3.growth_and_profit("aidc_total")
    assert list(t["Adjusted EBITA"]) == [-8_614, -4_944, -8_035]
    assert keys.ebita_change_per_revenue("aidc_total", 2024) == pytest.approx(
        (-8_035 + 4_944) / (102_598 - 70_506)
    )
    q3 = bank_for(3).get("ch03-q3-growth")
    assert q3.answer == pytest.approx(keys.ebita_change_per_revenue("cainiao", 2024))
    assert all(v["unit"] != "AIDC" for v, _ in q3.variants)  # AIDC's ratio is one step from Exhibit 3.4
    assert len({round(k, 2) for _, k in q3.variants}) == len(q3.variants)


def test_the_share_projection_what_if_is_gone():
    """Chapter 6 keeps the one compound-growth projection (issue 23, §5)."""
    student, _ = conventions._split_page(3)
    assert "WhatIf(" not in student and "aidc_share_path" not in student
