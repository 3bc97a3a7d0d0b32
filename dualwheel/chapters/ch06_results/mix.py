"""Chapter 6, what-if: AIDC's revenue mix projected under chosen growth rates (a scenario,
not a forecast)."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import segments, style
from ...fmt import fy
from ...segments import BASE_YEAR

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
    for y in segments.segment_wide().columns:
        y = int(y)
        retail, wholesale = segments.value("aidc_retail", y), segments.value("aidc_wholesale", y)
        consolidated = segments.value("consolidated", y)
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
