"""The economics of one order by three routes (data/order_economics.csv): what a platform keeps.

Shared (the decision opener and Chapter 6 both show it). A pure model of the contribution of
one order to the platform, before fixed costs, for the three routes of the decision:

* ``parcel`` - a Choice parcel from China (直邮): the platform buys from the supplier at a
  supply price, sells at the basket value, pays the parcel's freight (first mile, air
  line-haul, last mile) and, without de minimis, the duty and the entry fee;
* ``warehouse`` - Choice stock in a local warehouse (海外仓): the same sale, with bulk freight,
  a warehouse fee per order (storage, picking, local delivery) and duty on the bulk import;
* ``local`` - a local-marketplace order (Lazada / Trendyol style): the seller owns the goods
  and ships them; the platform takes a commission and may pay a free-shipping subsidy.

Every route pays its coupons and marketing per order. A refunded order earns nothing; on the
parcel route the goods are written off (shipping them back to China costs more than they are
worth), on the warehouse route they go back into stock at a handling cost, and on the local
route the seller bears the return.

The duty rules follow Chapter 1 (``data/landed_cost_inputs.csv``): the US de minimis threshold
(USD 800, in force at the decision date), US duty on the goods' value (not freight), the US
informal-entry fee on a parcel once de minimis no longer applies and the ad valorem formal-entry
fee on a bulk import. "No de minimis" is a SCENARIO (as H.R. 7979 proposed in April 2024), not a
rule in force. Unlike Chapter 1 (which charges duty on the order value), the importer here is the
platform, so duty is charged on the declared supply price it paid.

Every default is a row of ``data/order_economics.csv`` (low / base / high); most are
illustrative because no public figure was found (the row's note says what was looked for).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import data, style
from .page import Choice, Param, WhatIf

ROUTES: dict[str, str] = {
    "parcel": "Choice parcel from China (直邮)",
    "warehouse": "Choice stock in a local warehouse (海外仓)",
    "local": "Local marketplace order (seller ships)",
}
SHORT: dict[str, str] = {
    "parcel": "Choice parcel from China",
    "warehouse": "Choice local warehouse",
    "local": "Local marketplace",
}

#: The lines of one order's contribution, in the order the chart and table show them.
LINES: dict[str, str] = {
    "take": "Margin or commission",
    "coupons": "Coupons and subsidies",
    "returns": "Returns",
    "freight": "Freight and fulfilment",
    "duty": "Duty and entry fees",
    "marketing": "Marketing",
}

LEVELS = ("low", "base", "high")

#: Levers of the what-if: rows of data/order_economics.csv (route 'all' or 'parcel').
DE_MINIMIS: dict[str, str] = {
    "on": "US de minimis in force (USD 800, at the date)",
    "off": "Scenario: no de minimis for parcels from China (as H.R. 7979 proposed)",
}


def order_input(input_id: str, route: str = "all", level: str = "base") -> float:
    """One input from ``data/order_economics.csv``: the row for this route, or the row for
    all routes. ``level`` is 'low', 'base' or 'high'."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    t = _inputs()
    for key in ((input_id, route), (input_id, "all")):
        if key in t:
            return t[key][level]
    raise KeyError(f"data/order_economics.csv has no input {input_id!r} for route {route!r} or for all routes")


@data.register_cache
@functools.cache
def _inputs() -> dict[tuple[str, str], dict[str, float]]:
    """(input, route) -> {'low', 'base', 'high'}, read once (cleared with the tables)."""
    t = data.load("order_economics")
    return {(r.input_id, r.route): {lv: float(getattr(r, lv)) for lv in LEVELS} for r in t.itertuples()}


@data.register_cache
@functools.cache
def landed_input(input_id: str) -> float:
    """A legal figure shared with Chapter 1 (``data/landed_cost_inputs.csv``): the US de minimis
    threshold and the two US entry fees in force at the decision date."""
    return float(data.row("landed_cost_inputs", input_id, "input")["value"])


def order_sources() -> list[str]:
    """Every source id the model's inputs rest on (both tables), in table order."""
    t = data.load("order_economics")
    ids = [*t["source"], *t["source_high"].dropna()]
    lc = data.load("landed_cost_inputs").set_index("input_id")
    ids += [lc.loc[k, "source"] for k in ("us_de_minimis_threshold", "us_mpf_informal", "us_mpf_formal_pct")]
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class OrderEconomics:
    """The contribution of one order by one route, line by line (USD; costs negative)."""

    route: str
    basket_value: float
    lines: dict[str, float]
    duty_free: bool = True

    @property
    def contribution(self) -> float:
        return float(sum(self.lines.values()))

    @property
    def margin(self) -> float:
        """Contribution as a share of the basket (percent)."""
        return 100 * self.contribution / self.basket_value


@dataclass(frozen=True)
class ThreeRoutes:
    """The same order by the three routes."""

    routes: dict[str, OrderEconomics]
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> str:
        """The route that contributes most (ties go to the first in :data:`ROUTES` order)."""
        return max(ROUTES, key=lambda r: (round(self.routes[r].contribution, 9), -list(ROUTES).index(r)))

    @property
    def losing(self) -> list[str]:
        """Routes whose contribution is below zero."""
        return [r for r in ROUTES if self.routes[r].contribution < -1e-9]

    def frame(self) -> pd.DataFrame:
        """Lines as rows, routes as columns (USD per order), with the contribution last."""
        cols = {SHORT[r]: {**{LINES[k]: v for k, v in e.lines.items()}, "Contribution": e.contribution} for r, e in self.routes.items()}
        return pd.DataFrame(cols).loc[[*LINES.values(), "Contribution"]]


def _check(name: str, v: float, upper: float | None = None) -> None:
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a non-negative number, got {v}")
    if upper is not None and v > upper:
        raise ValueError(f"{name} must be at most {upper}, got {v}")


def one_order(
    route: str,
    *,
    basket_value: float,
    coupon_rate: float,
    return_rate: float,
    parcel_freight: float,
    de_minimis: str = "on",
    take_rate: float | None = None,
    duty_rate: float | None = None,
    bulk_freight: float | None = None,
    handling_fee: float | None = None,
    shipping_subsidy: float | None = None,
    return_handling: float | None = None,
    marketing_per_order: float | None = None,
    speed_coupon_cut: float | None = None,
) -> OrderEconomics:
    """The contribution of one order by one route (USD). Rates are percentages.

    Inputs left as None take their base value from ``data/order_economics.csv``. With ``k`` =
    1 - return rate (the share of orders kept) and ``supply`` = basket x (1 - markup):

    * take      = k x basket x take rate (Choice: markup over the supply price; local: commission)
    * coupons   = -k x basket x coupon rate (warehouse: less the speed effect, the coupon points a
                  locally stocked order no longer needs because it arrives in days; never below 0)
    * returns   = parcel: -r x supply (written off); warehouse: -r x return handling; local: 0
    * freight   = parcel: -parcel freight; warehouse: -(bulk freight + handling); local: -shipping subsidy
    * duty      = parcel: 0 within de minimis, else -(supply x duty rate + informal entry fee);
                  warehouse: -(supply x duty rate + supply x formal-entry fee %); local: 0
    * marketing = -marketing per order
    """
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}; choose one of {', '.join(ROUTES)}")
    if de_minimis not in DE_MINIMIS:
        raise ValueError(f"de_minimis must be one of {list(DE_MINIMIS)}, got {de_minimis!r}")
    take_rate = order_input("commission" if route == "local" else "choice_markup", route) if take_rate is None else take_rate
    duty_rate = order_input("duty_rate") if duty_rate is None else duty_rate
    bulk_freight = order_input("bulk_freight", "warehouse") if bulk_freight is None else bulk_freight
    handling_fee = order_input("handling_fee", "warehouse") if handling_fee is None else handling_fee
    shipping_subsidy = order_input("shipping_subsidy", "local") if shipping_subsidy is None else shipping_subsidy
    return_handling = order_input("return_handling", "warehouse") if return_handling is None else return_handling
    marketing_per_order = order_input("marketing_per_order") if marketing_per_order is None else marketing_per_order
    speed_coupon_cut = order_input("speed_coupon_cut", "warehouse") if speed_coupon_cut is None else speed_coupon_cut
    for name, v, upper in (
        ("basket value", basket_value, None),
        ("coupon rate", coupon_rate, 100),
        ("return rate", return_rate, 100),
        ("take rate", take_rate, 100),
        ("duty rate", duty_rate, 100),
        ("parcel freight", parcel_freight, None),
        ("bulk freight", bulk_freight, None),
        ("handling fee", handling_fee, None),
        ("shipping subsidy", shipping_subsidy, None),
        ("return handling", return_handling, None),
        ("marketing per order", marketing_per_order, None),
        ("speed effect", speed_coupon_cut, 100),
    ):
        _check(name, v, upper)
    if basket_value == 0:
        raise ValueError("basket value must be above zero")
    kept = 1 - return_rate / 100
    supply = basket_value * (1 - take_rate / 100)
    take = kept * basket_value * take_rate / 100
    paid_coupons = max(0.0, coupon_rate - speed_coupon_cut) if route == "warehouse" else coupon_rate
    coupons = -kept * basket_value * paid_coupons / 100
    duty_free = True
    if route == "parcel":
        returns = -return_rate / 100 * supply
        freight = -parcel_freight
        within = de_minimis == "on" and basket_value <= landed_input("us_de_minimis_threshold")
        duty = 0.0 if within else -(supply * duty_rate / 100 + landed_input("us_mpf_informal"))
        duty_free = within
    elif route == "warehouse":
        returns = -return_rate / 100 * return_handling
        freight = -(bulk_freight + handling_fee)
        duty = -(supply * duty_rate / 100 + supply * landed_input("us_mpf_formal_pct") / 100)
        duty_free = False
    else:
        returns = 0.0
        freight = -shipping_subsidy
        duty = 0.0
    lines = {
        "take": take,
        "coupons": coupons,
        "returns": returns,
        "freight": freight,
        "duty": duty,
        "marketing": -marketing_per_order,
    }
    return OrderEconomics(route=route, basket_value=basket_value, lines={k: float(v) + 0.0 for k, v in lines.items()}, duty_free=duty_free)


def three_routes(
    coupon_rate: float,
    parcel_freight: float,
    de_minimis: str = "on",
    duty_rate: float | None = None,
    warehouse_fee: float | None = None,
    commission: float | None = None,
    speed_effect: float | None = None,
    basket_value: float | None = None,
    return_rate: float | None = None,
) -> ThreeRoutes:
    """The same order by the three routes: the what-if's model. Its levers are the first seven
    arguments: the parcel's (coupons, freight, de minimis), the warehouse's own (duty rate, warehouse
    fee, speed effect) and the local marketplace's commission; the basket, the return rate and every
    other input take their base values unless given."""
    values = {
        "coupon_rate": coupon_rate,
        "parcel_freight": parcel_freight,
        "de_minimis": de_minimis,
        "duty_rate": order_input("duty_rate") if duty_rate is None else duty_rate,
        "warehouse_fee": order_input("handling_fee", "warehouse") if warehouse_fee is None else warehouse_fee,
        "commission": order_input("commission", "local") if commission is None else commission,
        "speed_effect": order_input("speed_coupon_cut", "warehouse") if speed_effect is None else speed_effect,
        "basket_value": order_input("basket_value") if basket_value is None else basket_value,
        "return_rate": order_input("return_rate") if return_rate is None else return_rate,
    }
    shared = {k: values[k] for k in ("basket_value", "coupon_rate", "return_rate", "parcel_freight", "de_minimis", "duty_rate")}
    routes = {
        "parcel": one_order("parcel", **shared),
        "warehouse": one_order("warehouse", **shared, handling_fee=values["warehouse_fee"], speed_coupon_cut=values["speed_effect"]),
        "local": one_order("local", **shared, take_rate=values["commission"]),
    }
    return ThreeRoutes(routes=routes, values=values)


def base_case() -> ThreeRoutes:
    """All three routes at the base values of ``data/order_economics.csv``, de minimis in force."""
    return three_routes(coupon_rate=order_input("coupon_rate"), parcel_freight=order_input("parcel_freight", "parcel"))


#: Readings of the same base-basket order besides the base case, as levels of
#: data/order_economics.csv for the what-if's levers (the rest stay at base). Each route's *case*
#: is a setting in which that route contributes most; 'favourable' and 'unfavourable' move the
#: parcel's levers (coupons, parcel freight, returns, de minimis) to the end that helps or hurts.
READINGS: dict[str, dict[str, str]] = {
    "parcel": {"coupon_rate": "low", "parcel_freight": "low"},
    "warehouse": {"duty_rate": "low", "warehouse_fee": "low"},
    "local": {"commission": "high", "coupon_rate": "low"},
    "favourable": {"coupon_rate": "low", "parcel_freight": "low"},
    "unfavourable": {"coupon_rate": "high", "parcel_freight": "high", "return_rate": "high", "de_minimis": "off"},
}

#: Each lever's row of data/order_economics.csv, and how a reading describes it.
_LEVER_ROWS: dict[str, tuple[str, str, str]] = {
    "coupon_rate": ("coupon_rate", "all", "coupons {:g}%"),
    "parcel_freight": ("parcel_freight", "parcel", "parcel freight USD {:g}"),
    "return_rate": ("return_rate", "all", "returns {:g}%"),
    "duty_rate": ("duty_rate", "all", "duty {:g}%"),
    "warehouse_fee": ("handling_fee", "warehouse", "warehouse fee USD {:g}"),
    "speed_effect": ("speed_coupon_cut", "warehouse", "speed effect {:g} coupon points"),
    "commission": ("commission", "local", "marketplace commission {:g}%"),
}


def reading_values(name: str) -> dict[str, Any]:
    """The lever values of one reading of :data:`READINGS` (the CSV's levels)."""
    if name not in READINGS:
        raise ValueError(f"reading must be 'base' or one of {', '.join(READINGS)}, got {name!r}")
    out: dict[str, Any] = {}
    for lever, level in READINGS[name].items():
        if lever == "de_minimis":
            out[lever] = level
        else:
            row, route, _ = _LEVER_ROWS[lever]
            out[lever] = order_input(row, route, level)
    return out


def reading_text(name: str) -> str:
    """The settings of one reading in words (levers left at base are not named), e.g.
    'coupons 0%, parcel freight USD 3'."""
    parts = []
    for lever, v in reading_values(name).items():
        parts.append("no de minimis (a scenario)" if lever == "de_minimis" and v == "off" else
                     "de minimis in force" if lever == "de_minimis" else _LEVER_ROWS[lever][2].format(v))
    return ", ".join(parts)


def reading(name: str) -> ThreeRoutes:
    """The base basket by the three routes at one reading of :data:`READINGS` ('base' is
    :func:`base_case`)."""
    if name == "base":
        return base_case()
    v = reading_values(name)
    return three_routes(
        coupon_rate=v.get("coupon_rate", order_input("coupon_rate")),
        parcel_freight=v.get("parcel_freight", order_input("parcel_freight", "parcel")),
        **{k: x for k, x in v.items() if k not in ("coupon_rate", "parcel_freight")},
    )


#: The readings :func:`route_table` shows after the base case: one case per route.
CASES: dict[str, str] = {
    "parcel": "Contribution, the parcel's case",
    "warehouse": "Contribution, the warehouse's case",
    "local": "Contribution, the marketplace's case",
}


def route_table() -> pd.DataFrame:
    """A static table for a page that does not show the what-if: the base case line by line
    (USD per order), then the contribution in each route's case (:data:`CASES`; the settings are
    :func:`reading_text`), a setting in which that route contributes most."""
    base = base_case().frame()
    for name, label in CASES.items():
        base.loc[label] = [reading(name).routes[r].contribution for r in ROUTES]
    out = base.map(lambda v: f"{v:+.2f}".replace("-", "\u2212"))
    out.index = [f"{i} (base case)" if i == "Contribution" else i for i in out.index]
    return out.reset_index(names="USD per order")


def cases_note() -> str:
    """The settings of :func:`route_table`'s cases in words, for the table's note."""
    return "; ".join(f"{CASES[n].removeprefix('Contribution, ')}: {reading_text(n)}" for n in CASES) + \
        " (every other input at its base value)."


# --------------------------------------------------------------------------- what-if


def order_conclusion(result: ThreeRoutes, values: Mapping[str, Any]) -> str:
    """A manager's reading of one frame: which route contributes most, or that all lose."""
    if len(result.losing) == len(ROUTES):
        return "Every route loses money on this order"
    best = SHORT[result.best]
    if "parcel" in result.losing and result.best != "parcel":
        return f"{best} contributes most; the parcel from China loses money"
    return f"{best} contributes most"


def order_summary(result: ThreeRoutes, values: Mapping[str, Any]) -> dict[str, str]:
    """The what-if readout: each route's contribution per order, and no verdict (which route
    leads is the reader's call: the decision page's questions ask it)."""
    out: dict[str, str] = {}
    for r, e in result.routes.items():
        out[SHORT[r]] = f"USD {e.contribution:+.2f} per order ({e.margin:+.0f}% of the basket)"
    return out


_LINE_COLOURS = {
    "take": style.COLOURS["cainiao"],
    "coupons": style.COLOURS["taotian_total"],
    "returns": style.COLOURS["local_services"],
    "freight": style.COLOURS["cloud"],
    "duty": style.COLOURS["aidc_total"],
    "marketing": style.COLOURS["dme"],
}
#: a hatch per line as well as a colour, so that no two steps are told apart by colour alone
_LINE_HATCH = {"take": "oo", "coupons": "//", "returns": "\\\\", "freight": "..", "duty": "xx", "marketing": "--"}


def order_chart(result: ThreeRoutes, values: Mapping[str, Any] | None = None) -> Figure:
    """Three waterfalls side by side: each route's lines from zero to its contribution.

    Gains rise, costs fall; each step is labelled in the legend and has a hatch of its own,
    so colour is never the only cue; the contribution is a black bar with its value written."""
    fig, ax = plt.subplots(figsize=(8.0, 3.6), dpi=80)
    width = 0.12
    keys = list(LINES)
    for i, e in enumerate(result.routes.values()):
        level = 0.0
        for j, k in enumerate(keys):
            v = e.lines[k]
            x = i + (j - len(keys) / 2) * width
            ax.bar(x, v, bottom=level, width=width * 0.9, color=_LINE_COLOURS[k],
                   hatch=_LINE_HATCH[k], edgecolor="white", linewidth=0.3,
                   label=LINES[k] if i == 0 else None)
            level += v
        xc = i + (len(keys) / 2) * width
        ax.bar(xc, e.contribution, width=width * 0.9, color=style.COLOURS["highlight"],
               label="Contribution" if i == 0 else None)
        ax.text(xc, e.contribution + (0.4 if e.contribution >= 0 else -0.4), f"{e.contribution:+.2f}",
                ha="center", va="bottom" if e.contribution >= 0 else "top", fontsize=8, fontweight="bold")
    ax.axhline(0, color=style.COLOURS["neutral"], linewidth=0.8)
    ax.set_xticks(range(len(ROUTES)), [SHORT[r] for r in ROUTES], fontsize=8)
    ax.set_ylim(-24, 12)  # the whole grid fits: the lowest step is about -21, the highest about +10
    ax.set_ylabel("USD per order (illustrative)")
    basket = result.routes["parcel"].basket_value
    dm = "de minimis on" if result.values.get("de_minimis", "on") == "on" else "no de minimis (scenario)"
    ax.set_title(f"One order of USD {basket:.0f}, three routes ({dm})", fontsize=10)
    ax.legend(fontsize=7, ncol=4, loc="lower center", bbox_to_anchor=(0.5, -0.42), frameon=False)
    fig.subplots_adjust(bottom=0.3)
    return fig


def _lever(name: str, label: str, unit: str, values: tuple[str, str], *, higher_is_better: bool) -> Param:
    """A two-step slider over two levels of the lever's CSV row (``values``: e.g. ('low', 'base')),
    the base value as its default. The static table's high scenario takes the slider's end that
    helps; its low scenario takes the end of the CSV row that hurts (beyond the slider when the
    slider stops at the base), so that the low column is a costlier world, not the base again."""
    row, route, _ = _LEVER_ROWS[name]
    a, b = (order_input(row, route, v) for v in values)
    hi = b if higher_is_better else a
    lo = order_input(row, route, "low" if higher_is_better else "high")
    return Param(name=name, label=label, unit=unit, min=a, max=b, step=b - a,
                 default=order_input(row, route), low=lo, high=hi)


def order_whatif() -> WhatIf:
    """The what-if a manager would use, with levers for every route: the parcel's coupons and
    freight and US de minimis (a scenario); the warehouse's duty rate and warehouse fee; the local
    marketplace's commission. Two steps each: 2^6 = 64 frames, at the base basket and return rate;
    the speed effect is left out (held at its base, 0). Each route leads somewhere on the grid;
    the conclusion names the route that contributes most, or says that every route loses money.

    The static low / base / high table keeps US de minimis in force in all three columns and
    moves every lever together (low: each at the end of its CSV row that hurts; high: each at the
    slider's cheap end), with no verdict row: the rule's own effect on each route (the decision
    page's rules question) is found with its slider, not read off the table, and no column pairs
    the rule with other levers (a pairing that made the warehouse look better off without it)."""
    return WhatIf(
        title="One order, three routes: what does the platform keep?",
        params=[
            _lever("coupon_rate", "Coupons and subsidies", "% of basket", ("low", "base"), higher_is_better=False),
            _lever("parcel_freight", "Parcel freight from China", "USD", ("low", "base"), higher_is_better=False),
            Choice(name="de_minimis", label="US de minimis", options=DE_MINIMIS, default="on", low="on", high="on"),
            _lever("duty_rate", "Duty rate (both Choice routes)", "% of supply price", ("low", "base"), higher_is_better=False),
            _lever("warehouse_fee", "Warehouse fee", "USD per order", ("low", "base"), higher_is_better=False),
            _lever("commission", "Local marketplace commission", "% of basket", ("base", "high"), higher_is_better=True),
        ],
        model=three_routes,
        render=order_chart,
        summary=order_summary,
        # six levers, 64 frames: a seventh nested level of sliders did not switch its frames in the
        # static page; the speed effect stays at its base (0) here and is varied in route_table()
        conclusion=order_conclusion,
        note=(
            "Illustrative inputs, not data (data/order_economics.csv): the basket "
            f"(USD {order_input('basket_value'):g}), the Choice markup, coupons, parcel and bulk freight, "
            "the warehouse fee, returns, marketing per order and the duty rates; none was found in a "
            "public source. The speed effect (coupons an order from local stock, delivered in days, "
            "might no longer need) is left out: it is set to zero here, as no public figure was found. "
            "Sourced: the local marketplace's commission (TikTok Shop Malaysia's 4.16% in the low "
            "column; Amazon US apparel's published 10% and 17% referral fees on the slider) and "
            "the US rules in force on 30 June 2024 (the USD 800 de minimis threshold and the entry "
            "fees); 'no de minimis' is a proposal explored as a scenario. Duty is charged on the "
            "supply price the platform pays (the customs value of its import), not on the retail "
            "basket, on both Choice routes; Chapter 1's landed-cost model (Exhibit 1.8) charges it on "
            "the order value because it has no purchase price apart from the order, while this model "
            "separates the two by the Choice markup. Contribution is before fixed costs (technology, "
            "staff). Capital sits outside it too: the warehouses' capital and stock, and the local "
            "marketplaces' fixed and capital costs (platform capital, local staff and logistics). "
            "The table below keeps US de minimis in force in every column; its low column takes each "
            "lever at the end of its range that hurts (beyond the sliders) and its high column at the "
            "sliders' end that helps: move one slider at a time, the rule's included, to see what "
            "each lever does."
        ),
    )


__all__ = [
    "DE_MINIMIS",
    "LINES",
    "ROUTES",
    "SHORT",
    "OrderEconomics",
    "ThreeRoutes",
    "base_case",
    "landed_input",
    "one_order",
    "order_chart",
    "order_conclusion",
    "order_input",
    "order_sources",
    "order_summary",
    "order_whatif",
    "CASES",
    "READINGS",
    "cases_note",
    "reading",
    "reading_text",
    "reading_values",
    "route_table",
    "three_routes",
]
