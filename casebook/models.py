"""Pure scenario models behind the what-ifs. No widgets, no plotting: numbers in, numbers out.

These are teaching scenarios, not forecasts: constant growth rates applied to the latest
sourced fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import metrics, style
from .metrics import fy

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
