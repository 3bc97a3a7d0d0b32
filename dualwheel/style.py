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

#: One colour per business group, used by every chapter.
COLOURS: dict[str, str] = {
    "taotian_total": "#ff7f0e",
    "cloud": "#1f77b4",
    "aidc_total": "#d62728",
    "aidc_retail": "#d62728",
    "aidc_wholesale": "#f4a6a6",
    "cainiao": "#2ca02c",
    "local_services": "#9467bd",
    "dme": "#8c564b",
    "all_others": "#7f7f7f",
    "rest_of_group": "#9e9e9e",
    "old": "#9e9e9e",
    "new": "#d62728",
    "prospectus": "#17becf",
    "highlight": "#111111",
    "scenario": "#6a3d9a",
}

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
