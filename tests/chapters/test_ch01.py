"""Chapter 1 (introduction): the headline figures and the paper's section-1 claims recomputed
from data/, and the landed-cost model behind the chapter's what-if. No build needed."""

from __future__ import annotations

import itertools
import math

import pytest
from browser import open_whatif

from dualwheel import claims, data
from dualwheel.chapters import ch01_introduction as c1

SECTION_1_CLAIMS = {
    "cbec_share_2024",
    "cbec_value_2024_vintage",
    "cbec_growth_2024",
    "cbec_share_2021",
    "rivals_single_lever",
}


def test_the_chapter_tables_validate():
    names = data.validate_all()
    for t in (
        "cbec_customs",
        "goods_trade",
        "market_sizes",
        "rival_revenue",
        "platform_models",
        "low_value_parcels",
        "rules",
    ):
        assert t in names


def test_the_section_one_claims_are_the_ones_recorded():
    t = data.load("paper_claims")
    assert set(t.loc[t["section"] == "1", "claim_id"]) == SECTION_1_CLAIMS


# ----------------------------------------------------------------------------- customs series


def test_share_of_trade_2024_is_six_percent_on_the_preliminary_figure():
    assert c1.share_of_trade(2024) == pytest.approx(100 * 2.63 / 43.85)
    assert round(c1.share_of_trade(2024), 1) == claims.claim("cbec_share_2024")["paper_value"] == 6.0


def test_the_later_2024_figure_lifts_the_share():
    later = 100 * c1.cbec_value(2024, "later") / c1.goods_trade(2024)
    assert later == pytest.approx(6.16, abs=0.01)
    assert later > c1.share_of_trade(2024)


def test_share_2021_on_the_first_published_figure_is_not_the_papers():
    c = claims.claim("cbec_share_2021")
    again = c1.claim_checks()["cbec_share_2021"]
    assert again == pytest.approx(100 * 1.98 / 39.1)
    assert round(again, 1) == c["checked_value"] == 5.1
    assert round(again, 1) != c["paper_value"]
    assert c["verdict"] == "holds_with_caveat"
    # the paper's 4.9% is customs' reported share for 2022
    assert c1.annual_series().set_index("year").loc[2022, "share_reported_pct"] == c["paper_value"]


def test_the_2024_growth_rate_does_not_fit_the_published_levels():
    c = claims.claim("cbec_growth_2024")
    from_levels = c1.claim_checks()["cbec_growth_2024"]
    assert from_levels == pytest.approx(10.50, abs=0.01)
    assert round(from_levels, 1) == c["checked_value"]
    assert c1.published_growth(2024) == c["paper_value"] == 10.8
    implied_2023 = c1.implied_previous(c1.cbec_value(2024), c1.published_growth(2024))
    assert implied_2023 == pytest.approx(2.37, abs=0.005)
    assert implied_2023 < c1.cbec_value(2023)


def test_the_2024_value_claim_points_at_the_later_figure():
    c = claims.claim("cbec_value_2024_vintage")
    assert c["paper_value"] == c1.cbec_value(2024) == 2.63
    assert c1.claim_checks()["cbec_value_2024_vintage"] == c["checked_value"] == 2.7


def test_the_rivals_claim_is_an_argument_with_no_number():
    c = claims.claim("rivals_single_lever")
    assert c["verdict"] == "unsourced"
    assert c["paper_value"] is None or math.isnan(c["paper_value"])


def test_growth_check_allows_for_rounding_and_only_2021_fails():
    g = c1.growth_check().set_index("year")
    assert list(g.index) == [2021, 2022, 2023, 2024]  # 2020 has no published 2019 on this series
    assert g["fits_within_rounding"].to_dict() == {2021: False, 2022: True, 2023: True, 2024: True}
    # 2.63 / 2.38, each +/- 0.005: 10.06% to 10.95%, so the published 10.8% fits
    assert g.loc[2024, "growth_min_pct"] == pytest.approx(100 * (2.625 / 2.385 - 1))
    assert g.loc[2024, "growth_max_pct"] == pytest.approx(100 * (2.635 / 2.375 - 1))
    # 2023: 2.38 at +15.6% implies about 2.06, inside the 2.05-2.15 that "2.1" stands for
    assert g.loc[2023, "prior_implied"] == pytest.approx(2.06, abs=0.005)
    # 2021: 1.98 at +15% implies 1.717 to 1.727 against 1.69 published: a revised base
    assert g.loc[2021, "prior_implied_min"] > 1.69 + 0.005
    assert g.loc[2021, "growth_min_pct"] > 15.05


def test_half_unit_reads_the_published_decimals():
    assert c1.half_unit(2.1) == pytest.approx(0.05)
    assert c1.half_unit(2.38) == pytest.approx(0.005)
    assert c1.half_unit(3) == pytest.approx(0.5)


def test_cbec_share_2024_is_computed_from_the_chapter_series():
    c = claims.claim("cbec_share_2024")
    assert c["verdict"] == "holds_with_caveat"
    assert claims.recompute("cbec_share_2024") == pytest.approx(c1.share_of_trade(2024))
    assert claims.claim("cbec_growth_2024")["verdict"] == "holds"


def test_the_unsourced_2_71_figure_is_gone():
    t = data.load("macro_cross_border")
    assert "cbec_trade_value_revised" not in set(t["indicator"])
    assert 2.71 not in set(t["value"])


def test_the_old_series_is_kept_out_of_shares():
    s = c1.annual_series().set_index("year")
    assert s.loc[2017, "series"] == "old_platform"
    assert math.isnan(s.loc[2017, "share_pct"])
    with pytest.raises(ValueError, match="old narrow series"):
        c1.share_of_trade(2017)


def test_2018_share_and_the_growth_multiple():
    assert c1.share_of_trade(2018, "later") == pytest.approx(3.53, abs=0.01)
    assert c1.cbec_value(2024) / c1.cbec_value(2018, "later") == pytest.approx(2.48, abs=0.01)


def test_half_year_vintages():
    assert c1.cbec_value("2024H1", "first") == 1.22
    assert c1.cbec_value("2024H1", "revised") == 1.25
    v = c1.vintages()
    assert set(v["period"]) == {"2024H1", "2024"}


def test_unknown_periods_and_bad_growth_inputs_say_what_is_wrong():
    with pytest.raises(KeyError, match="no customs figure for period 2019"):
        c1.cbec_value(2019)
    with pytest.raises(KeyError, match="no goods-trade total for 2017"):
        c1.goods_trade(2017)
    with pytest.raises(ValueError, match="above -100%"):
        c1.implied_previous(1.0, -100)
    with pytest.raises(ValueError, match="positive starting level"):
        c1.growth_between(0, 1)


# ----------------------------------------------------------------------------- three sizes


def test_three_sizes_ratios():
    r = c1.size_ratios()
    assert r["industry_over_customs"] == pytest.approx(9.0 / 1.06)
    assert r["industry_over_unctad"] == pytest.approx(1300 / 404)
    assert c1.implied_yuan_per_dollar() == pytest.approx(9000 / 1300)
    assert r["customs_usd_bn"] == pytest.approx(1060 / (9000 / 1300))
    assert r["customs_over_unctad"] < 0.5
    assert c1.market_size_share("industry_2015_yuan") == 19.5
    with pytest.raises(KeyError, match="claims no share"):
        c1.market_size_share("customs_2018")


# ----------------------------------------------------------------------------- business models


def test_business_model_matrix_is_complete_and_marked():
    m = c1.business_model_matrix()
    assert m.shape == (len(c1.PLATFORMS), len(c1.DIMENSIONS))
    marks = tuple(c1.BASIS_MARKS.values())
    assert all(str(cell).endswith(marks) for cell in m.to_numpy().ravel())
    # every cell has a source id that resolves
    known = set(data.sources())
    assert set(c1.model_sources()) <= known


# ----------------------------------------------------------------------------- calendars


def test_pdd_2023_is_the_sum_of_its_quarters_and_growth_matches_the_release():
    r = c1.rival_revenue().set_index("period")
    assert r.loc["2023", "revenue_rmb_m"] == pytest.approx(37637.1 + 52280.7 + 68840.4 + 88881.0)
    assert r.loc["2024", "growth_pct"] == pytest.approx(r.loc["2024", "growth_pct_reported"], abs=0.1)
    assert r.loc["2022", "growth_pct_reported"] == pytest.approx(38.97)


def test_aidc_rows_match_the_segment_table_and_fiscal_months():
    assert c1.aidc_matches_segment_table()
    r = c1.rival_revenue().set_index("period")
    assert r.loc["FY2024", "growth_pct"] == pytest.approx(100 * (102598 / 70506 - 1))
    assert r.loc["FY2025", "growth_pct"] == pytest.approx(100 * (132300 / 102598 - 1))
    assert (r.loc[r["company"] == "AIDC", "months_in_label_year"] == 3).all()
    assert c1.months_in_calendar_year("AIDC", "FY2025", 2024) == 9
    assert c1.months_in_calendar_year("PDD", "2024", 2024) == 12


# ----------------------------------------------------------------------------- landed cost


def test_the_rule_change_flips_the_cheaper_channel_at_the_defaults():
    base = {"order_value": 50, "duty_rate": 30, "parcel_freight": 8, "handling_fee": 5}
    before = c1.landed_cost(rule="us_800", **base)
    after = c1.landed_cost(rule="us_china_end", **base)
    assert before.duty_free_direct and not after.duty_free_direct
    assert before.cheaper == "direct" and before.saving == pytest.approx(13)
    assert after.cheaper == "warehouse" and after.saving == pytest.approx(2)


def test_threshold_edges_follow_each_rule():
    us = c1.landed_cost(800, "us_800", 10, 8, 5)
    eu = c1.landed_cost(150, "eu_150", 10, 8, 5)
    assert us.duty_free_direct  # "up to US$800"
    assert not eu.duty_free_direct  # "under €150"
    assert c1.landed_cost(149.99, "eu_150", 10, 8, 5).duty_free_direct


def test_without_a_threshold_only_freight_and_handling_separate_the_routes():
    r = c1.landed_cost(200, "us_china_end", 30, 4, 5)
    assert r.direct["duty"] == r.warehouse["duty"]
    assert r.direct_total - r.warehouse_total == pytest.approx(4 - (c1.BULK_FREIGHT_PER_UNIT + 5))


def test_a_tie_is_reported_as_a_tie():
    r = c1.landed_cost(50, "us_china_end", 10, c1.BULK_FREIGHT_PER_UNIT + 3, 3)
    assert r.cheaper == "tie" and r.saving == 0
    assert c1.landed_cost_summary(r, {})["Cheaper"].startswith("neither")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"order_value": -1}, "order value must be a non-negative"),
        ({"duty_rate": 150}, "duty rate is a percentage"),
        ({"parcel_freight": float("nan")}, "parcel freight must be"),
        ({"rule": "uk_135"}, "unknown rule 'uk_135'"),
    ],
)
def test_bad_input_gets_a_sentence(kwargs, message):
    base = {"order_value": 50, "rule": "us_800", "duty_rate": 30, "parcel_freight": 8, "handling_fee": 5}
    with pytest.raises(ValueError, match=message):
        c1.landed_cost(**{**base, **kwargs})


def test_the_what_if_grid_is_small_and_every_point_renders():
    grid = {
        "order_value": [50, 200],
        "rule": list(c1.RULES),
        "duty_rate": [10, 30],
        "parcel_freight": [4, 8],
        "handling_fee": [2, 5],
    }
    points = list(itertools.product(*grid.values()))  # a wider grid than the page's, for safety
    for values in points:
        kw = dict(zip(grid, values, strict=True))
        r = c1.landed_cost(**kw)
        assert r.direct_total >= kw["order_value"] and r.warehouse_total >= kw["order_value"]
        # the chart's fixed axis holds every stack
        assert max(r.direct_total, r.warehouse_total) - kw["order_value"] < 135
    fig = c1.landed_cost_chart(c1.landed_cost(50, "eu_150", 30, 8, 5), {})
    assert fig.axes[0].get_title().startswith("Order €50.00")
    us = c1.landed_cost_chart(c1.landed_cost(50, "us_800", 30, 8, 5), {})
    assert us.axes[0].get_title() == r"Order \$50.00: US, USD 800 de minimis"


def test_rule_thresholds_come_from_the_rules_table():
    assert c1.rule_threshold("us_800") == (800.0, "USD")
    assert c1.rule_threshold("eu_150") == (150.0, "EUR")
    assert c1.rule_threshold("us_china_end") == (0.0, "USD")
    assert c1.rule_charge("eu_handling_fee_proposal") == 2.0
    assert c1.rule_charge("eu_handling_fee_warehouse") == 0.5
    assert c1.rule_charge("eu_3eur_duty_applies") == 3.0
    assert len(c1.rule_table()) == len(c1.LOW_VALUE_RULES)
    assert c1.rule_day("us_dm_china_end") == "2 May 2025"
    with pytest.raises(KeyError, match="no per-item"):
        c1.rule_charge("us_dm_china_end")


def test_the_new_rules_price_the_direct_parcel():
    postal = c1.landed_cost(50, "us_china_postal", 20, 6, 4)
    assert postal.direct["duty"] == pytest.approx(0.54 * 50)  # 54% of value, whatever the slider
    eu3 = c1.landed_cost(50, "eu_3", 20, 6, 4)
    assert eu3.direct["duty"] == 3.0 and eu3.warehouse["duty"] == pytest.approx(10)
    assert c1.landed_cost(150, "eu_3", 20, 6, 4).direct["duty"] == pytest.approx(30)  # not under 150
    r = c1.landed_cost(50, "us_china_end", 20, 6, 4, bulk_freight=2.5)
    assert r.warehouse["freight"] == 2.5
    with pytest.raises(ValueError, match="bulk freight"):
        c1.landed_cost(50, "us_china_end", 20, 6, 4, bulk_freight=-1)


def test_the_page_what_ifs_stay_within_the_frame_budget():
    assert len(c1.RULES) * 3 * 4 <= 60  # rule x order value x duty rate
    assert 3 * 3 * 3 <= 60  # parcel freight x bulk freight x handling fee
    for rule in c1.RULES:
        for v in (50, 125, 200):
            for d in (0, 10, 20, 30):
                r = c1.landed_cost_by_rule(v, rule, d)
                assert max(r.direct_total, r.warehouse_total) - v < 135
    by_cost = c1.landed_cost_by_costs(3, 1.5, 4)
    assert by_cost.cheaper == "direct" and by_cost.saving == pytest.approx(2.5)


def test_every_platform_has_a_rule_exposure_cell():
    m = c1.business_model_matrix()
    assert m["Rule exposure (dated rules)"].notna().all()
    assert c1.low_value_parcels("us_de_minimis_2024") == 1.36
    assert c1.low_value_parcels("eu_low_value_2024") == 4.6
    assert c1.low_value_parcels("eu_low_value_china_share_2024") == 91


# ----------------------------------------------------------------------------- question bank


def test_the_bank_meets_the_chapter_minimums():
    from dualwheel.grading.questions import bank_for

    bank = bank_for(1)
    graded = bank.graded_questions
    self_checks = bank.uses("self_check")
    assert len(self_checks) >= 4 and len(graded) >= 6
    kinds = {q.type for q in graded}
    assert {"numeric", "match", "rubric", "choice"} <= kinds
    assert sum(q.type == "numeric" for q in graded) >= 2


@pytest.mark.parametrize(
    ("claim_id", "expected"),
    [
        ("cbec_share_2024", 6.0),
        ("cbec_share_2021", 5.1),
        ("cbec_growth_2024", 10.5),
        ("cbec_value_2024_vintage", 2.7),
    ],
)
def test_the_registered_checks_reproduce_the_recorded_check_values(claim_id, expected):
    again = claims.recompute(claim_id)
    assert round(again, 1) == expected
    c = claims.claim(claim_id)
    if c["checked_value"] is not None and not math.isnan(c["checked_value"]):
        assert round(again, 1) == c["checked_value"]


def test_the_claims_exhibit_shows_a_check_for_every_number_and_none_for_the_argument():
    t = claims.claims_table(sorted(SECTION_1_CLAIMS))
    checks = dict(zip(t["The paper says"], t["Check"], strict=True))
    assert sum(v == "—" for v in checks.values()) == 1  # only the unsourced argument


# ----------------------------------------------------------------------------- the built page


@pytest.mark.built
def test_the_landed_cost_what_if_flips_offline_when_the_rule_changes(html_dir, offline_page):
    page, box = open_whatif(offline_page, html_dir / "book/ch01-introduction.html")

    def shown() -> tuple[str, str]:
        imgs = [i for i in box.locator("img").all() if i.is_visible()]
        texts = [r.inner_text() for r in box.locator(".casebook-readout").all() if r.is_visible()]
        assert len(imgs) == 1 and len(texts) == 1
        return imgs[0].get_attribute("src"), texts[0]

    src0, text0 = shown()
    assert "Cheaper: direct parcel, by USD 9.00" in text0
    box.locator("button", has_text="formal entry").first.click()
    page.wait_for_timeout(300)
    src1, text1 = shown()
    assert "Cheaper: local warehouse, by USD 1.00" in text1
    assert src1 != src0
    box.locator("button", has_text="EUR 3 per item").first.click()
    page.wait_for_timeout(300)
    _, text2 = shown()
    assert "Cheaper: direct parcel, by EUR 6.00" in text2  # a small flat duty does not flip it
    assert offline_page.problems() == []
