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


def test_chapter_5_timeline_shows_every_move_as_the_table_has_it():
    from dualwheel.chapters import ch05_evolution as c5

    t = c5.events()
    shown = t[t["is_move"]]
    assert_agrees(shown, "event_id", {"date": "date", "investor": "investor", "kind": "kind"})
    assert set(shown["event_id"]) == set(mv.timeline(c5.CUTOFF)["move_id"])  # the rule: every move public by the cut-off
    mode = mv.moves().set_index("move_id")["mode"]
    for r in shown.itertuples(index=False):  # the chapter's mode column is the table's mode, renamed
        assert r.entry_mode == c5.step_mode(r.kind, mode[r.event_id]), r.event_id


def test_chapter_5_entry_steps_are_the_marketplace_rule():
    from dualwheel.chapters import ch05_evolution as c5

    steps = c5.entry_steps().rename(columns={"stake_after_pct": "stake_pct"})
    assert_agrees(steps, "event_id", {"date": "date"})
    assert list(steps["event_id"]) == list(mv.marketplace_steps(c5.CUTOFF)["move_id"])


#: Chapter 7's evidence rows that are moves, and the move each one is.
CH7_EVIDENCE_MOVES = {
    "aliexpress_launch": "aliexpress",
    "aliexpress_russia_first": "aliexpress_russia_focus",
    "cloud_silicon_valley": "cloud_overseas",
    "lazada_control": "lazada_control",
    "lazada_83": "lazada_83",
    "trendyol_majority": "trendyol",
    "miravia_launch": "miravia",
}


def test_chapter_7_order_of_entry_is_the_first_moves_rule():
    from dualwheel.chapters import ch07_lessons as c7

    chron = c7.entry_chronology()
    t = mv.moves().set_index("move_id")
    assert_agrees(chron, "move_id", {"date": "date", "source": "source"})
    for r in chron.itertuples(index=False):
        assert r.mode == mv.MODE_LABELS[t.loc[r.move_id, "mode"]], r.move_id
    first = mv.first_moves()
    known = first[first["date"].astype(str).map(c7.public_by_cutoff)]  # the decision date's cut-off
    assert list(chron["move_id"]) == list(known["move_id"])  # nothing the rule admits by then is dropped
    assert "daraz" in set(chron["move_id"])  # issue 21: Exhibit 7.3 dropped Daraz
    assert not set(chron["move_id"]) & {"lazada_83", "lazada_2018"}  # a follow-on stake is not a move
    assert "aliexpress_top_markets" not in set(chron["move_id"])  # an observation is not a move
    assert c7.years_before_lazada() == t.loc["lazada_control", "year"] - t.loc["aliexpress", "year"]


def test_chapter_7_evidence_rows_agree_with_the_moves():
    ev = data.load("lesson_evidence").set_index("evidence_id")
    t = mv.moves().set_index("move_id")
    for evidence_id, move_id in CH7_EVIDENCE_MOVES.items():
        assert ev.loc[evidence_id, "date"] == t.loc[move_id, "date"], evidence_id
    assert ev.loc["lazada_control", "figure"] == t.loc["lazada_control", "stake_pct"]
    assert ev.loc["lazada_83", "figure"] == t.loc["lazada_83", "stake_pct"]
    assert ev.loc["trendyol_majority", "figure"] == t.loc["trendyol", "amount_usd_m"]
    assert ev.loc["ant_ascend", "date"] == t.loc["ascend_money", "date"][:7]


#: entries.csv (Chapter 4's table until it switches to moves.csv) -> the same move in moves.csv.
ENTRY_IDS = {
    "alibaba_com_launch": "founding",
    "aliexpress_launch": "aliexpress",
    "aliexpress_russia_focus": "aliexpress_russia_focus",
    "lazada_control": "lazada_control",
    "ascend_money_stake": "ascend_money",
    "lazada_83pct": "lazada_83",
    "tokopedia_round": "tokopedia_round",
    "lazada_2018": "lazada_2018",
    "daraz_acquisition": "daraz",
    "trendyol_majority": "trendyol",
    "aliexpress_russia_jv": "aliexpress_russia_jv",
    "miravia_launch": "miravia",
    "korea_jv": "korea_jv",
}
#: entries.csv's mode -> moves.csv's (kind, mode); a stake increase is a follow-on of either mode.
ENTRY_MODES = {
    "export_platform": {("launch", "export_platform"), ("market_focus", "export_platform")},
    "own_launch": {("entry", "organic")},
    "acquisition": {("entry", "acquisition")},
    "stake_increase": {("follow_on", "acquisition"), ("follow_on", "minority_stake")},
    "minority_stake": {("minority_stake", "minority_stake")},
    "joint_venture": {("entry", "joint_venture")},
}


def test_entries_csv_rows_are_moves_with_the_same_facts():
    if not (data.data_dir() / "entries.csv").exists():
        pytest.skip("entries.csv retired: Chapter 4 reads moves.csv")
    e = raw("entries").set_index("entry_id")
    t = raw("moves").set_index("move_id")
    assert set(e.index) == set(ENTRY_IDS)  # every row of entries.csv is in moves.csv
    for entry_id, move_id in ENTRY_IDS.items():
        a, b = e.loc[entry_id], t.loc[move_id]
        for col in ("date", "markets", "investor", "amount_usd_m"):
            assert a[col] == b[col], (entry_id, col, a[col], b[col])
        assert (b["kind"], b["mode"]) in ENTRY_MODES[a["mode"]], (entry_id, a["mode"], b["kind"], b["mode"])
        if a["stake_pct"] and b["stake_pct"]:
            assert float(a["stake_pct"]) == float(b["stake_pct"]), entry_id
