"""The casebook's one chart style: fonts (with a CJK fallback), colours and sizes.

The rcParams live in ``dualwheel.mplstyle``; :func:`apply` uses it once per page (``Chapter(N)``
calls it), so a change there changes the whole book. Colours per business group live here.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from matplotlib import font_manager

#: Latin text first, then a font that has Chinese glyphs (Debian: fonts-noto-cjk).
FONT_STACK = ["DejaVu Sans", "Noto Sans CJK SC"]

#: One colour per business group, used by every chart. The hues are Okabe and Ito's palette for
#: colour-blind readers (orange, blue, vermillion, bluish green, reddish purple, sky blue) with
#: greys; tests/unit/test_palette.py checks that the colours of :data:`TOGETHER` stay apart
#: under simulated deuteranopia and protanopia. Keys that share a colour name one thing.
COLOURS: dict[str, str] = {
    "taotian_total": "#e69f00",
    "cloud": "#0072b2",
    "aidc_total": "#d55e00",
    "aidc_retail": "#d55e00",
    "aidc_wholesale": "#f0b27a",
    "cainiao": "#009e73",
    "local_services": "#cc79a7",
    "payment": "#cc79a7",
    "dme": "#56b4e9",
    "all_others": "#bbbbbb",
    "rest_of_group": "#9e9e9e",
    "old": "#9e9e9e",
    "new": "#d55e00",
    "prospectus": "#56b4e9",
    "highlight": "#111111",
    "scenario": "#882255",
    "neutral": "#555555",
}

#: Colours drawn side by side in one chart: each group must stay distinguishable.
TOGETHER: dict[str, tuple[str, ...]] = {
    "segments": ("taotian_total", "cloud", "aidc_total", "cainiao", "local_services", "dme", "all_others"),
    "international retail and wholesale": ("aidc_retail", "aidc_wholesale"),
    "reporting bases": ("old", "new", "prospectus", "highlight"),
    "lines and scenarios": ("aidc_total", "cloud", "cainiao", "highlight", "scenario"),
    "the transaction loop": ("aidc_total", "payment", "cainiao", "cloud", "highlight"),
    "lanes of a timeline": ("cloud", "aidc_total", "cainiao", "neutral"),
    "landed cost": ("cloud", "aidc_total", "local_services"),
}

#: The hatch of a second bar series drawn in the same category as the first (stacked or
#: grouped), so the two are told apart without their colours.
SECOND_HATCH = "//"

FIGSIZE = (7.0, 3.8)
DPI = 100


def cjk_font_available() -> bool:
    """True when matplotlib can find a font with Chinese glyphs."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return any(name in names for name in FONT_STACK[1:])


#: The style sheet every chart uses.
STYLE_SHEET = Path(__file__).with_name("dualwheel.mplstyle")


def apply() -> None:
    """Use the casebook style (``dualwheel.mplstyle``) for every chart drawn from now on."""
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_SHEET)
    if not cjk_font_available():
        warnings.warn(
            "No CJK font found: Chinese chart labels will show as boxes. "
            "Install Debian's fonts-noto-cjk (make setup does).",
            stacklevel=2,
        )
