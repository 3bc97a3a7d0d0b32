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


def test_aidc_results_are_read_from_one_table_on_one_basis():
    # issue 21: the FY2026 20-F's segment table gives FY2024-FY2026 on one basis, and its FY2024
    # figures equal the FY2024 20-F's that Chapter 6 uses, so FY2024 -> FY2025 is like with like
    from dualwheel import segments

    t = ep.aidc_one_basis()
    assert list(t.index) == [2024, 2025, 2026]
    assert list(t["aidc_revenue"]) == [102598, 132300, 144170]
    assert list(t["aidc_adj_ebita"]) == [-8035, -15137, -2051]
    assert t.loc[2024, "aidc_revenue"] == segments.value("aidc_total", 2024)
    assert t.loc[2024, "aidc_adj_ebita"] == segments.ebita("aidc_total", 2024)
    sources = set(data.load("later_results").query("basis == 'fy2026_20f_recast'")["source"])
    assert sources == {"sec_20f_fy2026_segments"}
    text = (ROOT / "book" / "epilogue.md").read_text(encoding="utf-8")
    assert "on one basis" in text and "different annual reports" not in text
    assert "ep_aidc_26_bn" in text and "ep_aidc_loss_26_bn" in text


def test_the_merger_is_dated_as_chapter_five_dates_it():
    merger = ep.event("ecommerce_group_merger")
    assert merger["date"] == "2024-11-21" and "Jiang Fan" in merger["event"]
    assert merger["source"] == "epi_scmp_ecommerce_group_2024"
    events = data.load("events").set_index("event_id")
    if "ecommerce_group" in events.index:  # Chapter 5's timeline holds the same step
        assert str(events.loc["ecommerce_group", "date"]) == merger["date"]
    assert "ep_d_ecommerce_group_merger" in ep.facts()


def test_the_epilogue_cites_documents_not_homepages():
    used = set(data.load("later_events")["source"]) | set(data.load("later_results")["source"])
    used |= set(ep.SECTION_EXTRA["groups"])
    docs = data.sources()
    for sid in used:
        url = docs[sid]["url"]
        path = re.sub(r"^https?://[^/]+", "", url)
        assert path.strip("/"), (sid, url)  # not a bare domain
        assert "ReportDate=" not in url, (sid, url)  # not a research index page
    for gone in (
        "reuters_timeline_2023",
        "cainiao_ipo_withdrawn_2024",
        "china_ecommerce_group_2025",
        "phillip_fy2025",
    ):
        assert gone not in used
