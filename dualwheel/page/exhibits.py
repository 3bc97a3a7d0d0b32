"""Numbered, captioned, sourced exhibits.

A chapter makes one :class:`Exhibits` and shows every table, chart and what-if through it::

    ex = Exhibits(chapter=3)
    ex.table(df, "Business system (业务体系)", sources=["paper_table1"])
    ex.figure(fig, "Revenue structure, FY2024", sources=["paper_table2"])

Each exhibit prints "Exhibit 3.n" and a title above, and a source line built from
``data/metadata.yml`` below, as Markdown that JupyterLab, the HTML book and the PDF all
render. Numbers follow the order of the cells, so they never go stale.

Every source line also records, in its output's metadata (:data:`SOURCES_KEY`), the exhibit's
caption and the source ids it cites. The executed notebook, and so the built book's downloadable
``.ipynb``, then says which sources each page shows: the knowledge cut-off test
(``tests/unit/test_cutoff.py``) reads them from there. Every exhibit passes through
:meth:`Exhibits._source`, so none can be left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import Image, display
from matplotlib.figure import Figure

from .. import data
from .alttext import colour_only, describe
from .display import display_markdown, escape_dollars, markdown_table
from .overlap import label_overlaps
from .whatif import WhatIf, figure_png

#: The output-metadata key under which a source line records its exhibit and source ids.
SOURCES_KEY = "casebook_sources"

#: The lessons an exhibit (or a graded question) can serve. Every exhibit names one, recorded
#: beside its sources, so a test can count how much of a chapter bears on a strategic choice.
LESSONS = (
    "entry",  # entry and market selection
    "mode",  # entry mode: build, buy, stake, joint venture
    "localisation",
    "competition",
    "regulation",
    "unit_economics",
    "platform",  # platform and ecosystem
    "funding",  # funding and control
    "measurement",  # reading the numbers
)


def check_lesson(lesson: str | None) -> str | None:
    """``lesson`` if it is one of :data:`LESSONS` (or None); a clear error otherwise."""
    if lesson is not None and lesson not in LESSONS:
        raise ValueError(f"lesson {lesson!r} is not one of {', '.join(LESSONS)}")
    return lesson


def cited(exhibit: str, sources: Sequence[str], lesson: str | None = None) -> dict[str, object]:
    """The output metadata of a source line:
    ``{SOURCES_KEY: {"exhibit": ..., "ids": [...], "lesson": ...}}``."""
    ids = list(dict.fromkeys(sources))
    return {SOURCES_KEY: {"exhibit": exhibit, "ids": ids, "lesson": check_lesson(lesson)}}


@dataclass
class Exhibits:
    """The exhibit counter of one chapter. ``chapter`` is the chapter's number, or a letter for
    a page outside the numbered chapters (the decision opener's exhibits read "Exhibit D.1")."""

    chapter: int | str
    count: int = 0
    captions: list[str] = field(default_factory=list)

    def _caption(self, title: str, kind: str = "") -> str:
        self.count += 1
        label = f"Exhibit {self.chapter}.{self.count}"
        self.captions.append(f"{label} {title}")
        suffix = f" ({kind})" if kind else ""
        return f"**{label}{suffix}.** {title}"

    @staticmethod
    def _source_text(sources: Sequence[str], note: str = "") -> str:
        return source_notes(sources, note)

    def _source(self, sources: Sequence[str], note: str = "", lesson: str | None = None) -> None:
        """Show the source line of the last exhibit captioned, recording its source ids and lesson."""
        display_markdown(
            self._source_text(sources, note), metadata=cited(self.captions[-1], sources, lesson)
        )

    def table(
        self, frame: pd.DataFrame, title: str, sources: Sequence[str], note: str = "", lesson: str | None = None
    ) -> None:
        """Show a table exhibit (format numbers as text before passing them in)."""
        check_lesson(lesson)
        caption = self._caption(title)
        display_markdown(
            "\n\n".join([caption, markdown_table(frame), self._source_text(sources, note)]),
            metadata=cited(self.captions[-1], sources, lesson),
        )

    def figure(
        self, fig: Figure, title: str, sources: Sequence[str], note: str = "", lesson: str | None = None
    ) -> None:
        """Show a chart exhibit; the figure is closed afterwards."""
        check_lesson(lesson)
        display_markdown(self._caption(title))
        png = figure_png(fig)
        # alt text from the drawn Figure (the book's Sphinx extension puts it on the <img>), and
        # the series only colour tells apart, which a test of the built book wants empty
        # and the text labels that print on top of each other (overlap.label_overlaps), also empty
        meta = {"colour_only": colour_only(fig), "label_overlaps": label_overlaps(fig)}
        display(Image(data=png, format="png", alt=describe(fig), metadata=meta))
        self._source(sources, note, lesson)

    def whatif(self, what: WhatIf, sources: Sequence[str], note: str = "", lesson: str | None = None) -> None:
        """Show a what-if exhibit: sliders in HTML and JupyterLab, base case + table in the PDF."""
        check_lesson(lesson)
        display_markdown(self._caption(what.title, kind="what-if"))
        what.show()
        self._source(sources, note or what.note, lesson)

    def claims(
        self, claim_ids: Sequence[str], title: str, sources: Sequence[str] = (), lesson: str = "measurement"
    ) -> None:
        """Show the paper's claims next to their checks (from ``paper_claims.csv``); ``sources``
        adds source ids a check also rests on (a row holds one check source)."""
        from ..claims import claims_table

        frame = claims_table(claim_ids)
        ids: list[str] = []
        for cid in claim_ids:
            row = data.load("paper_claims").set_index("claim_id").loc[cid]
            ids += [row["source"], row["check_source"]]
        ids += list(sources)
        self.table(frame, title, sources=list(dict.fromkeys(i for i in ids if i != "none")), lesson=lesson)


#: How many words of a source's document a source line shows (its short title).
SHORT_TITLE_WORDS = 10

#: The CSS class of the folded full source notes under a source line (``_assets/casebook.css``).
NOTES_CLASS = "casebook-source-notes"


INNER_URL = re.compile(r"https?://[^\s,;)<]+")


def short_title(sid: str) -> str:
    """The short title of a source, as its exhibit's source line shows it: the source's
    ``short`` field if it has one, else its document up to the first colon or semicolon,
    at most :data:`SHORT_TITLE_WORDS` words."""
    known = data.sources()
    if sid not in known:
        raise KeyError(f"unknown source id {sid!r}; define it under 'sources' in data/metadata.yml")
    s = known[sid]
    if s.get("short"):
        return str(s["short"])
    first = re.split(r":\s|;\s|\s[—–]\s", str(s["document"]), maxsplit=1)[0].strip().rstrip(",")
    words = first.split()
    return " ".join(words[:SHORT_TITLE_WORDS]) + ("…" if len(words) > SHORT_TITLE_WORDS else "")


def _md_link_text(text: str) -> str:
    """Text safe inside a Markdown link's brackets (``$`` too: MyST reads two dollars in one
    line as maths, which breaks the links between them)."""
    return re.sub(r"([\[\]\\*_`$])", r"\\\1", text)


def source_notes(sources: Sequence[str], note: str = "") -> str:
    """An exhibit's source line, as Markdown every front end renders.

    The line names every source by its short title, linked to its document (no printed URL):
    the HTML book shows links, and the PDF prints each URL as a footnote (``latex_show_urls``).
    Below it, folded in a ``<details>`` block (one raw-HTML block, which LaTeX leaves out), the
    full description of each source, numbered, for the reader who opens it. The data-sources
    page lists them all.
    """
    ids = list(dict.fromkeys(sources))
    known = data.sources()
    parts, full = [], []
    for sid in ids:
        title = short_title(sid)
        url = known[sid].get("url") or ""
        parts.append(f"[{_md_link_text(title)}](<{url}>)" if url else _md_link_text(title))
        # a URL quoted inside a description becomes a link too: none is printed
        doc = INNER_URL.sub(lambda m: f'<a href="{m.group(0)}">link</a>', html.escape(str(known[sid]["document"])))
        if url:  # the title that opens the description is the link
            lead = html.escape(title.rstrip("…"))
            rest = doc[len(lead) :] if doc.startswith(lead) else f": {doc}"
            doc = f'<a href="{html.escape(url, quote=True)}">{lead}</a>{rest}'
        full.append(f"<li>{doc.replace('$', '&#36;')}</li>")
    line = f"*Source:* {'; '.join(parts)}."
    if note:
        line += f" *Note:* {escape_dollars(note)}"
    folded = (
        f'<details class="{NOTES_CLASS}"><summary>Source notes ({len(ids)})</summary>'
        f"<ol>{''.join(full)}</ol></details>"
    )
    return f"{line}\n\n{folded}"


def glue_values(**values: object) -> None:
    """Glue numbers for the prose (``{glue:text}`name:.1f```) without showing them.

    numpy scalars become plain Python numbers, so format specs work in the page and the PDF;
    strings (a date, a fiscal-year label) read the same through ``{glue:md}`` and ``{glue:text}``.
    Without MyST-NB (a chapter's downloaded kit) there is no book to fill in: the notebook's
    prose already carries the numbers, so nothing is glued.
    """
    try:
        from myst_nb import glue
    except ModuleNotFoundError:
        return

    for name, v in values.items():
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, str):
            v = GluedText(v)
        glue(name, v, display=False)


class GluedText:
    """A string glued for the prose: Markdown for ``{glue:md}``, the bare text (no quotes, no
    object repr) for ``{glue:text}``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text
