"""Chapter 3, Company overview (企业概况): the business system, revenue shares on two
denominators, and the what-if on when AIDC reaches a share of group revenue.

Everything Chapter 3 computes lives here; the page makes short calls. Teaching scenarios,
not forecasts: constant growth rates applied to the latest sourced fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import data, segments, style
from ..claims import check
from ..finance import to_yi
from ..fmt import fy
from ..segments import BASE_YEAR, share, value


def company_fact(name: str) -> int:
    """A fact from ``company_facts.csv`` (founding year, founders, ...)."""
    t = data.load("company_facts").set_index("fact")
    if name not in t.index:
        raise KeyError(f"no company fact {name!r}; known: {', '.join(t.index)}")
    return int(t.loc[name, "value"])


def business_groups() -> pd.DataFrame:
    """The business-system table collapsed to one row per group, brands joined by channel."""
    t = data.load("business_system")
    out = []
    for gid, g in t.groupby("group_id", sort=False):
        parts = []
        for channel, c in g.groupby("channel", sort=False):
            brands = ", ".join(
                b if b == z else f"{b} {z}" for b, z in zip(c["brand"], c["brand_zh"], strict=True)
            )
            label = {"all": "", "to_home": "To-home: ", "to_destination": "To-destination: "}.get(
                channel, f"{channel.capitalize()}: "
            )
            parts.append(label + brands)
        out.append(
            {
                "group_id": gid,
                "Group": f"{g['group'].iloc[0]} ({g['group_zh'].iloc[0]})",
                "Brands": "; ".join(parts),
            }
        )
    return pd.DataFrame(out)


@dataclass(frozen=True)
class ShareScenario:
    """AIDC's share of group revenue, year by year, and when it first reaches the target."""

    path: pd.DataFrame  # fiscal_year, aidc_rmb_m, rest_rmb_m, aidc_share_pct
    target_pct: float
    crossing_year: int | None


#: The base case of the share what-if (Exhibit 3.6), % a year; the epilogue tests it against FY2025.
BASE_AIDC_GROWTH = 20
BASE_REST_GROWTH = 5


def aidc_share_path(
    aidc_growth: float, rest_growth: float, target_share: float, horizon: int = 10
) -> ShareScenario:
    """Grow AIDC and the rest of the group at constant rates (in % a year) from FY2024.

    The share uses consolidated revenue as denominator, as the paper's 10.9% does; the
    rest of the group is consolidated revenue minus AIDC.
    """
    if horizon < 1:
        raise ValueError("horizon must be at least one year")
    aidc0 = segments.value("aidc_total", BASE_YEAR)
    rest0 = segments.value("consolidated", BASE_YEAR) - aidc0
    rows = []
    for t in range(horizon + 1):
        a = aidc0 * (1 + aidc_growth / 100) ** t
        r = rest0 * (1 + rest_growth / 100) ** t
        rows.append(
            {
                "fiscal_year": BASE_YEAR + t,
                "aidc_rmb_m": a,
                "rest_rmb_m": r,
                "aidc_share_pct": 100 * a / (a + r),
            }
        )
    path = pd.DataFrame(rows)
    hit = path[path["aidc_share_pct"] >= target_share]
    crossing = int(hit["fiscal_year"].iloc[0]) if not hit.empty else None
    return ShareScenario(path=path, target_pct=target_share, crossing_year=crossing)


def share_summary(s: ShareScenario, values: dict) -> dict[str, str]:
    """One-line readout of a share scenario."""
    last = s.path.iloc[-1]
    when = fy(s.crossing_year) if s.crossing_year is not None else f"not by {fy(int(last['fiscal_year']))}"
    return {
        "Target reached": f"{when} (target {s.target_pct:g}%)",
        f"Share in {fy(int(last['fiscal_year']))}": f"{last['aidc_share_pct']:.1f}%",
    }


def share_chart(s: ShareScenario, values: dict) -> Figure:
    """Line chart of AIDC's share with the target and the crossing year marked."""
    fig, ax = plt.subplots(figsize=(6.4, 3.3), dpi=80)
    p = s.path
    ax.plot(
        p["fiscal_year"],
        p["aidc_share_pct"],
        "-o",
        color=style.COLOURS["aidc_total"],
        ms=3,
        label="AIDC share of group revenue (scenario)",
    )
    ax.axhline(
        s.target_pct, color=style.COLOURS["highlight"], ls="--", lw=1, label=f"target {s.target_pct:g}%"
    )
    if s.crossing_year is not None:
        ax.axvline(s.crossing_year, color=style.COLOURS["scenario"], ls=":", lw=1.2)
        ax.annotate(
            fy(s.crossing_year),
            (s.crossing_year, s.target_pct),
            xytext=(5, 8),
            textcoords="offset points",
            fontsize=9,
            color=style.COLOURS["scenario"],
        )
    ax.set_xticks(p["fiscal_year"][::2], [fy(int(v)) for v in p["fiscal_year"][::2]])
    ax.set_ylabel("% of consolidated revenue")
    ax.set_ylim(0, max(40, p["aidc_share_pct"].max() * 1.1))
    ax.set_title(
        f"Scenario, not a forecast: AIDC +{values['aidc_growth']:g}%/yr, rest +{values['rest_growth']:g}%/yr"
    )
    ax.legend(loc="upper left", fontsize=8)
    return fig


def crossing_label(aidc_growth: float, rest_growth: float, target_share: float) -> str:
    """'FY2030', or 'not by FY2034' when the target is out of the scenario's reach."""
    s = aidc_share_path(aidc_growth, rest_growth, target_share)
    return fy(s.crossing_year) if s.crossing_year else f"not by {fy(int(s.path['fiscal_year'].iloc[-1]))}"


def slowest_growth_reaching(
    target_share: float, by_year: int, rest_growth: float, candidates: list[float]
) -> float | None:
    """The lowest AIDC growth among ``candidates`` that reaches the target by ``by_year``."""
    for g in sorted(candidates):
        s = aidc_share_path(g, rest_growth, target_share)
        if s.crossing_year is not None and s.crossing_year <= by_year:
            return g
    return None


def revenue_structure(year: int) -> Figure:
    """Segment shares under both denominators, side by side (the paper's Figure 1, corrected)."""
    s = segments.segment_shares(year)
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    y = np.arange(len(s))
    h = 0.38
    ax.barh(
        y - h / 2,
        100 * s["share_of_segment_total"],
        h,
        label="of total segment revenue (paper)",
        color=[style.COLOURS[i] for i in s["line_id"]],
    )
    ax.barh(
        y + h / 2,
        100 * s["share_of_consolidated"],
        h,
        label="of consolidated revenue",
        color=[style.COLOURS[i] for i in s["line_id"]],
        alpha=0.45,
        hatch="//",
        edgecolor="white",
    )
    for yi, a, b in zip(y, s["share_of_segment_total"], s["share_of_consolidated"], strict=True):
        ax.text(100 * a + 0.5, yi - h / 2, f"{100 * a:.1f}%", va="center", fontsize=8)
        ax.text(100 * b + 0.5, yi + h / 2, f"{100 * b:.1f}%", va="center", fontsize=8, color="#555555")
    ax.set_yticks(y, s["segment"])
    ax.invert_yaxis()
    ax.set_xlabel(f"Share of revenue, {fy(year)} (%)")
    ax.set_title(f"Revenue structure {fy(year)}: two denominators (收入结构)")
    ax.legend(loc="lower right")
    ax.set_xlim(0, 100 * s["share_of_consolidated"].max() + 8)
    return fig


def _pct(x: float) -> float:
    return 100 * x


# ----------------------------------------------------------------------------- claims of section 3
@check("aidc_growth_fy2024")
def aidc_growth_fy2024() -> float:
    return _pct(segments.segment_growth("aidc_total", 2023, 2024))


@check("aidc_revenue_fy2024")
def aidc_revenue_fy2024() -> float:
    return to_yi(value("aidc_total", 2024))


@check("taotian_share_fy2024")
def taotian_share_fy2024() -> float:
    return _pct(share("taotian_total", 2024, "segment_total"))


@check("cloud_share_fy2024")
def cloud_share_fy2024() -> float:
    return _pct(share("cloud", 2024, "segment_total"))


@check("aidc_share_segments_fy2024")
def aidc_share_segments_fy2024() -> float:
    return _pct(share("aidc_total", 2024, "segment_total"))


@check("cainiao_share_fy2024")
def cainiao_share_fy2024() -> float:
    return _pct(share("cainiao", 2024, "segment_total"))


@check("cainiao_revenue_fy2024")
def cainiao_revenue_fy2024() -> float:
    return to_yi(value("cainiao", 2024))


# --------------------------------------------------------------------------- strategy evidence
#: AIDC's two businesses in the segment table: consumer retail (AliExpress, Trendyol, Lazada,
#: Daraz) and business-to-business wholesale (Alibaba.com).
AIDC_LINES = {"aidc_retail": "Retail: consumers", "aidc_wholesale": "Wholesale: business buyers (Alibaba.com)"}
MIX_YEARS = (2022, 2023, 2024)


def aidc_mix(years: tuple[int, ...] = MIX_YEARS, growth: bool = False) -> pd.DataFrame:
    """AIDC's revenue by business (RMB million), from ``segment_revenue.csv``; with ``growth``,
    each one's growth on the year before (%) too. The page shows the levels only: which business
    grew faster is before-class question 2."""
    rows = []
    for line, label in AIDC_LINES.items():
        row: dict[str, object] = {"Business": label}
        for i, y in enumerate(years):
            row[fy(y)] = value(line, y)
            if i and growth:
                row[f"Growth {fy(y)} (%)"] = round(100 * (value(line, y) / value(line, years[i - 1]) - 1), 1)
        rows.append(row)
    return pd.DataFrame(rows)


def growth_and_profit(line: str = "aidc_total", years: tuple[int, ...] = MIX_YEARS) -> pd.DataFrame:
    """One segment's revenue and adjusted EBITA by fiscal year (RMB million): the raw material
    for asking whether its growth paid for itself (ratios are left to the reader)."""
    return pd.DataFrame(
        {
            "Fiscal year": [fy(y) for y in years],
            "Segment revenue": [value(line, y) for y in years],
            "Adjusted EBITA": [segments.ebita(line, y) for y in years],
        }
    )


def growth_and_profit_chart(line: str = "aidc_total", years: tuple[int, ...] = MIX_YEARS) -> Figure:
    """:func:`growth_and_profit` drawn: revenue (left) and adjusted EBITA (right) by fiscal year,
    each bar labelled with its value in RMB billion (a loss below zero)."""
    t = growth_and_profit(line, years)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.2))
    for ax, col, colour in (
        (left, "Segment revenue", style.COLOURS["aidc_total"]),
        (right, "Adjusted EBITA", style.COLOURS["cloud"]),
    ):
        vals = t[col] / 1000
        bars = ax.bar(t["Fiscal year"], vals, color=colour, width=0.6)
        for rect, v in zip(bars, vals, strict=True):
            ax.text(
                rect.get_x() + rect.get_width() / 2,
                v,
                f"{v:,.1f}".replace("-", "−"),
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=9,
            )
        ax.axhline(0, color="#444444", lw=0.8)
        lo, hi = min(0.0, vals.min()), max(0.0, vals.max())
        ax.set_ylim(lo * 1.25 if lo < 0 else 0, hi * 1.2 if hi > 0 else 1)
        ax.set_title(f"{col} (RMB billion)", fontsize=10)
    return fig
