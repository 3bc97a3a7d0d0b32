"""Chapter 4: the dated moves abroad and the chapter's rule for what counts as entering a market."""

from __future__ import annotations

import pandas as pd

from ... import data

#: What counts as entering a market: a local commitment by Alibaba Group itself (control of a
#: local platform, a joint venture or its own local launch). Export platforms open to the whole
#: world, minority stakes and deals by the affiliate Ant Financial do not count.
ENTRY_MODES: tuple[str, ...] = ("acquisition", "joint_venture", "own_launch")
ENTRY_INVESTOR = "Alibaba Group"

#: The test's cut-off: entries to the end of this year count (the paper's own period ends in
#: 2022 with Miravia). Later moves stay in data/entries.csv but are not in the ranking test, e.g.
#: the Korean joint venture with Shinsegae (announced December 2024, approved in 2025).
ENTRY_CUTOFF_YEAR = 2022

MODE_LABELS: dict[str, str] = {
    "export_platform": "Export platform (出口平台)",
    "own_launch": "Own local launch (自建)",
    "acquisition": "Acquisition (并购)",
    "stake_increase": "Stake increase (增持)",
    "minority_stake": "Minority stake (少数股权)",
    "joint_venture": "Joint venture (合资)",
}


# ----------------------------------------------------------------------------- entries
def _parse_date(text: str) -> pd.Timestamp:
    """'2018', '2018-06' or '2018-05-08' -> the first day of the period it names."""
    parts = str(text).split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"entry date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    return pd.Timestamp(year=year, month=month, day=day)


def entries() -> pd.DataFrame:
    """data/entries.csv with a sortable ``start`` date, in date order."""
    e = data.load("entries").copy()
    e["start"] = e["date"].map(_parse_date)
    return e.sort_values(["start", "entry_id"]).reset_index(drop=True)


def entries_by_market() -> pd.DataFrame:
    """One row per (entry, market): the entries table with its market lists exploded."""
    e = entries()
    e["iso3"] = e["markets"].str.split(";")
    return e.explode("iso3").reset_index(drop=True)


def counts_as_entry(frame: pd.DataFrame) -> pd.Series:
    """True for rows that are a local commitment by Alibaba Group itself (see ENTRY_MODES)
    made by the end of ENTRY_CUTOFF_YEAR."""
    return (
        frame["mode"].isin(ENTRY_MODES)
        & (frame["investor"] == ENTRY_INVESTOR)
        & (frame["year"] <= ENTRY_CUTOFF_YEAR)
    )


def first_entries() -> pd.DataFrame:
    """Each market's first local commitment: date, year, vehicle and mode (one row per market)."""
    e = entries_by_market()
    e = e[counts_as_entry(e)]
    first = e.sort_values("start").groupby("iso3", as_index=False).first()
    return first[["iso3", "start", "year", "vehicle", "mode", "stake_pct", "entry_id"]]


def entry_timeline() -> pd.DataFrame:
    """The entries table for display: date, vehicle, markets (ISO codes), mode, investor, stake, amount.

    Markets are shown as ISO codes so the table fits a printed page; the confidence of each row
    stays in data/entries.csv.
    """
    e = entries()
    return pd.DataFrame(
        {
            "Date": e["date"],
            "Vehicle": e["vehicle"],
            "Markets": e["markets"].str.replace(";", ", ").str.replace("GLOBAL", "worldwide"),
            "Mode": e["mode"].map(MODE_LABELS),
            "Investor": e["investor"].str.replace("Alibaba Group", "Alibaba"),
            "Stake": e["stake_pct"].map(lambda v: "" if pd.isna(v) else f"{v:g}%"),
            "USD m": e["amount_usd_m"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
            "Entry?": [
                "yes" if hit else ("after cut-off" if late else "no")
                for hit, late in zip(
                    counts_as_entry(e),
                    e["mode"].isin(ENTRY_MODES)
                    & (e["investor"] == ENTRY_INVESTOR)
                    & (e["year"] > ENTRY_CUTOFF_YEAR),
                    strict=True,
                )
            ],
        }
    )
