"""The "Reading the numbers" page (book/reading-numbers.md, dualwheel/chapters/reading_numbers.py):
the five measurement habits taught once, with Cainiao's 34.8% as the worked case. No build needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dualwheel import claims
from dualwheel import segments as seg
from dualwheel.chapters import reading_numbers as rn

PAGE = Path(__file__).resolve().parents[2] / "book" / "reading-numbers.md"
LABELS = ("reading-numbers", "rn-denominators", "rn-bases", "rn-fiscal", "rn-vintages", "rn-growth", "rn-cainiao")


def _text() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_the_page_keeps_every_label_other_pages_link_to():
    text = _text()
    for label in LABELS:
        assert f"({label})=" in text, label
    # in the order the stub set out, each label right above its section heading
    assert [text.index(f"({x})=") for x in LABELS] == sorted(text.index(f"({x})=") for x in LABELS)
    for label in LABELS:
        after = text[text.index(f"({label})=") :].splitlines()[1]
        assert after.startswith("#"), label


def test_exhibits_are_lettered_r_and_all_teach_measurement():
    text = _text()
    calls = re.findall(r"^ex\.(table|figure|whatif|claims)\(", text, flags=re.M)
    assert len(calls) >= 8
    assert 'Exhibits(chapter=rn.LETTER)' in text and rn.LETTER == "R"
    lessons = re.findall(r'lesson="(\w+)"', text)
    # ex.claims defaults to measurement; every other call names it
    assert len(lessons) == len(calls) - calls.count("claims") and set(lessons) == {"measurement"}
    # the exhibit numbers the prose quotes exist
    quoted = {int(n) for n in re.findall(r"Exhibit R\.(\d+)", text)}
    assert quoted <= set(range(1, len(calls) + 1))


def test_the_page_has_a_do_it_yourself_cell_and_a_teaching_what_if():
    text = _text()
    assert "### Do it yourself" in text
    diy = text[text.index("### Do it yourself") :]
    assert "```{code-cell} ipython3\nimport pandas as pd" in diy  # shown, not hidden
    w = rn.cagr_explorer()
    outcomes = w.outcomes()
    assert len(outcomes) >= 2
    assert set(outcomes) == {
        "a like-for-like growth rate",
        "not comparable: mixed bases or miscounted periods",
        "no rate: the basis has no figure for that year",
    }
    # the explorer opens on the published (inconsistent) choice
    assert w.conclusion(w.compute(**w.defaults), w.defaults) == "not comparable: mixed bases or miscounted periods"


def test_denominators_give_two_shares_for_one_year():
    d = rn.denominators(2024).set_index("denominator")["share_pct"]
    assert d.iloc[0] == pytest.approx(100 * 102_598 / 941_168)
    assert d.iloc[1] == pytest.approx(100 * 102_598 / seg.value("segment_total", 2024))
    assert d.iloc[0] > d.iloc[1]  # the net total is smaller, so the share on it is larger


def test_the_cainiao_seam_is_large_and_the_international_one_small():
    assert rn.seam("cainiao", "cainiao", 2022) > 40
    assert abs(rn.seam("aidc_total", "intl_total", 2022)) < 5


def test_growth_over_the_right_number_of_periods():
    g = rn.growth_periods(100.0, 121.0, 2)
    assert g["right"] == pytest.approx(10.0)
    assert g["one_too_many"] < g["right"]


def test_the_worked_case_reproduces_the_published_rate_only_with_mixed_bases():
    paper = claims.claim("cainiao_cagr")["paper_value"]
    assert rn.is_paper_cagr(rn.cainiao_cagr(2020, 2024, "mixed", "paper"))
    assert not rn.is_paper_cagr(rn.cainiao_cagr(2020, 2024, "mixed", "span"))
    v = rn.cainiao_cagr_variants()
    assert v.iloc[0]["cagr_pct"] == pytest.approx(paper, abs=0.05)
    assert not v[v["consistent_basis"]]["cagr_pct"].sub(paper).abs().lt(1).any()


def test_vintages_shown_were_public_by_the_decision_date():
    from dualwheel import data

    t = data.load("cbec_customs")
    rows = t[(t["period"] == "2022") & (t["series"] == "full") & t["vintage"].isin(["first", "revised"])]
    assert len(rows) == 2 and (rows["released"] <= "2024-06").all()
    assert "2024-07" not in _text() and "2025" not in _text()


def test_data_pages_point_here_instead_of_teaching_fiscal_years_again():
    book = PAGE.parent
    for name in ("working-with-data.md", "data-sources.md"):
        text = (book / name).read_text(encoding="utf-8")
        assert "{ref}`rn-fiscal`" in text, name
        assert "April 2023 to March 2024" not in text, name
