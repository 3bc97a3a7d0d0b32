"""Pure calculations on the validated tables: shares, growth, CAGR, the paper's series.

Chapters never type a number; they ask this module. Every function takes plain values or
reads through :mod:`casebook.data`, and returns plain values or small DataFrames.
"""

from __future__ import annotations

import functools
from pathlib import Path

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


# ----------------------------------------------------------------------------- Chapter 6


def _line_names() -> pd.DataFrame:
    return data.load("segment_revenue").drop_duplicates("line_id").set_index("line_id")


def reconciliation() -> pd.DataFrame:
    """The segment table (paper Table 2) with its reconciliation to consolidated revenue computed.

    One row per segment (with its retail / wholesale components), then computed rows: the
    sum of the seven segments, that sum plus unallocated revenue and inter-segment
    eliminations, and the difference from the reported consolidated figure (zero when the
    table reconciles). ``kind`` says what each row is: ``segment``, ``component``,
    ``reported``, ``adjustment``, ``computed`` or ``check``. Year columns hold RMB million.
    """
    wide = segment_wide()
    names = _line_names()
    years = [int(y) for y in wide.columns]
    rows: list[dict] = []

    def add(label: str, kind: str, values: list[int]) -> None:
        rows.append({"line": label, "kind": kind, **dict(zip(years, values, strict=True))})

    def named(line_id: str) -> str:
        return f"{names.loc[line_id, 'line']} ({names.loc[line_id, 'line_zh']})"

    for seg in SEGMENTS:
        add(named(seg), "segment", [int(wide.loc[seg, y]) for y in years])
        parts = names[(names["parent"] == seg) & (names["role"] == "component")].index
        for part in parts:
            add(f"of which {named(part)}", "component", [int(wide.loc[part, y]) for y in years])
    seg_sum = [int(sum(wide.loc[s, y] for s in SEGMENTS)) for y in years]
    add("Sum of the seven segments (computed)", "computed", seg_sum)
    add(
        f"{named('segment_total')}, as reported",
        "reported",
        [int(wide.loc["segment_total", y]) for y in years],
    )
    unalloc = [int(wide.loc["unallocated", y]) for y in years]
    elim = [int(wide.loc["elimination", y]) for y in years]
    add(named("unallocated"), "adjustment", unalloc)
    add(named("elimination"), "adjustment", elim)
    computed = [s + u + e for s, u, e in zip(seg_sum, unalloc, elim, strict=True)]
    add("Consolidated revenue (computed): segments + unallocated + eliminations", "computed", computed)
    reported = [int(wide.loc["consolidated", y]) for y in years]
    add(f"{named('consolidated')}, as reported", "reported", reported)
    add("Difference: computed − reported", "check", [c - r for c, r in zip(computed, reported, strict=True)])
    return pd.DataFrame(rows)


def aidc_split() -> pd.DataFrame:
    """AIDC's retail and wholesale revenue per fiscal year, with the shares the paper quotes.

    Shares are fractions (0-1): ``retail_share_of_aidc`` (retail / AIDC total, the paper's
    70.2% and 79.6%), ``aidc_share_consolidated`` (the paper's 7.3% and 10.9%) and, for
    contrast, ``aidc_share_segment_total``. Growth columns are year-on-year fractions
    (empty in the first year).
    """
    years = [int(y) for y in segment_wide().columns]
    rows = []
    for i, y in enumerate(years):
        r, w, t = value("aidc_retail", y), value("aidc_wholesale", y), value("aidc_total", y)
        prev = years[i - 1] if i else None
        rows.append(
            {
                "fiscal_year": y,
                "retail_rmb_m": r,
                "wholesale_rmb_m": w,
                "aidc_rmb_m": t,
                "retail_share_of_aidc": r / t,
                "aidc_share_consolidated": share("aidc_total", y, "consolidated"),
                "aidc_share_segment_total": share("aidc_total", y, "segment_total"),
                "retail_growth": segment_growth("aidc_retail", prev, y) if prev else None,
                "wholesale_growth": segment_growth("aidc_wholesale", prev, y) if prev else None,
                "aidc_growth": segment_growth("aidc_total", prev, y) if prev else None,
            }
        )
    return pd.DataFrame(rows)


def retail_share_history() -> pd.DataFrame:
    """Retail's share of international commerce, FY2019 onwards, with the basis of each year.

    Old-basis years (the 20-F "international commerce" segment) come from
    ``segment_history``; new-basis years from the segment table. FY2022 appears once, on the
    new basis (the old basis has no retail / wholesale split for it in ``data/``).
    """
    retail_old, wholesale_old = history("intl_retail", "old"), history("intl_wholesale", "old")
    rows = [
        {
            "fiscal_year": int(y),
            "retail_rmb_m": int(retail_old[y]),
            "wholesale_rmb_m": int(wholesale_old[y]),
            "basis": "old",
        }
        for y in retail_old.index
        if y in wholesale_old.index
    ]
    for y in segment_wide().columns:
        rows.append(
            {
                "fiscal_year": int(y),
                "retail_rmb_m": value("aidc_retail", int(y)),
                "wholesale_rmb_m": value("aidc_wholesale", int(y)),
                "basis": "new",
            }
        )
    out = pd.DataFrame(rows).drop_duplicates("fiscal_year", keep="last").sort_values("fiscal_year")
    out["retail_share"] = out["retail_rmb_m"] / (out["retail_rmb_m"] + out["wholesale_rmb_m"])
    return out.reset_index(drop=True)


#: Cainiao's reporting bases, as the book names them.
CAINIAO_BASES: dict[str, str] = {
    "old": "Old basis: external revenue only (旧口径)",
    "new": "Restated segment basis, incl. sales to Alibaba units (新口径)",
    "prospectus": "Cainiao's own prospectus, standalone company (招股书)",
    "mixed": "Mixed, as the paper plots it (old to FY2021, restated from FY2022)",
}


def cainiao_series(basis: str) -> pd.Series:
    """Cainiao revenue (RMB million) by fiscal year on one basis of :data:`CAINIAO_BASES`."""
    if basis == "old":
        return history("cainiao", "old")
    if basis == "prospectus":
        return history("cainiao", "prospectus")
    if basis == "new":
        return _new_basis("cainiao")
    if basis == "mixed":
        s = paper_series("cainiao")
        return s.set_index("fiscal_year")["paper_value_rmb_m"].astype(int)
    raise ValueError(f"basis must be one of {', '.join(CAINIAO_BASES)}, not {basis!r}")


def cainiao_scopes() -> pd.DataFrame:
    """Cainiao revenue on each reporting scope side by side: rows are bases, columns fiscal years.

    Empty cells mean the basis has no figure for that year. The FY2023 column shows one
    year's revenue three ways (old, restated, prospectus).
    """
    series = {b: cainiao_series(b) for b in ("old", "new", "prospectus")}
    years = sorted(set().union(*(s.index for s in series.values())))
    frame = pd.DataFrame({b: s.reindex(years) for b, s in series.items()}).T
    frame.columns = [int(y) for y in frame.columns]
    return frame


#: Alibaba's fiscal year starts in April: FY2024 runs from April 2023 to March 2024.
FY_START_MONTH = 4


def fiscal_year_span(year: int) -> tuple[str, str]:
    """First and last day of an Alibaba fiscal year: FY2024 -> ('1 April 2023', '31 March 2024')."""
    return f"1 April {year - 1}", f"31 March {year}"


def fiscal_calendar(years: list[int]) -> pd.DataFrame:
    """How fiscal years fall across calendar years.

    A fiscal year labelled FY2024 has ``12 - (FY_START_MONTH - 1)`` = 9 months in calendar
    2023 and 3 in calendar 2024, so reading "FY2024" as "2024" shifts it by most of a year.
    """
    earlier = 12 - (FY_START_MONTH - 1)
    rows = []
    for y in years:
        start, end = fiscal_year_span(y)
        rows.append(
            {
                "fiscal_year": y,
                "from": start,
                "to": end,
                "calendar_earlier": y - 1,
                "months_in_earlier": earlier,
                "calendar_later": y,
                "months_in_later": 12 - earlier,
            }
        )
    return pd.DataFrame(rows)
