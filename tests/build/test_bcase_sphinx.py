"""The B-case in the Sphinx extension, on a small MyST book (Sphinx's own test app, no Jupyter):
a student edition that leaves it out unlinks every reference to it without a warning, drops the
``{bcase}`` words and ``bcase-only`` blocks, and deletes what an earlier build wrote for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dualwheel.publish import ROOT

pytestmark = pytest.mark.build

CHAPTER = """\
# A chapter

Before class. See [what happened](bcase.md), {doc}`bcase`, {doc}`the reveal <bcase>`,
{ref}`the results <bcase-results>` and [the results again](#bcase-results).
Then{bcase}` (the B-case follows this up)` the chapter ends.

```{admonition} Afterwards
:class: bcase-only

ONLY_AFTER_CLASS
```
"""

BCASE = """\
(bcase-results)=
# What happened next

BCASE_SECRET_TEXT
"""


def _book(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    # a glob, as the generated tables of contents list only the edition's pages
    (src / "index.md").write_text("# Book\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8")
    (src / "chapter.md").write_text(CHAPTER, encoding="utf-8")
    (src / "bcase.md").write_text(BCASE, encoding="utf-8")
    return src


def _build(src: Path, out: Path, **overrides) -> tuple[Path, str]:
    """Build in a process of its own: loading myst_parser into this one would leave Sphinx's
    registry without MyST-NB's Markdown parser for the Jupyter Book builds of other tests."""
    conf = "extensions = ['myst_parser', 'dualwheel.publish.sphinxext']\nroot_doc = 'index'\n"
    conf += "".join(f"{key} = {value!r}\n" for key, value in overrides.items())
    (src / "conf.py").write_text(conf, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", str(src), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stderr


STUDENT = {
    "casebook_edition": "student",
    "casebook_bcase": False,
    "casebook_bcase_pages": ["bcase"],
    "casebook_left_out": ["bcase"],
    "exclude_patterns": ["bcase.md"],
}


def test_without_the_bcase_references_become_text_with_no_warning(tmp_path):
    out, warnings = _build(_book(tmp_path), tmp_path / "out", **STUDENT)
    assert "WARNING" not in warnings, warnings  # the strict build would fail on any
    page = (out / "chapter.html").read_text(encoding="utf-8")
    assert "bcase.html" not in page
    # explicit link texts stay as words; an implicit one names the after-class case, not its title
    for words in ("what happened", "the reveal", "the results", "the results again"):
        assert words in page, words
    assert "the after-class case" in page
    assert "What happened next" not in page  # not even the B-case's title, from its implicit link
    assert "follows this up" not in page and "ONLY_AFTER_CLASS" not in page
    assert not (out / "bcase.html").exists()
    assert "bcase" not in (out / "searchindex.js").read_text(encoding="utf-8")


def test_with_the_bcase_it_all_links_and_a_rebuild_without_it_deletes_its_outputs(tmp_path):
    src = _book(tmp_path)
    out, warnings = _build(src, tmp_path / "out")  # the instructor edition, or after class
    assert "WARNING" not in warnings, warnings
    page = (out / "chapter.html").read_text(encoding="utf-8")
    assert page.count('href="bcase.html') >= 4
    assert "(the B-case follows this up)" in page and "ONLY_AFTER_CLASS" in page
    assert "BCASE_SECRET_TEXT" in (out / "bcase.html").read_text(encoding="utf-8")
    assert (out / "_sources" / "bcase.md.txt").exists()
    (out / "_kits").mkdir()
    (out / "_kits" / "bcase.zip").write_bytes(b"an old kit")
    # the same folder built again as the student edition: what was written for the B-case goes
    out, warnings = _build(src, tmp_path / "out", **STUDENT)
    assert "WARNING" not in warnings, warnings
    assert not (out / "bcase.html").exists()
    assert not list((out / "_sources").glob("bcase.*")) and not (out / "_kits" / "bcase.zip").exists()
    assert "BCASE_SECRET_TEXT" not in (out / "searchindex.js").read_text(encoding="utf-8")
    assert "bcase.html" not in (out / "chapter.html").read_text(encoding="utf-8")
    assert (out / "chapter.html").exists()  # and the rest stays
