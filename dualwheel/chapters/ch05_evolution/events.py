"""Chapter 5: dated events (the moves of data/moves.csv and the other events of data/events.csv),
entry modes and entry steps, by phase."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ... import cutoff, data, moves
from .phases import PAPER_BOUNDARIES, PHASE_NAMES, phase_of

# ----------------------------------------------------------------------------- events

#: The decision date of the case (book/decision.md): the chapter shows only what was public by
#: then.
CUTOFF = cutoff.decision_date().isoformat()


def after_cutoff_events() -> pd.DataFrame:
    """The moves and events of the two tables made public after :data:`CUTOFF` (none in a student's copy):
    event_id, date (announcement where it differs), label and source."""
    m = moves.moves()
    m = m[~m["move_id"].isin(moves.known_by(m, CUTOFF)["move_id"])]
    ev = data.load("events")
    ev = ev[[not (d <= CUTOFF[: len(d)]) for d in ev["date"]]]
    out = pd.concat(
        [
            pd.DataFrame({"event_id": m["move_id"], "date": moves.public_date(m), "label": m["label"],
                          "source": m["source"]}),
            ev[["event_id", "date", "label", "source"]],
        ],
        ignore_index=True,
    )
    return out.sort_values(["date", "event_id"]).reset_index(drop=True)


def _decimal_year(date: str) -> float:
    """'2016-04-12' -> 2016.28; '2016-04' -> mid-April; '2016' -> mid-year (for plotting)."""
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return year + 0.5
    month_start = year + (parts[1] - 1) / 12
    return month_start + ((parts[2] - 1) / 365 if len(parts) == 3 else 1 / 24)


#: Which timeline lane each business goes on: events.csv rows by ``unit``, moves by ``business``.
LANE_OF_UNIT: dict[str, str] = {
    "alibaba_com": "B2B (Alibaba.com)",
    "aliexpress": "Consumer marketplaces",
    "cloud": "Infrastructure",
    "cainiao": "Infrastructure",
    "alipay": "Infrastructure",
    "ewtp": "Infrastructure",
    "aidc": "Infrastructure",
    "group": "Group / capital",
}
LANE_OF_BUSINESS: dict[str, str] = {
    "b2b": "B2B (Alibaba.com)",
    "merchant_services": "B2B (Alibaba.com)",
    "consumer_marketplace": "Consumer marketplaces",
    "payments": "Infrastructure",
    "logistics": "Infrastructure",
    "cloud": "Infrastructure",
    "group": "Group / capital",
}

#: How a step was taken, in the order the chapter discusses them, with readable names. A bought
#: stake is split three ways: control bought with the entry, a minority stake, and a follow-on
#: stake in a business already held or co-founded, so follow-ons do not inflate the purchases.
ENTRY_MODES: dict[str, str] = {
    "organic": "Built in-house",
    "acquisition": "Bought: control",
    "minority_stake": "Bought: minority stake",
    "follow_on": "Bought: follow-on stake",
    "joint_venture": "Joint venture",
    "exit": "Sold / exited",
    "alliance": "Alliance / partners",
    "capital_market": "Listing / capital markets",
    "internal": "Reorganisation",
}


def step_mode(kind: str, mode: str) -> str:
    """The row of the entry-mode table a move counts in: 'follow_on' for a follow-on stake,
    'exit' for an exit, 'organic' for an export platform built in China, otherwise its mode."""
    if kind in ("follow_on", "exit"):
        return kind
    return "organic" if mode == "export_platform" else mode


def _moves_as_events() -> pd.DataFrame:
    """The moves of ``data/moves.csv`` (Chapter 5's rule: :func:`dualwheel.moves.timeline`,
    every move) in the columns of the events table."""
    m = moves.timeline(CUTOFF)
    ant_only = m["investor"] == "Ant Financial"
    return pd.DataFrame(
        {
            "event_id": m["move_id"],
            "date": m["date"],
            "precision": m["date_precision"],
            "label": m["label"],
            "kind": m["kind"],
            "entry_mode": [step_mode(k, md) for k, md in zip(m["kind"], m["mode"], strict=True)],
            "lane": m["business"].map(LANE_OF_BUSINESS),
            "unit": m["unit"],
            "investor": m["investor"],
            "ant_only": ant_only,
            "in_paper": m["in_paper"],
            "confidence": m["confidence"],
            "source": m["source"],
            "note": m["note"],
            "is_move": True,
        }
    )


def events(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> pd.DataFrame:
    """Every dated event of the chapter public by :data:`CUTOFF`, sorted by date, with its calendar year, a plotting
    position (``when``) and its phase: all the moves of ``data/moves.csv`` (``is_move``) and the
    other events of ``data/events.csv`` (alliances, infrastructure, reorganisations, AI tools)."""
    ev = data.load("events")
    ev = ev[[d <= CUTOFF[: len(d)] for d in ev["date"]]]
    ev = ev.assign(
        lane=ev["unit"].map(LANE_OF_UNIT), investor="Alibaba Group", ant_only=False, is_move=False
    )
    cols = ["event_id", "date", "precision", "label", "kind", "entry_mode", "lane", "unit", "investor",
            "ant_only", "in_paper", "confidence", "source", "note", "is_move"]
    t = pd.concat([ev[cols], _moves_as_events()[cols]], ignore_index=True)
    t["year"] = t["date"].str[:4].astype(int)
    t["when"] = t["date"].map(_decimal_year)
    t["phase"] = t["year"].map(lambda y: phase_of(y, boundaries))
    return t.sort_values(["when", "event_id"], kind="stable").reset_index(drop=True)


def event_label(event_id: str) -> str:
    """'Lazada control (2016)': an event's short label with its year, for evidence columns."""
    t = events().set_index("event_id")
    if event_id not in t.index:
        raise KeyError(f"no event {event_id!r} in data/events.csv or data/moves.csv")
    return f"{t.loc[event_id, 'label']} ({t.loc[event_id, 'year']})"


def entry_modes_by_phase(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> pd.DataFrame:
    """Count of events per phase (columns) and entry mode (rows): how each phase's steps were taken."""
    t = events(boundaries)
    counts = pd.crosstab(t["entry_mode"], t["phase"]).reindex(index=list(ENTRY_MODES), fill_value=0)
    counts = counts.reindex(columns=[1, 2, 3, 4], fill_value=0)
    counts.index = [ENTRY_MODES[m] for m in counts.index]
    counts.loc["All dated events"] = counts.sum()
    return counts


def entry_units() -> tuple[str, ...]:
    """The foreign consumer marketplaces of :func:`entry_steps`, in order of their first step."""
    return tuple(dict.fromkeys(moves.marketplace_steps(CUTOFF)["unit"]))


#: What a step is called in the entry table, by the mode of a first step.
FIRST_STEP = {"organic": "Build", "acquisition": "Buy", "joint_venture": "Joint venture",
              "minority_stake": "Minority stake"}


def _step(kind: str, mode: str) -> str:
    if kind == "follow_on":
        return "Buy: follow-on"
    if kind == "exit":
        return "Exit: sold for a stake in the buyer"
    return f"{FIRST_STEP[mode]}: first entry"


def entry_steps() -> pd.DataFrame:
    """Every dated step into a local consumer marketplace abroad (the rule of
    :func:`dualwheel.moves.marketplace_steps`): date, marketplace, market, step, amount, stake.

    ``amount_usd_m`` and ``stake_after_pct`` are numbers, empty (NaN) when the source gives none;
    ``amount_note`` says which (undisclosed, built in-house). Sources are the row's own.
    """
    t = moves.marketplace_steps(CUTOFF)
    t["step"] = [_step(k, m) for k, m in zip(t["kind"], t["mode"], strict=True)]

    def why_empty(row: Any) -> str:
        if pd.notna(row.amount_usd_m):
            return ""
        if row.kind == "exit":
            return "share swap; no price disclosed"
        return "built in-house; no amount found" if row.mode == "organic" else "undisclosed"

    t["amount_note"] = [why_empty(r) for r in t.itertuples(index=False)]
    out = pd.DataFrame(
        {
            "event_id": t["move_id"],
            "date": t["date"],
            "unit": t["unit"],
            "vehicle": t["vehicle"],
            "market": t["region"],
            "markets": t["markets"].str.replace(";", ", "),
            "step": t["step"],
            "amount_usd_m": t["amount_usd_m"].astype(float),
            "stake_after_pct": t["stake_pct"].astype(float),
            "amount_note": t["amount_note"],
            "amount_source": t["amount_source"],
            "stake_source": t["stake_source"],
            "source": t["source"],
        }
    )
    return out.reset_index(drop=True)


def entry_table() -> pd.DataFrame:
    """:func:`entry_steps` ready to show: one row per step, amounts and stakes as numbers."""
    t = entry_steps()
    return pd.DataFrame(
        {
            "Date": t["date"],
            "Marketplace": t["vehicle"],
            "Market": t["market"] + " (" + t["markets"] + ")",
            "Step": t["step"],
            "USD million": t["amount_usd_m"],
            "Stake after (%)": t["stake_after_pct"],
            "If no amount": t["amount_note"],
        }
    )


def entry_sources() -> list[str]:
    """Source ids behind :func:`entry_table` (move, amount and stake sources)."""
    t = entry_steps()
    ids = [
        s for col in ("source", "amount_source", "stake_source") for s in t[col] if isinstance(s, str) and s
    ]
    return list(dict.fromkeys(ids))


def committed_usd_m(unit: str | None = None, step: str | None = None) -> float:
    """Disclosed USD million committed to the foreign marketplaces, for one unit or all, and for
    all steps or only ``step='first'`` (first entries) or ``step='follow_on'``.

    Undisclosed amounts (Daraz, Snapdeal) and built platforms (11 Main, Miravia) add nothing: the
    sum is a floor. KeyError for a unit that is not a foreign marketplace; ValueError for
    another ``step``.
    """
    t = entry_steps()
    if unit is not None:
        if unit not in entry_units():
            raise KeyError(f"{unit!r} is not one of the foreign marketplaces {entry_units()}")
        t = t[t["unit"] == unit]
    if step is not None:
        if step not in ("first", "follow_on"):
            raise ValueError(f"step must be 'first' or 'follow_on', got {step!r}")
        t = t[t["step"].str.endswith("first entry" if step == "first" else "follow-on")]
    return float(t["amount_usd_m"].sum())


def markets_by_mode() -> dict[str, int]:
    """Foreign consumer marketplaces by how Alibaba first entered them: 'bought' (control),
    'built', 'joint_venture' or 'minority_stake'."""
    t = entry_steps()
    firsts = t[t["step"].str.endswith("first entry")]
    names = {"Buy": "bought", "Build": "built", "Joint venture": "joint_venture", "Minority stake": "minority_stake"}
    out = dict.fromkeys(names.values(), 0)
    for step in firsts["step"]:
        out[names[step.split(":")[0]]] += 1
    return out


def first_entries_after(year: int) -> pd.DataFrame:
    """The marketplaces first entered after ``year``: date, marketplace, market and step."""
    t = entry_steps()
    later = t["step"].str.endswith("first entry") & (t["date"].str[:4].astype(int) > year)
    return t.loc[later, ["event_id", "date", "vehicle", "market", "step"]].reset_index(drop=True)


def phase_profile() -> pd.DataFrame:
    """What changed in each phase: dimensions as rows, phases as columns, evidence in brackets.

    Each cell is our summary followed by the dated events that support it (events.csv or
    moves.csv). Raises KeyError when the profile cites an event that neither table holds.
    """
    t = data.load("phase_profile")
    known = set(events()["event_id"])
    cells = {}
    for row in t.itertuples(index=False):
        ids = [e.strip() for e in (row.evidence if isinstance(row.evidence, str) else "").split(";") if e.strip()]
        missing = [e for e in ids if e not in known]
        if missing:
            raise KeyError(
                f"phase_profile.csv (phase {row.phase}, {row.dimension}) cites unknown event(s) {missing}"
            )
        cited = f" [{'; '.join(event_label(e) for e in ids)}]" if ids else ""
        cells[(row.dimension, row.phase)] = f"{row.summary}{cited}"
    dims = ["customer", "model", "entry_mode", "infrastructure"]
    frame = pd.DataFrame(
        {PHASE_NAMES[p]: [cells.get((d, p), "") for d in dims] for p in (1, 2, 3, 4)},
        index=["Customer", "Business model", "Entry mode", "Infrastructure"],
    )
    return frame


def phase_profile_sources() -> list[str]:
    """Source ids behind the phase profile: its own rows' and those of every event it cites."""
    t = data.load("phase_profile")
    ev = events().set_index("event_id")
    ids = list(t["source"])
    for evidence in t["evidence"]:
        ids += [ev.loc[e.strip(), "source"] for e in (evidence if isinstance(evidence, str) else "").split(";") if e.strip()]
    return list(dict.fromkeys(ids))
