"""The economics of one order (dualwheel.order_economics, data/order_economics.csv): inputs read
from the CSV, the model's arithmetic on a hand-worked order, the rules shared with Chapter 1,
and a what-if whose ranges reach more than one conclusion."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from dualwheel import cutoff, style
from dualwheel import order_economics as oe
from dualwheel.grading import keys
from dualwheel.page.whatif import grid

ROOT = Path(__file__).resolve().parents[2]


def _csv(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_inputs_are_read_from_the_csv_with_low_base_high():
    for r in _csv("order_economics.csv"):
        for level in oe.LEVELS:
            assert oe.order_input(r["input_id"], r["route"], level) == pytest.approx(float(r[level]))
        assert float(r["low"]) <= float(r["base"]) <= float(r["high"]), r["input_id"]
    # a route-specific row wins; otherwise the 'all' row answers
    assert oe.order_input("commission", "local") == pytest.approx(10)
    assert oe.order_input("coupon_rate", "parcel") == oe.order_input("coupon_rate", "all")
    with pytest.raises(KeyError):
        oe.order_input("commission", "parcel")


def test_illustrative_rows_say_why():
    for r in _csv("order_economics.csv"):
        if r["basis"] == "illustrative":
            assert r["source"] in ("oe_illustrative", "illustrative_costs"), r["input_id"]
            assert r["note"], r["input_id"]


def test_chapter_1_defaults_are_reused_not_copied():
    lc = {r["input_id"]: float(r["value"]) for r in _csv("landed_cost_inputs.csv")}
    assert oe.order_input("parcel_freight", "parcel") == lc["parcel_freight"]
    assert oe.order_input("bulk_freight", "warehouse") == lc["bulk_freight"]
    assert oe.order_input("handling_fee", "warehouse") == lc["handling_fee"]
    assert oe.order_input("duty_rate") == lc["duty_rate"]
    assert oe.landed_input("us_de_minimis_threshold") == lc["us_de_minimis_threshold"] == 800


# A hand-worked order: basket 25, markup 25%, commission 10%, coupons 10%, returns 5%, parcel
# freight 6, bulk freight 1, warehouse fee 4, return handling 2, shipping subsidy 1, marketing 1,
# duty 20% on the supply price (25 x 0.75 = 18.75).
KW = dict(basket_value=25, coupon_rate=10, return_rate=5, parcel_freight=6)
FIXED = dict(duty_rate=20, bulk_freight=1, handling_fee=4, shipping_subsidy=1, return_handling=2, marketing_per_order=1)


def test_parcel_route_by_hand():
    e = oe.one_order("parcel", take_rate=25, **KW, **FIXED)
    assert e.lines["take"] == pytest.approx(0.95 * 25 * 0.25)  # 5.9375
    assert e.lines["coupons"] == pytest.approx(-0.95 * 2.5)  # -2.375
    assert e.lines["returns"] == pytest.approx(-0.05 * 18.75)  # written off
    assert e.lines["freight"] == -6
    assert e.lines["duty"] == 0 and e.duty_free
    assert e.contribution == pytest.approx(-4.375)


def test_parcel_route_without_de_minimis_pays_duty_and_the_informal_fee():
    e = oe.one_order("parcel", take_rate=25, de_minimis="off", **KW, **FIXED)
    assert e.lines["duty"] == pytest.approx(-(18.75 * 0.20 + 2.53))
    assert not e.duty_free
    assert e.contribution == pytest.approx(-4.375 - 3.75 - 2.53)


def test_warehouse_route_by_hand():
    e = oe.one_order("warehouse", take_rate=25, **KW, **FIXED)
    assert e.lines["returns"] == pytest.approx(-0.05 * 2)
    assert e.lines["freight"] == pytest.approx(-(1 + 4))
    assert e.lines["duty"] == pytest.approx(-(18.75 * 0.20 + 18.75 * 0.3464 / 100))
    assert e.contribution == pytest.approx(5.9375 - 2.375 - 0.1 - 5 - 3.75 - 0.06495 - 1)  # marketing 1
    # de minimis does not touch a bulk import
    off = oe.one_order("warehouse", take_rate=25, de_minimis="off", **KW, **FIXED)
    assert off.contribution == pytest.approx(e.contribution)


def test_local_marketplace_route_by_hand():
    e = oe.one_order("local", take_rate=10, **KW, **FIXED)
    assert e.lines["take"] == pytest.approx(0.95 * 2.5)
    assert e.lines["returns"] == 0 and e.lines["duty"] == 0
    assert e.contribution == pytest.approx(2.375 - 2.375 - 1 - 1)


def test_base_case_matches_the_hand_worked_order():
    b = oe.base_case()
    assert b.routes["parcel"].contribution == pytest.approx(-4.375)
    assert b.routes["local"].contribution == pytest.approx(-2.0)
    assert b.losing == ["parcel", "warehouse", "local"]
    f = b.frame()
    assert f.loc["Contribution"].tolist() == pytest.approx([e.contribution for e in b.routes.values()])


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="route"):
        oe.one_order("air", **KW)
    with pytest.raises(ValueError, match="coupon rate"):
        oe.one_order("parcel", **{**KW, "coupon_rate": 120})
    with pytest.raises(ValueError, match="de_minimis"):
        oe.one_order("parcel", **KW, de_minimis="maybe")


def test_levers_move_the_answer_the_right_way():
    lo = oe.three_routes(10, 6)
    assert oe.three_routes(10, 6, basket_value=40).routes["parcel"].contribution > lo.routes["parcel"].contribution
    assert oe.three_routes(20, 6).routes["local"].contribution < lo.routes["local"].contribution
    assert oe.three_routes(10, 9).routes["parcel"].contribution == pytest.approx(lo.routes["parcel"].contribution - 3)
    assert oe.three_routes(10, 6, return_rate=15).routes["parcel"].contribution < lo.routes["parcel"].contribution
    assert oe.three_routes(10, 6, "off").routes["parcel"].contribution < lo.routes["parcel"].contribution
    # the warehouse's own levers move only the warehouse; the commission moves only the marketplace
    wh = lo.routes["warehouse"].contribution
    assert oe.three_routes(10, 6, warehouse_fee=3).routes["warehouse"].contribution == pytest.approx(wh + 1)
    assert oe.three_routes(10, 6, duty_rate=0).routes["warehouse"].contribution > wh
    sped = oe.three_routes(10, 6, speed_effect=10)
    assert sped.routes["warehouse"].contribution == pytest.approx(wh + 0.95 * 25 * 0.10)  # no coupons left to pay
    assert sped.routes["parcel"].contribution == lo.routes["parcel"].contribution
    assert oe.three_routes(0, 6, speed_effect=10).routes["warehouse"].lines["coupons"] == 0  # never below zero
    rich = oe.three_routes(10, 6, commission=17)
    assert rich.routes["local"].contribution == pytest.approx(lo.routes["local"].contribution + 0.95 * 25 * 0.07)
    assert rich.routes["warehouse"].contribution == wh


def test_whatif_lets_each_route_win_within_the_frame_budget():
    w = oe.order_whatif()
    assert w._frames <= 64  # six levers: a seventh nested level did not switch frames in the static page
    outcomes = w.outcomes()
    assert "Every route loses money on this order" in outcomes
    for route in oe.ROUTES:
        assert any(c.startswith(f"{oe.SHORT[route]} contributes most") for c in outcomes), route
    # the warehouse wins on its own levers, with de minimis still in force
    case = {**w.defaults, **oe.reading_values("warehouse")}
    assert case["de_minimis"] == "on" and w.compute(**case).best == "warehouse"
    # the de minimis lever alone can flip the answer: same order, parcel best with it, not without
    v = outcomes["Choice parcel from China contributes most"]
    assert w.compute(**{**v, "de_minimis": "off"}).best != "parcel"


def test_whatif_defaults_are_the_csv_base_values():
    d = oe.order_whatif().defaults
    assert d["coupon_rate"] == oe.order_input("coupon_rate")
    assert d["parcel_freight"] == oe.order_input("parcel_freight", "parcel")
    assert d["duty_rate"] == oe.order_input("duty_rate")
    assert d["warehouse_fee"] == oe.order_input("handling_fee", "warehouse")
    assert "speed_effect" not in d  # held at its base (0) in the what-if
    assert d["commission"] == oe.order_input("commission", "local")
    assert d["de_minimis"] == "on"
    assert oe.order_whatif().compute(**d).routes["parcel"].contribution == oe.base_case().routes["parcel"].contribution


def test_chart_fits_every_frame_and_names_its_series():
    style.apply()
    w = oe.order_whatif()
    lows, highs = [], []
    for values in grid(w.params):
        for e in w.compute(**values).routes.values():
            level = 0.0
            for v in e.lines.values():
                level += v
                lows.append(level)
                highs.append(level)
    fig = oe.order_chart(oe.base_case())
    ax = fig.axes[0]
    y0, y1 = ax.get_ylim()
    assert y0 <= min(lows) and max(highs) <= y1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [*oe.LINES.values(), "Contribution"]


def test_summary_and_sources():
    b = oe.base_case()
    s = oe.order_summary(b, b.values)
    assert "Reading" not in s  # contributions only: no verdict naming a route
    assert oe.order_conclusion(b, b.values) == "Every route loses money on this order"
    assert s["Choice parcel from China"].startswith("USD -4.38")
    ids = oe.order_sources()
    assert {"oe_illustrative", "illustrative_costs", "rv_mi_2024_02", "rv_retaildive_2023_12"} <= set(ids)
    for sid in ids:
        assert not cutoff.after_cutoff(sid), sid


@pytest.mark.parametrize("basket", [10, 25, 40])
def test_contribution_for_banks_and_the_de_minimis_drop_by_hand(basket):
    assert keys.contribution("parcel", 25) == pytest.approx(oe.base_case().routes["parcel"].contribution)
    drop = keys.contribution("parcel", basket) - keys.contribution("parcel", basket, "off")
    # duty 20% on the supply price (basket x 0.75) plus the US informal-entry fee of USD 2.53
    assert drop == pytest.approx(basket * 0.75 * 0.20 + 2.53)


def test_the_static_route_table_shows_the_base_case_and_both_readings():
    t = oe.route_table().set_index("USD per order")
    assert list(t.columns) == [oe.SHORT[r] for r in oe.ROUTES]
    base = oe.base_case()
    assert t.loc["Contribution (base case)"].tolist() == [f"{base.routes[r].contribution:+.2f}".replace("-", "\u2212") for r in oe.ROUTES]
    # each route's case: that route contributes most, and the table shows it
    for route, label in oe.CASES.items():
        case = oe.reading(route)
        assert case.best == route, route  # leads there (the warehouse still loses a little)
        assert t.loc[label].tolist() == [f"{case.routes[r].contribution:+.2f}".replace("-", "\u2212") for r in oe.ROUTES]
    assert "duty 0%, warehouse fee USD 3;" in oe.cases_note()
    fav, unfav = oe.reading("favourable"), oe.reading("unfavourable")
    assert fav.best == "parcel" and fav.routes["parcel"].contribution > base.routes["parcel"].contribution
    assert unfav.routes["parcel"].contribution < unfav.routes["warehouse"].contribution
    assert not unfav.routes["parcel"].duty_free
    with pytest.raises(ValueError, match="reading"):
        oe.reading("optimistic")


def test_duty_is_charged_on_the_supply_price_not_the_basket_on_both_choice_routes():
    kw = dict(basket_value=25, coupon_rate=10, return_rate=5, parcel_freight=6)
    supply = 25 * (1 - oe.order_input("choice_markup", "parcel") / 100)
    wh = oe.one_order("warehouse", **kw).lines["duty"]
    assert wh == pytest.approx(-supply * (0.20 + oe.landed_input("us_mpf_formal_pct") / 100))
    parcel = oe.one_order("parcel", de_minimis="off", **kw).lines["duty"]
    assert parcel == pytest.approx(-(supply * 0.20 + oe.landed_input("us_mpf_informal")))
    # the bank's ch06-q8 asks for the fall at the file's high duty rate (30%), off the what-if's grid
    drop = keys.contribution("parcel", 25, duty_rate=30) - keys.contribution("parcel", 25, "off", duty_rate=30)
    assert drop == pytest.approx(0.30 * supply + oe.landed_input("us_mpf_informal"))
    assert oe.order_input("duty_rate", level="high") == 30


def test_the_static_table_never_isolates_one_lever():
    """Issue 24, part 1: a Low column that differed from Base only in the de minimis rule printed the
    rule's own effect on each route, the answer to the decision page's rules question (Q3, BC3).
    Between any two columns of the low / base / high table at least two levers move."""
    w = oe.order_whatif()
    cols = {
        "low": {p.name: p.scenario_low for p in w.params},
        "base": dict(w.defaults),
        "high": {p.name: p.scenario_high for p in w.params},
    }
    for a, b in (("low", "base"), ("base", "high"), ("low", "high")):
        moved = [n for n in cols[a] if cols[a][n] != cols[b][n]]
        assert len(moved) >= 2, (a, b, moved)
    # the rule stays in force in every column (its effect is the decision page's question, found
    # with its slider), and no column pairs it with other levers
    assert {c["de_minimis"] for c in cols.values()} == {"on"}
    table = w.scenarios().set_index("Scenario")
    assert "Reading" not in table.columns
    for route in ("Choice parcel from China", "Choice local warehouse", "Local marketplace"):
        # the low column is a costlier world for every route, the high column a cheaper one
        low, base, high = (float(table.loc[k, route].split()[1]) for k in ("Low", "Base", "High"))
        assert low < base < high, route
