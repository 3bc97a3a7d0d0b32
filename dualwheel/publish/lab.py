"""The chapters as notebooks for JupyterLab (``make lab``), with their numbers in the prose.

A chapter's source (``book/chNN-*.md``) is a MyST notebook: its prose quotes numbers through
roles such as ``{glue:text}`aidc_share:.1f```, which only the book build fills in. JupyterLab's
Markdown renderer shows such roles raw. So ``make lab`` opens notebooks written here instead:

* the executed chapter (outputs from the build's execution cache, so they open with charts);
* each glue role replaced by its value, formatted as the book formats it;
* MyST admonitions as block quotes with a bold title, and ``(label)=`` targets dropped;
* the plumbing and exhibit code folded (``remove-cell`` / ``hide-input`` cells start collapsed);
* in the student edition (the default), cut at the "For instructors" section and without cells
  tagged ``instructor-only``, exactly like the student book's downloads, and without the B-case
  (``--with-bcase`` adds it, after the decision class).

    python -m dualwheel.publish lab                      # _build/lab/student/*.ipynb
    python -m dualwheel.publish lab --edition instructor # _build/lab/instructor/*.ipynb
    python -m dualwheel.publish lab --with-bcase         # the student notebooks and the B-case

The notebooks sit two folders below the repository, beside a ``data`` link to ``data/``, so the
chapters' own ``pd.read_csv("../data/...")`` lines work when a reader runs them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import nbformat

from . import CACHE, READER, ROOT, execute, notebooks
from .sphinxext import EDITIONS, _student_notebook

LAB = ROOT / "_build" / "lab"

GLUE_ROLE = re.compile(r"\{glue(?::(text|md))?\}`([^`]+)`")
ADMONITION = re.compile(r"^(`{3,}|:{3,})\{admonition\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$", re.M | re.S)
ONLY = re.compile(r"^(`{3,}|:{3,})\{only\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*\n?", re.M | re.S)
LABEL = re.compile(r"^\([\w.-]+\)=[ \t]*\n", re.M)
OPTION = re.compile(r"^:[\w-]+:.*\n", re.M)


class LabError(RuntimeError):
    """A chapter that cannot be turned into a Lab notebook (e.g. a glue name nobody glued)."""


def glued(nb: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every glued value of an executed notebook: name -> its mime bundle (prefix removed)."""
    from myst_nb.ext.glue import extract_glue_data_cell

    found: dict[str, dict[str, str]] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        copy = nbformat.from_dict(json.loads(json.dumps(cell)))
        for name, output in extract_glue_data_cell(copy):
            found[name] = {k: ("".join(v) if isinstance(v, list) else v) for k, v in output["data"].items()}
    return found


def fill_glue(text: str, values: dict[str, dict[str, str]], where: str = "") -> str:
    """``text`` with every glue role replaced by its value, formatted as the book formats it."""
    from myst_nb.core.variables import format_plain_text

    def paste(m: re.Match[str]) -> str:
        kind, body = m.group(1) or "any", m.group(2)
        if kind == "md":
            name = (
                body.rsplit(":", 1)[0] if body.rsplit(":", 1)[-1] in ("commonmark", "gfm", "myst") else body
            )
        else:
            name, _, spec = body.partition(":") if kind == "text" else (body, "", "")
        if name not in values:
            raise LabError(f"{where}: glue name {name!r} was not glued by the chapter's code")
        data = values[name]
        if kind == "md" and "text/markdown" in data:
            return data["text/markdown"].strip()
        if "text/plain" not in data:
            raise LabError(f"{where}: glue name {name!r} has no text to paste")
        return (
            format_plain_text(data["text/plain"], spec)
            if kind == "text"
            else format_plain_text(data["text/plain"], "")
        )

    return GLUE_ROLE.sub(paste, text)


def plain_markdown(text: str) -> str:
    """MyST constructs that Lab shows raw, as plain Markdown: admonitions become block quotes
    with a bold title, ``{only} html`` blocks keep their text and ``{only} latex`` ones (wording
    for paper) go, and reference targets such as ``(ch03-instructors)=`` go."""

    def quote(m: re.Match[str]) -> str:
        title, body = m.group(2).strip(), OPTION.sub("", m.group(3)).strip("\n")
        lines = ([f"**{title}**", ""] if title else []) + body.split("\n")
        return "\n".join(("> " + line).rstrip() for line in lines)

    def medium(m: re.Match[str]) -> str:  # Lab is interactive: the HTML wording, not the print one
        return OPTION.sub("", m.group(3)) if "html" in m.group(2).split() else ""

    text = re.sub(r"\n{3,}", "\n\n", ONLY.sub(medium, text))
    return LABEL.sub("", ADMONITION.sub(quote, text))


def lab_notebook(nb: dict[str, Any], edition: str = "student", where: str = "") -> dict[str, Any]:
    """An executed chapter notebook made ready for Lab (see the module's docstring)."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
    values = glued(nb)
    if edition == "student":
        nb = json.loads(_student_notebook(json.dumps(nb)))
        # cells tagged bcase-only (e.g. the after-class list of the data page) stay out of every
        # student notebook, as they stay out of the student edition's pages
        nb["cells"] = [c for c in nb["cells"] if "bcase-only" not in c.get("metadata", {}).get("tags", [])]
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            cell["source"] = plain_markdown(fill_glue(source, values, where))
        elif cell["cell_type"] == "code":
            tags = cell.get("metadata", {}).get("tags", [])
            if {"remove-cell", "hide-input", "remove-input"} & set(tags):
                cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
    nb.setdefault("metadata", {}).pop("jupytext", None)  # an .ipynb of its own, not a pair
    return nb


def executed(path: Path) -> dict[str, Any]:
    """A chapter with the outputs of its last execution, read from the build's cache."""
    from jupyter_cache import get_cache
    from jupyter_cache.readers import get_reader

    cache = get_cache(str(CACHE))
    source = get_reader(READER)(str(path))
    try:
        _pk, merged = cache.merge_match_into_notebook(source)
    except KeyError as exc:
        raise LabError(
            f"{path.name} has no executed copy in {CACHE}: run python -m dualwheel.publish execute"
        ) from exc
    return json.loads(json.dumps(merged))


def lab_pages(edition: str = "student", with_bcase: bool = False) -> list[Path]:
    """The chapters ``make lab`` writes: the edition's notebooks in ``book/``; the student
    edition's leave the B-case out unless ``with_bcase``."""
    from .editions import STUDENT, STUDENT_WITH_BCASE

    pages = None if edition == "instructor" else (STUDENT_WITH_BCASE if with_bcase else STUDENT).files()
    return [p for p in notebooks(pages=pages) if p.parent == ROOT / "book"]


def write_lab(edition: str = "student", run: bool = True, with_bcase: bool = False) -> Path:
    """Write every chapter's Lab notebook to ``_build/lab/<edition>``; return that folder.

    ``run`` first executes the chapters that changed (in parallel, into the build's cache). The
    student edition leaves the B-case out (its notebook is deleted if an earlier run wrote it)
    unless ``with_bcase``, after the decision class.
    """

    if run and execute():
        raise LabError("a chapter failed to execute (see above)")
    folder = LAB / edition
    folder.mkdir(parents=True, exist_ok=True)
    # The instructor's notebooks read ../data (a link to the repository's data/), as in book/.
    # The student's read data/ inside their own folder, a copy: before the decision class
    # without the B-case's tables and the late sources only they need
    # (dualwheel.publish.student_data), after it (with_bcase) the whole folder.
    if edition == "student":
        from .student_data import write_student_data

        write_student_data(folder / "data", full=with_bcase)
    else:
        data = LAB / "data"
        if not data.exists() and not data.is_symlink():
            os.symlink(os.path.relpath(ROOT / "data", LAB), data)
    written = set()
    for path in lab_pages(edition, with_bcase):
        nb = nbformat.from_dict(lab_notebook(executed(path), edition, where=path.name))
        if edition == "student":  # its data/ sits beside it
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.source = cell.source.replace("../data/", "data/")
        nbformat.validate(nb)
        target = folder / f"{path.stem}.ipynb"
        text = nbformat.writes(nb)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.add(target.name)
    for stale in folder.glob("*.ipynb"):  # a chapter that was renamed or removed
        if stale.name not in written:
            stale.unlink()
    print(f"lab: {len(written)} notebooks ({edition} edition) in {folder.relative_to(ROOT)}")
    return folder


DOWNLOAD_INTRO = """\
**This notebook** is a page of the casebook *{title}*, executed: its outputs are saved, so it
reads anywhere Jupyter notebooks open. To *run* it, it needs the book's helper package
(`dualwheel`) and its tables (`data/`). The page's download menu offers all three
together: the **.zip (runs alone)** kit, whose `README.md` says how to install its few
requirements (Python packages only) and open this notebook. In a clone of the book's
repository, `make lab` does the same for every chapter. There is nothing to `pip install` by
name: the helper package comes in the kit."""


def download_notebook(path: Path, edition: str) -> str:
    """The ``.ipynb`` a chapter page offers for download: the executed chapter with its numbers
    filled in (as for Lab), for the page's edition, after a first cell that says how to run it."""
    import yaml

    nb = lab_notebook(executed(path), edition, where=path.name)
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    intro = nbformat.v4.new_markdown_cell(DOWNLOAD_INTRO.format(title=title), id="casebook-how-to-run")
    nb["cells"].insert(0, json.loads(json.dumps(intro)))
    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    return nbformat.writes(node)
