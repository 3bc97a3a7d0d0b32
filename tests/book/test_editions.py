"""The instructor edition (make html) carries solutions; the student edition (make student)
carries none of them, not even in its search index."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualwheel.grading.questions import all_banks
from dualwheel.publish import STUDENT_HTML, notebooks
from dualwheel.publish.editions import STUDENT

pytestmark = pytest.mark.built

PAGE = "book/ch03-company-overview.html"


@pytest.fixture(scope="module")
def student_dir() -> Path:
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail(f"{STUDENT_HTML} is missing: build it first (make student)", pytrace=False)
    return STUDENT_HTML


def _model_answers() -> list[str]:
    return [
        " ".join(q.model_answer.split())[:50]
        for b in all_banks()
        for q in b.graded_questions
        if q.model_answer
    ]


def test_instructor_edition_has_the_solutions(html_dir):
    for bank in all_banks():  # each chapter's page carries its own bank's solutions
        (page,) = (html_dir / "book").glob(f"ch{bank.chapter:02d}-*.html")
        text = page.read_text(encoding="utf-8")
        assert "For instructors" in text and "Timing plan" in text, page.name
        assert "Solutions to the graded exercises" in text, page.name
        # Sphinx's smartquotes turns ' into a curly apostrophe; HTML may escape it
        flat = " ".join(text.split()).replace("\u2019", "'").replace("&#x27;", "'").replace("&#39;", "'")
        answers = [" ".join(q.model_answer.split())[:50] for q in bank.graded_questions if q.model_answer]
        missing = [m for m in answers if m not in flat]
        assert answers and not missing, (
            f"{page.name}: model answers missing from the instructor edition: {missing}"
        )


def test_student_edition_has_no_instructor_material(student_dir):
    pages = list(student_dir.rglob("*.html"))
    assert len(pages) >= 9
    downloads = list((student_dir / "_sources").rglob("*.ipynb"))
    sources = list((student_dir / "_sources").rglob("*.md"))  # the .md download
    # every executable page of the student edition still downloads (the B-case is not one of them)
    assert len(downloads) == len(notebooks(pages=STUDENT.files()))
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in pages + downloads + sources)
    corpus += (student_dir / "searchindex.js").read_text(encoding="utf-8")
    flat = " ".join(corpus.split())
    for marker in (
        "For instructors",
        "Timing plan",
        "Solutions to the graded exercises",
        "Suggested answers",
        "instructor-only",
    ):
        assert marker not in flat, marker
    for answer in _model_answers():
        assert answer not in flat and answer.replace("'", "&#x27;") not in flat
    # the rest of the chapter is there
    page = (student_dir / PAGE).read_text(encoding="utf-8")
    assert "Key takeaways" in page and "Exhibit 3.1" in page
