"""The casebook's one record of dated moves abroad (``data/moves.csv``), and each chapter's rule.

Chapters 4, 5 and 7 all read Alibaba's moves from this table and differ only in the rule that
filters it. Each rule is one function here, with the rule in its docstring, so a reader (and
``tests/unit/test_moves.py``) can check that a chapter shows exactly what its rule admits:

* :func:`entries_by_local_commitment` (Chapter 4): a local commitment by Alibaba Group itself;
* :func:`timeline` (Chapter 5): every recorded move, whoever made it;
* :func:`first_moves` (Chapter 7): each business's first move into a market abroad;
* :func:`marketplace_steps` (Chapter 5's entry steps): every step into a foreign consumer
  marketplace, first entries and follow-ons alike.

A move is a launch for buyers abroad, an entry (bought, built or a joint venture), a minority
stake, a follow-on stake, an exit, a market focus, or a listing. Other dated events (alliances,
infrastructure, reorganisations, AI tools) stay in ``data/events.csv``.

**Inclusion rule: the table is not a census.** It holds the moves into the businesses the
chapters study (consumer marketplaces, B2B and merchant tools, payments, logistics, cloud) that a
chapter counts or discusses, and the group's listings. Known moves left out: Alibaba Group's
minority stakes in ShopRunner and Fanatics (2013), Alibaba Cloud's Dubai joint venture with Meraas
and its Singapore data centre (2015), and Ant Financial's stakes in Mynt and Kakao Pay and its
purchase of helloPay from Lazada (2017). Counts from this table are counts of the moves recorded.

:func:`known_by` keeps the moves public by a date (Chapter 5 shows nothing public after the
decision date of 30 June 2024).
"""

from __future__ import annotations

import pandas as pd

from . import data

#: The investor that is Alibaba Group itself (Ant Financial is an affiliate outside the group).
GROUP = "Alibaba Group"

#: Kinds that are a first move by a business into a market (not a follow-on, exit or listing).
FIRST_MOVE_KINDS: tuple[str, ...] = ("launch", "entry", "minority_stake", "market_focus")

#: Kinds that are capital-market moves of the group, not moves into a market.
LISTING_KINDS: tuple[str, ...] = ("listing", "delisting")

#: Readable names of the modes, for tables.
MODE_LABELS: dict[str, str] = {
    "export_platform": "own cross-border platform (sold from China)",
    "organic": "built in-house",
    "acquisition": "acquisition (control)",
    "joint_venture": "joint venture",
    "minority_stake": "minority stake",
    "alliance": "with local partners",
    "divestment": "sold (for a stake in the buyer)",
    "capital_market": "listing",
}


def _decimal_year(date: str) -> float:
    """'2016-04-12' -> 2016.28; '2016-04' -> mid-April; '2016' -> mid-year (sorting, plotting)."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    month_start = parts[0] + (parts[1] - 1) / 12
    return month_start + ((parts[2] - 1) / 365 if len(parts) == 3 else 1 / 24)


def moves() -> pd.DataFrame:
    """``data/moves.csv`` in date order, with ``when`` (a decimal year for sorting and plots)
    and ``has_group`` (True when Alibaba Group itself made the move, alone or with Ant)."""
    t = data.load("moves")
    t["when"] = t["date"].map(_decimal_year)
    t["has_group"] = t["investor"].str.contains(GROUP, regex=False)
    return t.sort_values(["when", "move_id"], kind="stable").reset_index(drop=True)


def move(move_id: str) -> pd.Series:
    """One move by id; KeyError naming the table for an unknown id."""
    return data.row("moves", move_id, "move")


def abroad(t: pd.DataFrame) -> pd.Series:
    """True for moves into a market outside mainland China (listings count as not abroad)."""
    return (t["markets"] != "CHN") & ~t["kind"].isin(LISTING_KINDS)


def by_market(t: pd.DataFrame) -> pd.DataFrame:
    """One row per (move, market): the ``markets`` lists exploded into ``iso3``."""
    out = t.copy()
    out["iso3"] = out["markets"].str.split(";")
    return out.explode("iso3").reset_index(drop=True)


def public_date(t: pd.DataFrame) -> pd.Series:
    """When each move became public: its ``announced`` date where given, else its ``date``."""
    ann = t["announced"].fillna("").astype(str)
    return ann.where(ann != "", t["date"].astype(str))


def known_by(t: pd.DataFrame, cutoff: str) -> pd.DataFrame:
    """The moves of ``t`` public on or before ``cutoff`` ('YYYY-MM-DD'). A date of month or year
    precision is compared at its own precision ('2024-06' and '2024' count as public by
    the last day of June 2024)."""
    pub = public_date(t)
    keep = [d <= cutoff[: len(d)] for d in pub]
    return t[keep].reset_index(drop=True)


def timeline(cutoff: str | None = None) -> pd.DataFrame:
    """Chapter 5's rule: **every** move recorded in the table, whoever made it (Alibaba Group or its
    affiliate Ant Financial, named in ``investor``), of every kind, in date order; with
    ``cutoff``, only those public by then (:func:`known_by`)."""
    t = moves()
    return t if cutoff is None else known_by(t, cutoff)


def entries_by_local_commitment(cutoff_year: int | None = None) -> pd.DataFrame:
    """Chapter 4's rule: a move counts as entering a market when it is a **local commitment by
    Alibaba Group itself**: kind ``entry`` (control of a local business bought outright or in
    majority, a local platform of its own, or a joint venture), made by Alibaba Group (not by
    Ant Financial alone). Export platforms sold from China, minority stakes, follow-on stakes,
    exits and listings do not count. One row per (move, market); with ``cutoff_year``, only
    moves dated in or before that year."""
    t = moves()
    keep = (t["kind"] == "entry") & t["has_group"] & abroad(t)
    if cutoff_year is not None:
        keep &= t["year"] <= cutoff_year
    return by_market(t[keep])


def first_local_commitments(cutoff_year: int | None = None) -> pd.DataFrame:
    """Each market's first local commitment under :func:`entries_by_local_commitment`."""
    e = entries_by_local_commitment(cutoff_year)
    return e.sort_values(["when", "move_id"]).groupby("iso3", as_index=False).first()


def first_moves() -> pd.DataFrame:
    """Chapter 7's rule for the order of entry: every **first move by an Alibaba Group business
    into a market abroad**: a launch for buyers abroad, an entry (bought, built or a joint
    venture), a minority stake, or a market focus. Follow-on stakes (a second step into a
    business already held), exits, listings, moves inside mainland China and moves by Ant
    Financial alone are not first moves; an observation (such as a ranking of markets by
    spending) is not a move at all and is not in the table."""
    t = moves()
    keep = t["kind"].isin(FIRST_MOVE_KINDS) & t["has_group"] & abroad(t)
    return t[keep].reset_index(drop=True)


def marketplace_steps(cutoff: str | None = None) -> pd.DataFrame:
    """Chapter 5's entry steps: every move by Alibaba Group into a **local consumer marketplace
    abroad** (business ``consumer_marketplace``, markets not GLOBAL): its entry or minority
    stake, the follow-on stakes and an exit. AliExpress, sold from China to the whole world,
    is an export platform and not a local marketplace. With ``cutoff``, only the steps public
    by then (:func:`known_by`)."""
    t = moves() if cutoff is None else known_by(moves(), cutoff)
    local = (t["business"] == "consumer_marketplace") & (t["markets"] != "GLOBAL")
    steps = ("entry", "minority_stake", "follow_on", "exit")
    return t[local & t["has_group"] & t["kind"].isin(steps)].reset_index(drop=True)


def sources(t: pd.DataFrame) -> list[str]:
    """Source ids behind some moves (row, amount and stake sources), first use first."""
    ids = [s for col in ("source", "amount_source", "stake_source") for s in t[col] if isinstance(s, str) and s]
    return list(dict.fromkeys(ids))


def exited_units(cutoff_year: int) -> set[str]:
    """The businesses (``unit``) Alibaba Group had sold or closed by the end of ``cutoff_year``:
    those with a move of kind ``exit`` dated in or before that year (e.g. 11 Main, sold in 2015)."""
    t = moves()
    return set(t.loc[(t["kind"] == "exit") & (t["year"] <= cutoff_year), "unit"])


def entries_still_held(cutoff_year: int) -> pd.DataFrame:
    """Chapter 4's alternative rule, shown beside :func:`entries_by_local_commitment` because the
    rule decides the answer: the same local commitments by Alibaba Group to the end of
    ``cutoff_year``, **less every business exited by then** (:func:`exited_units`). Under it the
    United States drops out: Vendio, Auctiva and 11 Main all went to OpenSky in 2015."""
    e = entries_by_local_commitment(cutoff_year)
    return e[~e["unit"].isin(exited_units(cutoff_year))].reset_index(drop=True)


def first_commitments_still_held(cutoff_year: int) -> pd.DataFrame:
    """Each market's first local commitment under :func:`entries_still_held`."""
    e = entries_still_held(cutoff_year)
    return e.sort_values(["when", "move_id"]).groupby("iso3", as_index=False).first()
