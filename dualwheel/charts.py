"""Charts shared by the chapters. Each returns a matplotlib Figure in the house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import segments, style
from .finance import to_yi
from .fmt import fy


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


def basis_series(kind: str, title: str) -> Figure:
    """The paper's series in 亿元 with the switch of reporting basis marked (Figures 2 and 3)."""
    s = segments.paper_series(kind)
    switch = segments.basis_switch_year(kind)
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
        Patch(color=style.COLOURS["old"], label="our reconstruction: old basis (旧口径)"),
        Patch(color=style.COLOURS["new"], label="our reconstruction: new basis (新口径)"),
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
