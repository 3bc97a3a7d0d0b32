"""Chapter 1: the dated low-value import rules, and the what-if model of one order's landed cost."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ... import data, fmt, style

# --------------------------------------------------------------------------- what-if: landed cost

#: The rules the what-if offers. Each key names the row(s) of Chapter 7's dated rules table
#: (``data/rules.csv``) its figures come from; the value is the label the reader sees.
RULES: dict[str, str] = {
    "us_800": "US: USD 800 de minimis (goods from China, to 1 May 2025)",
    "us_china_end": "US, goods from China, entry with duty (from 2 May 2025)",
    "us_china_postal": "US, goods from China, by post: 54% of value (from 14 May 2025)",
    "eu_150": "EU: duty relief under EUR 150 (to 30 Jun 2026)",
    "eu_3": "EU: EUR 3 per item under EUR 150 (from 1 Jul 2026)",
}

#: rule -> (rules.csv row holding its figure, what the figure is for the model)
RULE_ROWS: dict[str, tuple[str, str]] = {
    "us_800": ("us_dm_china_end", "threshold"),
    "us_china_end": ("us_dm_china_end", "no_threshold"),
    "us_china_postal": ("us_postal_54", "ad_valorem"),
    "eu_150": ("eu_vat_ioss", "threshold"),
    "eu_3": ("eu_3eur_duty_applies", "per_item"),
}

#: Is an order worth exactly the threshold duty-free? US: "up to $800" (yes). EU: "under €150" (no).
THRESHOLD_INCLUSIVE: dict[str, bool] = {r: r.startswith("us") for r in RULES}

#: The EU's €3 duty applies to parcels under €150; at or above it, the ordinary duty.
EU_SMALL_PARCEL_LIMIT_ROW = "eu_vat_ioss"



def landed_cost_input(input_id: str) -> float:
    """One input of the landed-cost model from ``data/landed_cost_inputs.csv``: an illustrative
    default (order value, duty rate, freights, handling) or a US entry fee."""
    return float(data.row("landed_cost_inputs", input_id, "input")["value"])


#: The defaults both what-ifs share, read once from data/landed_cost_inputs.csv (one source of
#: truth: the same rule at the same settings gives the same total in either what-if).
DEFAULTS: dict[str, float] = {
    k: landed_cost_input(k) for k in ("order_value", "duty_rate", "parcel_freight", "bulk_freight", "handling_fee")
}

#: Illustrative default: bulk sea freight to a local warehouse, per unit (order currency).
BULK_FREIGHT_PER_UNIT = DEFAULTS["bulk_freight"]

#: The rows of data/rules.csv the chapter shows (low-value imports, US and EU).
LOW_VALUE_RULES = [
    "eu_vat_ioss",
    "us_dm_china_paused",
    "us_dm_china_end",
    "us_postal_54",
    "eu_handling_fee_proposal",
    "eu_handling_fee_warehouse",
    "us_dm_all_end",
    "eu_3eur_duty_adopted",
    "eu_3eur_duty_applies",
]


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
    """The date of a row of ``data/rules.csv`` written out for prose: '2 May 2025'."""
    return fmt.date_text(rule_date(rule_id))


def low_value_parcels(measure_id: str) -> float:
    """One count from ``low_value_parcels.csv`` (billions of parcels, or a percentage)."""
    t = data.load("low_value_parcels").set_index("measure_id")
    if measure_id not in t.index:
        raise KeyError(f"no measure {measure_id!r} in low_value_parcels.csv; known: {', '.join(t.index)}")
    return float(t.loc[measure_id, "value"])


def exposure_chart() -> Figure:
    """Low-value parcels that used the US (FY2023) and EU (2024) reliefs (billions), with the
    share of the EU's parcels sent from China."""
    t = data.load("low_value_parcels").set_index("measure_id")
    us, eu = t.loc["us_de_minimis_fy2023", "value"], t.loc["eu_low_value_2024", "value"]
    china = t.loc["eu_low_value_china_share_2024", "value"]
    fig, ax = plt.subplots(figsize=(7.0, 2.4))
    ax.barh([0, 1], [us, eu], color=[style.COLOURS["aidc_total"], style.COLOURS["cloud"]], height=0.55)
    ax.barh(1, eu * china / 100, color=style.COLOURS["highlight"], height=0.55, alpha=0.6)
    ax.text(us + 0.05, 0, f"about {us:.1f} bn shipments, FY2023 (origin not split)", va="center", fontsize=8)
    ax.text(eu + 0.05, 1, f"{eu:.1f} bn parcels, {china:.0f}% from China (shaded)", va="center", fontsize=8)
    ax.set_yticks([0, 1], ["US de minimis\nshipments", "EU parcels\nunder EUR 150"])
    ax.invert_yaxis()
    ax.set_xlim(0, 8)
    ax.set_xlabel("Billions in 2024")
    ax.set_title("What rode on the low-value reliefs in 2024")
    return fig


def rule_threshold(rule: str) -> tuple[float, str]:
    """The duty-free threshold of a what-if rule and its currency (0 = no threshold)."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    row, kind = RULE_ROWS[rule]
    currency = "USD" if rule.startswith("us") else "EUR"
    return (rule_figure(row) if kind == "threshold" else 0.0), currency


def rule_charge(rule_id: str) -> float:
    """The flat duty or fee per item or parcel of a row of ``data/rules.csv``."""
    t = _rules()
    if rule_id not in t.index or t.loc[rule_id, "figure_unit"] not in ("eur_per_item", "eur_per_parcel"):
        raise KeyError(f"rule {rule_id!r} has no per-item or per-parcel charge in data/rules.csv")
    return rule_figure(rule_id)


def rule_table() -> pd.DataFrame:
    """The low-value import rules from ``data/rules.csv``, formatted for the page."""
    t = _rules().loc[LOW_VALUE_RULES].reset_index().sort_values("date", kind="stable")
    units = {
        "usd_threshold": "USD {:,.0f} threshold",
        "eur_threshold": "EUR {:,.0f} threshold",
        "eur_per_item": "EUR {:,.2f} per item",
        "eur_per_parcel": "EUR {:,.2f} per parcel",
        "pct_of_value": "{:,.0f}% of value",
    }
    figure = [
        "" if pd.isna(x) else units.get(u, "{:g}").format(x).replace(".00 ", " ")
        for x, u in zip(t["figure"], t["figure_unit"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Date": t["date"],
            "Where": t["jurisdiction"],
            "What happened": t["event"],
            "Figure": figure,
            "Who it hits": t["hits"],
        }
    ).reset_index(drop=True)


def rule_sources() -> list[str]:
    """The source ids of the rows :func:`rule_table` shows."""
    return list(dict.fromkeys(_rules().loc[LOW_VALUE_RULES, "source"]))


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
    under de minimis, and a flat informal-entry fee (the US FY2025 fee) whenever de minimis does not
    apply, even at a 0% duty rate; postal items, whose duty the carrier collects, are left
    without a fee. EU rules: no such fee."""
    if not rule.startswith("us"):
        return 0.0, 0.0
    warehouse = order_value * landed_cost_input("us_mpf_formal_pct") / 100
    kind = RULE_ROWS[rule][1]
    direct = 0.0 if de_minimis_applies or kind == "ad_valorem" else landed_cost_input("us_mpf_informal")
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
      sets: none within a duty-free threshold (``us_800``, ``eu_150``), ``duty_rate`` % without
      one (``us_china_end``), 54% of the value for US postal items from China
      (``us_china_postal``, the ad valorem option; its USD 100-per-item alternative is dearer
      for any order under about USD 185), or €3 per item under €150 (``eu_3``).
    * **Local warehouse**: goods shipped in bulk ahead of the order (a commercial import, so
      no low-value relief applies and duty is paid at ``duty_rate``), bulk freight per unit and a
      handling fee per order for storage, picking and local delivery.

    The duty base follows each customs territory: the EU charges ad valorem duty on the value
    *including* freight to its border (CIF: goods plus the parcel's or the bulk freight), the US
    on the goods' value alone. US entries also pay the merchandise processing fee
    (:func:`_entry_fees`): the warehouse route's formal entry always, the direct parcel once de
    minimis is gone (a flat informal-entry fee; none on postal items).

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
    row, kind = RULE_ROWS[rule]
    cif = currency == "EUR"  # EU: duty on goods plus freight to the border; US: on the goods
    parcel_base = order_value + (parcel_freight if cif else 0.0)
    bulk_base = order_value + (bulk_freight if cif else 0.0)
    duty_direct_ordinary = parcel_base * duty_rate / 100
    within = order_value <= threshold if THRESHOLD_INCLUSIVE[rule] else order_value < threshold
    if kind == "threshold":
        direct_duty = 0.0 if within else duty_direct_ordinary
    elif kind == "ad_valorem":
        direct_duty = order_value * rule_figure(row) / 100
    elif kind == "per_item":
        direct_duty = (
            rule_figure(row) if order_value < rule_figure(EU_SMALL_PARCEL_LIMIT_ROW) else duty_direct_ordinary
        )
    else:
        direct_duty = duty_direct_ordinary
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
    "us_china_end": "US, China, entry with duty",
    "us_china_postal": "US, China, postal 54%",
    "eu_150": "EU, relief under EUR 150",
    "eu_3": "EU, EUR 3 per item",
}

#: The page's two what-ifs: 5 rules x 3 order values x 4 duty rates = 60 grid points, and
#: 3 x 4 x 3 = 36 for the costs (96 on the page, under the 120 a page may hold).
#: Fixed settings of each what-if, both taken from :data:`DEFAULTS`, so the same rule at the
#: defaults gives the same totals in either what-if.
RULE_FIXED = {k: DEFAULTS[k] for k in ("parcel_freight", "handling_fee", "bulk_freight")}
COST_FIXED = {"order_value": DEFAULTS["order_value"], "rule": "us_china_end", "duty_rate": DEFAULTS["duty_rate"]}


def landed_cost_by_rule(order_value: float, rule: str, duty_rate: float) -> LandedCost:
    """What-if 1: the rule, the order value and the duty rate move; the costs stay at
    :data:`RULE_FIXED`."""
    return landed_cost(order_value, rule, duty_rate, **RULE_FIXED)


def landed_cost_by_costs(parcel_freight: float, bulk_freight: float, handling_fee: float) -> LandedCost:
    """What-if 2: with no threshold (goods from China after 2 May 2025), which freight and fee
    levels still let the direct parcel win? The rule and the order stay at :data:`COST_FIXED`."""
    return landed_cost(
        parcel_freight=parcel_freight, bulk_freight=bulk_freight, handling_fee=handling_fee, **COST_FIXED
    )


_PART_COLOURS = {
    "freight": style.COLOURS["cloud"],
    "duty": style.COLOURS["aidc_total"],
    "handling": style.COLOURS["local_services"],
}


def landed_cost_chart(r: LandedCost, values: dict) -> Figure:
    """Two stacked bars: the cost per order on top of the goods' value, by component."""
    fig, ax = plt.subplots(figsize=(7.0, 2.6), dpi=80)
    channels = [("Direct parcel", r.direct), ("Local warehouse", r.warehouse)]
    for i, (_, parts) in enumerate(channels):
        left = 0.0
        for part in ("freight", "handling", "duty"):
            v = parts.get(part, 0.0) + (parts.get("fee", 0.0) if part == "duty" else 0.0)
            if v > 0:
                ax.barh(i, v, left=left, color=_PART_COLOURS[part], height=0.55)
                if v >= 3:
                    label = "duty + fees" if part == "duty" and parts.get("fee", 0.0) > 0 else part
                    ax.text(left + v / 2, i, label, ha="center", va="center", fontsize=7, color="white")
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
    ax.set_xlim(0, 135)
    ax.set_xlabel(f"Cost per order on top of the goods ({r.currency}; illustrative freight and fees)")
    title = f"Order {money(r.order_value, r.currency, symbol=True)}: {_SHORT_RULE[r.rule]}"
    ax.set_title(_tex_safe(title), fontsize=10)
    return fig


def landed_cost_frame_key(values: dict, r: LandedCost) -> tuple:
    """Grid points with the same costs share one frame (the model has no other output)."""
    return (r.currency, r.order_value, r.threshold, tuple(r.direct.items()), tuple(r.warehouse.items()))
