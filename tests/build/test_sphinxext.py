"""The casebook's Sphinx extension on small test books (Sphinx's own test app, no Jupyter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

PAGE = """\
Chapter
=======

Student text.

.. container:: cell tag_hide-input

   .. container:: cell_input

      HIDDEN_CODE = 1

   .. container:: cell_output

      Visible output.

.. container:: cell

   .. container:: cell_input

      DO_IT_YOURSELF = 2

.. admonition:: Teaching note
   :class: note instructor-only

   ADMONITION_ANSWER

.. _ch01-instructors:

For instructors
---------------

SECTION_ANSWER
"""


def _build(tmp_path: Path, builder: str, edition: str | None = None) -> str:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['dualwheel.publish.sphinxext']\n", encoding="utf-8")
    (src / "index.rst").write_text(PAGE, encoding="utf-8")
    overrides = {"casebook_edition": edition} if edition else {}
    app = SphinxTestApp(builder, srcdir=src, builddir=tmp_path / "out", confoverrides=overrides)
    try:
        app.build()
        out = Path(app.outdir)
    finally:
        app.cleanup()
    if builder == "latex":
        return "".join(p.read_text(encoding="utf-8") for p in out.glob("*.tex"))
    return (out / "index.html").read_text(encoding="utf-8")


def test_instructor_edition_keeps_everything(tmp_path):
    html = _build(tmp_path, "html")
    assert "SECTION_ANSWER" in html and "ADMONITION_ANSWER" in html and "HIDDEN_CODE" in html


def test_student_edition_drops_the_instructors_material(tmp_path):
    html = _build(tmp_path, "html", edition="student")
    assert "Student text." in html
    assert "SECTION_ANSWER" not in html
    assert "ADMONITION_ANSWER" not in html
    assert "For instructors" not in html  # not even in the page's table of contents


def test_the_pdf_prints_no_hidden_code_but_keeps_visible_code(tmp_path):
    tex = _build(tmp_path, "latex")
    assert "Visible output." in tex
    assert "DO\\_IT\\_YOURSELF" in tex or "DO_IT_YOURSELF" in tex
    assert "HIDDEN" not in tex


def test_an_unknown_edition_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="casebook_edition must be one of"):
        _build(tmp_path, "html", edition="teacher")
