"""The "Reading the numbers" page in both editions: its self-checks render in place, numbered
R.1, R.2... in page order, and its teaching note (after ``(rn-instructors)=``) is in the
instructor edition only: not in the student pages, downloads or search index, nor in the student
PDF or its LaTeX source."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dualwheel.grading.questions import bank_for
from dualwheel.publish import STUDENT_HTML, STUDENT_PDF

pytestmark = pytest.mark.built

PAGE = Path("book") / "reading-numbers.html"
#: Text only the teaching note holds (its headings and one sentence of its close).
NOTE = (
    "Teaching note: reading the numbers",
    "Misconceptions students bring",
    "Suggested answers to the self-checks",
    "Close: the bridge to Chapter 1",
    "write four words beside it",
)


def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("&#x27;", "'").replace("&#39;", "'")
    return " ".join(text.split())


def _student_root() -> Path:
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail(f"{STUDENT_HTML} is missing: build it first (make student)", pytrace=False)
    return STUDENT_HTML


def _root(edition: str, html_dir: Path) -> Path:
    return html_dir if edition == "instructor" else _student_root()


@pytest.mark.parametrize("edition", ["instructor", "student"])
def test_self_checks_render_in_place_numbered_in_page_order(edition, html_dir):
    soup = BeautifulSoup((_root(edition, html_dir) / PAGE).read_text(encoding="utf-8"), "html.parser")
    bank = bank_for("R")
    checks = bank.uses("self_check")
    boxes = soup.select("div.casebook-selfcheck")
    assert [b["id"] for b in boxes] == [f"selfcheck-{q.id}" for q in checks]
    titles = [b.select_one(".casebook-sc-title").get_text(strip=True) for b in boxes]
    assert titles == [f"Self-check R.{i}" for i in range(1, len(checks) + 1)]
    # practice: the answer travels in the page for the browser to check, offline
    for box, q in zip(boxes, checks, strict=True):
        payload = json.loads(base64.b64decode(box["data-q"]))
        assert payload["answer"] == q.answer and payload["explanation"] == q.explanation
    # each sits in its habit's section, in the order the page teaches the habits
    # (a section carries its label as the id of the empty span before its heading)
    habits = ["rn-denominators", "rn-bases", "rn-fiscal", "rn-vintages", "rn-growth", "rn-cainiao"]
    labels = []
    for box in boxes:
        section = box.find_parent("section")
        while not any(section.find("span", id=h, recursive=False) for h in habits):
            section = section.find_parent("section")
        labels.append(next(h for h in habits if section.find("span", id=h, recursive=False)))
    assert labels == habits[: len(boxes)]


def test_the_teaching_note_is_in_the_instructor_edition_only(html_dir):
    instructor = _flat((html_dir / PAGE).read_text(encoding="utf-8"))
    assert [n for n in NOTE if n not in instructor] == []  # the check can fail
    root = _student_root()
    page = _flat(BeautifulSoup((root / PAGE).read_text(encoding="utf-8"), "html.parser").get_text(" "))
    assert "Self-check R.1" in page and "Five habits" in page  # the rest of the page is there
    downloads = sorted((root / "_sources" / "book").glob("reading-numbers.*"))
    assert {p.suffix for p in downloads} >= {".md", ".ipynb"}
    for where, text in [
        ("page", page + _flat((root / PAGE).read_text(encoding="utf-8"))),
        *((p.name, _flat(p.read_text(encoding="utf-8"))) for p in downloads),
        ("searchindex.js", _flat((root / "searchindex.js").read_text(encoding="utf-8"))),
    ]:
        leaked = [n for n in (*NOTE, "For instructors", "rn-instructors") if n in text]
        assert leaked == [], f"student {where}: {leaked}"


def _pdf_text(pdf: Path) -> str:
    import subprocess

    if not pdf.exists():
        pytest.fail(f"{pdf} is missing: build both PDFs first (make pdf)", pytrace=False)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8").replace("-\n", "")).replace("’", "'")


@pytest.mark.pdf
def test_the_student_pdf_prints_the_self_checks_and_no_teaching_note(pdf_path):
    student = _pdf_text(STUDENT_PDF)
    assert "Self-check R.1." in student and "Self-check answers." in student
    assert [n for n in NOTE if n in student] == []
    tex = "\n".join(p.read_text(encoding="utf-8") for p in STUDENT_PDF.parent.glob("*.tex"))
    assert tex and [n for n in NOTE if _flat(n) in _flat(tex)] == []  # nor in its LaTeX source
    assert "Teaching note: reading the numbers" in _pdf_text(pdf_path)  # the instructor PDF keeps it


@pytest.mark.parametrize("edition", ["instructor", "student"])
def test_each_self_check_answers_in_the_browser_offline(edition, html_dir, offline_page):
    """Wrong, then right, in a browser that refuses the network: the page's own script checks the
    answer and shows the feedback (the bundle test's driver, which finds the page's bank)."""
    from test_bundles import answer_selfchecks

    page = offline_page.open(_root(edition, html_dir) / PAGE)
    assert answer_selfchecks(page, f"{edition} reading-numbers") == len(bank_for("R").uses("self_check"))
    assert offline_page.problems() == []
