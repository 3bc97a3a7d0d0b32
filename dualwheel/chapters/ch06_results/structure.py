"""Chapter 6, the segment table: reconciled to consolidated revenue, AIDC's retail/wholesale
split, Cainiao's reporting scopes, the fiscal calendar, growth and profit exhibits, and the
checks of the paper's section-6.1 claims."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ... import data, segments, style
from ...claims import check
from ...finance import to_yi
from ...fmt import fy
from ...segments import SEGMENTS, history, segment_growth, segment_wide, share, value


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


#: Cainiao's reporting bases, as the book names them in tables.
CAINIAO_BASES: dict[str, str] = {b: segments.BASES[b].row for b in ("old", "new", "prospectus", "mixed")}


def cainiao_series(basis: str) -> pd.Series:
    """Cainiao revenue (RMB million) by fiscal year on one basis of :data:`CAINIAO_BASES`."""
    if basis == "old":
        return history("cainiao", "old")
    if basis == "prospectus":
        return history("cainiao", "prospectus")
    if basis == "new":
        return segments.new_basis("cainiao")
    if basis == "mixed":
        s = segments.paper_series("cainiao")
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


def growth_bars(lines: list[str], start: int, end: int) -> Figure:
    """Total growth of several segments between two fiscal years."""
    g = pd.Series({line: 100 * segments.segment_growth(line, start, end) for line in lines})
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    bars = ax.bar(
        [segments.SHORT_LABELS[i] for i in g.index],
        g.values,
        color=[style.COLOURS[i] for i in g.index],
        width=0.55,
    )
    for rect, v in zip(bars, g.values, strict=True):
        ax.text(rect.get_x() + rect.get_width() / 2, v, f"+{v:.1f}%", ha="center", va="bottom", fontsize=9)
    ax.set_ylabel(f"Revenue growth {fy(start)}→{fy(end)} (%)")
    ax.set_ylim(0, g.max() * 1.2)
    ax.set_title(f"Growth {fy(start)} to {fy(end)}")
    return fig


def retail_mix(title: str) -> Figure:
    """International retail and wholesale revenue FY2019-FY2024, stacked, retail's share on top.

    Old-basis years (20-F "international commerce") are drawn lighter than new-basis (AIDC)
    years, with the change of basis marked, as in :func:`basis_series`.
    """
    s = retail_share_history()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    x = s["fiscal_year"]
    alpha = [0.5 if b == "old" else 1.0 for b in s["basis"]]
    for xi, r, w, a in zip(x, to_yi(s["retail_rmb_m"]), to_yi(s["wholesale_rmb_m"]), alpha, strict=True):
        ax.bar(xi, r, width=0.6, color=style.COLOURS["aidc_retail"], alpha=a)
        ax.bar(
            xi,
            w,
            bottom=r,
            width=0.6,
            color=style.COLOURS["aidc_wholesale"],
            alpha=a,
            hatch=style.SECOND_HATCH,  # stacked on retail: told apart without colour
            edgecolor="#555555",
            linewidth=0,
        )
    tops = to_yi(s["retail_rmb_m"] + s["wholesale_rmb_m"])
    for xi, top, sh in zip(x, tops, s["retail_share"], strict=True):
        ax.text(xi, top, f"retail {100 * sh:.1f}%", ha="center", va="bottom", fontsize=8)
    switch = int(s.loc[s["basis"] == "new", "fiscal_year"].min())
    # the change of basis: a dotted line named in the legend (a label beside it would cross the
    # bar labels of this chart)
    ax.axvline(switch - 0.5, color="#444444", lw=1, ls=":")
    handles = [
        Patch(color=style.COLOURS["aidc_retail"], label=segments.SHORT_LABELS["aidc_retail"]),
        Patch(
            facecolor=style.COLOURS["aidc_wholesale"],
            hatch=style.SECOND_HATCH,
            edgecolor="#555555",
            linewidth=0,
            label=segments.SHORT_LABELS["aidc_wholesale"],
        ),
        Patch(color="#cccccc", label="lighter: old basis (旧口径)"),
        Line2D([], [], color="#444444", lw=1, ls=":", label="reporting basis changes (口径变更)"),
    ]
    ax.set_xticks(x, [fy(int(v)) for v in x])
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, tops.max() * 1.15)
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper left")
    return fig


PROFIT_LINES: tuple[str, ...] = ("taotian_total", "aidc_total", "cloud", "cainiao")


def profit_table(years: tuple[int, ...] = (2022, 2023, 2024)) -> pd.DataFrame:
    """Adjusted EBITA (RMB million) of Taotian, AIDC, Cloud and Cainiao by fiscal year, with the
    margin on segment revenue where both are on the FY2024 basis (FY2022-FY2024).

    The default years stop at FY2024, the last full year public at the decision date (June 2024);
    later years (none in a student's copy of data/segment_ebita.csv) only when asked for.
    Long format: one row per group and year; ``adj_ebita_rmb_m`` is NaN where no filing gives a
    figure on a comparable basis, ``margin`` is NaN where data/ has no segment revenue that year."""
    wide = segments.ebita_wide()
    rows = []
    for line in PROFIT_LINES:
        for y in years:
            e = wide.loc[line].get(y)
            has_rev = y in segments.segment_wide().columns
            rows.append(
                {
                    "line_id": line,
                    "fiscal_year": y,
                    "adj_ebita_rmb_m": e,
                    "margin": e / segments.value(line, y) if has_rev and e == e else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def aidc_losses_vs_taotian(start: int = 2022, end: int = 2024) -> float:
    """AIDC's cumulative adjusted EBITA loss as a share (0-1) of Taotian's cumulative adjusted EBITA."""
    years = range(start, end + 1)
    loss = -sum(segments.ebita("aidc_total", y) for y in years)
    return loss / sum(segments.ebita("taotian_total", y) for y in years)


def _pct(x: float) -> float:
    return 100 * x


def _growth_pct(line: str, start: int, end: int) -> float:
    return _pct(segments.segment_growth(line, start, end))


# ----------------------------------------------------------------------------- claims of section 6
@check("aidc_share_fy2022")
def aidc_share_fy2022() -> float:
    return _pct(share("aidc_total", 2022, "consolidated"))


@check("aidc_share_fy2024")
def aidc_share_fy2024() -> float:
    return _pct(share("aidc_total", 2024, "consolidated"))


@check("retail_share_aidc_fy2022")
def retail_share_aidc_fy2022() -> float:
    return _pct(value("aidc_retail", 2022) / value("aidc_total", 2022))


@check("retail_share_aidc_fy2024")
def retail_share_aidc_fy2024() -> float:
    return _pct(value("aidc_retail", 2024) / value("aidc_total", 2024))


@check("wholesale_growth_slowed")
def wholesale_growth_fy2024() -> float:
    return _growth_pct("aidc_wholesale", 2023, 2024)


@check("aidc_growth_vs_peers")
def aidc_growth_fy2022_fy2024() -> float:
    return _growth_pct("aidc_total", 2022, 2024)
