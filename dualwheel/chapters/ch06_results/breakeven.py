"""Chapter 6, what-if: the growth and margin path AIDC needs to break even by the end of the
two-year budget (FY2025-FY2026), from its FY2024 revenue and adjusted EBITA (a scenario, not a
forecast). The levers are the two a manager sets when funding the retail push: how fast to
grow revenue, and how many points of margin to win back each year."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import segments, style
from ...fmt import fy
from ...segments import BASE_YEAR

#: The budget under debate covers the two fiscal years after the decision date (June 2024).
BUDGET_END = BASE_YEAR + 2

#: The what-if's base case: revenue growth (% a year) and margin won back (points a year). The
#: page's sliders start here.
BASE_GROWTH = 30
BASE_MARGIN_GAIN = 2


@dataclass(frozen=True)
class BreakEvenPath:
    """AIDC's revenue, adjusted EBITA and margin: actual FY2022-FY2024, then the scenario."""

    path: pd.DataFrame  # fiscal_year, revenue, ebita (RMB m), margin_pct, actual
    growth: float
    margin_gain: float

    @property
    def budget_loss(self) -> float:
        """Adjusted EBITA lost over the budget years (RMB million, positive is a loss)."""
        p = self.path[~self.path["actual"]]
        return float(-p.loc[p["ebita"] < 0, "ebita"].sum()) + 0.0  # + 0.0: no "-0.0"

    @property
    def end_margin(self) -> float:
        return float(self.path.iloc[-1]["margin_pct"])

    @property
    def breaks_even(self) -> bool:
        return self.end_margin >= 0


def aidc_breakeven(growth: float, margin_gain: float, end: int = BUDGET_END) -> BreakEvenPath:
    """Grow AIDC's FY2024 revenue at ``growth`` % a year and improve its adjusted EBITA margin
    by ``margin_gain`` percentage points a year, to ``end``. Raises ValueError for growth of
    −100% or below or an ``end`` not after FY2024."""
    if growth <= -100:
        raise ValueError(f"growth must be above −100% a year, got {growth}")
    if end <= BASE_YEAR:
        raise ValueError(f"the scenario must end after {fy(BASE_YEAR)}, got {fy(end)}")
    rows = []
    for y in (BASE_YEAR - 2, BASE_YEAR - 1, BASE_YEAR):
        rev, e = segments.value("aidc_total", y), segments.ebita("aidc_total", y)
        rows.append({"fiscal_year": y, "revenue": rev, "ebita": e, "margin_pct": 100 * e / rev, "actual": True})
    base = rows[-1]
    for t in range(1, end - BASE_YEAR + 1):
        rev = base["revenue"] * (1 + growth / 100) ** t
        margin = base["margin_pct"] + margin_gain * t
        rows.append(
            {"fiscal_year": BASE_YEAR + t, "revenue": rev, "ebita": rev * margin / 100, "margin_pct": margin, "actual": False}
        )
    return BreakEvenPath(path=pd.DataFrame(rows), growth=growth, margin_gain=margin_gain)


def breakeven_conclusion(p: BreakEvenPath, values: dict) -> str:
    """What a funder concludes from one frame."""
    return "breaks even within the budget" if p.breaks_even else "still loss-making when the budget ends"


def breakeven_summary(p: BreakEvenPath, values: dict) -> dict[str, str]:
    end = fy(int(p.path.iloc[-1]["fiscal_year"]))
    return {
        f"Adjusted EBITA margin, {end}": f"{p.end_margin:+.1f}% ({fy(BASE_YEAR)}: {p.path.iloc[2]['margin_pct']:+.1f}%)",
        f"Losses the group funds, {fy(BASE_YEAR + 1)}–{end}": f"RMB {p.budget_loss / 1000:,.1f} bn",
        "Outcome": breakeven_conclusion(p, values),
        "Status": "scenario, not a forecast",
    }


def breakeven_chart(p: BreakEvenPath, values: dict) -> Figure:
    """Adjusted EBITA by year (bars, RMB bn), actual then scenario, with the margin on top."""
    fig, ax = plt.subplots(figsize=(7.0, 3.0), dpi=80, layout="tight")
    path = p.path
    colours = [style.COLOURS["aidc_total"] if a else style.COLOURS["scenario"] for a in path["actual"]]
    ax.bar(path["fiscal_year"], path["ebita"] / 1000, width=0.6, color=colours)
    ax.axhline(0, color="#333333", lw=0.8)
    ax.axvspan(BASE_YEAR + 0.5, path["fiscal_year"].max() + 0.5, color="#eeeeee", zorder=0)
    for x, e, m in zip(path["fiscal_year"], path["ebita"] / 1000, path["margin_pct"], strict=True):
        ax.text(x, e + (0.6 if e >= 0 else -0.6), f"{m:+.1f}%", ha="center", va="bottom" if e >= 0 else "top", fontsize=8)
    ax.set_ylim(-22, 12)
    ax.set_xticks(list(path["fiscal_year"]), [fy(int(v)) for v in path["fiscal_year"]], fontsize=8)
    ax.set_ylabel("Adjusted EBITA, RMB bn")
    ax.text(BASE_YEAR + 0.6, 9, "scenario (budget years)", fontsize=8, color="#777777")
    ax.set_title(
        f"AIDC: revenue {p.growth:+g}%/yr, margin {p.margin_gain:+g} pts/yr (labels: margin)", fontsize=10
    )
    return fig
