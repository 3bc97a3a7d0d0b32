"""Charts shared by the chapters. Each returns a matplotlib Figure in the house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import metrics, style
from .metrics import fy, to_yi

style.apply()


def mark_basis_change(ax: Axes, switch: int, label_y: float) -> None:
    """A dotted line before the first new-basis year, labelled, on every chart with a seam."""
    ax.axvline(switch - 0.5, color="#444444", lw=1, ls=":")
    ax.text(
        switch - 0.56,
        label_y,
        "reporting basis changes (口径变更)",
        fontsize=8,
        rotation=90,
        ha="right",
        va="center",
        color="#444444",
    )


def revenue_structure(year: int) -> Figure:
    """Segment shares under both denominators, side by side (the paper's Figure 1, corrected)."""
    s = metrics.segment_shares(year)
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


def basis_series(kind: str, title: str) -> Figure:
    """The paper's series in 亿元 with the switch of reporting basis marked (Figures 2 and 3)."""
    s = metrics.paper_series(kind)
    switch = metrics.basis_switch_year(kind)
    fig, ax = plt.subplots()
    x = s["fiscal_year"]
    colours = [style.COLOURS[b] for b in s["paper_basis"]]
    bars = ax.bar(x, to_yi(s["paper_value_rmb_m"]), color=colours, width=0.6)
    for rect, v in zip(bars, s["paper_value_rmb_m"], strict=True):
        ax.text(
            rect.get_x() + rect.get_width() / 2,
            rect.get_height(),
            f"{to_yi(v):,.0f}",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    old = s.dropna(subset=["old_basis_rmb_m"])
    old = old[old["fiscal_year"] >= switch - 1]  # the old basis carried on beside the new one
    ax.plot(
        old["fiscal_year"] + 0.22,
        to_yi(old["old_basis_rmb_m"].astype(float)),
        "D--",
        color=style.COLOURS["highlight"],
        lw=1.2,
        ms=4,
    )
    top = to_yi(s["paper_value_rmb_m"]).max()
    mark_basis_change(ax, switch, top * 0.55)
    handles = [
        Patch(color=style.COLOURS["old"], label="plotted by the paper: old basis (旧口径)"),
        Patch(color=style.COLOURS["new"], label="plotted by the paper: new basis (新口径)"),
        Line2D(
            [], [], color=style.COLOURS["highlight"], ls="--", marker="D", ms=4, label="old basis, continued"
        ),
    ]
    ax.set_xticks(x, [fy(v) for v in x])
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, top * 1.15)
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper left")
    return fig


def growth_bars(lines: list[str], start: int, end: int) -> Figure:
    """Total growth of several segments between two fiscal years."""
    g = pd.Series({line: 100 * metrics.segment_growth(line, start, end) for line in lines})
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    bars = ax.bar(
        [metrics.SHORT_LABELS[i] for i in g.index],
        g.values,
        color=[style.COLOURS[i] for i in g.index],
        width=0.55,
    )
    for rect, v in zip(bars, g.values, strict=True):
        ax.text(rect.get_x() + rect.get_width() / 2, v, f"+{v:.1f}%", ha="center", va="bottom", fontsize=9)
    ax.set_ylabel(f"Revenue growth {fy(start)}→{fy(end)} (%)")
    ax.set_ylim(0, g.max() * 1.2)
    ax.set_title(f"Growth {fy(start)} to {fy(end)}")
    return fig


def retail_mix(title: str) -> Figure:
    """International retail and wholesale revenue FY2019-FY2024, stacked, retail's share on top.

    Old-basis years (20-F "international commerce") are drawn lighter than new-basis (AIDC)
    years, with the change of basis marked, as in :func:`basis_series`.
    """
    s = metrics.retail_share_history()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    x = s["fiscal_year"]
    alpha = [0.5 if b == "old" else 1.0 for b in s["basis"]]
    for xi, r, w, a in zip(x, to_yi(s["retail_rmb_m"]), to_yi(s["wholesale_rmb_m"]), alpha, strict=True):
        ax.bar(xi, r, width=0.6, color=style.COLOURS["aidc_retail"], alpha=a)
        ax.bar(xi, w, bottom=r, width=0.6, color=style.COLOURS["aidc_wholesale"], alpha=a)
    tops = to_yi(s["retail_rmb_m"] + s["wholesale_rmb_m"])
    for xi, top, sh in zip(x, tops, s["retail_share"], strict=True):
        ax.text(xi, top, f"retail {100 * sh:.1f}%", ha="center", va="bottom", fontsize=8)
    switch = int(s.loc[s["basis"] == "new", "fiscal_year"].min())
    mark_basis_change(ax, switch, tops.max() * 0.4)
    handles = [
        Patch(color=style.COLOURS["aidc_retail"], label=metrics.SHORT_LABELS["aidc_retail"]),
        Patch(color=style.COLOURS["aidc_wholesale"], label=metrics.SHORT_LABELS["aidc_wholesale"]),
        Patch(color="#cccccc", label="lighter: old basis (旧口径)"),
    ]
    ax.set_xticks(x, [fy(int(v)) for v in x])
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, tops.max() * 1.15)
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper left")
    return fig
