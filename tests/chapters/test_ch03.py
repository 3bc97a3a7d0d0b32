"""Chapter 3 (company overview): glued headline figures and claim verdicts recomputed from data/,
the what-if model's edge cases, and the question bank's rules (issue 14). No build needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualwheel import claims
from dualwheel import segments as seg
from dualwheel.chapters import ch03_overview as c3
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


def test_graded_answers_need_fy2023_figures_not_the_page():
    bank = bank_for(3)
    # q2: FY2023 gap between the denominators, (930,529 - 868,687) / 868,687 = 7.1% -> range b;
    # the FY2024 gap the page shows (8.0%) falls in another range
    gap_23 = 100 * (seg.value("segment_total", 2023) / seg.value("consolidated", 2023) - 1)
    gap_24 = 100 * (seg.value("segment_total", 2024) / seg.value("consolidated", 2024) - 1)
    assert 5 <= gap_23 < 7.5 and bank.get("ch03-q2-gap").answer == "b"
    assert 7.5 <= gap_24 < 10
    # q4: FY2023 margins: Taotian 189,140 / 413,205; AIDC -4,944 / 70,506; Cainiao -391 / 77,512
    q4 = bank.get("ch03-q4-margins")
    margins = {
        k: 100 * seg.ebita_margin(line, 2023)
        for k, line in (("1", "taotian_total"), ("2", "aidc_total"), ("3", "cainiao"))
    }
    targets = {"a": 46, "b": -7, "c": -0.5, "d": 4}
    for item, letter in q4.answer.items():
        nearest = min(targets, key=lambda x: abs(targets[x] - margins[item]))
        assert nearest == letter, (item, margins[item])
    assert 100 * seg.ebita_margin("cloud", 2023) == pytest.approx(4.0, abs=0.05)  # the spare option


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
    assert text.rindex("ch.figure(") < text.index("Back to the decision")  # after the last exhibit
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
