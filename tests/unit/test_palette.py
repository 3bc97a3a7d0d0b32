"""The chart palette for readers with a colour-vision deficiency, and non-colour cues.

The simulation (Machado, Oliveira and Fernandes 2009) and the colour difference (CAM02-UCS,
Luo, Cui and Li 2006) come from colorspacious rather than hand-written matrices.
"""

from __future__ import annotations

import itertools

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from matplotlib.colors import to_rgb

from dualwheel import style
from dualwheel.chapters import ch04_drivers
from dualwheel.chapters.ch01_introduction.landed_cost import _PART_COLOURS
from dualwheel.chapters.ch05_evolution.charts import LANE_COLOURS
from dualwheel.page.alttext import colour_only

#: The smallest CAM02-UCS difference allowed between two colours of one chart, for normal
#: vision and under each simulated deficiency. One unit is about one just-noticeable difference
#: for large patches; chart marks are small, so the floor is set well above it. (Matplotlib's
#: default tab10 falls to 1.6 under protanopia: orange and green become one colour.)
MIN_DISTANCE = 12.0
DEFICIENCIES = {"normal vision": None, "deuteranopia": "deuteranomaly", "protanopia": "protanomaly"}


def seen(colour: str, cvd: str | None) -> np.ndarray:
    rgb = np.array(to_rgb(colour))
    if cvd is None:
        return rgb
    # severity 100: the full dichromacy (deuteranopia / protanopia), the hardest case
    simulated = cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1")
    return np.clip(simulated, 0, 1)


def distance(a: str, b: str, cvd: str | None) -> float:
    return float(deltaE(seen(a, cvd), seen(b, cvd), input_space="sRGB1", uniform_space="CAM02-UCS"))


def closest(colours: dict[str, str], cvd: str | None) -> tuple[float, str, str]:
    return min((distance(colours[a], colours[b], cvd), a, b) for a, b in itertools.combinations(colours, 2))


PALETTES = {
    **{name: {k: style.COLOURS[k] for k in keys} for name, keys in style.TOGETHER.items()},
    "Chapter 5 timeline lanes": LANE_COLOURS,
    "Chapter 1 landed-cost parts": _PART_COLOURS,
    "Chapter 4 entry years": {
        **{str(y): c for y, c in ch04_drivers.ENTRY_COLOURS.items()},
        "not entered": style.COLOURS["old"],
        "other": style.COLOURS["highlight"],
    },
    "the style's colour cycle": {
        f"C{i}": c
        for i, c in enumerate(
            mpl.rc_params_from_file(style.STYLE_SHEET, use_default_template=False)[
                "axes.prop_cycle"
            ].by_key()["color"]
        )
    },
}


@pytest.mark.parametrize("vision", DEFICIENCIES)
@pytest.mark.parametrize("palette", PALETTES)
def test_colours_drawn_together_stay_apart(palette, vision):
    d, a, b = closest(PALETTES[palette], DEFICIENCIES[vision])
    assert d >= MIN_DISTANCE, f"{palette}, {vision}: {a} and {b} are only {d:.1f} apart (CAM02-UCS)"


def test_the_check_catches_red_and_green():
    """The default tab10 red and green pass for normal vision but not under deuteranopia."""
    pair = {"red": "#d62728", "green": "#2ca02c"}
    assert closest(pair, None)[0] >= MIN_DISTANCE
    assert closest(pair, "deuteranomaly")[0] < MIN_DISTANCE


def test_every_named_group_uses_known_colours():
    for name, keys in style.TOGETHER.items():
        assert set(keys) <= set(style.COLOURS), name
        assert len({style.COLOURS[k] for k in keys}) == len(keys), f"{name} repeats a colour"


def test_lines_in_the_house_style_differ_by_more_than_colour():
    fig, ax = plt.subplots()
    for k in range(4):
        ax.plot([0, 1, 2], [k, k + 1, k])
    assert len({ln.get_linestyle() for ln in ax.lines}) == 4
    assert colour_only(fig) == []
    plt.close(fig)


def test_colour_only_series_are_found():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, 1, 2], color="#0072b2", ls="-", label="a")
    ax.plot([0, 1, 2], [2, 1, 0], color="#d55e00", ls="-", label="b")
    assert colour_only(fig) == ["line a", "line b"]
    ax.lines[1].set_linestyle("--")
    assert colour_only(fig) == []
    # stacked bars of one category need a hatch or a word on each bar
    fig2, bx = plt.subplots()
    bx.bar([0], [3], color="#d55e00")
    bx.bar([0], [2], bottom=[3], color="#f0b27a")
    bx.set_xticks([0], ["FY2024"])
    assert colour_only(fig2) == ["bar FY2024 in #d55e00", "bar FY2024 in #f0b27a"]
    bx.patches[1].set_hatch(style.SECOND_HATCH)
    assert colour_only(fig2) == []
    plt.close("all")
