"""Charts render in the house style, with every Chinese glyph available."""

from __future__ import annotations

import warnings

from dualwheel import charts, style
from dualwheel.chapters import ch03_overview as c3
from dualwheel.chapters import ch06_results as c6
from dualwheel.page.whatif import figure_png


def test_a_cjk_font_is_installed_and_in_the_stack():
    assert style.cjk_font_available()
    import matplotlib as mpl

    assert "Noto Sans CJK SC" in mpl.rcParams["font.family"]


def test_charts_with_chinese_labels_render_without_missing_glyphs():
    figures = [
        c3.revenue_structure(2024),
        charts.basis_series("intl", "国际数字商业收入"),
        charts.basis_series("cainiao", "菜鸟收入 (口径)"),
        c6.growth_bars(["aidc_total", "cainiao", "cloud"], 2022, 2024),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pngs = [figure_png(f) for f in figures]
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert all(p[:4] == b"\x89PNG" and len(p) > 10_000 for p in pngs)


def test_compact_frames_are_smaller_palette_pngs():
    import io

    from PIL import Image

    full = figure_png(c6.growth_bars(["aidc_total", "cloud"], 2022, 2024), dpi=80)
    small = figure_png(c6.growth_bars(["aidc_total", "cloud"], 2022, 2024), dpi=80, colours=32)
    assert len(small) < len(full)
    assert Image.open(io.BytesIO(small)).mode == "P"
