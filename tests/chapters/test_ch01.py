"""Chapter 1 (introduction): the headline figures and the paper's section-1 claims recomputed
from data/, and the landed-cost model behind the chapter's what-if. No build needed."""

from __future__ import annotations

import itertools
import math

import pytest
from browser import open_whatif

from dualwheel import claims, cutoff, data
from dualwheel.chapters import ch01_introduction as c1
from dualwheel.grading import keys

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
        "landed_cost_inputs",
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


def test_share_2021_holds_on_the_revised_base_the_2022_rates_imply():
    c = claims.claim("cbec_share_2021")
    # both 2022 vintages imply the same revised 2021 level, about 1.92 trillion
    first = c1.implied_previous(2.11, 9.8)
    survey = c1.implied_previous(1.53 + 0.5278, 7.1)
    assert abs(first - survey) < 0.002
    revised = c1.implied_revised_level(2021)
    assert revised == pytest.approx((first + survey) / 2, abs=1e-4)
    assert revised == pytest.approx(1.92, abs=0.005)
    # one vintage of a rate has nothing to agree with: the helper does not average it, so the
    # student kit has no one-call answer for the single-vintage years the graded bank asks about
    for year in (2020, 2022):
        with pytest.raises(ValueError, match="one vintage"):
            c1.implied_revised_level(year)
    assert not {"prior_implied", "prior_gap_trn"} & set(c1.growth_check().columns)
    again = c1.claim_checks()["cbec_share_2021"]
    assert again == pytest.approx(100 * revised / 39.1)
    assert round(again, 1) == c["checked_value"] == c["paper_value"] == 4.9
    assert c["verdict"] == "holds"
    # on the 1.98 first published the share would be 5.1%, not the paper's figure
    assert round(c1.share_of_trade(2021), 1) == 5.1
    # customs reported 4.9% for 2022 in the June 2023 report (the revised row)
    assert c1.cbec_row(2022, "revised")["share_reported_pct"] == c["paper_value"]


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


def test_the_rivals_claim_does_not_hold_because_each_rival_runs_two_models():
    c = claims.claim("rivals_single_lever")
    assert c["verdict"] == "does_not_hold"
    assert c["paper_value"] is None or math.isnan(c["paper_value"])
    # the evidence is in the chapter's own business-model table
    t = data.load("platform_models").set_index(["platform", "dimension"])
    assert "semi-managed" in t.loc[("temu", "inventory"), "text"]
    assert "marketplace" in t.loc[("shein", "pricing"), "text"]


def test_growth_check_allows_for_rounding_and_the_2021_and_2022_rates_fail():
    # at the decision date (30 June 2024) the 2024 rate was not yet published
    assert list(c1.growth_check()["year"]) == [2021, 2022, 2022, 2023]
    g = c1.growth_check(known_by=None)
    keys = list(zip(g["year"], g["vintage"], strict=True))
    # 2020 has no published 2019 on this series; 2022 has two vintages
    assert keys == [(2021, "first"), (2022, "first"), (2022, "revised"), (2023, "first"), (2024, "first")]
    fits = dict(zip(keys, g["fits_within_rounding"], strict=True))
    assert fits == {
        (2021, "first"): False,
        (2022, "first"): False,
        (2022, "revised"): False,
        (2023, "first"): True,
        (2024, "first"): True,
    }
    g = g.set_index(["year", "vintage"])
    # 2.63 / 2.38, each +/- 0.005: 10.06% to 10.95%, so the published 10.8% fits
    assert g.loc[(2024, "first"), "growth_min_pct"] == pytest.approx(100 * (2.625 / 2.385 - 1))
    assert g.loc[(2024, "first"), "growth_max_pct"] == pytest.approx(100 * (2.635 / 2.375 - 1))
    # the June 2023 "2.1" is pinned by its own split: 1.53 + 0.5278 = 2.0578, +/- 0.00505
    assert g.loc[(2022, "revised"), "level_min"] == pytest.approx(2.0578 - 0.00505)
    assert g.loc[(2022, "revised"), "level_max"] == pytest.approx(2.0578 + 0.00505)
    # on 2.058, growth from 1.98 allows only about +3.4% to +4.4%, not the published +7.1%
    assert g.loc[(2022, "revised"), "growth_min_pct"] == pytest.approx(3.41, abs=0.01)
    assert g.loc[(2022, "revised"), "growth_max_pct"] == pytest.approx(4.45, abs=0.01)
    # 2023 is set against the 2022 level current at its release (the June 2023 revision)
    assert g.loc[(2023, "first"), "prior_vintage"] == "revised"
    assert c1.implied_previous(g.loc[(2023, "first"), "level"], 15.6) == pytest.approx(2.0578, abs=0.005)
    # 2021: 1.98 at +15% implies 1.717 to 1.727 against 1.69 published: a revised base
    assert c1.implied_previous(g.loc[(2021, "first"), "level_min"], 15.05) > 1.69 + 0.005
    assert g.loc[(2021, "first"), "growth_min_pct"] > 15.05


def test_half_unit_reads_the_published_decimals():
    assert c1.half_unit(2.1) == pytest.approx(0.05)
    assert c1.half_unit(2.38) == pytest.approx(0.005)
    assert c1.half_unit(3) == pytest.approx(0.5)


def test_level_bounds_use_the_export_import_split_and_reject_a_split_that_does_not_add_up():
    assert c1.level_bounds({"value_trn_yuan": 2.38}) == pytest.approx((2.375, 2.385))
    # 2.11 with 1.55 + 0.56: the headline is the tighter of the two readings
    lo, hi = c1.level_bounds(c1.cbec_row(2022, "first"))
    assert (lo, hi) == pytest.approx((2.105, 2.115))
    with pytest.raises(ValueError, match="do not round to the headline"):
        c1.level_bounds({"value_trn_yuan": 2.1, "exports_trn_yuan": 1.0, "imports_trn_yuan": 0.5})


def test_both_2022_vintages_are_rows_with_their_release_dates():
    first, revised = c1.cbec_row(2022, "first"), c1.cbec_row(2022, "revised")
    assert (first["value_trn_yuan"], first["growth_pct"], first["released"]) == (2.11, 9.8, "2023-01")
    assert (first["exports_trn_yuan"], first["imports_trn_yuan"]) == (1.55, 0.56)
    assert (revised["value_trn_yuan"], revised["growth_pct"], revised["released"]) == (2.1, 7.1, "2023-06")
    assert revised["exports_trn_yuan"] + revised["imports_trn_yuan"] == pytest.approx(2.0578)
    # the H1 2024 survey figure came out at the October 2024 briefing
    assert c1.cbec_row("2024H1", "revised")["released"] == "2024-10"


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
    # 2018 goods trade from the GACC release (30.51 trillion, +9.7%), not a rounded 30
    row = keys.goods_trade_row(2018)
    assert (row["total_trn_yuan"], row["exports_trn_yuan"], row["imports_trn_yuan"]) == (30.51, 16.42, 14.09)
    assert row["growth_pct"] == 9.7
    assert c1.goods_trade(2019) / c1.goods_trade(2018) - 1 == pytest.approx(0.034, abs=0.001)
    assert c1.share_of_trade(2018, "later") == pytest.approx(100 * 1.06 / 30.51)
    assert c1.share_of_trade(2018, "later") == pytest.approx(3.47, abs=0.01)
    assert c1.cbec_value(2024) / c1.cbec_value(2018, "later") == pytest.approx(2.48, abs=0.01)


def test_half_year_vintages():
    assert c1.cbec_value("2024H1", "first") == 1.22
    assert c1.cbec_value("2024H1", "revised") == 1.25
    v = c1.vintages()
    assert set(v["period"]) == {"2022", "2024H1", "2024"}


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
    # at the decision date customs' first full-series year is 2020 (2018 came out in August 2024)
    assert c1.first_full_year() == 2020
    assert c1.size_ratios()["industry_over_customs"] == pytest.approx(9.0 / 1.69)
    assert list(c1.three_sizes()["measure_id"])[0] == "customs_2020"
    r = c1.size_ratios(known_by=None)
    assert r["industry_over_customs"] == pytest.approx(9.0 / 1.06)
    assert r["industry_over_unctad"] == pytest.approx(1300 / 404)
    assert c1.implied_yuan_per_dollar() == pytest.approx(9000 / 1300)
    assert r["customs_usd_bn"] == pytest.approx(1060 / (9000 / 1300))
    assert r["customs_over_unctad"] < 0.5
    # the 2015 "transaction scale" (4.8 trillion, 19.5%) was read only on a content farm: not shown
    assert "industry_2015_yuan" not in set(data.load("market_sizes")["measure_id"])
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
    assert "2024" not in set(c1.rival_revenue()["period"])  # results of March 2025: B-case
    r = c1.rival_revenue(known_by=None).set_index("period")
    assert r.loc["2023", "revenue_rmb_m"] == pytest.approx(37637.1 + 52280.7 + 68840.4 + 88881.0)
    assert r.loc["2024", "growth_pct"] == pytest.approx(r.loc["2024", "growth_pct_reported"], abs=0.1)
    assert r.loc["2022", "growth_pct_reported"] == pytest.approx(38.97)


def test_aidc_rows_match_the_segment_table_and_fiscal_months():
    assert c1.aidc_matches_segment_table()
    assert "FY2025" not in set(c1.rival_revenue()["period"])  # the B-case's
    r = c1.rival_revenue(known_by=None).set_index("period")
    assert r.loc["FY2024", "growth_pct"] == pytest.approx(100 * (102598 / 70506 - 1))
    assert r.loc["FY2025", "growth_pct"] == pytest.approx(100 * (132300 / 102598 - 1))
    assert (r.loc[r["company"] == "AIDC", "months_in_label_year"] == 3).all()
    assert c1.months_in_calendar_year("AIDC", "FY2025", 2024) == 9
    assert c1.months_in_calendar_year("PDD", "2024", 2024) == 12


# ----------------------------------------------------------------------------- landed cost


MPF = 0.3464 / 100  # US merchandise processing fee on a formal entry, FY2024 (in force on 30 June 2024)
MPF_INFORMAL = 2.53


def test_the_rule_change_flips_the_cheaper_channel_at_the_defaults():
    base = {"order_value": 50, "duty_rate": 30, "parcel_freight": 8, "handling_fee": 5}
    before = c1.landed_cost(rule="us_800", **base)
    after = c1.landed_cost(rule="us_china_end", **base)
    assert before.duty_free_direct and not after.duty_free_direct
    bulk = c1.BULK_FREIGHT_PER_UNIT
    warehouse = 50 + bulk + 5 + 15 + 50 * MPF  # the bulk import is a formal entry: MPF on its value
    assert before.warehouse_total == pytest.approx(warehouse)
    assert before.cheaper == "direct" and before.saving == pytest.approx(warehouse - 58)
    # after de minimis: duty on the goods (US: no freight in the base) and the informal-entry fee
    assert after.direct_total == pytest.approx(50 + 8 + 15 + MPF_INFORMAL)
    assert after.cheaper == "warehouse" and after.saving == pytest.approx(50 + 8 + 15 + MPF_INFORMAL - warehouse)


def test_eu_duty_is_charged_on_goods_plus_freight():
    r = c1.landed_cost(200, "eu_150", 10, 8, 5)
    assert r.direct["duty"] == pytest.approx(0.10 * (200 + 8))
    assert r.warehouse["duty"] == pytest.approx(0.10 * (200 + c1.BULK_FREIGHT_PER_UNIT))
    assert r.direct["fee"] == r.warehouse["fee"] == 0  # no US entry fee in the EU
    us = c1.landed_cost(200, "us_china_end", 10, 8, 5)
    assert us.direct["duty"] == us.warehouse["duty"] == pytest.approx(20)  # US: goods only


def test_de_minimis_parcels_pay_no_entry_fee_and_eu_parcels_none():
    assert c1.landed_cost(50, "eu_no_relief", 20, 6, 4).direct["fee"] == 0
    assert c1.landed_cost(50, "us_800", 20, 6, 4).direct["fee"] == 0
    assert c1.landed_cost(900, "us_800", 20, 6, 4).direct["fee"] == pytest.approx(MPF_INFORMAL)


def test_threshold_edges_follow_each_rule():
    us = c1.landed_cost(800, "us_800", 10, 8, 5)
    eu = c1.landed_cost(150, "eu_150", 10, 8, 5)
    assert us.duty_free_direct  # "up to US$800"
    assert eu.duty_free_direct  # "not exceeding EUR 150": up to and including €150
    assert not c1.landed_cost(800.01, "us_800", 10, 8, 5).duty_free_direct
    assert not c1.landed_cost(150.01, "eu_150", 10, 8, 5).duty_free_direct


def test_exhibit_1_9_dates_the_us_threshold_by_the_law_not_by_the_bill():
    t = c1.rule_table().set_index("Status")
    assert t.loc["in force"].query("Where == 'US'")["Date"].tolist() == ["2016"]
    assert "c1_itcu_2016_08_de_minimis" in c1.rule_sources()
    assert c1.KNOWN_BY == cutoff.decision_date().isoformat()


def test_without_a_threshold_freight_handling_and_fees_separate_the_routes():
    r = c1.landed_cost(200, "us_china_end", 30, 4, 5)
    assert r.direct["duty"] == r.warehouse["duty"]
    gap = (4 + MPF_INFORMAL) - (c1.BULK_FREIGHT_PER_UNIT + 5 + 200 * MPF)
    assert r.direct_total - r.warehouse_total == pytest.approx(gap)


def test_a_tie_is_reported_as_a_tie():
    r = c1.landed_cost(100, "eu_no_relief", 0, 4, 1, bulk_freight=3)  # 100 + 4 against 100 + 3 + 1
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


def test_rule_thresholds_come_from_the_inputs_table_and_the_rules_are_those_of_the_date():
    assert c1.rule_threshold("us_800") == (800.0, "USD")
    assert c1.rule_threshold("eu_150") == (150.0, "EUR")
    assert c1.rule_threshold("us_china_end") == (0.0, "USD")
    assert c1.rule_threshold("eu_no_relief") == (0.0, "EUR")
    t = c1.rule_table()
    assert len(t) == len(c1.LOW_VALUE_RULES) + len(c1.DECISION_RULES)
    assert (t["Date"] <= "2024-06-30").all()  # nothing after the decision date
    assert set(t["Status"]) == {"in force", "bill (proposal)", "proposal"}
    assert {"us_china_postal", "eu_3"}.isdisjoint(c1.RULES)  # 2025-26 rules: B-case only
    assert c1.rule_day("us_dm_china_end") == "2 May 2025"  # still readable for the B-case
    with pytest.raises(KeyError, match="no per-item"):
        c1.rule_charge("us_dm_china_end")


def test_the_eu_scenario_prices_the_direct_parcel_on_cif():
    r = c1.landed_cost(50, "eu_no_relief", 20, 6, 4)
    assert r.direct["duty"] == pytest.approx(0.2 * 56)
    assert r.warehouse["duty"] == pytest.approx(0.2 * (50 + c1.BULK_FREIGHT_PER_UNIT))
    assert c1.landed_cost(50, "eu_150", 20, 6, 4).duty_free_direct
    r = c1.landed_cost(50, "us_china_end", 20, 6, 4, bulk_freight=2.5)
    assert r.warehouse["freight"] == 2.5
    with pytest.raises(ValueError, match="bulk freight"):
        c1.landed_cost(50, "us_china_end", 20, 6, 4, bulk_freight=-1)


def test_the_page_what_ifs_stay_within_the_frame_budget():
    assert len(c1.RULES) * 3 * 4 <= 48  # rule x order value x duty rate
    assert 3 * 3 * 3 <= 60  # parcel freight x bulk freight x handling fee
    for rule in c1.RULES:
        for v in (50, 125, 200):
            for d in (0, 10, 20, 30):
                r = c1.landed_cost_by_rule(v, rule, d)
                assert max(r.direct_total, r.warehouse_total) - v < 135
    by_cost = c1.landed_cost_by_costs(3, c1.BULK_FREIGHT_PER_UNIT, 6)
    assert by_cost.cheaper == "direct"
    bulk = c1.BULK_FREIGHT_PER_UNIT
    assert by_cost.saving == pytest.approx((50 + bulk + 6 + 10 + 50 * MPF) - (50 + 3 + 10 + MPF_INFORMAL))


def test_both_what_ifs_share_one_set_of_defaults_and_agree():
    # one source of truth: data/landed_cost_inputs.csv
    t = data.load("landed_cost_inputs").set_index("input_id")["value"]
    assert c1.DEFAULTS == {k: float(t[k]) for k in c1.DEFAULTS}
    assert c1.RULE_FIXED["bulk_freight"] == c1.DEFAULTS["bulk_freight"] == c1.BULK_FREIGHT_PER_UNIT
    a = c1.landed_cost_by_rule(c1.COST_FIXED["order_value"], "us_china_end", c1.COST_FIXED["duty_rate"])
    b = c1.landed_cost_by_costs(**{k: c1.DEFAULTS[k] for k in ("parcel_freight", "bulk_freight", "handling_fee")})
    assert (a.direct_total, a.warehouse_total) == (b.direct_total, b.warehouse_total)
    assert a.warehouse_total == pytest.approx(50 + 1 + 4 + 10 + 50 * MPF)  # 65.17, in both


def test_every_platform_has_a_relief_cell_that_states_use_not_consequence():
    m = c1.business_model_matrix()
    cells = m["Low-value relief the route uses"]
    assert cells.notna().all()
    # issue 24: the cell says which relief the route uses; what a proposal would cost (BC2) is the
    # students' work and sits in the teaching note
    for cell in cells:
        assert "uses" in cell
        assert not any(w in cell for w in ("would", "fall on", "unchanged", "already pays", "face the same")), cell
    # CBP's own FY2023 fact sheet (the FY2024 1.36 billion had only a homepage as its source)
    assert c1.low_value_parcels("us_de_minimis_fy2023") == 1.0
    periods = data.load("low_value_parcels").set_index("measure_id")["period"]
    assert "fiscal year 2023" in periods["us_de_minimis_fy2023"] and "Oct 2022" in periods["us_de_minimis_fy2023"]
    assert periods["eu_low_value_2024"] == "Calendar year 2024"
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
        ("cbec_share_2021", 4.9),
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
    checks = dict(zip(t["The study says"], t["Check"], strict=True))
    assert sum(v == "—" for v in checks.values()) == 1  # only the rivals' argument, which has no number


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
    assert "Cheaper: direct parcel, by USD 9.17" in text0
    box.locator("button", has_text="no de minimis").first.click()
    page.wait_for_timeout(300)
    src1, text1 = shown()
    assert "Cheaper: local warehouse, by USD 3.36" in text1
    assert src1 != src0
    box.locator("button", has_text="relief abolished").first.click()
    page.wait_for_timeout(300)
    _, text2 = shown()
    assert "Cheaper: local warehouse, by EUR 2.00" in text2  # the EU scenario flips it too
    assert offline_page.problems() == []


def test_exhibit_1_3_brackets_a_level_its_split_pins_tighter_than_its_rounding():
    gc = c1.growth_check(known_by=None)
    labels = [
        c1.level_label(v, lo, hi) for v, lo, hi in zip(gc["level"], gc["level_min"], gc["level_max"], strict=True)
    ]
    # the June 2023 "2.1" is exports 1.53 + imports 0.5278; the January 2.11 = 1.55 + 0.56 adds nothing
    assert labels == ["1.98", "2.11", "2.1 (2.0578)", "2.38", "2.63"]
    # without the cut-off: 2 fits of 5; the page, at the decision date, counts 1 of 4
    assert (int(gc["fits_within_rounding"].sum()), len(gc)) == (2, 5)
    page = c1.growth_check()
    assert (int(page["fits_within_rounding"].sum()), len(page)) == (1, 4)


def test_a_parcel_that_lost_de_minimis_pays_the_entry_fee_even_at_zero_duty():
    # us_china_end at 0% duty: no duty, but the parcel is not under de minimis, so it is entered
    # (type 11 or 01) and pays the flat informal-entry fee; under us_800 it pays neither
    fee = c1.landed_cost_input("us_mpf_informal")
    r = c1.landed_cost(50, "us_china_end", 0, 6, 4)
    assert r.direct["duty"] == 0 and r.direct["fee"] == pytest.approx(fee)
    r800 = c1.landed_cost(50, "us_800", 0, 6, 4)
    assert r800.direct["duty"] == 0 and r800.direct["fee"] == 0
    # above the threshold the USD 800 rule charges duty and the fee
    big = c1.landed_cost(900, "us_800", 20, 6, 4)
    assert big.direct["fee"] == pytest.approx(fee)


def test_the_landed_cost_readout_shows_duty_and_entry_fees_on_both_routes():
    r = c1.landed_cost(50, "us_china_end", 20, 6, 4)
    s = c1.landed_cost_summary(r, {})
    fee = c1.landed_cost_input("us_mpf_informal")
    assert f"duty 10.00, entry fee {fee:.2f}" in s["Direct parcel"]
    assert f"entry fee {50 * c1.landed_cost_input('us_mpf_formal_pct') / 100:.2f}" in s["Local warehouse"]
    assert "entry fee 0.17" in s["Local warehouse"]
    assert "duty-free" in c1.landed_cost_summary(c1.landed_cost(50, "us_800", 20, 6, 4), {})["Direct parcel"]
