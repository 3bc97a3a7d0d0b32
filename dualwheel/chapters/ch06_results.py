"""Chapter 6, Implementation results (战略实施效果): the segment table reconciled, AIDC's
retail/wholesale split, Cainiao's reporting scopes and the paper's 34.8% CAGR, the fiscal
calendar, and the revenue-mix scenario.

Everything Chapter 6 computes lives here; the page makes short calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .. import claims, data, finance, segments, style
from ..charts import mark_basis_change
from ..claims import check
from ..finance import cagr, to_yi
from ..fmt import fy
from ..segments import BASE_YEAR, SEGMENTS, history, segment_growth, segment_wide, share, value


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


#: The bases a student can pick in the CAGR explorer (value -> label on the toggle).
CAGR_BASES: dict[str, str] = {b: segments.BASES[b].toggle for b in ("old", "new", "mixed")}


#: How periods are counted (value -> label on the toggle).
PERIOD_RULES: dict[str, str] = {
    "span": "end − start (correct)",
    "paper": "5, as the paper's labels imply",
}


#: The number of periods the paper compounds over for "2019-2024".
PAPER_PERIODS = 5


@dataclass(frozen=True)
class CagrResult:
    """One CAGR calculation on Cainiao's revenue, or the reason it cannot be made.

    ``cagr_pct`` is None when the choice is invalid; ``message`` then says why, in a
    sentence a student can act on. ``warnings`` list what is wrong with a valid but
    inconsistent calculation (bases mixed, periods miscounted).
    """

    basis: str
    start: int
    end: int
    period_rule: str
    series: pd.Series  # fiscal_year -> RMB million on the chosen basis
    periods: int | None
    cagr_pct: float | None
    message: str
    warnings: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.cagr_pct is not None

    @property
    def span(self) -> int:
        return self.end - self.start

    def basis_of(self, year: int) -> str:
        """'old' or 'new': which basis the value for ``year`` is on."""
        if self.basis == "mixed":
            return "new" if year >= segments.basis_switch_year("cainiao") else "old"
        return self.basis


def cainiao_cagr(start: float, end: float, basis: str, periods: str = "span") -> CagrResult:
    """Cainiao's compound annual growth rate (年均复合增长率) from ``start`` to ``end`` (fiscal years).

    ``basis`` is a key of :data:`CAGR_BASES`; ``periods`` is ``"span"`` (end − start, the
    correct count) or ``"paper"`` (always 5, as the paper counted for "2019-2024"). Choices
    that cannot give a rate (end not after start, a year with no figure on that basis) return
    a result with ``cagr_pct=None`` and a message instead of raising, so a what-if frame can
    say what went wrong. Unknown bases or period rules raise ValueError.
    """
    if basis not in CAGR_BASES:
        raise ValueError(f"basis must be one of {', '.join(CAGR_BASES)}, not {basis!r}")
    if periods not in PERIOD_RULES:
        raise ValueError(f"periods must be one of {', '.join(PERIOD_RULES)}, not {periods!r}")
    start, end = int(start), int(end)
    series = cainiao_series(basis)

    def result(n: int | None, rate: float | None, message: str, warns: tuple[str, ...] = ()) -> CagrResult:
        return CagrResult(basis, start, end, periods, series, n, rate, message, warns)

    if end <= start:
        return result(None, None, f"The end year must come after the start year ({fy(start)} → {fy(end)}).")
    missing = [y for y in (start, end) if y not in series.index]
    if missing:
        have = f"{fy(int(series.index.min()))}–{fy(int(series.index.max()))}"
        return result(
            None,
            None,
            f"No {fy(missing[0])} figure on this basis (it covers {have}); pick years inside that range.",
        )
    n = end - start if periods == "span" else PAPER_PERIODS
    rate = 100 * finance.cagr(series[start], series[end], n)
    warns = []
    out = result(n, rate, "", ())
    if out.basis_of(start) != out.basis_of(end):
        warns.append(f"mixes two bases: {fy(start)} is external revenue only, {fy(end)} is restated")
    if n != end - start:
        warns.append(f"counts {n} periods, but {fy(start)} → {fy(end)} spans {_years(end - start)} of growth")
    return result(n, rate, "", tuple(warns))


def cagr_frame_key(values: Mapping[str, Any], r: CagrResult) -> tuple:
    """What-if frames that share a chart: a choice with no rate looks the same whichever period
    count is picked, so those frames are drawn once."""
    key = (values["start"], values["end"], values["basis"])
    return key if not r.valid else (*key, values["periods"])


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def is_paper_cagr(r: CagrResult, tolerance: float = 0.05) -> bool:
    """True when a result reproduces the paper's figure for Cainiao's growth (34.8%)."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    return r.valid and abs(r.cagr_pct - paper) < tolerance


def cagr_summary(r: CagrResult, values: dict) -> dict[str, str]:
    """The readout of the CAGR explorer: the rate, how it was computed, and what is wrong with it."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    if not r.valid:
        return {"CAGR": "no rate", "Why": r.message}
    out = {
        "CAGR": f"{r.cagr_pct:.1f}%",
        "Calculation": (
            f"{fy(r.start)} {finance.to_yi(r.series[r.start]):,.1f} 亿元 ({segments.BASES[r.basis_of(r.start)].word}) → "
            f"{fy(r.end)} {finance.to_yi(r.series[r.end]):,.1f} 亿元 ({segments.BASES[r.basis_of(r.end)].word}) "
            f"over {r.periods} period{'s' if r.periods != 1 else ''}"
        ),
    }
    if is_paper_cagr(r):
        out["Paper"] = (
            f"this is the paper's {paper:g}%: {fy(r.start)} old basis → {fy(r.end)} restated, "
            f"over {r.periods} periods. Two readings: {r.periods} periods counted over "
            f"{_years(r.span)}, or {fy(r.start)} labelled '{r.start - 1}' (then the count follows the labels)"
        )
    else:
        out["Paper"] = f"{r.cagr_pct - paper:+.1f} points from the paper's {paper:g}%"
    out["Check"] = "; ".join(r.warnings) if r.warnings else "consistent basis and period count"
    return out


def cagr_chart(r: CagrResult, values: dict) -> Figure:
    """The chosen Cainiao series with its start and end marked, the compound path, and the rate
    set against the paper's 34.8%."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=80, gridspec_kw={"width_ratios": [3.2, 1]})
    years = list(range(2019, BASE_YEAR + 1))
    for y in years:
        if y not in r.series.index:
            ax.text(y, 8, "no data", rotation=90, ha="center", va="bottom", fontsize=7, color="#888888")
            continue
        picked = y in (r.start, r.end)
        ax.bar(
            y,
            finance.to_yi(r.series[y]),
            width=0.6,
            color=style.COLOURS[r.basis_of(y)],
            alpha=1.0 if picked else 0.45,
            edgecolor=style.COLOURS["highlight"] if picked else "none",
            linewidth=1.5,
        )
    if r.valid:
        steps = range(r.end - r.start + 1)
        path = [finance.to_yi(r.series[r.start]) * (1 + r.cagr_pct / 100) ** t for t in steps]
        ax.plot(
            [r.start + t for t in steps],
            path,
            "--",
            color=style.COLOURS["scenario"],
            lw=1.5,
            label=f"compounding at {r.cagr_pct:.1f}%/yr",
        )
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xticks(years, [fy(y) for y in years], fontsize=8)
    ax.set_ylabel("亿元")
    ax.set_ylim(0, 1150)
    ax.set_title(f"Cainiao revenue: {CAGR_BASES[r.basis]}", fontsize=10)
    # right panel: the rate against the paper's
    if r.valid:
        colour = style.COLOURS["highlight"] if is_paper_cagr(r) else style.COLOURS["scenario"]
        bx.bar([0], [r.cagr_pct], width=0.5, color=colour)
        bx.text(0, r.cagr_pct + 1.5, f"{r.cagr_pct:.1f}%", ha="center", fontsize=10, fontweight="bold")
    else:
        bx.text(0, 30, "no rate", ha="center", fontsize=10, color="#b00020")
    bx.axhline(paper, color="#b00020", ls=":", lw=1.5)
    bx.set_title(f"dotted: paper's {paper:g}%", fontsize=9, color="#b00020")
    bx.set_xlim(-0.5, 0.5)
    bx.set_ylim(0, 60)
    bx.set_xticks([0], ["CAGR"])
    bx.set_ylabel("% per year")
    return fig


#: The last year of the revenue-mix scenario.
PROJECTION_END = 2028


@dataclass(frozen=True)
class MixProjection:
    """AIDC's revenue mix: actual fiscal years, then a constant-growth scenario."""

    path: pd.DataFrame  # fiscal_year, retail, wholesale, aidc, rest, consolidated (RMB m), shares (%), actual
    growth: dict[str, float]

    def at(self, year: int) -> pd.Series:
        return self.path.set_index("fiscal_year").loc[year]


def aidc_mix_projection(
    retail_growth: float, wholesale_growth: float, rest_growth: float, end: int = PROJECTION_END
) -> MixProjection:
    """Grow AIDC retail, AIDC wholesale and the rest of the group at constant rates (% a year)
    from FY2024 to ``end``; report AIDC's share of consolidated revenue (the paper's 10.9%)
    and retail's share of AIDC (the paper's 79.6%).

    The rest of the group is consolidated revenue minus AIDC, as in :func:`aidc_share_path`.
    A scenario, not a forecast. Raises ValueError for a growth rate of −100% or below or an
    ``end`` before FY2025.
    """
    rates = {"retail": retail_growth, "wholesale": wholesale_growth, "rest": rest_growth}
    for name, g in rates.items():
        if g <= -100:
            raise ValueError(f"{name} growth must be above −100% a year, got {g}")
    if end <= BASE_YEAR:
        raise ValueError(f"the scenario must end after {fy(BASE_YEAR)}, got {fy(end)}")
    rows = []
    for y in segments.segment_wide().columns:
        y = int(y)
        retail, wholesale = segments.value("aidc_retail", y), segments.value("aidc_wholesale", y)
        consolidated = segments.value("consolidated", y)
        rows.append(
            {
                "fiscal_year": y,
                "retail": retail,
                "wholesale": wholesale,
                "rest": consolidated - retail - wholesale,
                "actual": True,
            }
        )
    base = rows[-1]
    for t in range(1, end - BASE_YEAR + 1):
        rows.append(
            {
                "fiscal_year": BASE_YEAR + t,
                "retail": base["retail"] * (1 + retail_growth / 100) ** t,
                "wholesale": base["wholesale"] * (1 + wholesale_growth / 100) ** t,
                "rest": base["rest"] * (1 + rest_growth / 100) ** t,
                "actual": False,
            }
        )
    path = pd.DataFrame(rows)
    path["aidc"] = path["retail"] + path["wholesale"]
    path["consolidated"] = path["aidc"] + path["rest"]
    path["aidc_share_pct"] = 100 * path["aidc"] / path["consolidated"]
    path["retail_share_pct"] = 100 * path["retail"] / path["aidc"]
    return MixProjection(path=path, growth=rates)


def mix_summary(p: MixProjection, values: dict) -> dict[str, str]:
    """Readout: both shares at the end of the scenario, beside FY2024."""
    last, base = p.path.iloc[-1], p.at(BASE_YEAR)
    end = fy(int(last["fiscal_year"]))
    return {
        f"AIDC share of consolidated revenue, {end}": (
            f"{last['aidc_share_pct']:.1f}% ({fy(BASE_YEAR)}: {base['aidc_share_pct']:.1f}%)"
        ),
        f"Retail share of AIDC, {end}": f"{last['retail_share_pct']:.1f}% ({fy(BASE_YEAR)}: {base['retail_share_pct']:.1f}%)",
        "Status": "scenario, not a forecast",
    }


def mix_chart(p: MixProjection, values: dict) -> Figure:
    """Two panels: AIDC's share of group revenue and retail's share of AIDC, actual then scenario."""
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=80, layout="tight")
    path = p.path
    actual, scen = path[path["actual"]], path[path["fiscal_year"] >= BASE_YEAR]
    panels = (
        ("aidc_share_pct", "AIDC % of consolidated revenue", style.COLOURS["aidc_total"], 40),
        ("retail_share_pct", "Retail % of AIDC revenue", style.COLOURS["aidc_retail"], 100),
    )
    for ax, (col, label, colour, top) in zip(axes, panels, strict=True):
        ax.axvspan(BASE_YEAR + 0.5, path["fiscal_year"].max() + 0.5, color="#eeeeee", zorder=0)
        ax.plot(actual["fiscal_year"], actual[col], "-o", color=colour, ms=4, label="actual")
        ax.plot(
            scen["fiscal_year"],
            scen[col],
            "--o",
            color=style.COLOURS["scenario"],
            ms=3,
            mfc="white",
            label="scenario",
        )
        last = path.iloc[-1]
        ax.annotate(
            f"{last[col]:.1f}%",
            (last["fiscal_year"], last[col]),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=style.COLOURS["scenario"],
        )
        ax.set_ylim(0, top)
        ax.set_title(label, fontsize=10)
        ticks = list(path["fiscal_year"][::2])
        ax.set_xticks(ticks, [fy(int(v)) for v in ticks], fontsize=8)
        ax.text(BASE_YEAR + 0.6, top * 0.06, "scenario", fontsize=8, color="#777777")
    axes[0].legend(loc="upper left", fontsize=8)
    g = p.growth
    fig.suptitle(
        f"Scenario, not a forecast: retail {g['retail']:+g}%, wholesale {g['wholesale']:+g}%, "
        f"rest of group {g['rest']:+g}% a year",
        fontsize=10,
        fontweight="bold",
    )
    return fig


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
    mark_basis_change(ax, switch, tops.max() * 0.4)
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
    ]
    ax.set_xticks(x, [fy(int(v)) for v in x])
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, tops.max() * 1.15)
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper left")
    return fig


def cainiao_cagr_variants() -> pd.DataFrame:
    """Ways to compute Cainiao's "2019-2024" growth rate, including the paper's.

    Shows that only one inconsistent choice reproduces 34.8%: the FY2020 old-basis value
    (external revenue only) compounded over five periods to the restated FY2024 value.
    """
    old = history("cainiao", "old")
    end = value("cainiao", 2024)
    rows = [
        (
            "FY2020 old basis → FY2024 new basis, over 5 periods (the paper's figure)",
            old[2020],
            end,
            5,
            False,
        ),
        ("FY2019 old basis → FY2024 new basis, over 5 years", old[2019], end, 5, False),
        ("FY2020 old basis → FY2024 new basis, over 4 years", old[2020], end, 4, False),
        ("FY2019 → FY2023, old basis only, over 4 years", old[2019], old[2023], 4, True),
        ("FY2022 → FY2024, new basis only, over 2 years", value("cainiao", 2022), end, 2, True),
    ]
    return pd.DataFrame(
        [
            {
                "calculation": label,
                "start_rmb_m": int(start),
                "end_rmb_m": int(stop),
                "periods": periods,
                "consistent_basis": consistent,
                "cagr_pct": 100 * (cagr(start, stop, periods)),
            }
            for label, start, stop, periods, consistent in rows
        ]
    )


#: The four groups of the cross-border story, for the profit exhibit.
PROFIT_LINES: tuple[str, ...] = ("taotian_total", "aidc_total", "cloud", "cainiao")


def profit_table(years: tuple[int, ...] = (2022, 2023, 2024, 2025)) -> pd.DataFrame:
    """Adjusted EBITA (RMB million) of Taotian, AIDC, Cloud and Cainiao by fiscal year, with the
    margin on segment revenue where both are on the FY2024 basis (FY2022-FY2024).

    Long format: one row per group and year; ``adj_ebita_rmb_m`` is NaN where no filing gives a
    figure on a comparable basis, ``margin`` is NaN for FY2025 (no FY2025 segment revenue in data/)."""
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


def paper_cainiao_cagr() -> float:
    """The paper's 34.8%, reproduced: FY2020 old basis to restated FY2024 over 5 periods."""
    return float(cainiao_cagr_variants()["cagr_pct"].iloc[0])


#: The single-basis rate the claims table shows beside the paper's: the longest span of the
#: paper's "2019-2024" that one basis covers (the old basis, FY2019 to FY2023).
SINGLE_BASIS_CAGR = (2019, 2023, "old")


@check("cainiao_cagr")
def single_basis_cainiao_cagr() -> float:
    """Cainiao's CAGR on one reporting basis over the correct number of years (the check)."""
    start, end, basis = SINGLE_BASIS_CAGR
    r = cainiao_cagr(start, end, basis, "span")
    assert r.cagr_pct is not None, r.message
    return r.cagr_pct
