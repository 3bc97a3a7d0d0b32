"""Chapter 5: the international revenue series, its seams, and the what-if model of growth by phase."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ... import data, finance
from ...fmt import fy
from .phases import PAPER_PHASES

# ----------------------------------------------------------------------------- revenue


#: Changes of scope or reporting basis in the international revenue series (fiscal year: what).
BASIS_CHANGES: dict[int, str] = {
    2017: "Lazada added to international retail",
    2022: "new segments; the paper switches to AIDC",
    2024: "six groups: AIDC restated back to FY2022",
}

#: Where each basis-change note comes from.
BASIS_CHANGE_SOURCES: dict[int, str] = {
    2017: "sec_20f_fy2017_note5",
    2022: "futunn_2022_q3_results",
    2024: "paper_table2",
}

#: Seams inside the chained series (fiscal year: what changes between it and the year before).
#: The FY2024 restatement is no seam there: the chain is on the FY2024 basis from FY2022.
SERIES_SEAMS: dict[int, str] = {
    2017: "Lazada added (scope)",
    2022: "switch from the 20-F line to AIDC (basis)",
}

#: The fiscal year in which the chained series switches to the FY2024 (AIDC) basis, as the
#: paper's Figure 2 does.
SWITCH_YEAR = 2022

FIRST_FY, LAST_FY = 2014, 2024


def group_revenue_sources() -> list[str]:
    """Source ids of the group revenue taken from ``tech_investment.csv`` (FY2021: the one year
    in FIRST_FY-LAST_FY that intl_revenue_early and segment_revenue lack)."""
    years = set(data.load("intl_revenue_early").query("series == 'group_revenue'")["fiscal_year"])
    years |= set(data.load("segment_revenue").query("line_id == 'consolidated'")["fiscal_year"])
    tech = data.load("tech_investment")
    rows = tech[(tech["item"] == "revenue") & ~tech["fiscal_year"].isin(years)]
    rows = rows[rows["fiscal_year"].between(FIRST_FY, LAST_FY)]
    return list(dict.fromkeys(rows["source"]))


def intl_revenue() -> pd.DataFrame:
    """International commerce revenue FY2014-FY2024 on every basis we hold, and the group total.

    Columns: fiscal_year; ``old_rmb_m`` (20-F international commerce, FY2014-FY2023);
    ``new_rmb_m`` (AIDC on the FY2024 segments, FY2022-FY2024); ``chained_rmb_m`` (old up to
    FY2021, AIDC from FY2022, as the paper's Figure 2); ``basis`` of the chained value;
    ``group_rmb_m`` (consolidated revenue; FY2021 from ``tech_investment.csv``, see
    :func:`group_revenue_sources`); and
    ``share_pct``, the chained value over group revenue.
    """
    early = data.load("intl_revenue_early")
    hist = data.load("segment_history")
    seg = data.load("segment_revenue")

    def pick(frame: pd.DataFrame, series_col: str, series: str, basis: str | None = None) -> pd.Series:
        sel = frame[frame[series_col] == series]
        if basis is not None:
            sel = sel[sel["basis"] == basis]
        return sel.set_index("fiscal_year")["value_rmb_m"].astype(int)

    old = pd.concat([pick(early, "series", "intl_total"), pick(hist, "series", "intl_total", "old")])
    new = pick(seg, "line_id", "aidc_total")
    group = pd.concat([pick(early, "series", "group_revenue"), pick(seg, "line_id", "consolidated")])
    tech = data.load("tech_investment")  # FY2021 group revenue, the one year the two tables lack
    tech = tech[(tech["item"] == "revenue") & ~tech["fiscal_year"].isin(group.index)]
    tech = tech[tech["fiscal_year"].between(FIRST_FY, LAST_FY)]
    group = pd.concat([group, tech.set_index("fiscal_year")["value_rmb_m"].astype(int)]).sort_index()
    years = range(FIRST_FY, LAST_FY + 1)
    rows = []
    for y in years:
        on_new = y >= SWITCH_YEAR
        chained = new.get(y) if on_new else old.get(y)
        g = group.get(y)
        rows.append(
            {
                "fiscal_year": y,
                "old_rmb_m": old.get(y),
                "new_rmb_m": new.get(y),
                "chained_rmb_m": chained,
                "basis": "AIDC (FY2024 segments)" if on_new else "international commerce (20-F)",
                "group_rmb_m": g,
                "share_pct": None if g is None or chained is None else 100 * chained / g,
            }
        )
    out = pd.DataFrame(rows)
    for col in ("old_rmb_m", "new_rmb_m", "chained_rmb_m", "group_rmb_m"):
        out[col] = out[col].astype("Int64")
    return out


def cagr_pct(start_value: float, end_value: float, periods: int) -> float:
    """Compound annual growth rate in percent (:func:`dualwheel.finance.cagr` × 100); ValueError
    for a non-positive value or period count."""
    return 100 * finance.cagr(start_value, end_value, periods)


# ----------------------------------------------------------------------------- the what-if model


@dataclass(frozen=True)
class PhaseGrowth:
    """Growth of one phase measured on the chained series (see the module docstring)."""

    phase: int
    first_year: int  # calendar
    last_year: int | None  # calendar; None = ongoing
    start_fy: int | None  # None when the phase has no revenue data
    end_fy: int | None
    cagr_pct: float | None
    increase_rmb_m: int | None
    share_of_growth_pct: float | None
    warnings: tuple[str, ...]
    note: str  # why there is no rate, or which years the data cover

    @property
    def measured(self) -> bool:
        return self.cagr_pct is not None


@dataclass(frozen=True)
class Periodisation:
    """The result of one choice of boundaries: each phase's growth, or why there is none."""

    boundaries: tuple[int, int, int]
    phases: tuple[PhaseGrowth, ...]
    message: str  # non-empty when the boundaries are invalid
    series: pd.Series  # fiscal year -> chained international revenue (RMB million)

    @property
    def valid(self) -> bool:
        return not self.message

    def phase(self, number: int) -> PhaseGrowth:
        return next(p for p in self.phases if p.phase == number)


def chained_series() -> pd.Series:
    """Fiscal year -> international revenue as the paper chains it (RMB million)."""
    r = intl_revenue().set_index("fiscal_year")["chained_rmb_m"].dropna()
    return r.astype(int)


def periodise(expansion_start: float, latest_start: float, exploration_start: float = 2007) -> Periodisation:
    """Growth of each phase when phases 2, 3 and 4 start in the given calendar years.

    A phase starting in calendar year ``s`` and ending in ``e`` is measured from FY ``s`` to
    FY ``e+1`` on the chained series, clipped to the fiscal years in ``data/`` (FY2014-FY2024).
    A warning names every seam of scope or basis (:data:`SERIES_SEAMS`) inside a phase's
    window. Boundaries that are not strictly increasing return a result with a message (no
    exception), so a what-if frame can say what is wrong.
    """
    b = (int(exploration_start), int(expansion_start), int(latest_start))
    s = chained_series()
    if not b[0] < b[1] < b[2]:
        return Periodisation(b, (), "Each phase must start after the one before it: move a boundary.", s)
    first, last = int(s.index.min()), int(s.index.max())
    starts = [PAPER_PHASES[0].start, *b]
    ends: list[int | None] = [b[0] - 1, b[1] - 1, b[2] - 1, None]
    total = int(s[last] - s[first])
    phases = []
    for number, (a, e) in enumerate(zip(starts, ends, strict=True), start=1):
        lo = max(a, first)
        hi = min(last if e is None else e + 1, last)
        if hi <= lo:
            why = (
                f"no revenue in data/ for it: the series starts in {fy(first)}"
                if lo == first or a < first
                else f"not measured: the series ends at {fy(last)}"
            )
            phases.append(PhaseGrowth(number, a, e, None, None, None, None, None, (), why))
            continue
        warns = tuple(f"{fy(y)} {SERIES_SEAMS[y]}" for y in sorted(SERIES_SEAMS) if lo < y <= hi)
        if e is None:
            tail = " (to the latest data)"
        elif lo > a or hi < e + 1:
            tail = " (clipped to the data)"
        else:
            tail = ""
        note = f"{fy(lo)}→{fy(hi)}{tail}"
        inc = int(s[hi] - s[lo])
        phases.append(
            PhaseGrowth(
                number, a, e, lo, hi, cagr_pct(s[lo], s[hi], hi - lo), inc, 100 * inc / total, warns, note
            )
        )
    return Periodisation(b, tuple(phases), "", s)


#: Slider ranges of the boundary what-if (first calendar year of expansion / of the latest phase).
#: 5 x 6 = 30 grid points (fewer frames: invalid orders share one), inside the budget of 60.
EXPANSION_RANGE: tuple[int, int] = (2015, 2019)
LATEST_RANGE: tuple[int, int] = (2019, 2024)


def periodisation_summary(p: Periodisation, values: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The what-if readout: each measured phase's window, CAGR, share of growth and warnings."""
    if not p.valid:
        return {"Phases": "no periodisation", "Why": p.message}
    out: dict[str, str] = {}
    for g in p.phases:
        if not g.measured:  # phase 1 and a latest phase past the data: no row (what that means is DQ4's)
            continue
        label = f"Phase {g.phase} ({g.first_year}–{g.last_year if g.last_year else 'on'})"
        text = f"{g.note}: {g.cagr_pct:.1f}% a year; {g.share_of_growth_pct:.0f}% of all growth"
        if g.warnings:
            text += "; ⚠ spans " + "; ".join(g.warnings)
        out[label] = text
    # No "story" line: comparing the phases is before-class question 3, left to the reader.
    return out


def periodisation_frame_key(values: Mapping[str, Any], p: Periodisation) -> tuple:
    """Invalid boundary choices all look the same, so they share one what-if frame."""
    return ("invalid",) if not p.valid else (values["expansion_start"], values["latest_start"])


def periodisation_conclusion(p: Periodisation, values: Mapping[str, Any] | None = None) -> str:
    """The conclusion a reader of a budget case would draw from one cut: does expansion look faster?"""
    if not p.valid:
        return "no periodisation"
    two, three = p.phase(2), p.phase(3)
    if not (two.measured and three.measured):
        return "growth by phase cannot be compared"
    return "expansion looks faster" if three.cagr_pct > two.cagr_pct else "expansion looks slower"
