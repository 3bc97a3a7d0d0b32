"""Chapter 4: the distance chart, the rank chart and the what-if's readout."""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import style
from .ranking import Ranking, market_table, matching_preset

# ----------------------------------------------------------------------------- charts and readouts
#: The colour of a market by the year Alibaba first entered it (grey: not entered).
ENTRY_COLOURS = {
    2016: style.COLOURS["aidc_total"],
    2018: style.COLOURS["taotian_total"],
    2019: style.COLOURS["scenario"],
    2022: style.COLOURS["cloud"],
}


def _entry_colour(year: float) -> str:
    if pd.isna(year):
        return style.COLOURS["old"]
    return ENTRY_COLOURS.get(int(year), style.COLOURS["highlight"])


def distance_chart(measure: str = "dist_km") -> Figure:
    """Distance from China against market size (GDP, PPP (reconstructed), 2016), one labelled point per market.

    ``measure`` is ``dist_km`` (geographic) or ``ks_index`` (cultural). Markets without the
    measure are listed under the chart rather than placed at a guessed position.
    """
    if measure not in ("dist_km", "ks_index"):
        raise ValueError("measure must be 'dist_km' or 'ks_index'")
    m = market_table()
    shown = m[m[measure].notna()]
    missing = m.index[m[measure].isna()].tolist()
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for _, row in shown.iterrows():
        ax.scatter(row[measure], row["gdp_ppp_bn"], s=40, color=_entry_colour(row["entry_year"]), zorder=3)
    ax.set_yscale("log")
    if measure == "dist_km":
        ax.set_xlim(left=0)  # room for the labels of the markets nearest China
    _place_labels(ax, shown, measure)
    ax.set_ylabel("GDP 2016, PPP (reconstructed; bn intl. dollars, log)")
    label = (
        "Distance from China (km, CEPII)"
        if measure == "dist_km"
        else "Kogut–Singh index from China (Hofstede)"
    )
    ax.set_xlabel(label)
    ax.set_title("Distance and size; label = year of first local entry")
    if missing:
        names = ", ".join(m.loc[i, "country"] for i in missing)
        ax.text(
            0.0, -0.2, f"Not shown (no score): {names}", transform=ax.transAxes, fontsize=8, color="#555555"
        )
    return fig


#: Label positions tried in turn (offset in points, horizontal and vertical alignment): beside the
#: point first, in eight directions, then the same directions farther out (with a leader line).
_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
_ALIGN = {-1: "right", 0: "center", 1: "left"}
_VALIGN = {-1: "top", 0: "center", 1: "bottom"}
LABEL_OFFSETS = [
    ((dx * r, dy * r), _ALIGN[dx], _VALIGN[dy]) for r in (5, 11, 18) for dx, dy in _DIRECTIONS
]


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _place_labels(ax, shown: pd.DataFrame, measure: str) -> None:
    """Label each point with its ISO code and entry year next to its point: try positions in turn
    until the label overlaps no label already placed, no point and nothing outside the axes; when
    none is free, take the position with the least overlap. Labels set away from their point get
    a thin leader line, so none floats free of it."""
    from matplotlib.transforms import Bbox

    fig = ax.figure
    fig.canvas.draw()  # fix the view limits and layout before measuring
    renderer = fig.canvas.get_renderer()
    radius = 4 * fig.dpi / 72  # a marker of size 40 is about 6.3 points across
    points = {
        iso: ax.transData.transform((row[measure], row["gdp_ppp_bn"])) for iso, row in shown.iterrows()
    }
    markers = [Bbox.from_extents(x - radius, y - radius, x + radius, y + radius) for x, y in points.values()]
    frame = ax.get_window_extent(renderer)
    placed = []
    for iso, row in shown.sort_values(measure).iterrows():
        year = "none" if pd.isna(row["entry_year"]) else f"{int(row['entry_year'])}"
        colour = _entry_colour(row["entry_year"])
        best = None
        for k, ((dx, dy), ha, va) in enumerate(LABEL_OFFSETS):
            text = ax.annotate(
                f"{iso} {year}",
                (row[measure], row["gdp_ppp_bn"]),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=8,
                color=colour,
                ha=ha,
                va=va,
            )
            box = text.get_window_extent(renderer)
            cost = sum(_overlap(box, o) for o in placed + markers)
            outside = box.width * box.height - _overlap(box, frame)
            cost += 10 * outside
            text.remove()
            if best is None or cost < best[0]:
                best = (cost, k)
            if cost == 0:
                break
        (dx, dy), ha, va = LABEL_OFFSETS[best[1]]
        far = best[1] >= len(_DIRECTIONS)
        text = ax.annotate(
            f"{iso} {year}",
            (row[measure], row["gdp_ppp_bn"]),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=8,
            color=colour,
            ha=ha,
            va=va,
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6, "shrinkA": 0, "shrinkB": 3} if far else None,
        )
        placed.append(text.get_window_extent(renderer))


def label_boxes(fig: Figure) -> list:
    """The window extents of the text labels of a chart's first axes (used by the tests)."""
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in fig.axes[0].texts if t.get_text().split()[0].isupper()]


def rank_chart(result: Ranking, values: Mapping[str, object]) -> Figure:
    """Model rank (x) against actual order of entry (y), one labelled point per ranked market."""
    fig, ax = plt.subplots(figsize=(6.8, 3.9))
    t = result.table
    if len(t) and not math.isnan(result.rho):
        colours = [_entry_colour(y) for y in t["entry_year"]]
        ax.scatter(t["model_rank"], t["actual_rank"], s=36, color=colours, zorder=3)
        for iso, row in t.iterrows():
            ax.annotate(
                iso,
                (row["model_rank"], row["actual_rank"]),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=8,
            )
        ax.plot([1, 17], [1, 17], color="#bbbbbb", lw=1, ls="--", zorder=1)
    else:
        ax.text(
            0.5, 0.5, "No ranking: every weight is zero", ha="center", va="center", transform=ax.transAxes
        )
    ax.set_xlim(0, 18)
    ax.set_ylim(0, 18)
    ax.set_xlabel("Model's rank (1 = most attractive)")
    ax.set_ylabel("Actual order of entry (1 = first)")
    rho = "n/a" if math.isnan(result.rho) else f"{result.rho:+.2f}"
    ax.set_title(f"Model rank against actual entry order, Spearman ρ = {rho}")
    return fig


#: The what-if's rule toggle: the two rules of Exhibit 4.6 (entry_rule.RULES), in short labels.
RULE_CHOICES: dict[str, str] = {
    "commitment": "Every first commitment, even if sold",
    "held": "Only commitments still held",
}


def rank_summary(result: Ranking, values: Mapping[str, object]) -> dict[str, str]:
    """The what-if's readout: the correlation, what was dropped, the preset matched. It names no
    market: the chart places each one, and the order a theory gives five named markets is
    before-class question 1 (the static low / base / high table would print it)."""
    if math.isnan(result.rho):
        return {"Spearman ρ": "n/a (give at least one criterion a weight)"}
    out = {"Spearman ρ": f"{result.rho:+.2f} over {result.n} markets"}
    out["Left out"] = ", ".join(result.dropped) + " (no Hofstede score)" if result.dropped else "none"
    preset = matching_preset(result.weights)
    out["Preset"] = preset or "none (your own weights)"
    if "rule" in values:
        out["Rule for entry"] = RULE_CHOICES.get(str(values["rule"]), str(values["rule"]))
    return out


def rank_conclusion(result: Ranking, values: Mapping[str, object]) -> str:
    """What a manager choosing criteria for the next market would conclude from these weights."""
    from .ranking import GOOD_FIT

    if math.isnan(result.rho):
        return "no ranking"
    if result.rho > GOOD_FIT:
        return "weights track Alibaba's order"
    return "Alibaba did not follow these weights"
