"""Chapter 1: the dated low-value import rules, and the what-if model of one order's landed cost."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ... import data, fmt, style

# --------------------------------------------------------------------------- what-if: landed cost

#: The rules the what-if offers, as they stood on the decision date (30 June 2024): the two
#: reliefs in force and two PROPOSALS under debate, explored as a manager's scenarios ("if the
#: US ended de minimis for parcels from China ..."), not as enacted rules. Their thresholds are
#: rows of ``data/landed_cost_inputs.csv``.
RULES: dict[str, str] = {
    "us_800": "US: USD 800 de minimis (in force at the date)",
    "us_china_end": "US scenario: no de minimis for goods subject to the China tariffs (as H.R. 7979 proposes)",
    "eu_150": "EU: customs-duty relief up to EUR 150 (in force at the date)",
    "eu_no_relief": "EU scenario: the EUR 150 relief abolished (Commission proposal, May 2023)",
}

#: rule -> (landed_cost_inputs.csv row holding its threshold, what the model does with it)
RULE_ROWS: dict[str, tuple[str, str]] = {
    "us_800": ("us_de_minimis_threshold", "threshold"),
    "us_china_end": ("us_de_minimis_threshold", "no_threshold"),
    "eu_150": ("eu_duty_relief_threshold", "threshold"),
    "eu_no_relief": ("eu_duty_relief_threshold", "no_threshold"),
}

#: Is an order worth exactly the threshold duty-free? Yes for both: the US relief covers parcels
#: "up to $800", the EU relief goods of a value "not exceeding EUR 150" (up to €150).
THRESHOLD_INCLUSIVE: dict[str, bool] = {r: True for r in RULES}


def landed_cost_input(input_id: str) -> float:
    """One input of the landed-cost model from ``data/landed_cost_inputs.csv``: an illustrative
    default (order value, duty rate, freights, handling), a threshold in force at the decision
    date, or a US entry fee."""
    return float(data.row("landed_cost_inputs", input_id, "input")["value"])


#: The defaults both what-ifs share, read once from data/landed_cost_inputs.csv (one source of
#: truth: the same rule at the same settings gives the same total in either what-if).
DEFAULTS: dict[str, float] = {
    k: landed_cost_input(k) for k in ("order_value", "duty_rate", "parcel_freight", "bulk_freight", "handling_fee")
}

#: Illustrative default: bulk sea freight to a local warehouse, per unit (order currency).
BULK_FREIGHT_PER_UNIT = DEFAULTS["bulk_freight"]

#: The rows of data/rules.csv the chapter shows: rules in force at the decision date.
LOW_VALUE_RULES = ["eu_vat_ioss"]

#: The rows of data/decision.csv (the opener's table) the chapter shows: the US threshold and
#: the two proposals under debate at the date.
DECISION_RULES = ["us_de_minimis", "us_hr7979", "eu_150_proposal"]

#: A rule in force: the year it has applied since, and the source that dates it (data/decision.csv
#: dates the US threshold row by the bill that quotes it, 15 April 2024; the $800 level dates
#: from the Trade Facilitation and Trade Enforcement Act of February 2016).
IN_FORCE_SINCE: dict[str, tuple[str, str]] = {"us_de_minimis": ("2016", "c1_itcu_2016_08_de_minimis")}


def _rules() -> pd.DataFrame:
    return data.load("rules").set_index("rule_id")


def rule_figure(rule_id: str) -> float:
    """The headline figure of one row of ``data/rules.csv`` (Chapter 7's dated rules)."""
    t = _rules()
    if rule_id not in t.index or pd.isna(t.loc[rule_id, "figure"]):
        raise KeyError(f"rule {rule_id!r} has no figure in data/rules.csv")
    return float(t.loc[rule_id, "figure"])


def rule_date(rule_id: str) -> str:
    """The date (YYYY-MM-DD) of one row of ``data/rules.csv``."""
    return str(data.row("rules", rule_id, "rule")["date"])


def rule_day(rule_id: str) -> str:
    """The date of a row of ``data/rules.csv`` written out for prose: '15 April 2024'."""
    return fmt.date_text(rule_date(rule_id))


def low_value_parcels(measure_id: str) -> float:
    """One count from ``low_value_parcels.csv`` (billions of parcels, or a percentage)."""
    t = data.load("low_value_parcels").set_index("measure_id")
    if measure_id not in t.index:
        raise KeyError(f"no measure {measure_id!r} in low_value_parcels.csv; known: {', '.join(t.index)}")
    return float(t.loc[measure_id, "value"])


def exposure_table() -> pd.DataFrame:
    """The low-value counts public by the decision date (``low_value_parcels.csv`` rows whose
    source is not after the cut-off): the US de minimis count for federal FY2023."""
    t = data.load("low_value_parcels")
    t = t[t["measure_id"].isin(EXPOSURE_SHOWN)]
    unit = {"billion_shipments": "billion shipments", "billion_parcels": "billion parcels", "percent": "%"}
    return pd.DataFrame(
        {
            "Where": t["jurisdiction"],
            "What is counted": t["measure"],
            "Period": t["period"],
            "Count": [f"about {v:g} {unit[u]}" for v, u in zip(t["value"], t["unit"], strict=True)],
        }
    ).reset_index(drop=True)


#: The low_value_parcels rows public by the decision date (the chapter shows only these).
EXPOSURE_SHOWN = ["us_de_minimis_fy2023"]


def rule_threshold(rule: str) -> tuple[float, str]:
    """The duty-free threshold of a what-if rule and its currency (0 = no threshold)."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    row, kind = RULE_ROWS[rule]
    currency = "USD" if rule.startswith("us") else "EUR"
    return (landed_cost_input(row) if kind == "threshold" else 0.0), currency


def rule_charge(rule_id: str) -> float:
    """The flat duty or fee per item or parcel of a row of ``data/rules.csv``."""
    t = _rules()
    if rule_id not in t.index or t.loc[rule_id, "figure_unit"] not in ("eur_per_item", "eur_per_parcel"):
        raise KeyError(f"rule {rule_id!r} has no per-item or per-parcel charge in data/rules.csv")
    return rule_figure(rule_id)


def rule_table() -> pd.DataFrame:
    """The low-value import rules and proposals as they stood on the decision date: the row of
    ``data/rules.csv`` in force (the EU's 2021 VAT package) and the opener's rows of
    ``data/decision.csv`` (the US threshold, H.R. 7979, the EU customs reform proposal)."""
    r = _rules().loc[LOW_VALUE_RULES].reset_index()
    d = data.load("decision").set_index("fact_id").loc[DECISION_RULES].reset_index()
    status = {"us_de_minimis": "in force", "us_hr7979": "bill (proposal)", "eu_150_proposal": "proposal"}
    unit = {"usd": "USD {:,.0f}", "eur": "EUR {:,.0f}"}
    rows = [
        {
            "Date": x.date,
            "Where": x.jurisdiction,
            "What": x.event,
            "Figure": f"EUR {x.figure:,.0f} threshold",
            "Status": "in force",
        }
        for x in r.itertuples()
    ] + [
        {
            "Date": IN_FORCE_SINCE[x.fact_id][0] if x.fact_id in IN_FORCE_SINCE else x.public,
            "Where": "US" if x.fact_id.startswith("us") else "EU",
            "What": x.fact,
            "Figure": "" if pd.isna(x.value) else unit[x.unit].format(x.value) + " threshold",
            "Status": status[x.fact_id],
        }
        for x in d.itertuples()
    ]
    return pd.DataFrame(rows).sort_values("Date", kind="stable").reset_index(drop=True)


def rule_sources() -> list[str]:
    """The source ids of the rows :func:`rule_table` shows."""
    d = data.load("decision").set_index("fact_id")
    since = [src for _, src in IN_FORCE_SINCE.values()]
    return list(dict.fromkeys([*_rules().loc[LOW_VALUE_RULES, "source"], *since, *d.loc[DECISION_RULES, "source"]]))


_SYMBOL = {"USD": "$", "EUR": "€"}


@dataclass(frozen=True)
class LandedCost:
    """Cost of one order, by channel, on top of and including the goods' value."""

    rule: str
    currency: str
    order_value: float
    threshold: float
    duty_free_direct: bool
    direct: dict[str, float]  # freight, duty, fee (US entry fee)
    warehouse: dict[str, float]  # bulk freight, handling, duty, fee

    @property
    def direct_total(self) -> float:
        return self.order_value + sum(self.direct.values())

    @property
    def warehouse_total(self) -> float:
        return self.order_value + sum(self.warehouse.values())

    @property
    def cheaper(self) -> str:
        """'direct', 'warehouse' or 'tie'."""
        gap = self.direct_total - self.warehouse_total
        return "tie" if abs(gap) < 1e-9 else ("warehouse" if gap > 0 else "direct")

    @property
    def saving(self) -> float:
        """How much the cheaper channel saves per order (0 on a tie)."""
        return abs(self.direct_total - self.warehouse_total)


def _entry_fees(rule: str, order_value: float, de_minimis_applies: bool) -> tuple[float, float]:
    """US merchandise processing fees (direct parcel, warehouse unit) under a US rule.

    The bulk import to a US warehouse is a formal entry: the ad valorem fee on each unit's value
    (the per-entry minimum and maximum are spread over a container). A direct parcel pays nothing
    under de minimis, and a flat informal-entry fee (the US FY2024 fee, in force at the decision
    date) whenever de minimis does not apply, even at a 0% duty rate. EU rules: no such fee."""
    if not rule.startswith("us"):
        return 0.0, 0.0
    warehouse = order_value * landed_cost_input("us_mpf_formal_pct") / 100
    direct = 0.0 if de_minimis_applies else landed_cost_input("us_mpf_informal")
    return direct, warehouse


def landed_cost(
    order_value: float,
    rule: str,
    duty_rate: float,
    parcel_freight: float,
    handling_fee: float,
    bulk_freight: float = BULK_FREIGHT_PER_UNIT,
) -> LandedCost:
    """Landed cost of one order (one item) shipped two ways under a low-value import rule.

    * **Direct parcel** from China: the order value, per-parcel freight, and the duty the rule
      sets: none within a duty-free threshold in force at the decision date (``us_800``,
      ``eu_150``), ``duty_rate`` % in a scenario without one (``us_china_end``: the US ends de
      minimis for goods from China, as H.R. 7979 proposed; ``eu_no_relief``: the EU abolishes
      the EUR 150 relief, as the Commission proposed in May 2023).
    * **Local warehouse**: goods shipped in bulk ahead of the order (a commercial import, so
      no low-value relief applies and duty is paid at ``duty_rate``), bulk freight per unit and a
      handling fee per order for storage, picking and local delivery.

    The duty base follows each customs territory: the EU charges ad valorem duty on the value
    *including* freight to its border (CIF: goods plus the parcel's or the bulk freight), the US
    on the goods' value alone. US entries also pay the merchandise processing fee
    (:func:`_entry_fees`): the warehouse route's formal entry always, the direct parcel once de
    minimis is gone (a flat informal-entry fee, at its FY2024 level).

    Simplifications: duty on the warehouse route is charged on the full order value (a real
    importer declares its lower purchase price, which would favour the warehouse); VAT is left
    out because the EU charges it on both routes since July 2021 (through IOSS on a parcel,
    as import VAT on bulk stock), so it is close to neutral between them; unsold stock costs
    nothing.
    """
    for name, v in (
        ("order value", order_value),
        ("duty rate", duty_rate),
        ("parcel freight", parcel_freight),
        ("handling fee", handling_fee),
        ("bulk freight", bulk_freight),
    ):
        if not np.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be a non-negative number, got {v}")
    if duty_rate > 100:
        raise ValueError(f"duty rate is a percentage of the value (0-100), got {duty_rate}")
    threshold, currency = rule_threshold(rule)
    kind = RULE_ROWS[rule][1]
    cif = currency == "EUR"  # EU: duty on goods plus freight to the border; US: on the goods
    parcel_base = order_value + (parcel_freight if cif else 0.0)
    bulk_base = order_value + (bulk_freight if cif else 0.0)
    duty_direct_ordinary = parcel_base * duty_rate / 100
    within = order_value <= threshold if THRESHOLD_INCLUSIVE[rule] else order_value < threshold
    direct_duty = 0.0 if kind == "threshold" and within else duty_direct_ordinary
    fee_direct, fee_warehouse = _entry_fees(rule, order_value, de_minimis_applies=kind == "threshold" and within)
    return LandedCost(
        rule=rule,
        currency=currency,
        order_value=order_value,
        threshold=threshold,
        duty_free_direct=direct_duty == 0,
        direct={"freight": parcel_freight, "duty": direct_duty, "fee": fee_direct},
        warehouse={
            "freight": bulk_freight,
            "handling": handling_fee,
            "duty": bulk_base * duty_rate / 100,
            "fee": fee_warehouse,
        },
    )


def money(x: float, currency: str, symbol: bool = False) -> str:
    """'USD 12.00' in text (a dollar sign in Markdown starts maths), '$12.00' on a chart."""
    return f"{_SYMBOL.get(currency, '')}{x:,.2f}" if symbol else f"{currency} {x:,.2f}"


def _tex_safe(text: str) -> str:
    """Escape dollar signs, which matplotlib would read as maths (two of them in one title)."""
    return text.replace("$", r"\$")


def landed_cost_summary(r: LandedCost, values: dict) -> dict[str, str]:
    """The what-if readout: which channel is cheaper, by how much, and each total."""
    if r.cheaper == "tie":
        verdict = "neither: the two channels cost the same"
    else:
        name = "direct parcel" if r.cheaper == "direct" else "local warehouse"
        verdict = f"{name}, by {money(r.saving, r.currency)} per order"
    direct = "duty-free" if r.duty_free_direct else f"duty {r.direct['duty']:,.2f}"
    if r.direct["fee"]:
        direct += f", entry fee {r.direct['fee']:,.2f}"
    warehouse = f"duty {r.warehouse['duty']:,.2f}"
    if r.warehouse["fee"]:
        warehouse += f", entry fee {r.warehouse['fee']:,.2f}"
    return {
        "Cheaper": verdict,
        "Direct parcel": f"{money(r.direct_total, r.currency)} ({direct})",
        "Local warehouse": f"{money(r.warehouse_total, r.currency)} ({warehouse})",
    }


_SHORT_RULE = {
    "us_800": "US, USD 800 de minimis",
    "us_china_end": "US scenario: no de minimis (China)",
    "eu_150": "EU, relief up to EUR 150",
    "eu_no_relief": "EU scenario: relief abolished",
}

#: The page's two what-ifs: 4 rules x 3 order values x 4 duty rates = 48 grid points, and
#: 3 x 4 x 3 = 36 for the costs (84 on the page, under the 120 a page may hold).
#: Fixed settings of each what-if, both taken from :data:`DEFAULTS`, so the same rule at the
#: defaults gives the same totals in either what-if.
RULE_FIXED = {k: DEFAULTS[k] for k in ("parcel_freight", "handling_fee", "bulk_freight")}
COST_FIXED = {"order_value": DEFAULTS["order_value"], "rule": "us_china_end", "duty_rate": DEFAULTS["duty_rate"]}


def landed_cost_by_rule(order_value: float, rule: str, duty_rate: float) -> LandedCost:
    """What-if 1: the rule, the order value and the duty rate move; the costs stay at
    :data:`RULE_FIXED`."""
    return landed_cost(order_value, rule, duty_rate, **RULE_FIXED)


def landed_cost_by_costs(parcel_freight: float, bulk_freight: float, handling_fee: float) -> LandedCost:
    """What-if 2: in the scenario with no threshold (the US ends de minimis for goods from
    China), which freight and fee levels still let the direct parcel win? The rule and the order stay at :data:`COST_FIXED`."""
    return landed_cost(
        parcel_freight=parcel_freight, bulk_freight=bulk_freight, handling_fee=handling_fee, **COST_FIXED
    )


_PART_COLOURS = {
    "freight": style.COLOURS["cloud"],
    "duty": style.COLOURS["aidc_total"],
    "handling": style.COLOURS["local_services"],
}


#: a hatch per part as well as a colour (a part too narrow for its label is still told apart)
_PART_HATCH = {"freight": None, "handling": "//", "duty": ".."}


def landed_cost_chart(r: LandedCost, values: dict) -> Figure:
    """Two stacked bars: the cost per order on top of the goods' value, by component."""
    fig, ax = plt.subplots(figsize=(7.0, 2.6), dpi=80)
    ax.set_xlim(0, 135)  # before any label is measured against its bar
    renderer = fig.canvas.get_renderer()
    channels = [("Direct parcel", r.direct), ("Local warehouse", r.warehouse)]
    for i, (_, parts) in enumerate(channels):
        left = 0.0
        for part in ("freight", "handling", "duty"):
            v = parts.get(part, 0.0) + (parts.get("fee", 0.0) if part == "duty" else 0.0)
            if v > 0:
                ax.barh(i, v, left=left, color=_PART_COLOURS[part], height=0.55, hatch=_PART_HATCH[part],
                        edgecolor="white", linewidth=0.3)
                label = "duty + fees" if part == "duty" and parts.get("fee", 0.0) > 0 else part
                t = ax.text(left + v / 2, i, label, ha="center", va="center", fontsize=7, color="white")
                # a label that does not fit inside its bar is left out (the colour key names it)
                x0, x1 = ax.transData.transform([(left, i), (left + v, i)])[:, 0]
                if t.get_window_extent(renderer).width > 0.92 * (x1 - x0):
                    t.remove()
            left += v
        ax.text(
            left + 0.8,
            i,
            _tex_safe(money(left, r.currency, symbol=True)),
            va="center",
            fontsize=9,
            fontweight="bold",
        )
    ax.set_yticks([0, 1], [c for c, _ in channels])
    ax.invert_yaxis()
    ax.legend(
        handles=[
            Patch(facecolor=_PART_COLOURS[p], hatch=_PART_HATCH[p], edgecolor="white", label="duty + fees" if p == "duty" else p)
            for p in _PART_COLOURS
        ],
        loc="lower right",
        fontsize=7,
        frameon=False,
    )
    ax.set_xlabel(f"Cost per order on top of the goods ({r.currency}; illustrative freight and fees)")
    title = f"Order {money(r.order_value, r.currency, symbol=True)}: {_SHORT_RULE[r.rule]}"
    ax.set_title(_tex_safe(title), fontsize=10)
    return fig


def landed_cost_frame_key(values: dict, r: LandedCost) -> tuple:
    """Grid points with the same costs share one frame (the model has no other output)."""
    return (r.currency, r.order_value, r.threshold, tuple(r.direct.items()), tuple(r.warehouse.items()))


#: What a manager would do on each frame of the landed-cost what-ifs (``WhatIf(conclusion=...)``).
ROUTE_CONCLUSIONS = {
    "direct": "post parcels from China",
    "warehouse": "stock a local warehouse",
    "tie": "either route: a tie",
}


def landed_cost_conclusion(r: LandedCost, values: dict | None = None) -> str:
    """The route a seller would choose for this order: the what-ifs' ``conclusion``."""
    return ROUTE_CONCLUSIONS[r.cheaper]
