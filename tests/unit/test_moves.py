"""The one record of moves (data/moves.csv) and each chapter's rule over it (dualwheel.moves).

Two kinds of test: the table itself (dates match their precision, ids unique, no move left in
events.csv), and agreement: every move a chapter shows comes from moves.csv with the same
date, mode and investor, and a move that passes a chapter's stated rule is not missing from it.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dualwheel import data
from dualwheel import moves as mv

PATTERN = {"year": r"^\d{4}$", "month": r"^\d{4}-\d{2}$", "day": r"^\d{4}-\d{2}-\d{2}$"}


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(data.data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- the table


def test_every_move_date_matches_its_precision_and_year():
    for r in raw("moves").itertuples(index=False):
        assert re.match(PATTERN[r.date_precision], r.date), (r.move_id, r.date)
        assert r.date[:4] == r.year, (r.move_id, r.date, r.year)
        if r.announced:
            assert r.announced <= r.date or r.date_precision != "day", (r.move_id, r.announced)


def test_markets_are_iso_codes_or_global():
    for r in raw("moves").itertuples(index=False):
        codes = r.markets.split(";")
        assert r.markets == "GLOBAL" or all(re.fullmatch(r"[A-Z]{3}", c) for c in codes), r.move_id


def test_the_issue_moves_are_in_the_table_with_their_sources():
    t = mv.moves().set_index("move_id")
    # issue 21, item 2: the US moves Chapter 4 left out
    assert t.loc["vendio", "markets"] == "USA" and t.loc["vendio", "mode"] == "acquisition"
    assert t.loc["auctiva", "year"] == 2010 and t.loc["auctiva", "stake_pct"] == 100
    assert t.loc["eleven_main_launch", "date"] == "2014-06" and t.loc["eleven_main_launch", "kind"] == "entry"
    assert t.loc["eleven_main_sale", "kind"] == "exit" and t.loc["eleven_main_sale", "stake_pct"] == 37.6
    # item 1: SingPost, Snapdeal and Paytm (Ant first, then Alibaba with Ant)
    assert t.loc["singpost_stake", "stake_pct"] == 10.35 and t.loc["singpost_stake", "amount_usd_m"] == 249
    assert t.loc["snapdeal_round", "mode"] == "minority_stake"
    assert t.loc["paytm_ant", "investor"] == "Ant Financial"
    assert t.loc["paytm_alibaba", "investor"] == "Alibaba Group and Ant Financial"
    # item 4: Ant's 2017 payment joint ventures
    for jv in ("tng_digital", "dana_jv"):
        assert t.loc[jv, "mode"] == "joint_venture" and t.loc[jv, "investor"] == "Ant Financial"
        assert t.loc[jv, "year"] == 2017
    sources = data.sources()
    for s in t["source"]:
        assert sources[s]["url"].startswith("http"), s


# ----------------------------------------------------------------------------- the rules


def test_local_commitment_rule_counts_only_group_entries():
    e = mv.entries_by_local_commitment()
    assert set(e["kind"]) == {"entry"}
    assert e["has_group"].all() and "CHN" not in set(e["iso3"])
    assert {"tng_digital", "dana_jv"}.isdisjoint(e["move_id"])  # Ant alone
    first = mv.first_local_commitments(2022).set_index("iso3")
    assert first.loc["USA", "move_id"] == "vendio" and first.loc["USA", "year"] == 2010
    assert first.loc["IDN", "move_id"] == "lazada_control"
    assert "KOR" not in first.index and "KOR" in mv.first_local_commitments().set_index("iso3").index


def test_first_moves_rule_keeps_daraz_and_drops_follow_ons():
    f = mv.first_moves()
    ids = set(f["move_id"])
    assert "daraz" in ids
    assert not ids & {"lazada_83", "lazada_2018", "singpost_follow_on", "eleven_main_sale", "nyse_ipo"}
    assert not ids & {"paytm_ant", "ascend_money", "tng_digital", "dana_jv"}  # Ant alone
    assert set(f["kind"]) <= set(mv.FIRST_MOVE_KINDS)
    assert list(f["when"]) == sorted(f["when"])


def test_timeline_is_every_move():
    assert list(mv.timeline()["move_id"]) == list(mv.moves()["move_id"])
    assert len(mv.timeline()) == len(raw("moves"))


def test_marketplace_steps_are_local_consumer_marketplaces():
    s = mv.marketplace_steps()
    assert set(s["business"]) == {"consumer_marketplace"} and "GLOBAL" not in set(s["markets"])
    assert {"eleven_main_launch", "eleven_main_sale", "tokopedia_round", "korea_jv"} <= set(s["move_id"])
    assert "aliexpress" not in set(s["move_id"])


def test_unknown_move_is_a_clear_error():
    with pytest.raises(KeyError, match="no move 'no_such_move'"):
        mv.move("no_such_move")


# ----------------------------------------------------------------------------- agreement


def assert_agrees(shown: pd.DataFrame, id_col: str, cols: dict[str, str]) -> None:
    """Every row a chapter shows is a move of moves.csv with the same values in ``cols``
    (chapter column -> moves column)."""
    t = mv.moves().set_index("move_id")
    unknown = set(shown[id_col]) - set(t.index)
    assert not unknown, f"moves shown that are not in moves.csv: {sorted(unknown)}"
    for r in shown.to_dict("records"):
        for mine, theirs in cols.items():
            assert r[mine] == t.loc[r[id_col], theirs], (r[id_col], mine, r[mine], t.loc[r[id_col], theirs])
