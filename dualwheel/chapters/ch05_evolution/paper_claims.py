"""Chapter 5: the paper's section-5 claims, recomputed from data/."""

from __future__ import annotations

import pandas as pd

from ... import data, moves
from ...claims import check
from .events import CUTOFF, events

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
    """The calendar year of one event (events.csv or moves.csv); KeyError for an unknown id."""
    t = events().set_index("event_id")
    if event_id not in t.index:
        raise KeyError(f"no event {event_id!r} in data/events.csv or data/moves.csv")
    return int(t.loc[event_id, "year"])


@check("s5_intl_site_1999")
def year_intl_site() -> float:
    """The year Alibaba (and Alibaba.com) was founded, from moves.csv."""
    return float(event_year("founding"))


@check("s5_aliexpress_2010")
def year_aliexpress() -> float:
    """The year AliExpress launched, from moves.csv."""
    return float(event_year("aliexpress"))


@check("s5_acquisition_2016")
def year_first_purchase() -> float:
    """The year Alibaba first bought control of a local consumer marketplace abroad (Lazada),
    from moves.csv. Earlier purchases were of US seller-tool firms (Vendio and Auctiva, 2010)
    and minority stakes (SingPost 2014; Snapdeal and Paytm 2015): see :func:`purchases_before`."""
    t = moves.marketplace_steps(CUTOFF)
    bought = (t["kind"] == "entry") & (t["mode"] == "acquisition")
    return float(t.loc[bought, "year"].min())


def purchases_before(year: int) -> pd.DataFrame:
    """Every stake bought abroad before ``year`` (control, minority or follow-on, by Alibaba Group
    or Ant Financial), from moves.csv: the record the 2016 claim has to be read against."""
    t = moves.moves()
    bought = t["mode"].isin(["acquisition", "minority_stake"]) & moves.abroad(t) & (t["year"] < year)
    return t.loc[bought, ["move_id", "date", "vehicle", "region", "kind", "mode", "investor"]].reset_index(drop=True)


def ai_tools_by_cutoff() -> pd.DataFrame:
    """AI tools launched by the decision date with a medium- or high-confidence source: none in
    the student's data/events.csv, so the 2024 AI claim is untested and
    has no check (its Check column shows "—")."""
    t = events()
    ok = (t["kind"] == "ai_tool") & (t["confidence"] != "low")
    return t.loc[ok, ["event_id", "date", "label"]].reset_index(drop=True)


def verdict_counts() -> dict[str, int]:
    """How many section-5 claims got each verdict (from ``paper_claims.csv``)."""
    t = data.load("paper_claims").set_index("claim_id").loc[list(S5_CLAIMS)]
    return t["verdict"].value_counts().to_dict()
