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


#: Offsets (points) tried in turn for a label: right, above, below, left, then farther out.
LABEL_OFFSETS = [(4, 3), (4, -10), (-4, 6), (-4, -12), (6, 12), (6, -18), (-8, 16), (-8, -22), (10, 22), (10, -28)]


def _place_labels(ax, shown: pd.DataFrame, measure: str) -> None:
    """Label each point with its ISO code and entry year, trying offsets in turn until the label
    overlaps no label already placed (the first offset when none is free)."""
    renderer = ax.figure.canvas.get_renderer()
    placed = []
    for iso, row in shown.sort_values(measure).iterrows():
        year = "none" if pd.isna(row["entry_year"]) else f"{int(row['entry_year'])}"
        colour = _entry_colour(row["entry_year"])
        for dx, dy in LABEL_OFFSETS:
            text = ax.annotate(
                f"{iso} {year}",
                (row[measure], row["gdp_ppp_bn"]),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=8,
                color=colour,
                ha="left" if dx >= 0 else "right",
            )
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            text.remove()
        else:
            text = ax.annotate(
                f"{iso} {year}", (row[measure], row["gdp_ppp_bn"]), xytext=LABEL_OFFSETS[0],
                textcoords="offset points", fontsize=8, color=colour,
            )
            box = text.get_window_extent(renderer)
        placed.append(box)


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
    """The what-if's readout: the correlation, the top three, what was dropped, the preset matched."""
    if math.isnan(result.rho):
        return {"Spearman ρ": "n/a (give at least one criterion a weight)", "Top three": "–"}
    top = ", ".join(result.table["country"].head(3))
    out = {
        "Spearman ρ": f"{result.rho:+.2f} over {result.n} markets",
        "Top three": top,
    }
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
