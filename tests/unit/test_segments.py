"""Calculations behind the chapters, and the Chapter 3 claims recomputed from data/."""

from __future__ import annotations

import pytest

from dualwheel import claims, finance
from dualwheel import segments as seg
from dualwheel.chapters import ch03_overview as c3
from dualwheel.chapters import ch06_results as c6
from dualwheel.chapters.ch03_overview import aidc_share_path, crossing_label, slowest_growth_reaching


def test_segment_shares_on_both_denominators():
    s = seg.segment_shares(2024)
    assert len(s) == 7
    assert s["share_of_segment_total"].sum() == pytest.approx(1.0)
    # consolidated revenue excludes inter-segment sales, so shares add up to more than 100%
    assert s["share_of_consolidated"].sum() > 1.05
    assert (s["share_of_consolidated"] > s["share_of_segment_total"]).all()
    with pytest.raises(ValueError, match="denominator"):
        seg.share("cloud", 2024, "gross")


def test_growth_and_cagr():
    assert finance.cagr(100, 121, 2) == pytest.approx(0.1)
    assert finance.growth(100, 146) == pytest.approx(0.46)
    for bad in ((0, 1, 1), (1, 2, 0), (-1, 2, 1)):
        with pytest.raises(ValueError):
            finance.cagr(*bad)


def test_paper_series_switches_basis_in_fy2022():
    for kind in ("intl", "cainiao"):
        s = seg.paper_series(kind)
        assert list(s["fiscal_year"]) == list(range(2019, 2025))
        assert seg.basis_switch_year(kind) == 2022
        assert set(s.loc[s.fiscal_year < 2022, "paper_basis"]) == {"old"}
    intl = seg.paper_series("intl").set_index("fiscal_year")
    assert finance.to_yi(intl.loc[2021, "paper_value_rmb_m"]) == pytest.approx(488.51)
    assert finance.to_yi(intl.loc[2024, "paper_value_rmb_m"]) == pytest.approx(1025.98)
    assert finance.to_yi(intl.loc[2022, "old_basis_rmb_m"]) == pytest.approx(610.78)


def test_business_system_has_seven_groups_with_their_brands():
    groups = c3.business_groups()
    assert len(groups) == 7
    aidc = groups.set_index("group_id").loc["aidc", "Brands"]
    assert "AliExpress 速卖通" in aidc and "Wholesale: Alibaba.com 阿里巴巴国际站" in aidc


@pytest.mark.parametrize(
    ("claim_id", "expected", "tolerance"),
    [
        ("taotian_share_fy2024", 42.8, 0.05),
        ("cloud_share_fy2024", 10.5, 0.05),
        ("aidc_share_segments_fy2024", 10.1, 0.05),
        ("cainiao_share_fy2024", 9.7, 0.05),
        ("aidc_growth_fy2024", 45.5, 0.05),
        ("aidc_revenue_fy2024", 1025.98, 0.005),
        ("cainiao_revenue_fy2024", 990.2, 0.005),
        ("cbec_share_2024", 6.0, 0.05),
    ],
)
def test_section_three_claims_recompute_to_the_checked_values(claim_id, expected, tolerance):
    assert claims.recompute(claim_id) == pytest.approx(expected, abs=tolerance)


def test_claim_verdicts_agree_with_the_recomputation():
    for claim_id in claims.CHECKS:
        c = claims.claim(claim_id)
        again = claims.recompute(claim_id)
        if c["paper_value"] is None or c["paper_value"] != c["paper_value"]:  # empty (NaN)
            continue
        if c["verdict"] == "holds" and c["unit"] == "percent":
            assert abs(again - c["paper_value"]) < 0.55, claim_id  # rounding only
        if c["verdict"] == "does_not_hold":
            # the paper's number can only be reproduced by the inconsistent calculation
            variants = c6.cainiao_cagr_variants()
            consistent = variants[variants.consistent_basis]["cagr_pct"]
            assert all(abs(x - c["paper_value"]) > 2 for x in consistent)


def test_outdated_and_unsourced_claims_are_flagged():
    assert claims.claim("cloud_regions")["verdict"] == "outdated"
    assert claims.claim("cloud_regions")["checked_value"] > claims.claim("cloud_regions")["paper_value"]
    assert claims.claim("cainiao_warehouse_area")["verdict"] == "unsourced"
    table = claims.claims_table(["cloud_regions", "cainiao_warehouse_area"])
    assert list(table["Verdict"]) == ["Outdated", "Unsourced"]


def test_share_scenario_model():
    s = aidc_share_path(20, 5, 20)
    assert s.path["aidc_share_pct"].iloc[0] == pytest.approx(10.9, abs=0.01)
    assert s.crossing_year == 2030
    assert crossing_label(10, 5, 20) == "not by FY2034"
    assert aidc_share_path(5, 5, 15).crossing_year is None  # equal growth: the share never moves
    assert slowest_growth_reaching(20, 2030, 5, [0, 5, 10, 15, 20, 25]) == 20
    with pytest.raises(ValueError):
        aidc_share_path(10, 5, 20, horizon=0)
