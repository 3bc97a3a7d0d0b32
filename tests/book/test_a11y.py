"""Accessibility (WCAG 2.1 AA) of the built book, in headless Chromium with no network.

axe-core runs on every page of both editions; the keyboard tests press real keys. axe-core
comes pinned with its Playwright binding (axe-playwright-python, which carries axe.min.js): it
is a test tool, so it is installed with the test extra rather than shipped in the book's assets.
No axe rule is switched off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import (
    BLOCKING,
    axe_violations,
    describe_violations,
    open_whatif,
    wait_for_widgets,
)

from dualwheel.build import toc_files

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"
CH3 = "book/ch03-company-overview"
CH6 = "book/ch06-results"
#: The instructors' front matter is left out of the student edition's table of contents.
INSTRUCTOR_ONLY = {"book/instructors"}
PAGES = [p.relative_to(ROOT).with_suffix("").as_posix() for p in toc_files()] + ["search", "genindex"]


@pytest.fixture(scope="session")
def student_dir() -> Path:
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail(f"{STUDENT_HTML} is missing: build it first (make student)", pytrace=False)
    return STUDENT_HTML


@pytest.mark.parametrize("edition", ["instructor", "student"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(edition, name, html_dir, request, offline_page):
    if edition == "student" and name in INSTRUCTOR_ONLY:
        pytest.skip("not in the student edition")
    root = html_dir if edition == "instructor" else request.getfixturevalue("student_dir")
    path = root / f"{name}.html"
    assert path.exists(), f"{path} was not built"
    page = offline_page.open(path)
    wait_for_widgets(page)
    violations = axe_violations(page)
    assert violations is not None
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{edition} {name}:\n{describe_violations(blocking)}"


def test_axe_catches_an_unnamed_slider(html_dir, offline_page):
    """The check above can fail: strip a slider's name and axe reports it as serious."""
    page, box = open_whatif(offline_page, html_dir / f"{CH3}.html")
    wait_for_widgets(page)
    page.evaluate(
        "() => { const h = document.querySelector('.casebook-whatif .noUi-handle');"
        " h.removeAttribute('aria-labelledby'); h.removeAttribute('aria-label'); }"
    )
    ids = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert ids.get("aria-input-field-name") in BLOCKING
