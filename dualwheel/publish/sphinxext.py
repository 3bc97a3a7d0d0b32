"""A small Sphinx extension for the casebook.

It keeps pages offline (drops sphinx-thebe's CDN scripts) and offers every chapter as a
downloadable ``.ipynb`` (executed, with outputs). The book theme only does this when a launch
service (Binder, Colab...) is configured, and this book uses none: it must work offline. So the
executed chapter is written next to the page sources, and the theme's download menu picks it
up. It comes from the build's execution cache, with its glued numbers filled in and a first
cell that says how to run it (:func:`dualwheel.publish.lab.download_notebook`): MyST-NB's own copy
in ``_build/jupyter_execute`` has no outputs when the chapters were executed into the cache.

It also keeps the B-case (what happened after the decision date) out of an edition built without
it (:mod:`dualwheel.publish.editions`): references to pages the edition leaves out become plain
text, ``{bcase}`...``` words and ``bcase-only`` blocks go, and what an earlier build wrote for a
left-out page is deleted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from shutil import copy2
from typing import Any


def _offer_ipynb(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is None or app.builder.format != "html":
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():  # a plain Markdown page, not a notebook
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    from .lab import LabError, download_notebook

    try:  # the executed chapter from the build's cache: outputs and numbers filled in
        target.write_text(download_notebook(source, app.config.casebook_edition), encoding="utf-8")
    except LabError:  # not executed through the cache (a small test book): MyST-NB's copy
        if _is_student_edition(app):
            target.write_text(_student_notebook(executed.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
    from .kit import write_kit  # and the kit that runs on its own: notebook, data, helper code

    kit = Path(app.outdir) / KITS / f"{source.stem}.zip"
    write_kit(
        source,
        target.read_text(encoding="utf-8"),
        app.config.casebook_edition,
        kit,
        app.config.casebook_bcase,
    )
    context["kit_source"] = kit.name


KITS = "_kits"


def _offer_kit(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add the chapter's kit to the theme's download menu (after the theme built the menu)."""
    if not context.get("kit_source"):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(
                1,
                {
                    "type": "link",
                    "url": f"{context['pathto'](KITS, 1)}/{context['kit_source']}",
                    "text": ".zip (runs alone)",
                    "icon": "fas fa-file-zipper",
                    "tooltip": "Download this chapter with its data and helper code, to run on your computer",
                    "label": "download-kit-button",
                },
            )


def _drop_thebe(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove sphinx-thebe's scripts: Jupyter Book always loads the extension, but this book
    runs no live kernels, and its inline config names a CDN and is declared twice per page
    (a console error)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        s
        for s in scripts
        if "sphinx-thebe" not in str(getattr(s, "filename", s) or "")
        and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
    ]


INSTRUCTOR_CLASSES = {"instructor-only", "tag_instructor-only"}
INSTRUCTOR_LABEL = re.compile(r"^\((ch\d+|decision|rn)-instructors\)=", re.M)


def _before_instructors(text: str) -> str | None:
    """``text`` cut at the "For instructors" label (the chapter's last section), or None when
    it has no such label."""
    cut = INSTRUCTOR_LABEL.search(text)
    return None if cut is None else text[: cut.start()].rstrip() + "\n"


EDITIONS = ("instructor", "student")


def _is_student_edition(app: Any) -> bool:
    return app.config.casebook_edition == "student"


def _check_edition(app: Any, config: Any) -> None:
    if config.casebook_edition not in EDITIONS:
        from sphinx.errors import ConfigError

        raise ConfigError(f"casebook_edition must be one of {EDITIONS}, not {config.casebook_edition!r}")


def _student_notebook(text: str) -> str:
    """The downloadable notebook of the student edition: cut at the "For instructors" label
    (the chapter's last section) and without cells tagged ``instructor-only``."""
    nb = json.loads(text)
    kept = []
    for cell in nb["cells"]:
        if "instructor-only" in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        before = _before_instructors(source) if cell["cell_type"] == "markdown" else None
        if before is not None:
            if before.strip():
                kept.append({**cell, "source": before})
            break
        kept.append(cell)
    nb["cells"] = kept
    return json.dumps(nb, ensure_ascii=False, indent=1)


BCASE_CLASSES = {"bcase-only", "tag_bcase-only"}


def _without_bcase(app: Any, doctree: Any) -> None:
    """In an edition without the B-case (``casebook_bcase = False``: the student edition before
    the decision class), drop blocks marked ``bcase-only`` (an admonition's class, a cell's tag):
    text that points to what happened next."""
    if app.config.casebook_bcase:
        return
    from docutils import nodes

    for node in list(doctree.findall(nodes.Element)):
        if BCASE_CLASSES & set(node.get("classes", [])) and node.parent is not None:
            node.parent.remove(node)


def _bcase_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[Any], list[Any]]:
    """``{bcase}`text``` or ``{bcase}`text <label>```: words (or a link) that show only in an
    edition with the B-case, e.g. "(the B-case follows this up)"; gone from the student
    edition before the decision class."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.util.nodes import split_explicit_title

    if not inliner.document.settings.env.config.casebook_bcase:
        return [], []
    explicit, title, target = split_explicit_title(text)
    if not explicit:
        return [nodes.inline(rawtext, title, classes=["bcase"])], []
    ref = addnodes.pending_xref(
        rawtext, refdomain="std", reftype="ref", reftarget=target.lower(), refexplicit=True, refwarn=True
    )
    ref += nodes.inline(title, title, classes=["xref", "std", "std-ref"])
    return [ref], []


LABEL_LINE = re.compile(r"^\(([\w.:-]+)\)=[ \t]*$", re.M)


def _left_out_targets(app: Any) -> tuple[set[str], dict[str, str]]:
    """The pages this edition leaves out (``casebook_left_out``), and every label they define
    (label -> page), read from their sources."""
    cached = getattr(app, "_casebook_left_out", None)
    if cached is None:
        labels = {}
        for doc in app.config.casebook_left_out:
            for suffix in (".md", ".ipynb", ".rst"):
                path = Path(app.srcdir) / f"{doc}{suffix}"
                if path.exists():
                    for label in LABEL_LINE.findall(path.read_text(encoding="utf-8")):
                        labels[label.lower()] = doc
                    break
        cached = app._casebook_left_out = (set(app.config.casebook_left_out), labels)
    return cached


def _unlink_left_out(app: Any, doctree: Any, docname: str) -> None:
    """A reference to a page this edition leaves out (``{ref}``, ``{doc}``, a Markdown link)
    becomes its plain text, so the strict build does not fail on it and no link breaks: e.g. a
    chapter that links to the B-case, in the student edition before the decision class. Runs
    before MyST's and Sphinx's own resolvers (which would warn)."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.util import docname_join

    docs, labels = _left_out_targets(app)
    if not docs:
        return
    for ref in list(doctree.findall(addnodes.pending_xref)):
        target, reftype = str(ref.get("reftarget", "")), ref.get("reftype")
        if ref.get("refdomain") == "doc" or reftype == "doc":
            doc = (
                target if ref.get("refdomain") == "doc" else docname_join(docname, target.removesuffix(".md"))
            ).lstrip("/")
        else:
            doc = labels.get(target.lower().lstrip("#"), "")
        if doc in docs:
            if ref.get("refexplicit"):
                text = ref.astext()
            elif doc in app.config.casebook_bcase_pages:  # its title would give the B-case away
                text = "the after-class case"
            else:
                text = "a page not in this edition"
            ref.replace_self(nodes.inline(text, text, classes=["casebook-left-out"]))


def _left_out_transform() -> type:
    """:func:`_unlink_left_out` as a post-transform that runs before MyST's reference resolver
    (priority 9) and Sphinx's (10)."""
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class UnlinkLeftOut(SphinxPostTransform):
        default_priority = 5

        def run(self, **kwargs: Any) -> None:
            _unlink_left_out(self.app, self.document, self.env.docname)

    return UnlinkLeftOut


def _remove_left_out_outputs(app: Any, exception: Exception | None) -> None:
    """Delete what an earlier build of this output folder wrote for a page the edition now
    leaves out (Sphinx never deletes a page's HTML): its page, its downloads, its kit and the
    charts only it showed. The search index is rebuilt from the pages read, so it loses them."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for doc in app.config.casebook_left_out:
        stem = doc.rsplit("/", 1)[-1]
        for path in [out / f"{doc}.html", *(out / "_sources").glob(f"{doc}.*"), out / KITS / f"{stem}.zip"]:
            path.unlink(missing_ok=True)
        for image in _chart_names(app, doc):
            for path in (out / "_images").glob(f"{image}.*"):
                path.unlink()


def _chart_names(app: Any, doc: str) -> list[str]:
    """The file names (SHA-256 of the bytes, as MyST-NB names them) of a page's chart outputs,
    from its executed copy in the build's cache (none when it has none)."""
    import base64
    import hashlib

    source = Path(app.srcdir) / f"{doc}.md"
    if not source.exists():
        return []
    from .lab import LabError, executed

    try:
        nb = executed(source)
    except LabError:
        return []
    names = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml" and isinstance(data, str | list):
                    raw = base64.b64decode("".join(data) if isinstance(data, list) else data)
                    names.append(hashlib.sha256(raw).hexdigest())
    return names


def _student_edition(app: Any, doctree: Any) -> None:
    """In the student edition (Sphinx config value ``casebook_edition = "student"``), drop everything marked for
    instructors: the "For instructors" section (label ``chNN-instructors``), admonitions with
    the class ``instructor-only`` and cells tagged ``instructor-only`` (solutions). Done on the doctree, so the search index and the PDF
    lose them too."""
    if not _is_student_edition(app):
        return
    from docutils import nodes

    for node in list(doctree.findall(nodes.Element)):
        marked = INSTRUCTOR_CLASSES & set(node.get("classes", []))
        section = isinstance(node, nodes.section) and any(i.endswith("-instructors") for i in node["ids"])
        if (marked or section) and node.parent is not None:
            node.parent.remove(node)


def _cut_copied_sources(app: Any, exception: Exception | None) -> None:
    """The student edition also offers each page's MyST source (``_sources/*.md``); cut it at
    the "For instructors" label, so the download holds no instructor material either."""
    if exception is not None or not _is_student_edition(app):
        return
    for path in (Path(app.outdir) / "_sources").rglob("*.md"):
        before = _before_instructors(path.read_text(encoding="utf-8"))
        if before is not None:
            path.write_text(before, encoding="utf-8")


def _no_hidden_code_in_print(app: Any, doctree: Any, docname: str) -> None:
    """In the PDF, a cell tagged ``hide-input`` prints its output only: the reader cannot
    open a toggle on paper. Visible code (the "Do it yourself" cells) still prints."""
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for cell in list(doctree.findall(nodes.container)):
        if not {"tag_hide-input", "tag-hide-input"} & set(cell.get("classes", [])):
            continue
        for child in list(cell.children):
            if {"cell_input", "cell-input"} & set(child.get("classes", [])):
                cell.remove(child)


def _image_alt_text(app: Any, doctree: Any) -> None:
    """Give each chart image its alt text. A chapter's chart output carries it in its metadata
    (``Image(..., alt=...)``, :func:`dualwheel.page.alttext.describe`), but MyST-NB passes only
    width and height on, so the HTML would say the file name. MyST-NB names an output image by
    the SHA-256 of its bytes: the executed notebook maps those names to their alt text."""
    import base64
    import hashlib

    from docutils import nodes

    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".md":
        return
    from .lab import LabError, executed

    try:  # the build's execution cache: MyST-NB's copy in jupyter_execute has no outputs then
        nb = executed(source)
    except LabError:  # executed by MyST-NB itself (a small test book)
        copy = Path(app.outdir).parent / "jupyter_execute" / f"{app.env.docname}.ipynb"
        if not copy.exists():
            return
        nb = json.loads(copy.read_text(encoding="utf-8"))
    alts: dict[str, str] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                alt = output.get("metadata", {}).get(mime, {}).get("alt")
                if alt and mime.startswith("image/") and isinstance(data, str | list):
                    raw = base64.b64decode("".join(data) if isinstance(data, list) else data)
                    alts[hashlib.sha256(raw).hexdigest()] = str(alt)
    if not alts:
        return
    for image in doctree.findall(nodes.image):
        alt = alts.get(Path(image.get("uri", "")).stem)
        if alt:
            image["alt"] = alt


#: The narrowest a PDF table column gets, in characters: no word is broken letter by letter.
MIN_COLUMN = 8
#: About how many characters of table text a PDF text line holds (A4, 10 pt, column padding
#: counted in each column's width).
LINE_CHARS = 84
#: A "word" longer than this is a URL or a path, which LaTeX breaks anywhere (xurl): it claims
#: no more room than this.
LONG_WORD = 28


def column_widths(rows: list[list[str]]) -> list[int]:
    """Widths of a table's columns for the PDF, in characters of a line of :data:`LINE_CHARS`.

    Left to itself LaTeX's ``tabulary`` squeezes a column of short words (a first column of
    labels next to a column of sentences) until it hyphenates them letter by letter
    ("Trans-ac-tion"). Each column first gets its longest word plus padding (at least
    :data:`MIN_COLUMN`); what is left of the line goes to the columns whose cells are longer
    than that, in proportion to how much longer: sentences wrap, words do not break. A table
    whose words alone overfill the line shares it in proportion to those needs.
    """
    if not rows:
        return []
    n = max(len(r) for r in rows)
    need, want = [], []
    for j in range(n):
        cells = [r[j] for r in rows if j < len(r)]
        word = max((len(w) for c in cells for w in c.split()), default=0)
        longest = max((len(c) for c in cells), default=0)
        need.append(max(MIN_COLUMN, min(word, LONG_WORD) + 2))
        want.append(max(0, min(longest, 60) + 2 - need[-1]))
    spare = LINE_CHARS - sum(need)
    if spare <= 0 or not sum(want):
        return need
    return [k + round(spare * w / sum(want)) for k, w in zip(need, want, strict=True)]


def _latex_column_widths(app: Any, doctree: Any, docname: str) -> None:
    """Give every table of the PDF explicit column widths (:func:`column_widths`)."""
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table["classes"]:
            continue
        for tgroup in table.findall(nodes.tgroup):
            colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
            rows = [
                [entry.astext() for entry in row.findall(nodes.entry)]
                for row in tgroup.findall(nodes.row)
            ]
            widths = column_widths(rows)
            if not colspecs or len(widths) != len(colspecs):
                continue
            for spec, width in zip(colspecs, widths, strict=True):
                spec["colwidth"] = width
            table["classes"].append("colwidths-given")


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("casebook_edition", "instructor", "env", types=[str])
    # set by dualwheel.publish.editions: the B-case's pages, whether this edition shows them, and
    # the book's pages this edition leaves out
    app.add_config_value("casebook_bcase", True, "env", types=[bool])
    app.add_config_value("casebook_bcase_pages", [], "env", types=[list])
    app.add_config_value("casebook_left_out", [], "env", types=[list])
    app.add_role("bcase", _bcase_role)
    app.connect("config-inited", _check_edition)
    app.connect("doctree-read", _without_bcase, priority=400)
    app.add_post_transform(_left_out_transform())
    app.connect("build-finished", _remove_left_out_outputs)
    # before Sphinx's own collectors (priority 500), so the page's table of contents loses the
    # instructors' section too
    app.connect("doctree-read", _student_edition, priority=400)
    app.connect("build-finished", _cut_copied_sources)
    app.connect("doctree-resolved", _no_hidden_code_in_print)
    app.connect("doctree-resolved", _latex_column_widths)
    app.connect("doctree-read", _image_alt_text)
    # before the theme builds its header buttons (priority 501)
    app.connect("html-page-context", _offer_ipynb, priority=400)
    app.connect("html-page-context", _offer_kit, priority=600)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
