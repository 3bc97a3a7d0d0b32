"""Every build is strict: a chapter cell that raises, or any Sphinx warning, fails it.

Each test builds a one-page book in a temporary folder with the casebook's own
``_config.yml`` and ``_assets/`` (so the same strict settings and extensions apply), through
the same function ``make html`` uses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dualwheel.publish import ROOT, jupyter_book

pytestmark = pytest.mark.build

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""


def _book(tmp_path: Path, body: str) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "_assets", book / "_assets")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "index.md").write_text(HEADER + "# A page\n\n" + body, encoding="utf-8")
    return book


def _build(book: Path) -> int:
    return jupyter_book("html", root=book)


def test_a_clean_page_builds(tmp_path):
    book = _book(tmp_path, "```{code-cell} ipython3\nprint(1 + 1)\n```\n")
    assert _build(book) == 0
    assert "2" in (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "```{code-cell} ipython3\nraise ValueError('a broken chapter cell')\n```\n", id="cell-raises"
        ),
        pytest.param(
            "```{code-cell} ipython3\nimport sys\nprint('oops', file=sys.stderr)\n```\n", id="stderr"
        ),
        pytest.param("See {ref}`no-such-label`.\n", id="sphinx-warning"),
    ],
)
def test_a_problem_fails_the_build(tmp_path, body):
    assert _build(_book(tmp_path, body)) != 0
