"""Pure calculations on the validated tables: shares, growth, CAGR, the paper's series.

Chapters never type a number; they ask this module. Every function takes plain values or
reads through :mod:`casebook.data`, and returns plain values or small DataFrames.
"""

from __future__ import annotations

import pandas as pd

from . import data

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

RMB_M_PER_YI = 100  # 1 亿元 = 100 million yuan


def fy(year: int) -> str:
    """Label a fiscal year the way the book does: 'FY2024' (never a bare '2024')."""
    return f"FY{year}"


def to_yi(rmb_million: float) -> float:
    """RMB million -> 亿元 (hundreds of millions of yuan), the unit of the paper's figures."""
    return rmb_million / RMB_M_PER_YI


def segment_wide() -> pd.DataFrame:
    """Segment revenue as a wide table: one row per line, one column per fiscal year."""
    t = data.load("segment_revenue")
    wide = t.pivot(index="line_id", columns="fiscal_year", values="value_rmb_m")
    order = list(dict.fromkeys(t["line_id"]))
    return wide.loc[order]


def value(line_id: str, year: int) -> int:
    """One segment-table value in RMB million."""
    wide = segment_wide()
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


def growth(start_value: float, end_value: float) -> float:
    """Total growth between two values (0.455 = +45.5%)."""
    if start_value <= 0:
        raise ValueError(f"growth needs a positive start value, got {start_value}")
    return end_value / start_value - 1


def cagr(start_value: float, end_value: float, periods: int) -> float:
    """Compound annual growth rate over ``periods`` years."""
    if periods <= 0:
        raise ValueError(f"a CAGR needs at least one period, got {periods}")
    if start_value <= 0 or end_value <= 0:
        raise ValueError("a CAGR needs positive start and end values")
    return (end_value / start_value) ** (1 / periods) - 1


def segment_growth(line_id: str, start: int, end: int) -> float:
    """Growth of one segment-table line between two fiscal years."""
    return growth(value(line_id, start), value(line_id, end))


def history(series: str, basis: str) -> pd.Series:
    """An older-basis series from ``segment_history`` indexed by fiscal year (RMB million)."""
    t = data.load("segment_history")
    sel = t[(t["series"] == series) & (t["basis"] == basis)]
    if sel.empty:
        raise KeyError(f"no {series!r} rows on the {basis!r} basis in segment_history.csv")
    return sel.set_index("fiscal_year")["value_rmb_m"].astype(int).sort_index()


def _new_basis(line_id: str) -> pd.Series:
    wide = segment_wide()
    return wide.loc[line_id].astype(int).rename_axis("fiscal_year")


def paper_series(kind: str) -> pd.DataFrame:
    """The series the paper charts in Figure 2 (``'intl'``) or Figure 3 (``'cainiao'``).

    Returns one row per fiscal year with the value the paper plotted (RMB million), the
    reporting basis of that value, and, where it exists, the old-basis value for the same
    year, so a chart can show where the paper switches basis.
    """
    if kind == "intl":
        old, new = history("intl_total", "old"), _new_basis("aidc_total")
    elif kind == "cainiao":
        old, new = history("cainiao", "old"), _new_basis("cainiao")
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


def company_fact(name: str) -> int:
    """A fact from ``company_facts.csv`` (founding year, founders, ...)."""
    t = data.load("company_facts").set_index("fact")
    if name not in t.index:
        raise KeyError(f"no company fact {name!r}; known: {', '.join(t.index)}")
    return int(t.loc[name, "value"])


def macro(indicator: str, year: int) -> float:
    """A customs figure from ``macro_cross_border.csv`` (calendar year)."""
    t = data.load("macro_cross_border")
    sel = t[(t["indicator"] == indicator) & (t["calendar_year"] == year)]
    if sel.empty:
        raise KeyError(f"no {indicator!r} for {year} in macro_cross_border.csv")
    return float(sel["value"].iloc[0])


def claim(claim_id: str) -> dict:
    """One row of ``paper_claims.csv`` as a dict."""
    t = data.load("paper_claims").set_index("claim_id")
    if claim_id not in t.index:
        raise KeyError(f"no claim {claim_id!r} in paper_claims.csv")
    row = t.loc[claim_id].to_dict()
    row["claim_id"] = claim_id
    return row


def business_groups() -> pd.DataFrame:
    """The business-system table collapsed to one row per group, brands joined by channel."""
    t = data.load("business_system")
    out = []
    for gid, g in t.groupby("group_id", sort=False):
        parts = []
        for channel, c in g.groupby("channel", sort=False):
            brands = ", ".join(
                b if b == z else f"{b} {z}" for b, z in zip(c["brand"], c["brand_zh"], strict=True)
            )
            label = {"all": "", "to_home": "To-home: ", "to_destination": "To-destination: "}.get(
                channel, f"{channel.capitalize()}: "
            )
            parts.append(label + brands)
        out.append(
            {
                "group_id": gid,
                "Group": f"{g['group'].iloc[0]} ({g['group_zh'].iloc[0]})",
                "Brands": "; ".join(parts),
            }
        )
    return pd.DataFrame(out)
