"""Chapter 5, The evolution path (出海战略的演化路径): events, phases and phase growth.

The paper cuts Alibaba's international history into four phases (1999-2006, 2007-2015,
2016-2023, 2024 onward). This module rebuilds that history from ``data/events.csv`` and the
revenue tables, and lets a reader move the boundaries to see how the story changes.

Two conventions hold throughout, because the paper mixes calendar and fiscal years:

* A phase is a run of **calendar** years; its first year is a *boundary*.
* Revenue is by Alibaba **fiscal** year (FY ends 31 March). FY ``B`` runs from April ``B-1``
  to March ``B``, so it lies mostly in calendar year ``B-1``. A phase that starts in calendar
  year ``s`` and ends in ``e`` is therefore measured from FY ``s`` (the last fiscal year
  before it) to FY ``e+1`` (the last fiscal year mostly inside it). Neighbouring phases
  share an end point, so their growth multiplies up to the growth of the whole span.

Everything here is pure (tables in, numbers or frames out) except the chart functions,
which return a matplotlib Figure and leave showing it to the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .. import data, finance, style
from ..claims import check
from ..fmt import fy

# ----------------------------------------------------------------------------- phases


@dataclass(frozen=True)
class Phase:
    """One of the paper's phases: calendar years ``start``..``end`` (``end`` None: ongoing)."""

    number: int
    start: int
    end: int | None
    name: str
    name_zh: str
    theme: str

    @property
    def span(self) -> str:
        return f"{self.start}–{self.end}" if self.end else f"{self.start} on"


#: The paper's four phases (section 5.1 to 5.4), in its own words' sense, not its sentences.
PAPER_PHASES: tuple[Phase, ...] = (
    Phase(1, 1999, 2006, "Budding", "萌芽期", "information broker"),
    Phase(2, 2007, 2015, "Exploration", "探索期", "closing the transaction loop"),
    Phase(3, 2016, 2023, "Expansion", "扩张期", "a global ecosystem network"),
    Phase(4, 2024, None, "Maturity", "成熟期", "digital-ecosystem integration"),
)

#: The first calendar year of phases 2, 3 and 4 as the paper draws them.
PAPER_BOUNDARIES: tuple[int, int, int] = (2007, 2016, 2024)

#: Names of the phases by number.
PHASE_NAMES: dict[int, str] = {p.number: f"{p.name} ({p.name_zh})" for p in PAPER_PHASES}


def phase_of(year: int, boundaries: Sequence[int] = PAPER_BOUNDARIES) -> int:
    """The phase (1-4) a calendar year falls in, given the first years of phases 2, 3 and 4.

    Raises ValueError when the boundaries are not strictly increasing: a phase must last at
    least one year.
    """
    b = list(boundaries)
    if len(b) != 3 or any(later <= earlier for earlier, later in zip(b, b[1:], strict=False)):
        raise ValueError(f"boundaries must be three strictly increasing years, got {tuple(b)}")
    return 1 + sum(year >= x for x in b)


# ----------------------------------------------------------------------------- events


def _decimal_year(date: str) -> float:
    """'2016-04-12' -> 2016.28; '2016-04' -> mid-April; '2016' -> mid-year (for plotting)."""
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return year + 0.5
    month_start = year + (parts[1] - 1) / 12
    return month_start + ((parts[2] - 1) / 365 if len(parts) == 3 else 1 / 24)


def events(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> pd.DataFrame:
    """``events.csv`` sorted by date, with its calendar year, a plotting position and its phase."""
    t = data.load("events")
    t["year"] = t["date"].str[:4].astype(int)
    t["when"] = t["date"].map(_decimal_year)
    t["phase"] = t["year"].map(lambda y: phase_of(y, boundaries))
    return t.sort_values("when", kind="stable").reset_index(drop=True)


def event_label(event_id: str) -> str:
    """'Lazada control (2016)': an event's short label with its year, for evidence columns."""
    t = events().set_index("event_id")
    if event_id not in t.index:
        raise KeyError(f"no event {event_id!r} in data/events.csv")
    return f"{t.loc[event_id, 'label']} ({t.loc[event_id, 'year']})"


#: Entry modes in the order the chapter discusses them, with readable names. A bought stake is
#: split in two: a purchase that enters a market (kind ``acquisition``) and a follow-on stake in
#: a business already held or co-founded (kind ``investment``), so follow-ons do not inflate
#: the count of purchases.
ENTRY_MODES: dict[str, str] = {
    "organic": "Built in-house",
    "acquisition": "Bought: market entry",
    "follow_on": "Bought: follow-on stake",
    "alliance": "Alliance / partners",
    "capital_market": "Listing / capital markets",
    "internal": "Reorganisation",
}


def step_mode(entry_mode: str, kind: str) -> str:
    """The row of the entry-mode table an event counts in: 'follow_on' for a bought stake that
    adds to a business already held (kind 'investment'), otherwise its ``entry_mode``."""
    return "follow_on" if entry_mode == "acquisition" and kind == "investment" else entry_mode


def entry_modes_by_phase(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> pd.DataFrame:
    """Count of events per phase (columns) and entry mode (rows): how each phase's steps were taken."""
    t = events(boundaries)
    t["mode"] = [step_mode(m, k) for m, k in zip(t["entry_mode"], t["kind"], strict=True)]
    counts = pd.crosstab(t["mode"], t["phase"]).reindex(index=list(ENTRY_MODES), fill_value=0)
    counts = counts.reindex(columns=[1, 2, 3, 4], fill_value=0)
    counts.index = [ENTRY_MODES[m] for m in counts.index]
    counts.loc["All dated events"] = counts.sum()
    return counts


#: The consumer marketplaces Alibaba entered abroad, and the events that record each step.
ENTRY_UNITS: tuple[str, ...] = ("lazada", "daraz", "trendyol", "miravia")


def entry_steps() -> pd.DataFrame:
    """Every dated step into a foreign consumer market (``events.csv``, units in
    :data:`ENTRY_UNITS`): date, market, mode (first entry or follow-on), amount and stake.

    ``amount_usd_m`` and ``stake_after_pct`` are numbers, empty (NaN) when the source gives none;
    ``amount_note`` says which (undisclosed, built in-house). Sources are the row's own.
    """
    t = events()
    t = t[t["unit"].isin(ENTRY_UNITS)].copy()
    first = ~t.duplicated("unit", keep="first")
    t["step"] = [
        ("Build" if m == "organic" else "Buy") + (": first entry" if f else ": follow-on")
        for m, f in zip(t["entry_mode"], first, strict=True)
    ]

    def why_empty(row: Any) -> str:
        if pd.notna(row.amount_usd_m):
            return ""
        return "built in-house; no amount found" if row.entry_mode == "organic" else "undisclosed"

    t["amount_note"] = [why_empty(r) for r in t.itertuples(index=False)]
    cols = ["event_id", "date", "unit", "market", "step", "amount_usd_m", "stake_after_pct", "amount_note"]
    out = t[cols + ["amount_source", "stake_source", "source"]].reset_index(drop=True)
    out["amount_usd_m"] = out["amount_usd_m"].astype(float)
    out["stake_after_pct"] = out["stake_after_pct"].astype(float)
    return out


def entry_table() -> pd.DataFrame:
    """:func:`entry_steps` ready to show: one row per step, amounts and stakes as numbers."""
    t = entry_steps()
    return pd.DataFrame(
        {
            "Date": t["date"],
            "Marketplace": t["unit"].str.capitalize(),
            "Market": t["market"],
            "Step": t["step"],
            "USD million": t["amount_usd_m"],
            "Stake after (%)": t["stake_after_pct"],
            "If no amount": t["amount_note"],
        }
    )


def entry_sources() -> list[str]:
    """Source ids behind :func:`entry_table` (event, amount and stake sources)."""
    t = entry_steps()
    ids = [
        s for col in ("source", "amount_source", "stake_source") for s in t[col] if isinstance(s, str) and s
    ]
    return list(dict.fromkeys(ids))


def committed_usd_m(unit: str | None = None, step: str | None = None) -> float:
    """Disclosed USD million committed to the foreign marketplaces, for one unit or all, and for
    all steps or only ``step='first'`` (first entries) or ``step='follow_on'``.

    Undisclosed amounts (Daraz) and built platforms (Miravia) add nothing: the sum is a floor.
    KeyError for a unit that is not a foreign marketplace; ValueError for another ``step``.
    """
    t = entry_steps()
    if unit is not None:
        if unit not in ENTRY_UNITS:
            raise KeyError(f"{unit!r} is not one of the foreign marketplaces {ENTRY_UNITS}")
        t = t[t["unit"] == unit]
    if step is not None:
        if step not in ("first", "follow_on"):
            raise ValueError(f"step must be 'first' or 'follow_on', got {step!r}")
        t = t[t["step"].str.endswith("first entry" if step == "first" else "follow-on")]
    return float(t["amount_usd_m"].sum())


def entry_value(event_id: str, column: str) -> float:
    """One number of :func:`entry_steps`: ``amount_usd_m`` or ``stake_after_pct`` of an event.

    KeyError for an event that is not a marketplace step; ValueError when the source gives no
    number (undisclosed), so a computation never silently uses a gap."""
    if column not in ("amount_usd_m", "stake_after_pct"):
        raise KeyError(f"column must be 'amount_usd_m' or 'stake_after_pct', got {column!r}")
    t = entry_steps().set_index("event_id")
    if event_id not in t.index:
        raise KeyError(f"{event_id!r} is not a marketplace step in data/events.csv")
    v = t.loc[event_id, column]
    if pd.isna(v):
        raise ValueError(f"{event_id}: {column} is not disclosed in the sources")
    return float(v)


def implied_value_usd_m(event_id: str, before_event_id: str) -> float:
    """USD million value of 100% of a company implied by a follow-on step: its price over the
    stake it added (stake after ``event_id`` minus stake after ``before_event_id``)."""
    added = entry_value(event_id, "stake_after_pct") - entry_value(before_event_id, "stake_after_pct")
    if added <= 0:
        raise ValueError(f"{event_id} adds no stake over {before_event_id}")
    return 100 * entry_value(event_id, "amount_usd_m") / added


def markets_by_mode() -> dict[str, int]:
    """Distinct foreign consumer markets by how Alibaba first entered them: 'bought' or 'built'."""
    t = entry_steps()
    firsts = t[t["step"].str.endswith("first entry")]
    return {
        "bought": int(firsts["step"].str.startswith("Buy").sum()),
        "built": int(firsts["step"].str.startswith("Build").sum()),
    }


def phase_profile() -> pd.DataFrame:
    """What changed in each phase: dimensions as rows, phases as columns, evidence in brackets.

    Each cell is our summary followed by the dated events that support it (from events.csv).
    Raises KeyError when the profile cites an event that events.csv lacks.
    """
    t = data.load("phase_profile")
    known = set(data.load("events")["event_id"])
    cells = {}
    for row in t.itertuples(index=False):
        ids = [e.strip() for e in row.evidence.split(";") if e.strip()]
        missing = [e for e in ids if e not in known]
        if missing:
            raise KeyError(
                f"phase_profile.csv (phase {row.phase}, {row.dimension}) cites unknown event(s) {missing}"
            )
        cells[(row.dimension, row.phase)] = f"{row.summary} [{'; '.join(event_label(e) for e in ids)}]"
    dims = ["customer", "model", "entry_mode", "infrastructure"]
    frame = pd.DataFrame(
        {PHASE_NAMES[p]: [cells.get((d, p), "") for d in dims] for p in (1, 2, 3, 4)},
        index=["Customer", "Business model", "Entry mode", "Infrastructure"],
    )
    return frame


def phase_profile_sources() -> list[str]:
    """Source ids behind the phase profile: its own rows' and those of every event it cites."""
    t = data.load("phase_profile")
    ev = data.load("events").set_index("event_id")
    ids = list(t["source"])
    for evidence in t["evidence"]:
        ids += [ev.loc[e.strip(), "source"] for e in evidence.split(";") if e.strip()]
    return list(dict.fromkeys(ids))


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


def intl_revenue() -> pd.DataFrame:
    """International commerce revenue FY2014-FY2024 on every basis we hold, and the group total.

    Columns: fiscal_year; ``old_rmb_m`` (20-F international commerce, FY2014-FY2023);
    ``new_rmb_m`` (AIDC on the FY2024 segments, FY2022-FY2024); ``chained_rmb_m`` (old up to
    FY2021, AIDC from FY2022, as the paper's Figure 2); ``basis`` of the chained value;
    ``group_rmb_m`` (consolidated revenue; FY2021 was not found, so it is empty); and
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


def intl_value(series: str, fiscal_year: int) -> int:
    """One value of the older international tables, RMB million: ``intl_retail``,
    ``intl_wholesale``, ``intl_total`` (20-F basis, FY2014-FY2023) or ``group_revenue``
    (FY2014-FY2020). Reads ``intl_revenue_early`` and, from FY2019, ``segment_history``.
    KeyError, naming what exists, for a year or series not in data/."""
    early = data.load("intl_revenue_early")
    hist = data.load("segment_history")
    rows = pd.concat(
        [
            early[["series", "fiscal_year", "value_rmb_m"]],
            hist.loc[hist["basis"] == "old", ["series", "fiscal_year", "value_rmb_m"]],
        ]
    )
    hit = rows[(rows["series"] == series) & (rows["fiscal_year"] == fiscal_year)]
    if hit.empty:
        have = sorted(rows.loc[rows["series"] == series, "fiscal_year"])
        span = f"{fy(have[0])}-{fy(have[-1])}" if have else "no years"
        raise KeyError(f"no {series!r} value for {fy(fiscal_year)} in data/ (it has {span})")
    return int(hit["value_rmb_m"].iloc[0])


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
                else f"the data end in {fy(last)}, before the phase has a full fiscal year"
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
        if g.phase == 1:
            continue
        label = f"Phase {g.phase} ({g.first_year}–{g.last_year if g.last_year else 'on'})"
        if not g.measured:
            out[label] = g.note
            continue
        text = f"{g.note}: {g.cagr_pct:.1f}% a year; {g.share_of_growth_pct:.0f}% of all growth"
        if g.warnings:
            text += "; ⚠ spans " + "; ".join(g.warnings)
        out[label] = text
    two, three = p.phase(2), p.phase(3)
    if two.measured and three.measured:
        verdict = "accelerates" if three.cagr_pct > two.cagr_pct else "slows down"
        out["Story"] = (
            f"growth {verdict} from phase 2 to phase 3 ({two.cagr_pct:.1f}% → {three.cagr_pct:.1f}%)"
        )
    return out


def periodisation_frame_key(values: Mapping[str, Any], p: Periodisation) -> tuple:
    """Invalid boundary choices all look the same, so they share one what-if frame."""
    return ("invalid",) if not p.valid else (values["expansion_start"], values["latest_start"])


# ----------------------------------------------------------------------------- charts

#: Pale phase colours for background bands, stronger ones for bars.
PHASE_COLOURS = {1: "#f2f2f2", 2: "#e3eef8", 3: "#fdebd3", 4: "#e5f3e0"}
PHASE_BAR_COLOURS = {1: "#bdbdbd", 2: "#9ecae1", 3: "#fdae6b", 4: "#a1d99b"}

#: Timeline lanes: which units go on which row.
LANES: dict[str, tuple[str, ...]] = {
    "B2B (Alibaba.com)": ("alibaba_com",),
    "Consumer marketplaces": ("aliexpress", "lazada", "daraz", "trendyol", "miravia"),
    "Infrastructure": ("cloud", "cainiao", "alipay", "ewtp", "aidc"),
    "Group / capital": ("group",),
}

MODE_MARKERS = {"organic": "o", "acquisition": "s", "alliance": "^", "capital_market": "D", "internal": "P"}


LANE_COLOURS = {
    "B2B (Alibaba.com)": style.COLOURS["cloud"],
    "Consumer marketplaces": style.COLOURS["aidc_total"],
    "Infrastructure": style.COLOURS["cainiao"],
    "Group / capital": style.COLOURS["neutral"],
}


def timeline_chart(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> Figure:
    """Every dated event on its own line over the phase bands: colour = business, shape = entry mode."""
    t = events(boundaries)
    lane_of = {u: lane for lane, units in LANES.items() for u in units}
    fig, ax = plt.subplots(figsize=(6.8, 6.2), dpi=100)
    starts = [1999, *boundaries]
    ends = [*boundaries, 2026]
    for i, (a, e) in enumerate(zip(starts, ends, strict=True), start=1):
        ax.axvspan(a, e, color=PHASE_COLOURS[i], zorder=0)
        ax.text((a + e) / 2, -1.6, PHASE_NAMES[i].replace(" (", "\n("), ha="center", va="bottom", fontsize=8)
    for rank, row in enumerate(t.itertuples(index=False)):
        colour = LANE_COLOURS[lane_of[row.unit]]
        ax.scatter(row.when, rank, marker=MODE_MARKERS[row.entry_mode], s=30, color=colour, zorder=3)
        right = row.when < 2017
        ax.text(
            row.when + (0.5 if right else -0.5),
            rank,
            row.label,
            ha="left" if right else "right",
            va="center",
            fontsize=7,
            color=colour,
            zorder=4,
        )
    ax.set_ylim(len(t) - 0.4, -1.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(1998.5, 2026)
    ax.set_xticks(range(2000, 2026, 4))
    shapes = [
        plt.Line2D([], [], ls="", marker=m, color="#333333", label=ENTRY_MODES[k])
        for k, m in MODE_MARKERS.items()
    ]
    lanes = [plt.Line2D([], [], ls="", marker="o", color=c, label=k) for k, c in LANE_COLOURS.items()]
    ax.legend(handles=lanes + shapes, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, fontsize=7.5)
    ax.set_title("Dated events and the paper's four phases", fontsize=10, pad=30)
    return fig


def _fy_band_edges(boundaries: Sequence[int]) -> list[tuple[int, float, float]]:
    """Phase bands on a fiscal-year axis: calendar phase s..e covers FY s+1..FY e+1."""
    starts = [1999, *boundaries]
    ends = [b - 1 for b in boundaries] + [2030]
    return [(i, a + 0.5, e + 1.5) for i, (a, e) in enumerate(zip(starts, ends, strict=True), start=1)]


#: Short labels of the basis changes, for charts.
BASIS_CHANGE_LABELS: dict[int, str] = {2017: "+ Lazada", 2022: "new segments", 2024: "six groups"}


def revenue_chart() -> Figure:
    """International revenue FY2014-FY2024 on each basis, its share of group revenue, the paper's
    phase bands (in fiscal years) and the changes of basis."""
    r = intl_revenue()
    fig, ax = plt.subplots(figsize=(7.2, 4.4), dpi=100)
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for i, lo, hi in _fy_band_edges(PAPER_BOUNDARIES):
        lo, hi = max(lo, FIRST_FY - 0.6), min(hi, LAST_FY + 0.6)
        if hi > lo:
            ax.axvspan(lo, hi, color=PHASE_COLOURS[i], zorder=0)
            ax.text((lo + hi) / 2, 1.02, f"Phase {i}", ha="center", fontsize=8, transform=top)
    old = r.dropna(subset=["old_rmb_m"])
    new = r.dropna(subset=["new_rmb_m"])
    ax.bar(
        old["fiscal_year"] - 0.18,
        old["old_rmb_m"].astype(float) / 100,
        width=0.36,
        color=style.COLOURS["old"],
        label="International commerce, 20-F (old)",
    )
    ax.bar(
        new["fiscal_year"] + 0.18,
        new["new_rmb_m"].astype(float) / 100,
        width=0.36,
        color=style.COLOURS["new"],
        hatch=style.SECOND_HATCH,  # the new basis stands beside the old in FY2022-23
        edgecolor="white",
        label="AIDC, FY2024 segments (new)",
    )
    for y, what in BASIS_CHANGE_LABELS.items():
        ax.axvline(y - 0.5, color="#555555", ls="--", lw=0.9)
        ax.text(y - 0.45, 0.97, what, rotation=90, fontsize=7, va="top", color="#333333", transform=top)
    ax.set_ylabel("亿元 (100 million yuan)")
    ax.set_ylim(0, 1200)
    ax.set_xticks(list(r["fiscal_year"]), [fy(y) for y in r["fiscal_year"]], rotation=45, fontsize=8)
    ax.set_xlim(FIRST_FY - 0.6, LAST_FY + 0.6)
    bx = ax.twinx()
    bx.plot(  # FY2021 is empty, so the line breaks there rather than bridging the gap
        r["fiscal_year"],
        r["share_pct"].astype(float),
        "o-",
        color=style.COLOURS["highlight"],
        lw=1.4,
        ms=3.5,
        label="Share of group revenue (right; FY2021 not found)",
    )
    bx.set_ylim(0, 24)
    bx.set_ylabel("% of group revenue")
    bx.spines["right"].set_visible(True)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = bx.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=7.5)
    ax.set_title("International revenue across the paper's phases", fontsize=10, pad=18)
    return fig


def periodisation_chart(p: Periodisation, values: Mapping[str, Any] | None = None) -> Figure:
    """The chained series with the chosen phase bands (left) and each phase's CAGR (right)."""
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.2, 2.7), dpi=80, gridspec_kw={"width_ratios": [2.6, 1]})
    s = p.series
    colours = []
    for y in s.index:
        ph = phase_of(y - 1, p.boundaries) if p.valid else 0  # FY y lies mostly in calendar y-1
        colours.append(PHASE_BAR_COLOURS.get(ph, "#dddddd"))
    ax.bar(s.index, s.to_numpy() / 100, color=colours, edgecolor="#555555", linewidth=0.6)
    for y in SERIES_SEAMS:
        ax.axvline(y - 0.5, color="#b00020", ls=":", lw=1)
    ax.set_xticks(list(s.index)[::2], [fy(y) for y in list(s.index)[::2]], fontsize=7)
    ax.set_ylim(0, 1150)
    ax.set_ylabel("亿元")
    ax.set_title("Intl revenue, coloured by phase (dotted: basis change)", fontsize=9)
    if p.valid:
        names = [f"P{g.phase}" for g in p.phases if g.phase > 1]
        rates = [g.cagr_pct if g.measured else 0.0 for g in p.phases if g.phase > 1]
        bars = bx.bar(
            names,
            rates,
            color=[PHASE_BAR_COLOURS[g.phase] for g in p.phases if g.phase > 1],
            edgecolor="#555555",
        )
        for bar, g in zip(bars, [g for g in p.phases if g.phase > 1], strict=True):
            text = f"{g.cagr_pct:.1f}%" if g.measured else "n/a"
            text += " ⚠" if g.warnings else ""
            bx.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1.5, text, ha="center", fontsize=8)
    else:
        bx.text(
            0.5, 30, "invalid\nboundaries", ha="center", fontsize=9, color="#b00020", transform=bx.transData
        )
        bx.set_xlim(-0.5, 1.5)
    bx.set_ylim(0, 60)
    bx.set_ylabel("CAGR, % a year")
    bx.set_title("Growth by phase", fontsize=9)
    return fig


# ----------------------------------------------------------------------------- claims


#: The section-5 claims, in data/paper_claims.csv (shown with ``ch.claims``).
S5_CLAIMS: tuple[str, ...] = (
    "s5_intl_site_1999",
    "s5_transaction_2007",
    "s5_aliexpress_2010",
    "s5_acquisition_2016",
    "s5_social_commerce",
    "s5_ai_2024",
    "s5_two_layer",
    "s5_green_compliance",
)


def event_year(event_id: str) -> int:
    """The calendar year of one event in ``events.csv``; KeyError for an unknown id."""
    t = events().set_index("event_id")
    if event_id not in t.index:
        raise KeyError(f"no event {event_id!r} in data/events.csv")
    return int(t.loc[event_id, "year"])


@check("s5_intl_site_1999")
def year_intl_site() -> float:
    """The year Alibaba (and Alibaba.com) was founded, from events.csv."""
    return float(event_year("founding"))


@check("s5_aliexpress_2010")
def year_aliexpress() -> float:
    """The year AliExpress launched, from events.csv."""
    return float(event_year("aliexpress"))


@check("s5_acquisition_2016")
def year_first_purchase() -> float:
    """The year of the first market entry by purchase (Lazada), from events.csv."""
    t = events()
    return float(t.loc[t["kind"] == "acquisition", "year"].min())


@check("s5_ai_2024")
def year_first_ai_launch() -> float:
    """The year of the first AI tool launched with a medium- or high-confidence source (Accio)."""
    t = events()
    ok = (t["kind"] == "ai_tool") & (t["confidence"] != "low")
    return float(t.loc[ok, "year"].min())


def verdict_counts() -> dict[str, int]:
    """How many section-5 claims got each verdict (from ``paper_claims.csv``)."""
    t = data.load("paper_claims").set_index("claim_id").loc[list(S5_CLAIMS)]
    return t["verdict"].value_counts().to_dict()


# ----------------------------------------------------------------------------- transfer case


def popmart_shares() -> pd.DataFrame:
    """Pop Mart's revenue outside mainland China as a share of revenue, by period, from
    ``transfer_cases.csv`` (Chapter 7's table): computed from revenue where both amounts are
    there, else the share as reported. Columns: period, share_pct, how ('computed' or
    'reported'), rounded (True where the reported share is a round figure, as 2022's 10%)."""
    t = data.load("transfer_cases")
    t = t[t["firm"] == "Pop Mart"]
    val = t.set_index(["indicator", "period"])["value"].astype(float)
    periods = sorted(set(t["period"]), key=lambda p: (int(p[-4:]), 0 if p.startswith("H1") else 1))
    rows = []
    for p in periods:
        if ("revenue", p) in val and ("revenue_outside_mainland", p) in val:
            share = 100 * val["revenue_outside_mainland", p] / val["revenue", p]
            rows.append({"period": p, "share_pct": share, "how": "computed", "rounded": False})
        elif ("share_outside_mainland", p) in val:
            note = t[(t["indicator"] == "share_outside_mainland") & (t["period"] == p)]["note"].iloc[0] or ""
            rows.append(
                {
                    "period": p,
                    "share_pct": float(val["share_outside_mainland", p]),
                    "how": "reported",
                    "rounded": note.lower().startswith("rounded"),
                }
            )
    return pd.DataFrame(rows)


def popmart_share(period: str) -> float:
    """One period's share (percent) from :func:`popmart_shares`; KeyError naming the periods held."""
    t = popmart_shares().set_index("period")["share_pct"]
    if period not in t.index:
        raise KeyError(f"no Pop Mart share for {period!r}; data/ has {list(t.index)}")
    return float(t[period])


# ----------------------------------------------------------------------------- numbers the prose quotes

#: Alibaba's fiscal year starts in April, so nine of its months fall in the previous calendar year.
FY_START_MONTH = 4
MONTHS_IN_PREVIOUS_CALENDAR_YEAR = 12 - (FY_START_MONTH - 1)


def seams() -> dict[str, float]:
    """The two jumps where the chained series changes scope or basis, in percent.

    ``retail_fy2017``: international retail growth in FY2017 (Lazada added);
    ``total_fy2017``: the total's growth that year; ``aidc_over_old_fy2022``: how far the
    FY2022 AIDC figure sits above the old 20-F figure for the same year.
    """
    early = data.load("intl_revenue_early").set_index(["series", "fiscal_year"])["value_rmb_m"]
    r = intl_revenue().set_index("fiscal_year")
    return {
        "retail_fy2017": float(100 * (early["intl_retail", 2017] / early["intl_retail", 2016] - 1)),
        "total_fy2017": float(100 * (early["intl_total", 2017] / early["intl_total", 2016] - 1)),
        "aidc_over_old_fy2022": float(100 * (r.loc[2022, "new_rmb_m"] / r.loc[2022, "old_rmb_m"] - 1)),
    }


def event_counts(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> dict[str, int]:
    """How many events the table holds, how many the paper names, and counts per phase and mode.

    ``phase3_entries``: market entries by purchase in phase 3 (kind 'acquisition');
    ``phase3_follow_ons``: follow-on stakes (kind 'investment'); ``bought_before_phase3``:
    bought stakes of any kind before phase 3."""
    t = events(boundaries)
    out = {
        "events": len(t),
        "in_paper": int((t["in_paper"] == "yes").sum()),
        "high_confidence": int((t["confidence"] == "high").sum()),
        "first_year": int(t["year"].min()),
        "last_year": int(t["year"].max()),
    }
    for p in (1, 2, 3, 4):
        out[f"phase{p}"] = int((t["phase"] == p).sum())
    bought = t["entry_mode"] == "acquisition"
    out["phase3_entries"] = int(((t["phase"] == 3) & bought & (t["kind"] == "acquisition")).sum())
    out["phase3_follow_ons"] = int(((t["phase"] == 3) & bought & (t["kind"] == "investment")).sum())
    out["bought_before_phase3"] = int(((t["phase"] < 3) & bought).sum())
    return out
