"""Chapter 1 (Introduction, 引言): market size, its vintages, the rivals' models, and the
landed cost of one order under a de-minimis rule.

Everything the chapter shows is computed here from ``data/`` tables added by the chapter
(``cbec_customs``, ``goods_trade``, ``market_sizes``, ``rival_revenue``, ``platform_models``,
``low_value_parcels``) plus Alibaba's segment table and Chapter 7's dated ``rules``. The functions are pure: they read tables
and return numbers or small frames. Charts sit at the end, and the what-if model (a pure
function of its sliders) just before them.

Two habits run through the module, because they are the chapter's lessons:

* a market size always carries its *definition* (customs value, industry transaction scale,
  global B2C) and its *vintage* (first, revised, later): functions take both explicitly;
* calendar years (customs, PDD) and Alibaba's fiscal years (ending 31 March) are never set
  side by side without the dates of each period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import data, fmt, segments, style
from ..claims import check, claim

style.apply()

# --------------------------------------------------------------------------- customs series

#: The first year of the full customs series. Earlier figures (2017) are the old, narrow
#: series of goods cleared through the customs e-commerce platform only.
FULL_SERIES_FROM = 2018


def _cbec() -> pd.DataFrame:
    return data.load("cbec_customs")


def cbec_value(period: str | int, vintage: str = "first") -> float:
    """Customs import+export value of cross-border e-commerce, trillion yuan.

    ``period`` is a calendar year (2024) or a part-year label ('2024H1'); ``vintage`` is
    'first' (as first published, often preliminary), 'revised' or 'later'.
    """
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty:
        known = ", ".join(f"{p} ({v})" for p, v in zip(t["period"], t["vintage"], strict=True))
        raise KeyError(f"no customs figure for period {period!r}, vintage {vintage!r}; known: {known}")
    return float(sel["value_trn_yuan"].iloc[0])


def published_growth(period: str | int, vintage: str = "first") -> float:
    """The year-on-year growth rate customs published with a figure, in percent."""
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty or pd.isna(sel["growth_pct"].iloc[0]):
        raise KeyError(f"no published growth rate for period {period!r}, vintage {vintage!r}")
    return float(sel["growth_pct"].iloc[0])


def goods_trade(year: int) -> float:
    """China's total goods trade (imports + exports) in a calendar year, trillion yuan."""
    t = data.load("goods_trade").set_index("calendar_year")
    if year not in t.index:
        raise KeyError(f"no goods-trade total for {year}; known years: {', '.join(map(str, t.index))}")
    return float(t.loc[year, "total_trn_yuan"])


def cbec_row(period: str | int, vintage: str = "first") -> dict:
    """One row of ``cbec_customs.csv`` as a dict (value, exports, imports, growth, source...)."""
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty:
        raise KeyError(f"no customs figure for period {period!r}, vintage {vintage!r}")
    return sel.iloc[0].to_dict()


def goods_trade_row(year: int) -> dict:
    """One row of ``goods_trade.csv`` as a dict (total, exports, imports, growth, source)."""
    goods_trade(year)  # the same clear error for an unknown year
    t = data.load("goods_trade").set_index("calendar_year")
    return t.loc[year].to_dict()


def share_of_trade(year: int, vintage: str = "first") -> float:
    """Cross-border e-commerce as a percentage of goods trade in a calendar year.

    Both numbers are customs import+export values, and the e-commerce figure is a grouping
    *within* goods trade, so the ratio is a true share (unlike an industry "transaction
    scale", which counts things customs does not).
    """
    if year < FULL_SERIES_FROM:
        raise ValueError(
            f"{year} is in the old narrow series (customs platform only); a share of trade is only "
            f"meaningful on the full series, from {FULL_SERIES_FROM}"
        )
    return 100 * cbec_value(year, vintage) / goods_trade(year)


def implied_previous(level: float, growth_pct: float) -> float:
    """The prior-period level implied by a level and its growth rate: level / (1 + g)."""
    if growth_pct <= -100:
        raise ValueError(f"a growth rate of {growth_pct}% is impossible (it must be above -100%)")
    return level / (1 + growth_pct / 100)


def growth_between(start: float, end: float) -> float:
    """Growth from one level to the next, in percent."""
    if start <= 0:
        raise ValueError(f"a growth rate needs a positive starting level, got {start}")
    return 100 * (end / start - 1)


def annual_series() -> pd.DataFrame:
    """One row per calendar year of the customs series as first published, with the share of
    goods trade (computed, and as reported by customs where it reported one)."""
    t = _cbec()
    years = t[(t["months"] == 12) & (t["vintage"] == "first")].copy()
    trade = data.load("goods_trade").set_index("calendar_year")["total_trn_yuan"]
    later = t[(t["months"] == 12) & (t["vintage"] == "later")].set_index("calendar_year")["value_trn_yuan"]
    rows = []
    for r in years.itertuples():
        y = int(r.calendar_year)
        full = r.series == "full"
        rows.append(
            {
                "year": y,
                "series": r.series,
                "value_trn_yuan": float(r.value_trn_yuan),
                "exports_trn_yuan": r.exports_trn_yuan,
                "imports_trn_yuan": r.imports_trn_yuan,
                "growth_pct": r.growth_pct,
                "goods_trade_trn_yuan": float(trade[y]) if y in trade.index else np.nan,
                "share_pct": share_of_trade(y) if full and y in trade.index else np.nan,
                "share_reported_pct": r.share_reported_pct,
                "later_trn_yuan": float(later[y]) if y in later.index else np.nan,
                "released": r.released,
                "status": r.status,
                "confidence": r.confidence,
                "source": r.source,
            }
        )
    # 2018 exists only as a later (retrospective) figure: add it as the series' first year
    first = t[(t["calendar_year"] == FULL_SERIES_FROM) & (t["months"] == 12)]
    if FULL_SERIES_FROM not in {row["year"] for row in rows} and not first.empty:
        r = first.iloc[0]
        rows.append(
            {
                "year": FULL_SERIES_FROM,
                "series": r["series"],
                "value_trn_yuan": float(r["value_trn_yuan"]),
                "exports_trn_yuan": np.nan,
                "imports_trn_yuan": np.nan,
                "growth_pct": np.nan,
                "goods_trade_trn_yuan": float(trade[FULL_SERIES_FROM]),
                "share_pct": 100 * float(r["value_trn_yuan"]) / float(trade[FULL_SERIES_FROM]),
                "share_reported_pct": np.nan,
                "later_trn_yuan": np.nan,
                "released": r["released"],
                "status": r["status"],
                "confidence": r["confidence"],
                "source": r["source"],
            }
        )
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True)


def half_unit(x: float) -> float:
    """Half a unit of the last decimal a published figure shows (2.1 -> 0.05, 2.38 -> 0.005):
    the rounding any true value behind it may hide."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-decimals


def growth_check() -> pd.DataFrame:
    """For each year whose published growth rate has a published prior year, test whether the
    rate fits the two published levels *within rounding*.

    Each level may hide up to half a unit of its last decimal, and the rate (one decimal) up to
    0.05 points. ``growth_min_pct``/``growth_max_pct`` bound the growth the two levels allow;
    the rate fits when its own rounding interval overlaps those bounds. ``prior_implied`` (with
    its bounds) is the prior level the rate implies: level / (1 + g)."""
    s = annual_series().set_index("year")
    rows = []
    for y in s.index:
        prev = y - 1
        g = s.loc[y, "growth_pct"]
        if prev not in s.index or pd.isna(g) or s.loc[prev, "series"] != "full":
            continue
        level, prior = s.loc[y, "value_trn_yuan"], s.loc[prev, "value_trn_yuan"]
        hl, hp, hg = half_unit(level), half_unit(prior), 0.05
        lo = growth_between(prior + hp, level - hl)
        hi = growth_between(prior - hp, level + hl)
        rows.append(
            {
                "year": int(y),
                "level": level,
                "published_growth_pct": float(g),
                "prior_published": prior,
                "growth_from_levels_pct": growth_between(prior, level),
                "growth_min_pct": lo,
                "growth_max_pct": hi,
                "fits_within_rounding": bool(g + hg >= lo and g - hg <= hi),
                "prior_implied": implied_previous(level, g),
                "prior_implied_min": implied_previous(level - hl, g + hg),
                "prior_implied_max": implied_previous(level + hl, g - hg),
                "prior_gap_trn": implied_previous(level, g) - prior,
            }
        )
    return pd.DataFrame(rows)


def vintages() -> pd.DataFrame:
    """Periods that customs (or later sources) gave more than one figure for."""
    t = _cbec()
    many = t.groupby("period")["vintage"].transform("count") > 1
    cols = ["period", "vintage", "status", "released", "value_trn_yuan", "growth_pct", "confidence", "source"]
    return t[many][cols].reset_index(drop=True)


# --------------------------------------------------------------------------- three sizes


def market_size(measure_id: str) -> float:
    """One published market-size figure, in its own unit (see ``market_sizes.csv``)."""
    t = data.load("market_sizes").set_index("measure_id")
    if measure_id not in t.index:
        raise KeyError(f"no market-size measure {measure_id!r}; known: {', '.join(t.index)}")
    return float(t.loc[measure_id, "value"])


def market_size_share(measure_id: str) -> float:
    """The share of goods trade a market-size source claimed for its own measure, in percent."""
    t = data.load("market_sizes").set_index("measure_id")
    if measure_id not in t.index or pd.isna(t.loc[measure_id, "share_of_trade_claimed_pct"]):
        raise KeyError(f"market-size measure {measure_id!r} claims no share of trade")
    return float(t.loc[measure_id, "share_of_trade_claimed_pct"])


def implied_yuan_per_dollar() -> float:
    """The exchange rate implied by Xinhua's own conversion of the industry forecast
    (trillion yuan ÷ billion dollars × 1000). An estimate for a rough comparison only."""
    return 1000 * market_size("industry_2018_yuan") / market_size("industry_2018_usd")


def size_ratios() -> dict[str, float]:
    """How far apart the three 2018 measures are.

    * industry transaction scale ÷ customs value (both yuan, both China);
    * industry transaction scale ÷ UNCTAD's global cross-border B2C (both US dollars);
    * customs value in dollars (at the implied rate) ÷ UNCTAD's global B2C.
    """
    customs_usd_bn = 1000 * market_size("customs_2018") / implied_yuan_per_dollar()
    return {
        "industry_over_customs": market_size("industry_2018_yuan") / market_size("customs_2018"),
        "industry_over_unctad": market_size("industry_2018_usd") / market_size("unctad_2018"),
        "customs_usd_bn": customs_usd_bn,
        "customs_over_unctad": customs_usd_bn / market_size("unctad_2018"),
    }


def three_sizes() -> pd.DataFrame:
    """The three measures side by side (2018), each with its unit, definition and confidence."""
    t = data.load("market_sizes")
    keep = t[t["measure_id"].isin(["customs_2018", "industry_2018_yuan", "industry_2018_usd", "unctad_2018"])]
    return keep.reset_index(drop=True)


# --------------------------------------------------------------------------- business models

PLATFORMS: dict[str, str] = {
    "aliexpress": "AliExpress marketplace (速卖通)",
    "choice": "AliExpress Choice (全托管)",
    "alibaba_com": "Alibaba.com (阿里巴巴国际站)",
    "temu": "Temu",
    "shein": "SHEIN (希音)",
}
DIMENSIONS: dict[str, str] = {
    "inventory": "Who holds the stock",
    "pricing": "Who sets the price",
    "logistics": "How goods travel",
    "revenue": "How it earns",
    "exposure": "Rule exposure (dated rules)",
}
BASIS_MARKS: dict[str, str] = {"filing": "[F]", "company": "[C]", "press": "[P]", "book": "[R]"}


def business_model_matrix() -> pd.DataFrame:
    """Platforms as rows, the four dimensions as columns; each cell ends with a mark saying
    what supports it: [F] filing, [C] company statement, [P] press or web report, [R] the
    book's own reading."""
    t = data.load("platform_models")
    t = t.assign(cell=t["text"] + " " + t["basis"].map(BASIS_MARKS))
    wide = t.pivot(index="platform", columns="dimension", values="cell")
    wide = wide.loc[list(PLATFORMS), list(DIMENSIONS)]
    wide.index = [PLATFORMS[p] for p in wide.index]
    wide.columns = [DIMENSIONS[d] for d in wide.columns]
    return wide


def model_sources() -> list[str]:
    """Every source id the business-model matrix uses, in table order."""
    return list(dict.fromkeys(data.load("platform_models")["source"]))


# --------------------------------------------------------------------------- calendars


def _months_in_year(start: date, end: date, year: int) -> int:
    """Whole months of the period [start, end] that fall in a calendar year."""
    months = 0
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months += y == year
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def rival_revenue() -> pd.DataFrame:
    """PDD (calendar years) and AIDC (fiscal years) revenue, with growth computed from the
    levels and, for each period, how many of its months fall in the calendar year of its
    label."""
    t = data.load("rival_revenue").copy()
    t["start"] = pd.to_datetime(t["period_start"]).dt.date
    t["end"] = pd.to_datetime(t["period_end"]).dt.date
    t["growth_pct"] = np.nan
    for _company, part in t.groupby("company", sort=False):
        part = part.sort_values("start")
        g = 100 * (part["revenue_rmb_m"] / part["revenue_rmb_m"].shift(1) - 1)
        t.loc[part.index, "growth_pct"] = g
    t["label_year"] = t["end"].map(lambda d: d.year)
    t["months_in_label_year"] = [
        _months_in_year(s, e, y) for s, e, y in zip(t["start"], t["end"], t["label_year"], strict=True)
    ]
    return t


def months_in_calendar_year(company: str, period: str, year: int) -> int:
    """How many months of a reporting period (e.g. AIDC 'FY2025') fall in a calendar year."""
    t = data.load("rival_revenue")
    sel = t[(t["company"] == company) & (t["period"] == period)]
    if sel.empty:
        raise KeyError(f"no period {period!r} for {company!r} in rival_revenue.csv")
    r = sel.iloc[0]
    start = pd.Timestamp(r["period_start"]).date()
    end = pd.Timestamp(r["period_end"]).date()
    return _months_in_year(start, end, year)


def aidc_matches_segment_table() -> bool:
    """True when the AIDC rows of ``rival_revenue`` equal the segment table (paper Table 2)."""
    t = data.load("rival_revenue")
    a = t[(t["company"] == "AIDC") & (t["source"] == "paper_table2")]
    return all(
        int(v) == segments.value("aidc_total", int(p.removeprefix("FY")))
        for p, v in zip(a["period"], a["revenue_rmb_m"], strict=True)
    )


# --------------------------------------------------------------------------- the paper's claims


def claim_paper_value(claim_id: str) -> float:
    """The value the paper states for one of its claims (``paper_claims.csv``)."""
    v = claim(claim_id)["paper_value"]
    if v is None or pd.isna(v):
        raise ValueError(f"claim {claim_id!r} states no number")
    return float(v)


@check("cbec_share_2024")
def cbec_share_2024() -> float:
    """Cross-border e-commerce as a percentage of China's goods trade, 2024, on the preliminary
    figure (cbec_customs.csv, panexwd_2025_cbec) over total trade (goods_trade.csv, Xinhua)."""
    return share_of_trade(2024)


@check("cbec_value_2024_vintage")
def cbec_value_2024_later() -> float:
    """The later figure for 2024 (trillion yuan) that replaces the paper's preliminary one."""
    return cbec_value(2024, "later")


@check("cbec_growth_2024")
def cbec_growth_2024_from_levels() -> float:
    """2024 growth computed from the two published levels (percent); it fits customs' own
    rate within the rounding of the levels (see :func:`growth_check`)."""
    return growth_between(cbec_value(2023), cbec_value(2024))


@check("cbec_share_2021")
def cbec_share_2021_first() -> float:
    """The 2021 share of goods trade on the figure first published (percent)."""
    return share_of_trade(2021)


def claim_checks() -> dict[str, float]:
    """The section-1 claims recomputed from ``data/``, in each claim's unit."""
    return {
        "cbec_value_2024_vintage": cbec_value_2024_later(),
        "cbec_growth_2024": cbec_growth_2024_from_levels(),
        "cbec_share_2021": cbec_share_2021_first(),
        "cbec_share_2024": share_of_trade(2024),
    }


# --------------------------------------------------------------------------- what-if: landed cost

#: The rules the what-if offers. Each key names the row(s) of Chapter 7's dated rules table
#: (``data/rules.csv``) its figures come from; the value is the label the reader sees.
RULES: dict[str, str] = {
    "us_800": "US: USD 800 de minimis (goods from China, to 1 May 2025)",
    "us_china_end": "US, goods from China, formal entry (from 2 May 2025)",
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

#: Illustrative default: bulk sea freight to a local warehouse, per unit (order currency).
BULK_FREIGHT_PER_UNIT = 1.0

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
    t = _rules()
    if rule_id not in t.index:
        raise KeyError(f"no rule {rule_id!r} in data/rules.csv")
    return str(t.loc[rule_id, "date"])


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
    """Low-value parcels that used the US and EU reliefs in 2024 (billions), with the share
    of the EU's parcels sent from China."""
    t = data.load("low_value_parcels").set_index("measure_id")
    us, eu = t.loc["us_de_minimis_2024", "value"], t.loc["eu_low_value_2024", "value"]
    china = t.loc["eu_low_value_china_share_2024", "value"]
    fig, ax = plt.subplots(figsize=(7.0, 2.4))
    ax.barh([0, 1], [us, eu], color=[style.COLOURS["aidc_total"], style.COLOURS["cloud"]], height=0.55)
    ax.barh(1, eu * china / 100, color=style.COLOURS["highlight"], height=0.55, alpha=0.6)
    ax.text(us + 0.05, 0, f"{us:.2f} bn shipments (origin not split)", va="center", fontsize=8)
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
    direct: dict[str, float]  # freight, duty
    warehouse: dict[str, float]  # bulk freight, handling, duty

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
      sets: none within a duty-free threshold (``us_800``, ``eu_150``), ``duty_rate`` % of the
      value without one (``us_china_end``), 54% of the value for US postal items from China
      (``us_china_postal``, the ad valorem option; its USD 100-per-item alternative is dearer
      for any order under about USD 185), or €3 per item under €150 (``eu_3``).
    * **Local warehouse**: goods shipped in bulk ahead of the order (a commercial import, so
      no low-value relief applies and duty is paid on the value at ``duty_rate``), bulk freight
      per unit and a handling fee per order for storage, picking and local delivery.

    Simplifications, all favouring the direct parcel: duty on the warehouse route is charged on
    the full order value (a real importer declares a lower purchase price); VAT, which the EU
    charges on both routes since July 2021, is left out; unsold stock costs nothing.
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
    duty = order_value * duty_rate / 100
    within = order_value <= threshold if THRESHOLD_INCLUSIVE[rule] else order_value < threshold
    if kind == "threshold":
        direct_duty = 0.0 if within else duty
    elif kind == "ad_valorem":
        direct_duty = order_value * rule_figure(row) / 100
    elif kind == "per_item":
        direct_duty = rule_figure(row) if order_value < rule_figure(EU_SMALL_PARCEL_LIMIT_ROW) else duty
    else:
        direct_duty = duty
    return LandedCost(
        rule=rule,
        currency=currency,
        order_value=order_value,
        threshold=threshold,
        duty_free_direct=direct_duty == 0,
        direct={"freight": parcel_freight, "duty": direct_duty},
        warehouse={"freight": bulk_freight, "handling": handling_fee, "duty": duty},
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
    return {
        "Cheaper": verdict,
        "Direct parcel": money(r.direct_total, r.currency)
        + (" (duty-free)" if r.duty_free_direct else f" (duty {money(r.direct['duty'], r.currency)})"),
        "Local warehouse": money(r.warehouse_total, r.currency),
    }


_SHORT_RULE = {
    "us_800": "US, USD 800 de minimis",
    "us_china_end": "US, China, formal entry",
    "us_china_postal": "US, China, postal 54%",
    "eu_150": "EU, relief under EUR 150",
    "eu_3": "EU, EUR 3 per item",
}

#: The page's two what-ifs: 5 rules x 3 order values x 4 duty rates = 60 grid points, and
#: 3 x 3 x 3 = 27 for the costs (87 on the page, under the 120 a page may hold).
#: Fixed settings of each what-if (illustrative).
RULE_FIXED = {"parcel_freight": 6.0, "handling_fee": 4.0, "bulk_freight": BULK_FREIGHT_PER_UNIT}
COST_FIXED = {"order_value": 50.0, "rule": "us_china_end", "duty_rate": 20.0}


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


_PART_COLOURS = {"freight": "#1f77b4", "duty": "#d62728", "handling": "#9467bd"}


def landed_cost_chart(r: LandedCost, values: dict) -> Figure:
    """Two stacked bars: the cost per order on top of the goods' value, by component."""
    fig, ax = plt.subplots(figsize=(7.0, 2.6), dpi=80)
    channels = [("Direct parcel", r.direct), ("Local warehouse", r.warehouse)]
    for i, (_, parts) in enumerate(channels):
        left = 0.0
        for part in ("freight", "handling", "duty"):
            v = parts.get(part, 0.0)
            if v > 0:
                ax.barh(i, v, left=left, color=_PART_COLOURS[part], height=0.55)
                if v >= 3:
                    ax.text(left + v / 2, i, part, ha="center", va="center", fontsize=7, color="white")
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


# --------------------------------------------------------------------------- charts


def cbec_chart() -> Figure:
    """Cross-border e-commerce value (bars) and its share of goods trade (line), 2018-2024,
    with the later figure for 2024 and the missing 2019 marked."""
    s = annual_series()
    s = s[s["series"] == "full"]
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    years = list(range(FULL_SERIES_FROM, int(s["year"].max()) + 1))
    by_year = s.set_index("year")
    for y in years:
        if y not in by_year.index:
            ax.text(
                y, 0.1, "not published\non this series", ha="center", va="bottom", fontsize=7, color="#777777"
            )
            continue
        row = by_year.loc[y]
        prelim = y == years[-1]
        ax.bar(
            y,
            row["value_trn_yuan"],
            width=0.6,
            color=style.COLOURS["aidc_total"],
            alpha=0.55 if prelim else 0.9,
        )
        ax.text(
            y, 0.08, f"{row['value_trn_yuan']:.2f}", ha="center", fontsize=8, color="white", fontweight="bold"
        )
        if not pd.isna(row["later_trn_yuan"]):
            ax.plot([y - 0.3, y + 0.3], [row["later_trn_yuan"]] * 2, color=style.COLOURS["highlight"], lw=2)
            ax.text(
                y + 0.34,
                row["later_trn_yuan"],
                f"later\n≈{row['later_trn_yuan']:.1f}",
                fontsize=7,
                va="center",
            )
    ax.set_ylabel("Trillion yuan (万亿元)")
    ax.set_ylim(0, 3.3)
    ax.set_xticks(years, [str(y) + ("\nprelim." if y == years[-1] else "") for y in years], fontsize=8)
    bx = ax.twinx()
    shares = by_year["share_pct"].dropna()
    bx.plot(shares.index, shares.values, "o-", color=style.COLOURS["cloud"], lw=1.5)
    for y, v in shares.items():
        bx.text(y, v + 0.25, f"{v:.1f}%", ha="center", fontsize=8, color=style.COLOURS["cloud"])
    bx.set_ylim(0, 8)
    bx.set_ylabel("Share of goods trade (%)", color=style.COLOURS["cloud"])
    bx.spines["right"].set_visible(True)
    ax.set_title("Cross-border e-commerce, customs basis (calendar years)")
    return fig


def revenue_chart() -> Figure:
    """Year-on-year revenue growth of PDD (calendar years) and AIDC (fiscal years), each bar
    placed at the middle of the period it covers, so the three-quarter offset shows."""
    t = rival_revenue().dropna(subset=["growth_pct"])
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    colours = {"PDD": "#6a3d9a", "AIDC": style.COLOURS["aidc_total"]}
    for company, part in t.groupby("company", sort=False):
        for r in part.itertuples():
            mid = r.start + (r.end - r.start) / 2
            x = mid.year + (mid.timetuple().tm_yday - 1) / 365
            ax.bar(x, r.growth_pct, width=0.42, color=colours[company], alpha=0.85)
            ax.text(x, r.growth_pct + 2, f"{r.period}\n{r.growth_pct:.0f}%", ha="center", fontsize=7)
    ax.set_ylabel("Revenue growth, year on year (%)")
    ax.set_ylim(0, 110)
    ax.set_xlim(2022.2, 2025.4)
    ax.set_xticks([2023, 2024, 2025], ["1 Jan 2023", "1 Jan 2024", "1 Jan 2025"], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(
        handles, ["PDD (calendar years)", "AIDC (fiscal years to 31 March)"], loc="upper right", fontsize=8
    )
    ax.set_title("Growth placed at the middle of each reporting period")
    return fig
