"""The glossary is generated from one terms file, and the chapters use the same terms."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dualwheel import glossary

ROOT = Path(__file__).resolve().parents[2]


def test_glossary_page_is_generated_from_the_terms_file():
    assert glossary.PAGE.read_text(encoding="utf-8") == glossary.glossary_markdown(), (
        "book/glossary.md is out of date: run python -m dualwheel.glossary"
    )


def test_every_term_has_one_row_and_appears_on_the_page():
    t = glossary.terms()
    assert t["term_id"].is_unique and t["chinese"].is_unique
    page = glossary.glossary_markdown()
    for _, r in t.iterrows():
        assert f"| {r['english']} | {r['chinese']} | {r['pinyin']} |" in page


def test_chapters_use_the_terms_they_are_listed_for():
    pages = {int(p.name[2:4]): p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("ch0[36]-*.md")}
    missing = []
    for _, r in glossary.terms().iterrows():
        for ch in (int(c) for c in str(r["chapters"]).split(",")):
            if ch in pages and r["chinese"] not in pages[ch]:
                missing.append((ch, r["term_id"]))
    assert missing == []


def test_term_reads_as_the_prose_writes_it():
    assert glossary.term("dual_wheel") == "dual-wheel drive (双轮驱动)"
    with pytest.raises(KeyError, match="data/terms.csv"):
        glossary.term("no_such_term")


def test_markdown_escapes_pipes_and_needs_its_columns():
    frame = pd.DataFrame(
        [{"english": "a|b", "chinese": "甲", "pinyin": "jiǎ", "chapters": "3,6", "note": None}]
    )
    text = glossary.glossary_markdown(frame)
    assert "a\\|b" in text and "Ch. 3, Ch. 6" in text
    with pytest.raises(ValueError, match="pinyin"):
        glossary.glossary_markdown(frame.drop(columns="pinyin"))


# ---- strategy terms of Chapters 2, 4, 5 and 7 (issue 23 §6) ----


def test_the_glossary_covers_the_strategy_terms_of_chapters_2_4_5_and_7():
    listed: dict[int, int] = {}
    for _, r in glossary.terms().iterrows():
        for ch in (int(c) for c in str(r["chapters"]).split(",") if c.strip()):
            listed[ch] = listed.get(ch, 0) + 1
    short = {ch: listed.get(ch, 0) for ch in (2, 4, 5, 7) if listed.get(ch, 0) < 4}
    assert not short, f"chapters with fewer than 4 glossary terms: {short}"


def test_glossary_terms_of_chapters_2_4_5_and_7_appear_on_their_pages():
    pages = {int(p.name[2:4]): p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("ch0[1-7]-*.md")}
    missing = []
    for _, r in glossary.terms().iterrows():
        for ch in (int(c) for c in str(r["chapters"]).split(",") if c.strip()):
            if ch in (2, 4, 5, 7) and r["chinese"] not in pages[ch]:
                missing.append((ch, r["term_id"]))
    assert missing == []
