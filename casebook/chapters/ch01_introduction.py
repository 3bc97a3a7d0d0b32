"""Chapter 1, Introduction (引言): the size of China's cross-border e-commerce."""

from __future__ import annotations

from .. import data
from ..claims import check


def macro(indicator: str, year: int) -> float:
    """A customs figure from ``macro_cross_border.csv`` (calendar year)."""
    t = data.load("macro_cross_border")
    sel = t[(t["indicator"] == indicator) & (t["calendar_year"] == year)]
    if sel.empty:
        raise KeyError(f"no {indicator!r} for {year} in macro_cross_border.csv")
    return float(sel["value"].iloc[0])


@check("cbec_share_2024")
def cbec_share_2024() -> float:
    """Cross-border e-commerce as a percentage of China's goods trade, 2024."""
    return 100 * macro("cbec_trade_value", 2024) / macro("total_goods_trade", 2024)
