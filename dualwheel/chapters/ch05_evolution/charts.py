"""Chapter 5: the timeline, revenue and periodisation charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ... import cutoff, style
from ...fmt import fy
from .events import ENTRY_MODES, _decimal_year, events
from .phases import PAPER_BOUNDARIES, PHASE_NAMES, phase_of
from .revenue import FIRST_FY, LAST_FY, SERIES_SEAMS, Periodisation, intl_revenue

# ----------------------------------------------------------------------------- charts

#: Pale phase colours for background bands, stronger ones for bars.
PHASE_COLOURS = {1: "#f2f2f2", 2: "#e3eef8", 3: "#fdebd3", 4: "#e5f3e0"}
PHASE_BAR_COLOURS = {1: "#bdbdbd", 2: "#9ecae1", 3: "#fdae6b", 4: "#a1d99b"}

#: Marker of each way a step was taken (the rows of ENTRY_MODES).
MODE_MARKERS = {
    "organic": "o",
    "acquisition": "s",
    "minority_stake": "v",
    "follow_on": ">",
    "joint_venture": "X",
    "exit": "x",
    "alliance": "^",
    "capital_market": "D",
    "internal": "P",
}


LANE_COLOURS = {
    "B2B (Alibaba.com)": style.COLOURS["cloud"],
    "Consumer marketplaces": style.COLOURS["aidc_total"],
    "Infrastructure": style.COLOURS["cainiao"],
    "Group / capital": style.COLOURS["neutral"],
}


def timeline_chart(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> Figure:
    """Every dated event on its own line over the phase bands: colour = business, shape = entry
    mode. Moves by Ant Financial alone carry '(Ant)' in their label (moves.csv)."""
    t = events(boundaries)
    fig, ax = plt.subplots(figsize=(6.8, 9.0), dpi=100)
    starts = [1999, *boundaries]
    ends = [*boundaries, 2025.5]
    for i, (a, e) in enumerate(zip(starts, ends, strict=True), start=1):
        ax.axvspan(a, e, color=PHASE_COLOURS[i], zorder=0)
        ax.text((a + e) / 2, -1.6, PHASE_NAMES[i].replace(" (", "\n("), ha="center", va="bottom", fontsize=8)
    for rank, row in enumerate(t.itertuples(index=False)):
        colour = LANE_COLOURS[row.lane]
        ax.scatter(row.when, rank, marker=MODE_MARKERS[row.entry_mode], s=30, color=colour, zorder=3)
        right = row.when < 2017
        ax.text(
            row.when + (0.5 if right else -0.5),
            rank,
            row.label,
            ha="left" if right else "right",
            va="center",
            fontsize=7,
            color=colour,
            zorder=4,
        )
    ax.set_ylim(len(t) - 0.4, -1.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    # The decision date (cutoff.decision_date()): nothing later is on the chart (events() stops
    # at CUTOFF). Placed on the same decimal-year axis as the events.
    day = cutoff.decision_date()
    decision = _decimal_year(day.isoformat())
    ax.axvline(decision, color="#333333", lw=0.8, ls="--", zorder=2)
    ax.text(decision + 0.1, len(t) - 1, f"decision date\n{day.day} {day:%B %Y}", fontsize=7, ha="left", va="bottom")
    ax.set_xlim(1998.5, 2025.5)
    ax.set_xticks(range(2000, 2025, 4))
    shapes = [
        plt.Line2D([], [], ls="", marker=m, color="#333333", label=ENTRY_MODES[k])
        for k, m in MODE_MARKERS.items()
    ]
    lanes = [plt.Line2D([], [], ls="", marker="o", color=c, label=k) for k, c in LANE_COLOURS.items()]
    ax.legend(handles=lanes + shapes, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, fontsize=7.5)
    ax.set_title(f"Dated events to {day:%B %Y} and the study's four phases", fontsize=10, pad=30)
    return fig


def _fy_band_edges(boundaries: Sequence[int]) -> list[tuple[int, float, float]]:
    """Phase bands on a fiscal-year axis: calendar phase s..e covers FY s+1..FY e+1."""
    starts = [1999, *boundaries]
    ends = [b - 1 for b in boundaries] + [2030]
    return [(i, a + 0.5, e + 1.5) for i, (a, e) in enumerate(zip(starts, ends, strict=True), start=1)]


#: Short labels of the basis changes, for charts.
BASIS_CHANGE_LABELS: dict[int, str] = {2017: "+ Lazada", 2022: "new segments", 2024: "six groups"}


def revenue_chart() -> Figure:
    """International revenue FY2014-FY2024 on each basis, its share of group revenue, the paper's
    phase bands (in fiscal years) and the changes of basis."""
    r = intl_revenue()
    fig, ax = plt.subplots(figsize=(7.2, 4.4), dpi=100)
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for i, lo, hi in _fy_band_edges(PAPER_BOUNDARIES):
        lo, hi = max(lo, FIRST_FY - 0.6), min(hi, LAST_FY + 0.6)
        if hi > lo:
            ax.axvspan(lo, hi, color=PHASE_COLOURS[i], zorder=0)
            ax.text((lo + hi) / 2, 1.02, f"Phase {i}", ha="center", fontsize=8, transform=top)
    old = r.dropna(subset=["old_rmb_m"])
    new = r.dropna(subset=["new_rmb_m"])
    ax.bar(
        old["fiscal_year"] - 0.18,
        old["old_rmb_m"].astype(float) / 100,
        width=0.36,
        color=style.COLOURS["old"],
        label="International commerce, 20-F (old)",
    )
    ax.bar(
        new["fiscal_year"] + 0.18,
        new["new_rmb_m"].astype(float) / 100,
        width=0.36,
        color=style.COLOURS["new"],
        hatch=style.SECOND_HATCH,  # the new basis stands beside the old in FY2022-23
        edgecolor="white",
        label="AIDC, FY2024 segments (new)",
    )
    for y, what in BASIS_CHANGE_LABELS.items():
        ax.axvline(y - 0.5, color="#555555", ls="--", lw=0.9)
        ax.text(y - 0.45, 0.97, what, rotation=90, fontsize=7, va="top", color="#333333", transform=top)
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, 1200)
    ax.set_xticks(list(r["fiscal_year"]), [fy(y) for y in r["fiscal_year"]], rotation=45, fontsize=8)
    ax.set_xlim(FIRST_FY - 0.6, LAST_FY + 0.6)
    bx = ax.twinx()
    bx.plot(  # FY2021 is empty, so the line breaks there rather than bridging the gap
        r["fiscal_year"],
        r["share_pct"].astype(float),
        "o-",
        color=style.COLOURS["highlight"],
        lw=1.4,
        ms=3.5,
        label="Share of group revenue (right; FY2021 not found)",
    )
    bx.set_ylim(0, 24)
    bx.set_ylabel("% of group revenue")
    bx.spines["right"].set_visible(True)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = bx.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=7.5)
    ax.set_title("International revenue across the study's phases", fontsize=10, pad=18)
    return fig


def periodisation_chart(p: Periodisation, values: Mapping[str, Any] | None = None) -> Figure:
    """The chained series with the chosen phase bands (left) and each phase's CAGR (right)."""
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.2, 2.7), dpi=80, gridspec_kw={"width_ratios": [2.6, 1]})
    s = p.series
    colours = []
    for y in s.index:
        ph = phase_of(y - 1, p.boundaries) if p.valid else 0  # FY y lies mostly in calendar y-1
        colours.append(PHASE_BAR_COLOURS.get(ph, "#dddddd"))
    ax.bar(s.index, s.to_numpy() / 100, color=colours, edgecolor="#555555", linewidth=0.6)
    for y in SERIES_SEAMS:
        ax.axvline(y - 0.5, color="#b00020", ls=":", lw=1)
    ax.set_xticks(list(s.index)[::2], [fy(y) for y in list(s.index)[::2]], fontsize=7)
    ax.set_ylim(0, 1150)
    ax.set_ylabel("亿元")
    ax.set_title("Intl revenue, coloured by phase (dotted: basis change)", fontsize=9)
    if p.valid:
        names = [f"P{g.phase}" for g in p.phases if g.phase > 1]
        rates = [g.cagr_pct if g.measured else 0.0 for g in p.phases if g.phase > 1]
        bars = bx.bar(
            names,
            rates,
            color=[PHASE_BAR_COLOURS[g.phase] for g in p.phases if g.phase > 1],
            edgecolor="#555555",
        )
        for bar, g in zip(bars, [g for g in p.phases if g.phase > 1], strict=True):
            text = f"{g.cagr_pct:.1f}%" if g.measured else "n/a"
            text += " ⚠" if g.warnings else ""
            bx.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1.5, text, ha="center", fontsize=8)
    else:
        bx.text(
            0.5, 30, "invalid\nboundaries", ha="center", fontsize=9, color="#b00020", transform=bx.transData
        )
        bx.set_xlim(-0.5, 1.5)
    bx.set_ylim(0, 60)
    bx.set_ylabel("CAGR, % a year")
    bx.set_title("Growth by phase", fontsize=9)
    return fig
