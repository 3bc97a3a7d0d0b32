"""The knowledge cut-off in the built student edition: no page before the B-case cites a source
that became public after the decision date, and its rendered text names no later date.

The pages checked are the decision opener (``book/decision.md``) and Chapters 1-7, as the
student edition (``make student``) renders them: the instructors' sections are gone there. The
B-case (``book/epilogue.md``, "What happened next") is exempt: it is read after class.

Which sources a page cites is read from its downloadable notebook: every exhibit's source line
records its caption and source ids in the output's metadata (``dualwheel.page.exhibits``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dualwheel import cutoff, data
from dualwheel.page.exhibits import SOURCES_KEY
from dualwheel.publish import STUDENT_HTML

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]

#: The student pages before the B-case: the opener and the seven chapters.
PAGES = sorted(p.stem for p in (ROOT / "book").glob("ch0[1-7]-*.md")) + (
    ["decision"] if (ROOT / "book" / "decision.md").exists() else []
)

#: Phrases whose later dates a student may read before the decision, each with the reason. Keep it
#: short: a phrase goes here only when the date is no hindsight (a plan or forecast public by the
#: decision date, the decision's own horizon, a scenario's projection years).
ALLOWED: dict[str, str] = {
    r"FY2025 ?(?:and |to |[–-]) ?FY2026": "the decision's own budget horizon: the two fiscal years it allocates",
    r"(?:first quarter of (?:Alibaba['’]s )?|end of )FY202[56]": "where the decision date and the budget's end fall in the fiscal calendar",
    r"(?:Adjusted EBITA margin, |reaches zero by |break[ -]even by |breaks even by )FY2026": "the break-even what-if's scenario at the budget's end (a scenario, not a reported figure)",
    r"turn positive in the second half of 2024": "Sea's own forecast, published 4 March 2024, quoted in the opener",
}


def _student_file(*parts: str) -> Path:
    path = STUDENT_HTML.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: build the student edition first (make student)", pytrace=False)
    return path


def _recorded(stem: str) -> list[dict]:
    """The exhibits of a student page's notebook, each {"exhibit": caption, "ids": [...]}."""
    nb = json.loads(_student_file("_sources", "book", f"{stem}.ipynb").read_text(encoding="utf-8"))
    return [
        output["metadata"][SOURCES_KEY]
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if SOURCES_KEY in output.get("metadata", {})
    ]


def _captions(stem: str) -> list[str]:
    """Every exhibit label ("Exhibit 3.2") the notebook's outputs print."""
    nb = json.loads(_student_file("_sources", "book", f"{stem}.ipynb").read_text(encoding="utf-8"))
    labels = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            md = output.get("data", {}).get("text/markdown", "")
            md = "".join(md) if isinstance(md, list) else md
            labels += re.findall(r"\*\*(Exhibit \w+\.\d+)(?: \([^)]*\))?\.\*\*", md)
    return labels


def student_text(html: str) -> str:
    """The rendered body text of a page, as a student reads it: the article, without code cells'
    input (hidden behind "Show code"), scripts or styles; what-if frames and self-checks stay."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("article.bd-article") or soup.find("main") or soup.body
    for node in body.select("div.cell_input, script, style"):
        node.decompose()
    return " ".join(body.get_text(" ").split())


def _allowed_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in ALLOWED for m in re.finditer(pattern, text)]


def hindsight(text: str) -> list[str]:
    """The later dates in ``text`` that no allowed phrase covers, each with some context."""
    spans = _allowed_spans(text)
    found = []
    for d in cutoff.later_dates(text):
        end = d.start + len(d.text)
        if any(a <= d.start and end <= b for a, b in spans):
            continue
        found.append(f"{d.text!r} in '…{text[max(0, d.start - 60):end + 30]}…'")
    return found


@pytest.mark.parametrize("stem", PAGES)
def test_every_exhibit_records_the_sources_it_cites(stem):
    recorded = _recorded(stem)
    labels = [" ".join(r["exhibit"].split()[:2]) for r in recorded]
    assert labels == _captions(stem), f"{stem}: exhibits printed and exhibits recorded differ"
    assert all(r["ids"] for r in recorded), f"{stem}: an exhibit records no source"
    known = data.sources()
    assert [i for r in recorded for i in r["ids"] if i not in known] == []


def late_cited(recorded: list[dict]) -> list[str]:
    """The late sources the recorded exhibits cite, as "exhibit: id (date)".

    The case paper (``kind: paper``) is exempt. It is the assigned reading, dated 2025; the
    book quotes its claims about the period up to FY2024 and checks them in one place per
    chapter (``ch.claims``). Any content after the cut-off that it carries shows as a date in
    the rendered text, which :func:`test_no_student_page_names_a_date_after_the_cut_off` scans.
    """
    late = []
    for r in recorded:
        for sid in cutoff.late_sources(r["ids"]):
            if data.sources()[sid].get("kind") == "paper":
                continue
            when = cutoff.fact_public(sid) or cutoff.published(sid)
            late.append(f"{r['exhibit']}: {sid} ({when or 'no published date'})")
    return late


@pytest.mark.parametrize("stem", PAGES)
def test_no_student_page_cites_a_source_published_after_the_cut_off(stem):
    """A source counts from ``fact_public`` when it has one, else from ``published`` (a partial
    date as its last day); an undated source counts as late. The case paper is exempt
    (:func:`late_cited` says why)."""
    late = late_cited(_recorded(stem))
    assert late == [], f"{stem} cites {len(late)} sources after {cutoff.decision_date()}:\n" + "\n".join(late)


def test_the_late_source_check_catches_a_planted_late_source_but_not_the_paper():
    """Control: a real page's record with a late non-paper source planted in an exhibit is
    caught; the paper (kind: paper), dated after the cut-off, is not."""
    # a real exhibit record, kept to the sources public by the cut-off
    recorded = [{**r, "ids": [i for i in r["ids"] if not cutoff.after_cutoff(i)]} for r in _recorded(PAGES[0])]
    recorded = [r for r in recorded if r["ids"]][:1]
    assert recorded and late_cited(recorded) == []
    papers = [k for k, v in data.sources().items() if v.get("kind") == "paper" and cutoff.after_cutoff(k)]
    late = [k for k, v in data.sources().items() if v.get("kind") is None and v.get("published") and cutoff.after_cutoff(k)]
    assert papers and late, "the control needs a late paper source and a late dated document"
    recorded[0] = {**recorded[0], "ids": [*recorded[0]["ids"], papers[0]]}
    assert late_cited(recorded) == []
    recorded[0] = {**recorded[0], "ids": [*recorded[0]["ids"], late[0]]}
    assert [f for f in late_cited(recorded) if late[0] in f], "a planted late source is not caught"


@pytest.mark.parametrize("stem", PAGES)
def test_no_student_page_names_a_date_after_the_cut_off(stem):
    text = student_text(_student_file("book", f"{stem}.html").read_text(encoding="utf-8"))
    assert len(text) > 500, f"{stem}: the page has almost no text; is it the right file?"
    found = hindsight(text)
    assert found == [], f"{stem} names {len(found)} dates after {cutoff.decision_date()}:\n" + "\n".join(found)


def test_the_scan_of_a_page_catches_a_date_planted_in_its_text():
    """Control: the same extraction and scan, on a real page with one later date planted in its
    prose (and one in a code cell's input, which the student does not see)."""
    html = _student_file("book", f"{PAGES[0]}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("article.bd-article") or soup.find("main")
    para = body.find("p")
    para.append(" In September 2024 something happened.")
    cell = soup.new_tag("div", attrs={"class": "cell_input"})
    cell.string = "# code: the FY2026 results"
    body.append(cell)
    planted = hindsight(student_text(str(soup)))
    assert any("'September 2024'" in f for f in planted)
    assert not any("the FY2026 results" in f for f in planted)


def test_every_allowed_phrase_is_still_used():
    """A phrase no page uses any more is removed from :data:`ALLOWED`, not kept."""
    texts = " ".join(
        student_text(_student_file("book", f"{s}.html").read_text(encoding="utf-8")) for s in PAGES
    )
    assert [p for p in ALLOWED if not re.search(p, texts)] == []


#: Issue 22: a chapter is about Alibaba's choices, and the paper is one source among the filings,
#: checked in one place per chapter. Counted in the rendered student text (prose, exhibits, source
#: lines, what-if frames and self-checks), not in the Markdown: labels printed by code count too.
MAX_PAPER_MENTIONS = 10


@pytest.mark.parametrize("stem", PAGES)
def test_no_student_page_says_the_paper_more_than_ten_times(stem):
    text = student_text(_student_file("book", f"{stem}.html").read_text(encoding="utf-8"))
    hits = [m.start() for m in re.finditer(r"\bthe paper\b", text, re.I)]
    context = [f"…{text[max(0, h - 50):h + 40]}…" for h in hits]
    assert len(hits) <= MAX_PAPER_MENTIONS, f"{stem} says 'the paper' {len(hits)} times:\n" + "\n".join(context)


def test_the_paper_count_sees_text_printed_by_code():
    """Control: a mention inside an exhibit's output counts; one in a hidden code input does not."""
    html = _student_file("book", f"{PAGES[0]}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("article.bd-article") or soup.find("main")
    out = soup.new_tag("div", attrs={"class": "cell_output"})
    out.string = "The paper says so."
    body.append(out)
    cell = soup.new_tag("div", attrs={"class": "cell_input"})
    cell.string = "# the paper, in a comment"
    body.append(cell)
    text = student_text(str(soup))
    assert "The paper says so." in text and "in a comment" not in text
