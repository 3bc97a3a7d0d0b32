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
) -> OrderEconomics:
    """The contribution of one order by one route (USD). Rates are percentages.

    Inputs left as None take their base value from ``data/order_economics.csv``. With ``k`` =
    1 - return rate (the share of orders kept) and ``supply`` = basket x (1 - markup):

    * take      = k x basket x take rate (Choice: markup over the supply price; local: commission)
    * coupons   = -k x basket x coupon rate
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
    ):
        _check(name, v, upper)
    if basket_value == 0:
        raise ValueError("basket value must be above zero")
    kept = 1 - return_rate / 100
    supply = basket_value * (1 - take_rate / 100)
    take = kept * basket_value * take_rate / 100
    coupons = -kept * basket_value * coupon_rate / 100
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
    basket_value: float, coupon_rate: float, return_rate: float, parcel_freight: float, de_minimis: str = "on"
) -> ThreeRoutes:
    """The same order by the three routes: the what-if's model (its levers are the arguments;
    every other input at its base value)."""
    values = {
        "basket_value": basket_value,
        "coupon_rate": coupon_rate,
        "return_rate": return_rate,
        "parcel_freight": parcel_freight,
        "de_minimis": de_minimis,
    }
    return ThreeRoutes(routes={r: one_order(r, **values) for r in ROUTES}, values=values)


def contribution(
    route: str,
    basket_value: float,
    de_minimis: str = "on",
    coupon_rate: float | None = None,
    return_rate: float | None = None,
    parcel_freight: float | None = None,
    duty_rate: float | None = None,
) -> float:
    """One route's contribution per order (USD) with every other input at its base value: the
    name a question bank's ``expr`` can call (e.g. the fall in a parcel's contribution without
    de minimis: ``contribution('parcel', 25) - contribution('parcel', 25, 'off')``)."""
    return one_order(
        route,
        basket_value=basket_value,
        de_minimis=de_minimis,
        duty_rate=duty_rate,
        coupon_rate=order_input("coupon_rate") if coupon_rate is None else coupon_rate,
        return_rate=order_input("return_rate") if return_rate is None else return_rate,
        parcel_freight=order_input("parcel_freight", "parcel") if parcel_freight is None else parcel_freight,
    ).contribution


def base_case() -> ThreeRoutes:
    """All three routes at the base values of ``data/order_economics.csv``, de minimis in force."""
    return three_routes(
        basket_value=order_input("basket_value"),
        coupon_rate=order_input("coupon_rate"),
        return_rate=order_input("return_rate"),
        parcel_freight=order_input("parcel_freight", "parcel"),
    )


#: Two readings of the same base-basket order besides the base case, for a static table: every
#: lever the what-if moves at the end that favours the platform, or at the end that hurts it.
READINGS: dict[str, dict[str, Any]] = {
    "favourable": {"coupon_rate": "low", "parcel_freight": "low", "return_rate": "base", "de_minimis": "on"},
    "unfavourable": {"coupon_rate": "high", "parcel_freight": "high", "return_rate": "high", "de_minimis": "off"},
}


def reading(name: str) -> ThreeRoutes:
    """The base basket by the three routes with the levers at one reading of :data:`READINGS`
    (levels of ``data/order_economics.csv``; 'base' is :func:`base_case`)."""
    if name == "base":
        return base_case()
    if name not in READINGS:
        raise ValueError(f"reading must be 'base' or one of {', '.join(READINGS)}, got {name!r}")
    r = READINGS[name]
    return three_routes(
        basket_value=order_input("basket_value"),
        coupon_rate=order_input("coupon_rate", level=r["coupon_rate"]),
        return_rate=order_input("return_rate", level=r["return_rate"]),
        parcel_freight=order_input("parcel_freight", "parcel", level=r["parcel_freight"]),
        de_minimis=r["de_minimis"],
    )


def route_table() -> pd.DataFrame:
    """A static table for a page that does not show the what-if: the base case line by line
    (USD per order), then the contribution at the favourable and unfavourable readings."""
    base = base_case().frame()
    fav, unfav = (reading(n) for n in READINGS)
    base.loc["Contribution, favourable levers"] = [fav.routes[r].contribution for r in ROUTES]
    base.loc["Contribution, unfavourable levers"] = [unfav.routes[r].contribution for r in ROUTES]
    out = base.map(lambda v: f"{v:+.2f}")
    out.index = [f"{i} (base case)" if i == "Contribution" else i for i in out.index]
    return out.reset_index(names="USD per order")


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
    """The what-if readout: the conclusion, then each route's contribution per order."""
    out = {"Reading": order_conclusion(result, values)}
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


def order_chart(result: ThreeRoutes, values: Mapping[str, Any] | None = None) -> Figure:
    """Three waterfalls side by side: each route's lines from zero to its contribution.

    Gains rise, costs fall; each step is labelled in the legend and hatched when it is a cost,
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
                   hatch=style.SECOND_HATCH if v < 0 else None, edgecolor="white", linewidth=0.3,
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


def order_whatif() -> WhatIf:
    """The what-if a manager would use: basket value, coupons, US de minimis (a scenario),
    parcel freight and the return rate; 3 x 3 x 2 x 3 x 2 = 108 frames. The conclusion names
    the route that contributes most, or says that every route loses money."""
    return WhatIf(
        title="One order, three routes: what does the platform keep?",
        params=[
            Param(name="basket_value", label="Basket value", unit="USD", min=10, max=40, step=15,
                  default=order_input("basket_value"), low=order_input("basket_value", level="low"),
                  high=order_input("basket_value", level="high")),
            Param(name="coupon_rate", label="Coupons and subsidies", unit="% of basket", min=0, max=20, step=10,
                  default=order_input("coupon_rate"), low=order_input("coupon_rate", level="high"),
                  high=order_input("coupon_rate", level="low")),
            Choice(name="de_minimis", label="US de minimis", options=DE_MINIMIS, default="on", low="off", high="on"),
            Param(name="parcel_freight", label="Parcel freight from China", unit="USD", min=3, max=9, step=3,
                  default=order_input("parcel_freight", "parcel"), low=9, high=3),
            Param(name="return_rate", label="Return rate", unit="% of orders", min=5, max=15, step=10,
                  default=order_input("return_rate"), low=15, high=5),
        ],
        model=three_routes,
        render=order_chart,
        summary=order_summary,
        conclusion=order_conclusion,
        note=(
            "Illustrative inputs, not data (data/order_economics.csv): the basket, the Choice markup, "
            "coupons, parcel and bulk freight, the warehouse fee, returns, marketing per order and the "
            "20% duty rate; none was found in a public source. Sourced: the local marketplace's "
            "commission range (other platforms' published rates: TikTok Shop Malaysia, Amazon US "
            "apparel) and the US rules in force on 30 June 2024 (the USD 800 de minimis threshold and "
            "the entry fees); 'no de minimis' is a proposal explored as a scenario. Duty is charged on "
            "the supply price the platform pays (the customs value of its import), not on the retail "
            "basket, on both Choice routes. Contribution is before fixed costs (technology, staff, "
            "warehouses' capital)."
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
    "contribution",
    "landed_input",
    "one_order",
    "order_chart",
    "order_conclusion",
    "order_input",
    "order_sources",
    "order_summary",
    "order_whatif",
    "reading",
    "route_table",
    "three_routes",
]
