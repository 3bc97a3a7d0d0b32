"""The "Back to the decision" box (an admonition with class ``decision``): set apart from the
before-class box, and readable in the theme's light and dark modes.

The box is styled in ``_assets/casebook.css``. The test opens a built page, adds a box written as
MyST renders one (so it runs before any chapter has its box), and measures every box the page
has with WCAG's contrast formula.
"""

from __future__ import annotations

import pytest
from browser import CONTRAST_JS

pytestmark = pytest.mark.built

PAGE = "book/ch03-company-overview.html"

BOX = """
const box = document.createElement('div');
box.className = 'admonition decision';
box.innerHTML = '<p class="admonition-title">Back to the decision</p><p>What does this imply for the choice?</p>';
(document.querySelector('article.bd-article') || document.body).appendChild(box);
"""



@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_decision_box_is_readable_and_unlike_the_before_class_box(mode, html_dir, offline_page):
    page = offline_page.open(html_dir / PAGE)
    page.evaluate(f"() => {{ {BOX} document.documentElement.dataset.theme = '{mode}'; }}")
    ratios = page.eval_on_selector_all(".admonition.decision > p", CONTRAST_JS)
    assert len(ratios) >= 2
    low = [(name, round(r, 2)) for name, r in ratios if r < 4.5]
    assert not low, f"{mode}: {low}"
    style = """sel => { const el = document.querySelector(sel); const t = el.querySelector('.admonition-title');
        return [getComputedStyle(el).borderLeftColor, getComputedStyle(t).backgroundColor]; }"""
    decision = page.evaluate(style, ".admonition.decision")
    before = page.evaluate(style, ".admonition.important")
    assert decision[0] != before[0] and decision[1] != before[1], f"{mode}: {decision} looks like {before}"


@pytest.mark.build
def test_the_decision_box_prints_in_the_pdf(tmp_path):
    """The LaTeX writer sets a classed admonition as a titled box (``sphinxadmonition``), so the
    box prints in both PDFs; the student edition drops only class ``instructor-only``."""
    import subprocess
    import sys

    (tmp_path / "conf.py").write_text('extensions = ["myst_parser"]\nproject = "t"\n', encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# T\n\n```{admonition} Back to the decision\n:class: decision\n\nWhat does it imply?\n```\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "latex", str(tmp_path), str(tmp_path / "out")],
        check=True,
        capture_output=True,
    )
    tex = next((tmp_path / "out").glob("*.tex")).read_text(encoding="utf-8")
    assert "\\begin{sphinxadmonition}{note}{Back to the decision}" in tex
    assert "What does it imply?" in tex.split("Back to the decision", 1)[1]
