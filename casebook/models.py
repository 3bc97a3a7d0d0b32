"""Pure scenario models behind the what-ifs. No widgets, no plotting: numbers in, numbers out.

These are teaching scenarios, not forecasts: constant growth rates applied to the latest
sourced fiscal year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import metrics, style
from .metrics import fy

style.apply()  # the house style (CJK font stack) for the what-if charts drawn here

#: Last fiscal year with sourced segment data; scenarios start from it.
BASE_YEAR = 2024


@dataclass(frozen=True)
class ShareScenario:
    """AIDC's share of group revenue, year by year, and when it first reaches the target."""

    path: pd.DataFrame  # fiscal_year, aidc_rmb_m, rest_rmb_m, aidc_share_pct
    target_pct: float
    crossing_year: int | None


def aidc_share_path(
    aidc_growth: float, rest_growth: float, target_share: float, horizon: int = 10
) -> ShareScenario:
    """Grow AIDC and the rest of the group at constant rates (in % a year) from FY2024.

    The share uses consolidated revenue as denominator, as the paper's 10.9% does; the
    rest of the group is consolidated revenue minus AIDC.
    """
    if horizon < 1:
        raise ValueError("horizon must be at least one year")
    aidc0 = metrics.value("aidc_total", BASE_YEAR)
    rest0 = metrics.value("consolidated", BASE_YEAR) - aidc0
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


# ----------------------------------------------------------------------------- Chapter 6: CAGR explorer

#: The bases a student can pick in the CAGR explorer (value -> label on the toggle).
CAGR_BASES: dict[str, str] = {
    "old": "Old basis (external revenue, 旧口径)",
    "new": "Restated basis (新口径)",
    "mixed": "Mixed, as the paper plots it",
}

#: How the readout names the basis of one value.
BASIS_WORDS: dict[str, str] = {"old": "old basis", "new": "restated basis"}

#: How periods are counted (value -> label on the toggle).
PERIOD_RULES: dict[str, str] = {
    "span": "end − start (correct)",
    "paper": "5, as the paper counted",
}

#: The number of periods the paper compounds over for "2019-2024".
PAPER_PERIODS = 5


@dataclass(frozen=True)
class CagrResult:
    """One CAGR calculation on Cainiao's revenue, or the reason it cannot be made.

    ``cagr_pct`` is None when the choice is invalid; ``message`` then says why, in a
    sentence a student can act on. ``warnings`` list what is wrong with a valid but
    inconsistent calculation (bases mixed, periods miscounted).
    """

    basis: str
    start: int
    end: int
    period_rule: str
    series: pd.Series  # fiscal_year -> RMB million on the chosen basis
    periods: int | None
    cagr_pct: float | None
    message: str
    warnings: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.cagr_pct is not None

    @property
    def span(self) -> int:
        return self.end - self.start

    def basis_of(self, year: int) -> str:
        """'old' or 'new': which basis the value for ``year`` is on."""
        if self.basis == "mixed":
            return "new" if year >= metrics.basis_switch_year("cainiao") else "old"
        return self.basis


def cainiao_cagr(start: float, end: float, basis: str, periods: str = "span") -> CagrResult:
    """Cainiao's compound annual growth rate (年均复合增长率) from ``start`` to ``end`` (fiscal years).

    ``basis`` is a key of :data:`CAGR_BASES`; ``periods`` is ``"span"`` (end − start, the
    correct count) or ``"paper"`` (always 5, as the paper counted for "2019-2024"). Choices
    that cannot give a rate (end not after start, a year with no figure on that basis) return
    a result with ``cagr_pct=None`` and a message instead of raising, so a what-if frame can
    say what went wrong. Unknown bases or period rules raise ValueError.
    """
    if basis not in CAGR_BASES:
        raise ValueError(f"basis must be one of {', '.join(CAGR_BASES)}, not {basis!r}")
    if periods not in PERIOD_RULES:
        raise ValueError(f"periods must be one of {', '.join(PERIOD_RULES)}, not {periods!r}")
    start, end = int(start), int(end)
    series = metrics.cainiao_series(basis)

    def result(n: int | None, rate: float | None, message: str, warns: tuple[str, ...] = ()) -> CagrResult:
        return CagrResult(basis, start, end, periods, series, n, rate, message, warns)

    if end <= start:
        return result(None, None, f"The end year must come after the start year ({fy(start)} → {fy(end)}).")
    missing = [y for y in (start, end) if y not in series.index]
    if missing:
        have = f"{fy(int(series.index.min()))}–{fy(int(series.index.max()))}"
        return result(
            None,
            None,
            f"No {fy(missing[0])} figure on this basis (it covers {have}); pick years inside that range.",
        )
    n = end - start if periods == "span" else PAPER_PERIODS
    rate = 100 * metrics.cagr(series[start], series[end], n)
    warns = []
    out = result(n, rate, "", ())
    if out.basis_of(start) != out.basis_of(end):
        warns.append(f"mixes two bases: {fy(start)} is external revenue only, {fy(end)} is restated")
    if n != end - start:
        warns.append(f"counts {n} periods, but {fy(start)} → {fy(end)} spans {_years(end - start)} of growth")
    return result(n, rate, "", tuple(warns))


def cagr_frame_key(values: Mapping[str, Any], r: CagrResult) -> tuple:
    """What-if frames that share a chart: a choice with no rate looks the same whichever period
    count is picked, so those frames are drawn once."""
    key = (values["start"], values["end"], values["basis"])
    return key if not r.valid else (*key, values["periods"])


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def is_paper_cagr(r: CagrResult, tolerance: float = 0.05) -> bool:
    """True when a result reproduces the paper's figure for Cainiao's growth (34.8%)."""
    paper = metrics.claim("cainiao_cagr")["paper_value"]
    return r.valid and abs(r.cagr_pct - paper) < tolerance


def cagr_summary(r: CagrResult, values: dict) -> dict[str, str]:
    """The readout of the CAGR explorer: the rate, how it was computed, and what is wrong with it."""
    paper = metrics.claim("cainiao_cagr")["paper_value"]
    if not r.valid:
        return {"CAGR": "no rate", "Why": r.message}
    out = {
        "CAGR": f"{r.cagr_pct:.1f}%",
        "Calculation": (
            f"{fy(r.start)} {metrics.to_yi(r.series[r.start]):,.1f} 亿元 ({BASIS_WORDS[r.basis_of(r.start)]}) → "
            f"{fy(r.end)} {metrics.to_yi(r.series[r.end]):,.1f} 亿元 ({BASIS_WORDS[r.basis_of(r.end)]}) "
            f"over {r.periods} period{'s' if r.periods != 1 else ''}"
        ),
    }
    if is_paper_cagr(r):
        out["Paper"] = (
            f"this is the paper's {paper:g}%: {fy(r.start)} old basis → {fy(r.end)} restated, "
            f"over {r.periods} periods"
        )
    else:
        out["Paper"] = f"{r.cagr_pct - paper:+.1f} points from the paper's {paper:g}%"
    out["Check"] = "; ".join(r.warnings) if r.warnings else "consistent basis and period count"
    return out


def cagr_chart(r: CagrResult, values: dict) -> Figure:
    """The chosen Cainiao series with its start and end marked, the compound path, and the rate
    set against the paper's 34.8%."""
    paper = metrics.claim("cainiao_cagr")["paper_value"]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=80, gridspec_kw={"width_ratios": [3.2, 1]})
    years = list(range(2019, BASE_YEAR + 1))
    for y in years:
        if y not in r.series.index:
            ax.text(y, 8, "no data", rotation=90, ha="center", va="bottom", fontsize=7, color="#888888")
            continue
        picked = y in (r.start, r.end)
        ax.bar(
            y,
            metrics.to_yi(r.series[y]),
            width=0.6,
            color=style.COLOURS[r.basis_of(y)],
            alpha=1.0 if picked else 0.45,
            edgecolor=style.COLOURS["highlight"] if picked else "none",
            linewidth=1.5,
        )
    if r.valid:
        steps = range(r.end - r.start + 1)
        path = [metrics.to_yi(r.series[r.start]) * (1 + r.cagr_pct / 100) ** t for t in steps]
        ax.plot(
            [r.start + t for t in steps],
            path,
            "--",
            color=style.COLOURS["scenario"],
            lw=1.5,
            label=f"compounding at {r.cagr_pct:.1f}%/yr",
        )
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xticks(years, [fy(y) for y in years], fontsize=8)
    ax.set_ylabel("亿元")
    ax.set_ylim(0, 1150)
    ax.set_title(f"Cainiao revenue: {CAGR_BASES[r.basis]}", fontsize=10)
    # right panel: the rate against the paper's
    if r.valid:
        colour = style.COLOURS["highlight"] if is_paper_cagr(r) else style.COLOURS["scenario"]
        bx.bar([0], [r.cagr_pct], width=0.5, color=colour)
        bx.text(0, r.cagr_pct + 1.5, f"{r.cagr_pct:.1f}%", ha="center", fontsize=10, fontweight="bold")
    else:
        bx.text(0, 30, "no rate", ha="center", fontsize=10, color="#b00020")
    bx.axhline(paper, color="#b00020", ls=":", lw=1.5)
    bx.set_title(f"dotted: paper's {paper:g}%", fontsize=9, color="#b00020")
    bx.set_xlim(-0.5, 0.5)
    bx.set_ylim(0, 60)
    bx.set_xticks([0], ["CAGR"])
    bx.set_ylabel("% per year")
    return fig


# ----------------------------------------------------------------------------- Chapter 6: projection

#: The last year of the revenue-mix scenario.
PROJECTION_END = 2028


@dataclass(frozen=True)
class MixProjection:
    """AIDC's revenue mix: actual fiscal years, then a constant-growth scenario."""

    path: pd.DataFrame  # fiscal_year, retail, wholesale, aidc, rest, consolidated (RMB m), shares (%), actual
    growth: dict[str, float]

    def at(self, year: int) -> pd.Series:
        return self.path.set_index("fiscal_year").loc[year]


def aidc_mix_projection(
    retail_growth: float, wholesale_growth: float, rest_growth: float, end: int = PROJECTION_END
) -> MixProjection:
    """Grow AIDC retail, AIDC wholesale and the rest of the group at constant rates (% a year)
    from FY2024 to ``end``; report AIDC's share of consolidated revenue (the paper's 10.9%)
    and retail's share of AIDC (the paper's 79.6%).

    The rest of the group is consolidated revenue minus AIDC, as in :func:`aidc_share_path`.
    A scenario, not a forecast. Raises ValueError for a growth rate of −100% or below or an
    ``end`` before FY2025.
    """
    rates = {"retail": retail_growth, "wholesale": wholesale_growth, "rest": rest_growth}
    for name, g in rates.items():
        if g <= -100:
            raise ValueError(f"{name} growth must be above −100% a year, got {g}")
    if end <= BASE_YEAR:
        raise ValueError(f"the scenario must end after {fy(BASE_YEAR)}, got {fy(end)}")
    rows = []
    for y in metrics.segment_wide().columns:
        y = int(y)
        retail, wholesale = metrics.value("aidc_retail", y), metrics.value("aidc_wholesale", y)
        consolidated = metrics.value("consolidated", y)
        rows.append(
            {
                "fiscal_year": y,
                "retail": retail,
                "wholesale": wholesale,
                "rest": consolidated - retail - wholesale,
                "actual": True,
            }
        )
    base = rows[-1]
    for t in range(1, end - BASE_YEAR + 1):
        rows.append(
            {
                "fiscal_year": BASE_YEAR + t,
                "retail": base["retail"] * (1 + retail_growth / 100) ** t,
                "wholesale": base["wholesale"] * (1 + wholesale_growth / 100) ** t,
                "rest": base["rest"] * (1 + rest_growth / 100) ** t,
                "actual": False,
            }
        )
    path = pd.DataFrame(rows)
    path["aidc"] = path["retail"] + path["wholesale"]
    path["consolidated"] = path["aidc"] + path["rest"]
    path["aidc_share_pct"] = 100 * path["aidc"] / path["consolidated"]
    path["retail_share_pct"] = 100 * path["retail"] / path["aidc"]
    return MixProjection(path=path, growth=rates)


def mix_summary(p: MixProjection, values: dict) -> dict[str, str]:
    """Readout: both shares at the end of the scenario, beside FY2024."""
    last, base = p.path.iloc[-1], p.at(BASE_YEAR)
    end = fy(int(last["fiscal_year"]))
    return {
        f"AIDC share of consolidated revenue, {end}": (
            f"{last['aidc_share_pct']:.1f}% ({fy(BASE_YEAR)}: {base['aidc_share_pct']:.1f}%)"
        ),
        f"Retail share of AIDC, {end}": f"{last['retail_share_pct']:.1f}% ({fy(BASE_YEAR)}: {base['retail_share_pct']:.1f}%)",
        "Status": "scenario, not a forecast",
    }


def mix_chart(p: MixProjection, values: dict) -> Figure:
    """Two panels: AIDC's share of group revenue and retail's share of AIDC, actual then scenario."""
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=80, layout="tight")
    path = p.path
    actual, scen = path[path["actual"]], path[path["fiscal_year"] >= BASE_YEAR]
    panels = (
        ("aidc_share_pct", "AIDC % of consolidated revenue", style.COLOURS["aidc_total"], 40),
        ("retail_share_pct", "Retail % of AIDC revenue", style.COLOURS["aidc_retail"], 100),
    )
    for ax, (col, label, colour, top) in zip(axes, panels, strict=True):
        ax.axvspan(BASE_YEAR + 0.5, path["fiscal_year"].max() + 0.5, color="#eeeeee", zorder=0)
        ax.plot(actual["fiscal_year"], actual[col], "-o", color=colour, ms=4, label="actual")
        ax.plot(
            scen["fiscal_year"],
            scen[col],
            "--o",
            color=style.COLOURS["scenario"],
            ms=3,
            mfc="white",
            label="scenario",
        )
        last = path.iloc[-1]
        ax.annotate(
            f"{last[col]:.1f}%",
            (last["fiscal_year"], last[col]),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=style.COLOURS["scenario"],
        )
        ax.set_ylim(0, top)
        ax.set_title(label, fontsize=10)
        ticks = list(path["fiscal_year"][::2])
        ax.set_xticks(ticks, [fy(int(v)) for v in ticks], fontsize=8)
        ax.text(BASE_YEAR + 0.6, top * 0.06, "scenario", fontsize=8, color="#777777")
    axes[0].legend(loc="upper left", fontsize=8)
    g = p.growth
    fig.suptitle(
        f"Scenario, not a forecast: retail {g['retail']:+g}%, wholesale {g['wholesale']:+g}%, "
        f"rest of group {g['rest']:+g}% a year",
        fontsize=10,
        fontweight="bold",
    )
    return fig
