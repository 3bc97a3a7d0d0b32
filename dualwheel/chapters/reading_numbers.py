"""The "Reading the numbers" page (``book/reading-numbers.md``): the measurement habits taught
once for the whole case, with Cainiao's 34.8% as the worked case.

The computations live where Chapter 6 and the question banks already import them
(``dualwheel.chapters.ch06_results``); this module gathers what the page shows, adds the
page's own tables, and builds its what-if. Exhibits read "Exhibit R.1" (``Exhibits(chapter="R")``).
"""

from __future__ import annotations

import pandas as pd

from .. import data, segments
from ..finance import cagr
from ..page import Choice, Param, WhatIf
from .ch06_results import (  # noqa: F401  (re-exported for the page)
    CAGR_BASES,
    CAINIAO_BASES,
    PAPER_PERIODS,
    PERIOD_RULES,
    SINGLE_BASIS_CAGR,
    CagrResult,
    aidc_split,
    cagr_chart,
    cagr_frame_key,
    cagr_summary,
    cainiao_cagr,
    cainiao_cagr_variants,
    cainiao_scopes,
    cainiao_series,
    fiscal_calendar,
    is_paper_cagr,
    reconciliation,
)

#: The letter of this page's exhibits.
LETTER = "R"


def cagr_conclusion(r: CagrResult, values: dict) -> str:
    """What a reader may conclude from one choice in the explorer."""
    if not r.valid:
        return "no rate: the basis has no figure for that year"
    if r.warnings:
        return "not comparable: mixed bases or miscounted periods"
    return "a like-for-like growth rate"


def cagr_explorer() -> WhatIf:
    """The CAGR explorer: choose the years, the reporting basis and how periods are counted."""
    from .. import claims

    paper = claims.claim("cainiao_cagr")["paper_value"]
    return WhatIf(
        title="Cainiao's growth rate: choose the years, the basis and the period count",
        params=[
            Param(name="start", label="Start year", min=2019, max=2022, step=1, default=2020, fmt="FY{:.0f}", low=2022, high=2019),
            Param(name="end", label="End year", min=2022, max=2024, step=1, default=2024, fmt="FY{:.0f}", low=2024, high=2024),
            Choice(name="basis", label="Reporting basis (口径)", options=CAGR_BASES, default="mixed", low="new", high="mixed"),
            Choice(name="periods", label="Periods counted", options=PERIOD_RULES, default="paper", low="span", high="span"),
        ],
        model=cainiao_cagr,
        render=cagr_chart,
        summary=cagr_summary,
        frame_key=cagr_frame_key,  # choices with no rate share one frame
        conclusion=cagr_conclusion,
        note=f"Cainiao revenue on the chosen basis; the dotted line marks the published {paper:g}%. "
        "Base case: the published calculation; low: restated basis FY2022–FY2024; high: the "
        "charted series FY2019–FY2024, both over the correct number of years.",
        table_heading="**Three calculations at a glance** (the columns are calculations, not "
        "scenarios: restated basis FY2022–FY2024 / the published choice / the charted span "
        "FY2019–FY2024):",
    )


def denominators(year: int = segments.BASE_YEAR) -> pd.DataFrame:
    """AIDC's share of group revenue in one year on the two totals a reader meets: consolidated
    revenue (net of sales between units) and the sum of segment revenue (gross). Percent."""
    aidc = segments.value("aidc_total", year)
    rows = []
    for base, label in (("consolidated", "Consolidated revenue (合并收入)"), ("segment_total", "Total segment revenue (分部收入合计)")):
        total = segments.value(base, year)
        rows.append({"denominator": label, "total_rmb_m": total, "aidc_rmb_m": aidc, "share_pct": 100 * aidc / total})
    return pd.DataFrame(rows)


def seam(line: str, old: str, year: int) -> float:
    """How much the restated (FY2024-basis) figure for ``year`` exceeds the old-basis one, in %."""
    return 100 * (segments.value(line, year) / segments.history(old, "old")[year] - 1)


def growth_periods(start: float, end: float, years: int) -> dict[str, float]:
    """The same start and end values compounded over the right and a miscounted number of periods."""
    return {"right": 100 * cagr(start, end, years), "one_too_many": 100 * cagr(start, end, years + 1)}


def goods_trade(year: int) -> float:
    """China's goods trade, imports plus exports, in one calendar year (trillion yuan; customs'
    figures in ``data/goods_trade.csv``). Self-check R.5 compounds it over the right periods."""
    table = data.load("goods_trade").set_index("calendar_year")["total_trn_yuan"]
    if year not in table.index:
        raise KeyError(f"no goods-trade total for {year} in goods_trade.csv (have {list(table.index)})")
    return float(table[year])
