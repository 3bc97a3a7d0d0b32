"""Chapter 5: dated events, entry modes and entry steps, by phase."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ... import data
from .phases import PAPER_BOUNDARIES, PHASE_NAMES, phase_of

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
