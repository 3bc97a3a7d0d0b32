"""Exhibit source lines (dualwheel.page.exhibits.source_notes) and PDF table widths
(dualwheel.publish.sphinxext.column_widths)."""

from __future__ import annotations

import re

import pytest

from dualwheel import data
from dualwheel.page.exhibits import NOTES_CLASS, short_title, source_notes
from dualwheel.publish.sphinxext import LINE_CHARS, MIN_COLUMN, column_widths

URL = re.compile(r"https?://")


def _visible_line(text: str) -> str:
    return text.split("\n\n", 1)[0]


def test_the_line_names_every_source_by_a_linked_short_title_and_prints_no_url():
    ids = ["paper_s3", "sec_20f_fy2019", "cbp_csms_64861116"]
    text = source_notes(ids, note="A note.")
    line = _visible_line(text)
    assert line.startswith("*Source:* ") and line.endswith("*Note:* A note.")
    for sid in ids:
        assert short_title(sid).replace("…", "").split()[0] in line
    # every URL sits in a link target <...>, never in the text a reader sees
    shown = re.sub(r"\]\(<[^>]*>\)", "]", line)
    assert not URL.search(shown)
    assert line.count("](<https://") == sum(bool(data.sources()[s].get("url")) for s in ids)


def test_the_full_notes_are_folded_in_one_details_block():
    ids = ["paper_s3", "sec_20f_fy2019"]
    folded = source_notes(ids).split("\n\n", 1)[1]
    assert folded.startswith(f'<details class="{NOTES_CLASS}"><summary>Source notes (2)</summary>')
    assert folded.endswith("</details>") and "\n" not in folded  # one raw-HTML block
    assert folded.count("<li>") == 2
    assert "Case paper, section 3" in folded and 'href="https://www.sec.gov/' in folded


def test_repeated_ids_are_named_once_and_unknown_ids_fail():
    assert source_notes(["paper_s3", "paper_s3"]).count("<li>") == 1
    with pytest.raises(KeyError, match="unknown source id"):
        source_notes(["no_such_source"])


def test_short_titles_are_short_for_every_source():
    for sid in data.sources():
        title = short_title(sid)
        assert title and len(title.split()) <= 10, (sid, title)
        assert not URL.search(title), sid


def test_pdf_columns_are_never_narrower_than_their_longest_word():
    rows = [["Wheel", "What it does"], ["Transaction", "Takes a commission on each sale, " * 4]]
    widths = column_widths(rows)
    assert widths[0] >= len("Transaction") + 2 and widths[0] >= MIN_COLUMN
    assert widths[1] > widths[0]  # the column of sentences gets the room
    assert abs(sum(widths) - LINE_CHARS) <= 1  # the line is shared out, not exceeded
    assert column_widths([]) == []
    assert column_widths([["a", "b", "c"]]) == [MIN_COLUMN] * 3
    # ten narrow columns of numbers: each still holds its longest figure
    wide = column_widths([[f"{1234.5 * k:,.1f}" for k in range(10)]] * 3)
    assert all(w >= len(f"{1234.5 * k:,.1f}") + 2 for k, w in enumerate(wide))
    # a URL breaks anywhere: it does not starve the short words of the other columns
    urls = column_widths([["paper_s1", "Case paper, section 1", "https://example.org/" + "x" * 130, "medium"]])
    assert urls[3] >= len("medium") + 2 and sum(urls) <= LINE_CHARS + 1
