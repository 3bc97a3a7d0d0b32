"""The student edition answers no discussion question (issue 14): each chapter's teaching-note
answers, and the instructors' front matter, are in the instructor edition and nowhere in the
student edition (pages, downloads, search index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dualwheel.publish import STUDENT_HTML

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(
    p for p in (ROOT / "book").glob("ch*.md") if "Suggested answers to the discussion" in p.read_text("utf-8")
)


def _flat(text: str) -> str:
    """Whitespace collapsed, curly quotes straightened, markup characters dropped."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"')
    return " ".join(re.sub(r"[*`]", "", text).split())


def answer_fragments(md: str) -> list[str]:
    """The opening words of each suggested answer in a chapter's teaching note."""
    block = md.split("**Suggested answers to the discussion questions.**", 1)[1].split("**What-if answer", 1)[
        0
    ]
    out = []
    for item in re.split(r"\n\d+\. ", "\n" + block)[1:]:
        words = _flat(item.split("{glue")[0].split("(")[0])
        if len(words) >= 25:
            out.append(words[:45])
    return out


def _html_text(path: Path) -> str:
    return _flat(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" "))


@pytest.fixture(scope="module")
def student_corpus() -> str:
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail(f"{STUDENT_HTML} is missing: build it first (make student)", pytrace=False)
    parts = [_html_text(p) for p in STUDENT_HTML.rglob("*.html")]
    parts += [
        _flat(p.read_text(encoding="utf-8")) for p in (STUDENT_HTML / "_sources").rglob("*") if p.is_file()
    ]
    parts.append(_flat((STUDENT_HTML / "searchindex.js").read_text(encoding="utf-8")))
    return "\n".join(parts)


def test_every_finished_chapter_has_a_teaching_note():
    assert {p.name for p in CHAPTERS} >= {"ch03-company-overview.md", "ch06-results.md"}
    for page in CHAPTERS:
        assert len(answer_fragments(page.read_text("utf-8"))) >= 4, page.name


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda p: p.stem)
def test_suggested_answers_only_in_the_instructor_edition(page, html_dir, student_corpus):
    fragments = answer_fragments(page.read_text("utf-8"))
    instructor = _html_text(html_dir / "book" / f"{page.stem}.html")
    assert [f for f in fragments if f not in instructor] == []  # the check can fail
    leaked = [f for f in fragments if f in student_corpus]
    assert leaked == [], f"{page.name}: suggested answers in the student edition: {leaked}"


def test_instructor_front_matter_only_in_the_instructor_edition(html_dir, student_corpus):
    assert "Teaching with this casebook" in _html_text(html_dir / "book" / "instructors.html")
    assert not (STUDENT_HTML / "book" / "instructors.html").exists()
    assert "Teaching with this casebook" not in student_corpus
    assert "instructors.html" not in (STUDENT_HTML / "index.html").read_text(encoding="utf-8")
