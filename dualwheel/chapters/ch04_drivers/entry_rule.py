"""Chapter 4: the dated moves abroad (``data/moves.csv``) and the chapter's rule for entry.

The rule itself lives in :mod:`dualwheel.moves` (``entries_by_local_commitment``), beside the
rules of Chapters 5 and 7, so that the chapters read one record of moves and differ only in the
rule they state. This module dates each market's first entry under that rule and under one
alternative (``held``: businesses sold by the cut-off do not count), because the rule decides
the answer.
"""

from __future__ import annotations

import pandas as pd

from ... import cutoff
from ... import moves as mv
from ..decision import DECISION_DATE

#: Modes that can be an entry under the chapter's rule (an ``entry`` move in data/moves.csv):
#: control bought, a platform built in-house, or a joint venture.
ENTRY_MODES: tuple[str, ...] = ("acquisition", "joint_venture", "organic")
ENTRY_INVESTOR = mv.GROUP

#: The businesses an entry can be in: commerce businesses serving shoppers (marketplaces) or
#: sellers (merchant services, business-to-business trade). Purchases made for a technology
#: (a code-scanning firm, a data-processing firm) and cloud data centres are not market entries:
#: they buy a capability or serve firms in another line of business, and the four theories
#: the chapter tests are about where a firm goes to sell.
ENTRY_BUSINESSES: tuple[str, ...] = ("consumer_marketplace", "merchant_services", "b2b")

#: The test's cut-off: entries to the end of this year count (the period the case paper covers
#: ends in 2022 with Miravia).
ENTRY_CUTOFF_YEAR = 2022

#: The knowledge cut-off of the chapter (the decision date, book/decision.md): a move made
#: public after it (announced or, without an announcement date, dated later) is not shown.
KNOWN_BY = pd.Timestamp(DECISION_DATE)

#: The two rules for entry the chapter compares. ``commitment`` is the chapter's rule; ``held``
#: is the same rule less the businesses Alibaba had sold by the cut-off.
RULES: dict[str, str] = {
    "commitment": "First local commitment by Alibaba Group, even if later sold",
    "held": f"Only commitments still held at the end of {ENTRY_CUTOFF_YEAR}",
}

MODE_LABELS: dict[str, str] = {
    "export_platform": "Export platform (出口平台)",
    "organic": "Own local launch (自建)",
    "acquisition": "Acquisition (并购)",
    "minority_stake": "Minority stake (少数股权)",
    "joint_venture": "Joint venture (合资)",
    "alliance": "With local partners (合作)",
    "divestment": "Sold for a stake in the buyer (出售)",
}


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise ValueError(f"rule must be one of {list(RULES)}, not {rule!r}")


# ----------------------------------------------------------------------------- entries
def _parse_date(text: str) -> pd.Timestamp:
    """'2018', '2018-06' or '2018-05-08' -> the first day of the period it names."""
    parts = str(text).split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"entry date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    return pd.Timestamp(year=year, month=month, day=day)


def _public_last_day(text: str) -> pd.Timestamp:
    """The last day a date may mean ('2023' -> 31 December 2023, '2024-06' -> 30 June 2024), the
    rule of dualwheel/cutoff.py: a partial date counts as public only once its whole period is."""
    return pd.Timestamp(cutoff.parse_date(str(text)).last)


def public_by_cutoff(t: pd.DataFrame) -> pd.Series:
    """True for moves public by the decision date (KNOWN_BY): announced by then or, without
    an announcement date, dated by then. A date of a month or a year counts from its LAST day,
    as in dualwheel/cutoff.py (a move dated only '2024' may be from December)."""
    when = t["announced"].where(t["announced"].notna() & (t["announced"] != ""), t["date"])
    return when.map(_public_last_day) <= KNOWN_BY


def entries() -> pd.DataFrame:
    """Every move abroad in data/moves.csv that was public by the decision date (listings, moves
    inside China and later moves left out), in date order, with a sortable ``start`` date (the
    first day of the period the date names)."""
    t = mv.moves()
    t = t[mv.abroad(t) & public_by_cutoff(t)].copy()
    t["start"] = t["date"].map(_parse_date)
    return t.reset_index(drop=True)


def commerce_only(e: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``e`` (moves) in a commerce business that can be an entry (ENTRY_BUSINESSES)."""
    return e[e["business"].isin(ENTRY_BUSINESSES)]


def counted_moves(rule: str = "commitment") -> set[str]:
    """The move ids that count as entering a market under ``rule``, to the end of ENTRY_CUTOFF_YEAR."""
    _check_rule(rule)
    e = (
        mv.entries_by_local_commitment(ENTRY_CUTOFF_YEAR)
        if rule == "commitment"
        else mv.entries_still_held(ENTRY_CUTOFF_YEAR)
    )
    return set(commerce_only(e)["move_id"])


def counts_as_entry(frame: pd.DataFrame, rule: str = "commitment") -> pd.Series:
    """True for rows of ``frame`` (moves, by ``move_id``) that count as entry under ``rule``."""
    return frame["move_id"].isin(counted_moves(rule))


def first_entries(rule: str = "commitment") -> pd.DataFrame:
    """Each market's first entry under ``rule``: date, year, vehicle and mode (one row per market)."""
    _check_rule(rule)
    e = (
        mv.entries_by_local_commitment(ENTRY_CUTOFF_YEAR)
        if rule == "commitment"
        else mv.entries_still_held(ENTRY_CUTOFF_YEAR)
    )
    first = commerce_only(e).sort_values(["when", "move_id"]).groupby("iso3", as_index=False).first()
    first = first.assign(start=first["date"].map(_parse_date))
    return first[["iso3", "start", "year", "vehicle", "mode", "stake_pct", "move_id", "unit"]]


def entry_timeline() -> pd.DataFrame:
    """The moves abroad for display: date, vehicle, markets (ISO codes), mode, investor, stake,
    amount, and whether the move counts as entry.

    'Entry?' reads "yes" under the chapter's rule, "yes, sold YYYY" when the business was sold
    by the cut-off (so the ``held`` rule drops it), "after 2022" for a later entry made public by the
    decision date (none so far), and "no" otherwise. Moves made public after the decision date
    are not in the table at all. Markets are ISO codes so the table fits a printed page; each row's confidence
    stays in data/moves.csv.
    """
    e = entries()
    counted = counts_as_entry(e)
    late = (
        (e["kind"] == "entry") & e["has_group"] & e["business"].isin(ENTRY_BUSINESSES)
        & (e["year"] > ENTRY_CUTOFF_YEAR)
    )
    sold = e[(e["kind"] == "exit") & (e["year"] <= ENTRY_CUTOFF_YEAR)].groupby("unit")["year"].min()

    def verdict(i: int) -> str:
        if counted.iloc[i]:
            unit = e["unit"].iloc[i]
            return f"yes, sold {int(sold[unit])}" if unit in sold.index else "yes"
        return f"after {ENTRY_CUTOFF_YEAR}" if late.iloc[i] else "no"

    return pd.DataFrame(
        {
            "Date": e["date"],
            "Vehicle": e["vehicle"],
            "Markets": e["markets"].str.replace(";", ", ").str.replace("GLOBAL", "worldwide"),
            "Mode": [
                "Stake increase (增持)"
                if k == "follow_on"
                else ("Own data centre (数据中心)" if b == "cloud" else MODE_LABELS[m])
                for k, b, m in zip(e["kind"], e["business"], e["mode"], strict=True)
            ],
            "Investor": e["investor"]
            .str.replace("Alibaba Group", "Alibaba")
            .str.replace("Ant Financial", "Ant"),
            "Stake": e["stake_pct"].map(lambda v: "" if pd.isna(v) else f"{v:g}%"),
            "USD m": e["amount_usd_m"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
            "Entry?": [verdict(i) for i in range(len(e))],
        }
    )


def timeline_sources() -> list[str]:
    """The source ids behind the moves of :func:`entry_timeline`, first use first."""
    return mv.sources(entries())


def entry_sources(rule: str = "commitment") -> list[str]:
    """The source ids behind each market's first entry under ``rule`` (for exhibits' source lines)."""
    first = first_entries(rule).sort_values(["start", "move_id"])
    return mv.sources(
        mv.moves().set_index("move_id").loc[list(dict.fromkeys(first["move_id"]))].reset_index()
    )
