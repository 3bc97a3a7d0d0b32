"""The epilogue quotes dates and figures from data/, never typed into its prose."""

import re
from pathlib import Path

import pytest

from dualwheel import data, fmt
from dualwheel.chapters import epilogue as ep

ROOT = Path(__file__).resolve().parents[2]


def test_dates_read_as_prose():
    assert fmt.date_text("2023-03-28", "day") == "28 March 2023"
    assert fmt.date_text("2023-07", "month") == "July 2023"
    assert fmt.date_text("2025", "year") == "2025"
    with pytest.raises(ValueError):
        fmt.date_text("2023-02-30", "day")
    with pytest.raises(ValueError, match="precision"):
        fmt.date_text("2023-02-01", "week")


def test_facts_come_from_the_tables():
    facts = ep.facts()
    events = data.load("later_events").set_index("event_id")
    rules = data.load("rules").set_index("rule_id")
    assert facts["ep_price"] == events.loc["cainiao_withdrawn_price", "value"]
    assert facts["ep_cap_bn"] * 1000 == events.loc["cainiao_withdrawn_cap", "value"]
    assert facts["ep_us_threshold"] == rules.loc["us_dm_china_end", "figure"]
    assert facts["ep_d_us_dm_all_end"] == fmt.date_text(rules.loc["us_dm_all_end", "date"], "day")
    # each section's source line names the documents of its own rows
    doc = data.sources()[events.loc["cainiao_stake", "source"]]["document"]
    assert doc in facts["ep_src_cainiao"]


def test_an_unknown_row_is_a_clear_error():
    with pytest.raises(KeyError, match="later_events.csv has no row 'nope'"):
        ep.event("nope")


def test_the_prose_types_no_figure():
    text = (ROOT / "book" / "epilogue.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text.split("---", 2)[2], flags=re.S)  # code cells may hold numbers
    prose = re.sub(r"\{glue:(text|md)\}`[^`]+`", "", prose)
    prose = re.sub(
        r"\b(FY|H[12] |Q[1-4] )?20\d\d\b|Chapters? \d( and \d)?|data/\S+|\d+(st|nd|rd|th)\b", "", prose
    )
    assert re.findall(r"\d", prose) == []


def test_counts_read_as_words_up_to_ten():
    assert (fmt.count_text(6), fmt.count_text(10), fmt.count_text(12), fmt.count_text(1500)) == (
        "six",
        "ten",
        "12",
        "1,500",
    )


def test_the_decision_point_entry_modes_follow_the_timeline(monkeypatch):
    assert ep.entry_modes()["ep_mode_bought"].startswith("bought (Lazada in 2016")
    moves = data.load("moves")
    moves.loc[moves["move_id"] == "miravia", "mode"] = "acquisition"
    monkeypatch.setattr(data, "load", lambda name: moves if name == "moves" else data.load(name))
    with pytest.raises(ValueError, match="no longer says"):
        ep.entry_modes()
