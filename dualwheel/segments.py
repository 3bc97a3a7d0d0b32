"""Alibaba's segment revenue table and the paper's series built from it (shared by Chapters 3 and 6).

Chapters never type a number; they ask this module. Every function takes plain values or
reads through :mod:`dualwheel.data`, and returns plain values or small DataFrames.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import data
from .finance import growth

#: The seven reporting segments of FY2024, in the paper's order.
SEGMENTS: tuple[str, ...] = (
    "taotian_total",
    "cloud",
    "aidc_total",
    "cainiao",
    "local_services",
    "dme",
    "all_others",
)


#: Short English labels (with Chinese) used on charts.
SHORT_LABELS: dict[str, str] = {
    "taotian_total": "Taotian 淘天",
    "cloud": "Cloud 云智能",
    "aidc_total": "AIDC 国际数字商业",
    "cainiao": "Cainiao 菜鸟",
    "local_services": "Local Services 本地生活",
    "dme": "Media & Ent. 大文娱",
    "all_others": "All others 所有其他",
    "aidc_retail": "Intl retail 国际零售",
    "aidc_wholesale": "Intl wholesale 国际批发",
}


DENOMINATORS = ("segment_total", "consolidated")


@dataclass(frozen=True)
class Basis:
    """One reporting basis (口径) and the three ways the book names it."""

    word: str  # in running text: "old basis"
    toggle: str  # on a what-if toggle button
    row: str  # as a table row label


#: The one label map for reporting bases, used by tables, toggles and readouts.
BASES: dict[str, Basis] = {
    "old": Basis(
        "old basis", "Old basis (external revenue, 旧口径)", "Old basis: external revenue only (旧口径)"
    ),
    "new": Basis(
        "restated basis",
        "Restated basis (新口径)",
        "Restated segment basis, incl. sales to Alibaba units (新口径)",
    ),
    "prospectus": Basis(
        "prospectus basis",
        "Cainiao's prospectus (招股书)",
        "Cainiao's own prospectus, standalone company (招股书)",
    ),
    "mixed": Basis(
        "mixed bases",
        "Mixed, as in the published figure",
        "Mixed, as in our reconstruction of the published figure (old to FY2021, restated from FY2022)",
    ),
}

#: Last fiscal year with sourced segment data; scenarios start from it.
BASE_YEAR = 2024


@data.register_cache
@functools.cache
def _segment_wide(folder: Path) -> pd.DataFrame:
    t = data.load("segment_revenue")
    wide = t.pivot(index="line_id", columns="fiscal_year", values="value_rmb_m")
    order = list(dict.fromkeys(t["line_id"]))
    return wide.loc[order]


def segment_wide() -> pd.DataFrame:
    """Segment revenue as a wide table: one row per line, one column per fiscal year."""
    return _segment_wide(data.data_dir()).copy()


def value(line_id: str, year: int) -> int:
    """One segment-table value in RMB million."""
    wide = _segment_wide(data.data_dir())  # read only: no copy (what-ifs call this per frame)
    if line_id not in wide.index:
        raise KeyError(f"no revenue line {line_id!r}; known: {', '.join(wide.index)}")
    if year not in wide.columns:
        raise KeyError(f"no fiscal year {year} in the segment table; known: {list(wide.columns)}")
    return int(wide.loc[line_id, year])


def share(line_id: str, year: int, denominator: str = "consolidated") -> float:
    """Share (0-1) of ``line_id`` in ``denominator`` revenue for a fiscal year."""
    if denominator not in DENOMINATORS:
        raise ValueError(f"denominator must be one of {DENOMINATORS}, not {denominator!r}")
    return value(line_id, year) / value(denominator, year)


def segment_shares(year: int) -> pd.DataFrame:
    """Each segment's share of revenue under both denominators (the paper's Figure 1 and its fix)."""
    rows = []
    for seg in SEGMENTS:
        rows.append(
            {
                "line_id": seg,
                "segment": SHORT_LABELS[seg],
                "revenue_rmb_m": value(seg, year),
                "share_of_segment_total": share(seg, year, "segment_total"),
                "share_of_consolidated": share(seg, year, "consolidated"),
            }
        )
    return pd.DataFrame(rows)


def segment_growth(line_id: str, start: int, end: int) -> float:
    """Growth of one segment-table line between two fiscal years."""
    return growth(value(line_id, start), value(line_id, end))


@data.register_cache
@functools.cache
def _ebita_wide(folder: Path) -> pd.DataFrame:
    t = data.load("segment_ebita")
    wide = t.pivot(index="line_id", columns="fiscal_year", values="adj_ebita_rmb_m")
    return wide.loc[list(dict.fromkeys(t["line_id"]))]


def ebita_wide() -> pd.DataFrame:
    """Segment adjusted EBITA as a wide table (RMB million; NaN where no filing gives a figure)."""
    return _ebita_wide(data.data_dir()).copy()


def ebita(line_id: str, year: int) -> int:
    """One segment's adjusted EBITA in RMB million (negative is a loss), from ``segment_ebita.csv``.

    Raises KeyError, naming what is known, when the segment or the year has no sourced figure
    (for instance Taotian in FY2025: the 2025 reorganisation merged it into a new segment)."""
    wide = _ebita_wide(data.data_dir())
    if line_id not in wide.index:
        raise KeyError(f"no adjusted EBITA for {line_id!r}; known: {', '.join(wide.index)}")
    v = wide.loc[line_id].get(year)
    if v is None or pd.isna(v):
        have = [int(y) for y, x in wide.loc[line_id].items() if not pd.isna(x)]
        raise KeyError(f"no sourced adjusted EBITA for {line_id!r} in FY{year}; years with a figure: {have}")
    return int(v)


def ebita_margin(line_id: str, year: int) -> float:
    """Adjusted EBITA ÷ segment revenue (0-1), both on the FY2024 segment basis (FY2022-FY2024)."""
    return ebita(line_id, year) / value(line_id, year)


def history(series: str, basis: str) -> pd.Series:
    """An older-basis series from ``segment_history`` indexed by fiscal year (RMB million)."""
    t = data.load("segment_history")
    sel = t[(t["series"] == series) & (t["basis"] == basis)]
    if sel.empty:
        raise KeyError(f"no {series!r} rows on the {basis!r} basis in segment_history.csv")
    return sel.set_index("fiscal_year")["value_rmb_m"].astype(int).sort_index()


def new_basis(line_id: str) -> pd.Series:
    wide = segment_wide()
    return wide.loc[line_id].astype(int).rename_axis("fiscal_year")


def paper_series(kind: str) -> pd.DataFrame:
    """The series the paper charts in Figure 2 (``'intl'``) or Figure 3 (``'cainiao'``).

    Returns one row per fiscal year with the value the paper plotted (RMB million), the
    reporting basis of that value, and, where it exists, the old-basis value for the same
    year, so a chart can show where the paper switches basis.
    """
    if kind == "intl":
        old, new = history("intl_total", "old"), new_basis("aidc_total")
    elif kind == "cainiao":
        old, new = history("cainiao", "old"), new_basis("cainiao")
    else:
        raise ValueError("kind must be 'intl' or 'cainiao'")
    rows = []
    for year in sorted(set(old.index) | set(new.index)):
        on_new = year in new.index
        rows.append(
            {
                "fiscal_year": int(year),
                "paper_value_rmb_m": int(new[year] if on_new else old[year]),
                "paper_basis": "new" if on_new else "old",
                "old_basis_rmb_m": int(old[year]) if year in old.index else None,
                "new_basis_rmb_m": int(new[year]) if on_new else None,
            }
        )
    return pd.DataFrame(rows)


def basis_switch_year(kind: str) -> int:
    """First fiscal year in which the paper's series uses the new basis."""
    s = paper_series(kind)
    return int(s.loc[s["paper_basis"] == "new", "fiscal_year"].min())
