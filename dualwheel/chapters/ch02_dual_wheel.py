"""Chapter 2, the dual-wheel drive (双轮驱动的内涵): numbers, models and charts.

The paper's section 2 is a concept, not a set of figures. This module turns the concept into
things a student can observe and test:

* what the "technology wheel" costs, from the filings (:func:`tech_investment`);
* who owns each link of the transaction - fulfilment - payment loop (:func:`loop_owners`,
  :func:`loop_diagram`);
* why the weakest link of a chain of multiplied rates sets the pace (:func:`funnel`);
* why a two-sided platform needs critical mass before it can grow on its own
  (:func:`platform_path`), a teaching model and not an estimate of Alibaba.

Everything here is a pure function of ``data/`` or of its arguments; the chapter page only
calls these and shows the results.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import data, style
from ..claims import check
from ..cutoff import after_cutoff
from ..fmt import fy
from .decision import DECISION_DATE

#: The paper's section-2 claims, in the order the chapter shows them.
SECTION_2_CLAIMS = (
    "loop_under_one_owner",
    "wheels_distinct",
    "coordination_sets_penetration",
    "two_way_drive",
)

#: The last full fiscal year public at the decision date (FY2024, 20-F filed May 2024); the chapter
#: shows nothing later (``through=None`` lifts the limit).
LAST_FY = 2024

#: The loop's links in the order a purchase passes through them.
LOOP_ORDER = ("transaction", "payment", "fulfilment")

#: Readable names for the relation of a unit to Alibaba Group.
RELATION_LABELS = {
    "consolidated_segment": "Alibaba's own segment",
    "subsidiary": "subsidiary",
    "affiliate": "affiliate (equity stake, not controlled)",
}

#: Size of the single improvement the funnel what-if compares, in percentage points.
IMPROVEMENT_POINTS = 5.0

#: Slider grids of the two what-ifs (min, max, step, default). Few steps each: every grid point
#: is a precomputed frame in the static page (at most 60 a what-if, 120 a page).
#: Funnel anchors (data/funnel_benchmarks.csv): conversion 1.7-2.6% in 2023; card acceptance
#: "90%+" (lower across borders, but no dated source with a figure was found); about 73% of US
#: orders on time. No source gives the repeat rate after a good delivery: that range is
#: illustrative, set above the 28.2% all-customer average.
SLIDERS: dict[str, dict[str, float]] = {
    "conversion_pct": {"min": 1.5, "max": 3.0, "step": 1.5, "default": 3.0},
    "payment_pct": {"min": 60, "max": 90, "step": 15, "default": 90},
    "on_time_pct": {"min": 45, "max": 85, "step": 20, "default": 45},
    "repeat_pct": {"min": 40, "max": 70, "step": 30, "default": 70},
    # critical mass (a teaching model: ranges illustrative)
    "attraction": {"min": 0.6, "max": 1.2, "step": 0.6, "default": 1.2},
    "churn_pct": {"min": 5, "max": 15, "step": 5, "default": 10},
    "seed_sellers_pct": {"min": 0, "max": 30, "step": 15, "default": 0},
}


def slider_values(name: str) -> list[float]:
    """The grid of one slider, from min to max in steps."""
    g = SLIDERS[name]
    n = int(round((g["max"] - g["min"]) / g["step"]))
    return [round(g["min"] + i * g["step"], 10) for i in range(n + 1)]


def slider_default(name: str) -> float:
    """The position of one slider when the page opens (the what-if's base case)."""
    if name not in SLIDERS:
        raise KeyError(f"no slider {name!r}; sliders: {sorted(SLIDERS)}")
    return float(SLIDERS[name]["default"])


FUNNEL_PARAMS = ("conversion_pct", "payment_pct", "on_time_pct", "repeat_pct")
PLATFORM_PARAMS = ("attraction", "churn_pct", "seed_sellers_pct")


def grid_size(names: tuple[str, ...]) -> int:
    """Number of precomputed frames for a what-if over the named sliders."""
    n = 1
    for name in names:
        n *= len(slider_values(name))
    return n


#: The funnel's links after the order, which the what-if ranks (visit-to-order is a rate of a
#: few per cent: 5 points there would be a doubling or more, not a comparable step).
RANKED_LINKS = {
    "payment_pct": "payment success",
    "on_time_pct": "on-time delivery",
    "repeat_pct": "repeat purchase",
}


#: ILLUSTRATIVE cost of one percentage point on each ranked link when that link stands at 50%
#: (RMB thousand a month, say). No source gives such costs; they only show that the ranking per
#: yuan can differ from the ranking per point. A point costs more the nearer the rate is to 100%:
#: see :func:`cost_per_point`.
COST_AT_HALF: dict[str, float] = {
    "payment success": 10.0,  # adding local payment methods, retrying declined cards
    "on-time delivery": 40.0,  # faster line haul, local warehouses
    "repeat purchase": 20.0,  # service, loyalty offers
}


def cost_per_point(link: str, rate_pct: float) -> float:
    """ILLUSTRATIVE cost of one more point on ``link`` at a rate of ``rate_pct`` per cent.

    The cost rises as the rate nears 100%: ``COST_AT_HALF[link] × 50 ÷ (100 − rate)``, so the
    last points are the dearest (and 100% cannot be bought).
    """
    if link not in COST_AT_HALF:
        raise KeyError(f"no cost for link {link!r}; links: {sorted(COST_AT_HALF)}")
    if not 0 <= rate_pct < 100:
        raise ValueError(f"rate_pct must be at least 0 and below 100, got {rate_pct!r}")
    return COST_AT_HALF[link] * 50 / (100 - rate_pct)


# --------------------------------------------------------------------------- technology wheel
def tech_investment(through: int | None = LAST_FY) -> pd.DataFrame:
    """Product development expense, capex and revenue by fiscal year to ``through``, with two ratios.

    Returns one row per fiscal year that has any full-year figure, columns
    ``product_development``, ``capex``, ``revenue`` (RMB million; NaN where no source was
    found), ``pd_intensity_pct`` (product development ÷ revenue × 100) and
    ``capex_to_pd`` (capex ÷ product development). Missing years stay missing: a gap in the
    sources is shown as a gap, never filled in.
    """
    t = data.load("tech_investment")
    full = t[t["period"] == "full_year"]
    wide = full.pivot(index="fiscal_year", columns="item", values="value_rmb_m").astype(float)
    for col in ("product_development", "capex", "revenue"):
        if col not in wide:
            wide[col] = np.nan
    last = int(wide.index.max()) if through is None else min(through, int(wide.index.max()))
    wide = wide.reindex(range(int(wide.index.min()), last + 1))
    wide["pd_intensity_pct"] = 100 * wide["product_development"] / wide["revenue"]
    wide["capex_to_pd"] = wide["capex"] / wide["product_development"]
    wide.index.name = "fiscal_year"
    return wide[["product_development", "capex", "revenue", "pd_intensity_pct", "capex_to_pd"]]


def tech_value(item: str, year: int, period: str = "full_year") -> int:
    """One figure from ``tech_investment.csv``; a clear error when the sources had none."""
    t = data.load("tech_investment")
    row = t[(t["item"] == item) & (t["fiscal_year"] == year) & (t["period"] == period)]
    if row.empty:
        have = sorted(t.loc[t["item"] == item, "fiscal_year"].unique().tolist())
        raise KeyError(
            f"no {period} {item!r} figure for {fy(year)} in data/tech_investment.csv "
            f"(years with a figure: {have}); it was not found in a source, so it is not filled in"
        )
    return int(row["value_rmb_m"].iloc[0])


def missing_years(item: str, through: int | None = LAST_FY) -> list[int]:
    """Fiscal years inside the table's span (to ``through``) for which ``item`` has no full-year figure."""
    wide = tech_investment(through)
    return [int(y) for y in wide.index[wide[item].isna()]]


def investment_chart(title: str, through: int | None = LAST_FY) -> Figure:
    """Bars of product development expense and capex (RMB billion) and a line of R&D intensity."""
    wide = tech_investment(through)
    years = wide.index.to_numpy()
    x = years.astype(float)  # the x-axis is the fiscal year itself; a year with no figure is a gap
    fig, ax = plt.subplots(figsize=style.FIGSIZE)
    width = 0.38
    pd_bn, cx_bn = wide["product_development"] / 1000, wide["capex"] / 1000
    has_pd, has_cx = pd_bn.notna().to_numpy(), cx_bn.notna().to_numpy()
    ax.bar(
        x[has_pd] - width / 2,
        pd_bn[has_pd],
        width,
        color=style.COLOURS["cloud"],
        label="Product development expense",
    )
    ax.bar(
        x[has_cx] + width / 2,
        cx_bn[has_cx],
        width,
        color=style.COLOURS["scenario"],
        hatch=style.SECOND_HATCH,  # beside the expense bar of the same year
        edgecolor="white",
        label="Capex (property, equipment, land)",
    )
    for i, y in enumerate(years):
        if np.isnan(pd_bn.loc[y]):
            ax.text(x[i] - width / 2, 2, "not\nfound", ha="center", va="bottom", fontsize=7, color="#555555")
    ax.set_xticks(x, [fy(int(y)) for y in years], rotation=0, fontsize=8)
    ax.set_ylabel("RMB billion")
    ax.set_title(title)
    ax2 = ax.twinx()
    ax2.plot(
        x,
        wide["pd_intensity_pct"].to_numpy(dtype=float),  # NaN where a year has no figure: no point drawn
        "o",
        color=style.COLOURS["highlight"],
        label="Product development ÷ revenue",
    )
    ax2.set_xticks(x, [fy(int(y)) for y in years])  # the twin's x-axis is hidden; this names its points
    ax2.set_ylabel("% of revenue")
    ax2.set_ylim(0, max(20.0, float(np.nanmax(wide["pd_intensity_pct"])) * 1.2))
    ax2.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- who owns the loop
def loop_owners() -> pd.DataFrame:
    """The loop's links with their unit, owner, relation to Alibaba and stake (from ``loop_links.csv``)."""
    t = data.load("loop_links").set_index("link")
    return t.loc[[*LOOP_ORDER, "technology"]]


@check("loop_under_one_owner")
def payment_link_stake() -> float:
    """Alibaba's stake (%) in the company that runs the loop's payment link: the check value of
    the claim that the loop is Alibaba's own (control would need more than 50%)."""
    return float(loop_owners().loc["payment", "alibaba_stake_pct"])


def links_not_owned_outright() -> list[str]:
    """Links whose unit Alibaba did not own 100% (or not at all as a segment) on the dates recorded."""
    t = loop_owners()
    return [link for link, row in t.iterrows() if row["relation"] != "consolidated_segment"]


def loop_diagram(title: str) -> Figure:
    """The transaction - payment - fulfilment loop above the technology base, with each owner and stake.

    A thin solid outline marks one of Alibaba's own segments, a thick one a subsidiary, a
    dashed one an affiliate that Alibaba does not control.
    """
    t = loop_owners()
    fig, ax = plt.subplots(figsize=(7.4, 5.0))
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.2, 7.6)
    ax.axis("off")
    ax.set_title(title)
    spots = {
        "transaction": (6.0, 6.3),
        "payment": (9.8, 3.4),
        "fulfilment": (2.2, 3.4),
        "technology": (6.0, 0.9),
    }
    colours = {
        "transaction": style.COLOURS["aidc_total"],
        "payment": style.COLOURS["payment"],
        "fulfilment": style.COLOURS["cainiao"],
        "technology": style.COLOURS["cloud"],
    }
    for link, (cx, cy) in spots.items():
        row = t.loc[link]
        relation = row["relation"]
        stake = row["alibaba_stake_pct"]
        lines = [*textwrap.wrap(str(row["unit"]), 34), RELATION_LABELS[relation]]
        if stake is not None and not pd.isna(stake):
            lines.append(f"Alibaba stake {stake:g}% ({row['as_of']})")
        ax.add_patch(
            FancyBboxPatch(
                (cx - 2.05, cy - 0.85),
                4.1,
                1.7,
                boxstyle="round,pad=0.05",
                linewidth=2.8 if relation == "subsidiary" else 1.3,
                linestyle="--" if relation == "affiliate" else "-",
                edgecolor=colours[link],
                facecolor="white",
            )
        )
        ax.text(
            cx,
            cy + 0.55,
            f"{link.capitalize()} ({row['link_zh']})",
            ha="center",
            va="center",
            fontsize=9.5,
            fontweight="bold",
        )
        ax.text(cx, cy - 0.2, "\n".join(lines), ha="center", va="center", fontsize=7, linespacing=1.3)
    for (x0, y0), (x1, y1) in [
        ((8.2, 6.3), (9.9, 4.35)),
        ((7.7, 3.2), (4.3, 3.2)),
        ((2.1, 4.35), (3.8, 6.3)),
    ]:
        ax.add_patch(
            FancyArrowPatch(
                (x0, y0),
                (x1, y1),
                arrowstyle="-|>",
                mutation_scale=14,
                color="#444444",
                connectionstyle="arc3,rad=-0.2",
            )
        )
    for x in (2.2, 6.0, 9.8):  # the technology base runs under every link
        ax.plot([x, x], [1.85, 2.45 if x != 6.0 else 3.4], color=style.COLOURS["cloud"], lw=0.8, ls=":")
    ax.text(
        6.0, 4.25, "one order goes\nround the loop", ha="center", va="center", fontsize=7.5, color="#555555"
    )
    return fig


# --------------------------------------------------------------------------- what-if 1: the weakest link
@dataclass(frozen=True)
class FunnelResult:
    """Counts per ``visitors`` at each step of the loop, and the gain from improving each link."""

    visitors: int
    orders_placed: float
    orders_paid: float
    delivered_on_time: float
    repeat_customers: float
    gains: dict[str, float]  # link label -> extra repeat customers from +IMPROVEMENT_POINTS
    headroom_pct: dict[str, float]  # link label -> % more repeat customers if that link were perfect
    per_yuan: dict[str, float]  # link label -> extra repeat customers per RMB 100,000 (illustrative costs)

    @property
    def best_link(self) -> str:
        """The ranked link whose +5 points adds the most repeat customers (first one on a tie)."""
        return _argmax(self.gains)

    @property
    def best_per_yuan(self) -> str:
        """The ranked link whose +5 points adds the most repeat customers per yuan (illustrative costs)."""
        return _argmax(self.per_yuan)


def _argmax(values: Mapping[str, float]) -> str:
    """The key with the largest value; the first one in order on a tie."""
    keys = list(values)
    return max(keys, key=lambda k: (round(values[k], 9), -keys.index(k)))


def _rate(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise ValueError(f"{name} must be a number of per cent, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g}% and {high:g}%, got {value:g}%")
    return float(value) / 100


def funnel(
    conversion_pct: float,
    payment_pct: float,
    on_time_pct: float,
    repeat_pct: float,
    visitors: int = 10_000,
) -> FunnelResult:
    """A purchase passing four links whose rates multiply.

    ``conversion_pct``: visits that end in an order placed; ``payment_pct``: orders whose payment
    succeeds; ``on_time_pct``: paid orders delivered on time; ``repeat_pct``: customers with an
    on-time delivery who buy again. Each rate is in per cent (0-100). The gains compare one
    improvement of :data:`IMPROVEMENT_POINTS` points on each link after the order (capped at 100%).
    """
    if isinstance(visitors, bool) or not isinstance(visitors, int) or visitors <= 0:
        raise ValueError(f"visitors must be a positive whole number, got {visitors!r}")
    rates = {
        "conversion_pct": _rate("Visit to order", conversion_pct, 0, 100),
        "payment_pct": _rate("Payment success", payment_pct, 0, 100),
        "on_time_pct": _rate("On-time delivery", on_time_pct, 0, 100),
        "repeat_pct": _rate("Repeat purchase", repeat_pct, 0, 100),
    }

    def repeats(r: Mapping[str, float]) -> float:
        return visitors * r["conversion_pct"] * r["payment_pct"] * r["on_time_pct"] * r["repeat_pct"]

    base = repeats(rates)
    gains, headroom, per_yuan = {}, {}, {}
    for key, label in RANKED_LINKS.items():
        new_rate = min(1.0, rates[key] + IMPROVEMENT_POINTS / 100)
        gains[label] = repeats({**rates, key: new_rate}) - base
        headroom[label] = (100 * (1 / rates[key] - 1)) if rates[key] > 0 else float("inf")
        points = 100 * (new_rate - rates[key])
        if points <= 0:
            per_yuan[label] = 0.0
        else:  # cost of the step, point by point at the rising illustrative cost (RMB thousand)
            cost = sum(cost_per_point(label, 100 * rates[key] + i) for i in range(int(round(points))))
            per_yuan[label] = gains[label] / cost * 100  # per RMB 100,000
    placed = visitors * rates["conversion_pct"]
    paid = placed * rates["payment_pct"]
    on_time = paid * rates["on_time_pct"]
    return FunnelResult(visitors, placed, paid, on_time, base, gains, headroom, per_yuan)


def funnel_chart(result: FunnelResult, values: Mapping[str, float]) -> Figure:
    """Horizontal bars: what is left of the orders after each link, per 10,000 visitors."""
    labels = ["Orders placed", "Payment succeeds", "Delivered on time", "Buys again"]
    counts = [result.orders_placed, result.orders_paid, result.delivered_on_time, result.repeat_customers]
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    colours = [
        style.COLOURS["aidc_total"],
        style.COLOURS["payment"],
        style.COLOURS["cainiao"],
        style.COLOURS["highlight"],
    ]
    y = np.arange(len(labels))[::-1]
    ax.barh(y, counts, color=colours)
    for yi, c in zip(y, counts, strict=True):
        ax.text(c + 3, yi, f"{c:,.0f}", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 420)
    ax.set_xlabel(f"per {result.visitors:,} visitors")
    ax.set_title("Orders left after each link of the loop", fontsize=11)
    return fig


def funnel_summary(result: FunnelResult, values: Mapping[str, float]) -> dict[str, str]:
    """The readout: orders, repeat customers, and what +5 points on each link would add, per point
    and per yuan. It gives the figures and names no winner: which fix to buy is the page's in-class
    task (the teaching note has the answer, from ``best_link`` and ``best_per_yuan``)."""
    gains = ", ".join(f"{k} +{v:.1f}" for k, v in result.gains.items())
    per_yuan = ", ".join(f"{k} {v:.2f}" for k, v in result.per_yuan.items())
    return {
        "Paid orders / 10,000 visitors": f"{result.orders_paid:,.0f}",
        "Repeat customers / 10,000": f"{result.repeat_customers:,.1f}",
        f"Repeat customers added by +{IMPROVEMENT_POINTS:g} points": gains,
        "Added per RMB 100,000, illustrative costs": per_yuan,
    }


def benchmark_table(before_decision: bool = True) -> pd.DataFrame:
    """The published rates behind the funnel's slider ranges, with their confidence; by default
    only those whose source was public on the decision date."""
    t = data.load("funnel_benchmarks")
    if before_decision:
        t = t[[public_by_decision(s) for s in t["source"]]]
    return t[["stage", "metric", "value", "period", "confidence", "source"]].reset_index(drop=True)


# --------------------------------------------------------------------------- what-if 2: critical mass
#: Starting share of potential buyers and of potential sellers before any subsidy.
START_SHARE = 0.02
#: Periods shown (months, say) and the longer horizon used only to classify the outcome.
PERIODS, LONG_RUN = 24, 400
#: Long-run share of buyers above which the platform is said to take off.
TAKEOFF_SHARE = 0.5


@dataclass(frozen=True)
class PlatformPath:
    """Shares of potential buyers and sellers on the platform, period by period."""

    buyers: np.ndarray
    sellers: np.ndarray
    long_run_buyers: float

    @property
    def outcome(self) -> str:
        """'takes off' or 'collapses', judged on the long run, not on the chart's 24 periods."""
        return "takes off" if self.long_run_buyers >= TAKEOFF_SHARE else "collapses"


def _step(b: float, s: float, attraction: float, churn: float) -> tuple[float, float]:
    """One period: each side joins in proportion to the square of the other side's share."""
    nb = b + attraction * s * s * (1 - b) - churn * b
    ns = s + attraction * b * b * (1 - s) - churn * s
    return min(max(nb, 0.0), 1.0), min(max(ns, 0.0), 1.0)


def platform_path(
    attraction: float, churn_pct: float, seed_sellers_pct: float, periods: int = PERIODS
) -> PlatformPath:
    """A teaching model of a two-sided platform at launch (not an estimate of any real platform).

    Each period a share ``attraction × (other side's share)²`` of the people not yet on the
    platform joins, and ``churn_pct`` per cent of those on it leave. Both sides start at
    :data:`START_SHARE`; the launch subsidy adds ``seed_sellers_pct`` per cent of potential
    sellers (paid to list at launch). Squaring the other side's share is what creates a
    threshold: below it churn wins, above it the two sides pull each other up.
    """
    for name, v in (
        ("attraction", attraction),
        ("churn_pct", churn_pct),
        ("seed_sellers_pct", seed_sellers_pct),
    ):
        if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
            raise ValueError(f"{name} must be a number, got {v!r}")
    if attraction < 0:
        raise ValueError(f"attraction must be zero or more, got {attraction}")
    if not 0 <= churn_pct <= 100:
        raise ValueError(f"churn_pct must be between 0 and 100, got {churn_pct}")
    if not 0 <= seed_sellers_pct <= 100 * (1 - START_SHARE):
        raise ValueError(
            f"seed_sellers_pct must be between 0 and {100 * (1 - START_SHARE):g}, got {seed_sellers_pct}"
        )
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ValueError(f"periods must be a positive whole number, got {periods!r}")
    churn = churn_pct / 100
    b, s = START_SHARE, START_SHARE + seed_sellers_pct / 100
    buyers, sellers = [b], [s]
    for t in range(max(periods, LONG_RUN)):
        b, s = _step(b, s, attraction, churn)
        if t < periods:
            buyers.append(b)
            sellers.append(s)
    return PlatformPath(np.array(buyers), np.array(sellers), b)


def platform_chart(path: PlatformPath, values: Mapping[str, float]) -> Figure:
    """Buyers and sellers (% of potential) over the periods, with the outcome in the title."""
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    t = np.arange(len(path.buyers))
    ax.plot(t, 100 * path.buyers, color=style.COLOURS["aidc_total"], lw=2, label="Buyers")
    ax.plot(t, 100 * path.sellers, color=style.COLOURS["cloud"], lw=2, ls="--", label="Sellers")
    ax.set_ylim(0, 100)
    ax.set_xlim(0, len(t) - 1)
    ax.set_xlabel("Period after launch")
    ax.set_ylabel("% of potential users")
    word = "takes off" if path.outcome == "takes off" else "collapses"
    ax.set_title(f"Teaching model: in the long run it {word:<9}", fontsize=11)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def platform_summary(path: PlatformPath, values: Mapping[str, float]) -> dict[str, str]:
    """The readout: shares after the last period shown, and the long-run outcome."""
    return {
        f"Buyers after {len(path.buyers) - 1} periods": f"{100 * path.buyers[-1]:.0f}% of potential",
        f"Sellers after {len(path.sellers) - 1} periods": f"{100 * path.sellers[-1]:.0f}% of potential",
        "In the long run": path.outcome,
    }


# --------------------------------------------------------------------------- localisation and regulation
def _last_day(text: str) -> str | None:
    """The latest ISO day a date (YYYY, YYYY-MM, YYYY-MM-DD or a span YYYY-YYYY) can mean; None if
    the text is no date (an article of a law)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-(\d{4}))?", str(text).strip())
    if not m:
        return None  # string order of ISO days is enough for the comparisons below
    return f"{m[4]}-12-31" if m[4] else f"{m[1]}-{m[2] or '12'}-{m[3] or '31'}"


def public_by_decision(source: str) -> bool:
    """Whether a source id was public on the decision date: its ``fact_public`` or ``published``."""
    s = data.sources()[source]
    when = s.get("fact_public") or s.get("published")
    return when is not None and str(_last_day(str(when))) <= DECISION_DATE.isoformat()


def link_context(before_decision: bool = True) -> pd.DataFrame:
    """Sourced facts on localisation and regulation for each link of the loop (``link_context.csv``),
    in the loop's order; by default only facts dated (``as_of``) and sourced by the decision date."""
    t = data.load("link_context")
    if before_decision:
        last = t["as_of"].map(_last_day)
        t = t[(last.isna() | (last <= DECISION_DATE.isoformat())) & ~t["source"].map(after_cutoff)]
    order = {link: i for i, link in enumerate((*LOOP_ORDER, "technology"))}
    key = lambda c: c.map(order) if c.name == "link" else c  # noqa: E731
    return t.sort_values(["link", "aspect"], key=key).reset_index(drop=True)
