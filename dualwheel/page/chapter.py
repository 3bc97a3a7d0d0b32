"""What a chapter page calls: one object that knows its chapter number.

    from dualwheel.page import Chapter
    ch = Chapter(6)
    ch.glue(aidc_share=10.9)                      # numbers the prose quotes
    ch.table(frame, "title", sources=["paper_table2"])
    ch.figure(fig, "title", sources=[...])
    ch.whatif(WhatIf(...), sources=[...])
    ch.claims(["cainiao_cagr"], "title")
    ch.selfcheck("ch06-sc-fiscal")
    ch.answer_key()                               # end of the student part (PDF only)
    ch.solutions()                                # in the instructors' section

The page names its chapter once; exhibit numbers ("Exhibit 6.3") follow cell order.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

import pandas as pd
from matplotlib.figure import Figure

from .. import style
from . import selfcheck
from .exhibits import Exhibits, glue_values
from .whatif import WhatIf


class Chapter:
    """The page-side handle of one chapter: exhibits, glued numbers, self-checks, solutions."""

    def __init__(self, number: int) -> None:
        if not isinstance(number, int) or not 1 <= number <= 99:
            raise ValueError(f"a chapter number is a whole number from 1 to 99, not {number!r}")
        self.number = number
        self.exhibits = Exhibits(chapter=number)
        style.apply()  # the house style for every chart this page draws

    def __repr__(self) -> str:
        return f"Chapter({self.number})"

    @property
    def module(self) -> ModuleType:
        """This chapter's module in ``dualwheel.chapters`` (its numbers, models and charts)."""
        from ..chapters import module_for

        return module_for(self.number)

    # ---- numbers for the prose
    def glue(self, **values: object) -> None:
        """Glue numbers for the prose (``{glue:text}`name:.1f```) without showing them."""
        glue_values(**values)

    # ---- exhibits
    # every exhibit names the lesson it serves (``exhibits.LESSONS``): entry, mode, localisation,
    # competition, regulation, unit_economics, platform, funding or measurement
    def table(
        self, frame: pd.DataFrame, title: str, sources: Sequence[str], note: str = "", lesson: str | None = None
    ) -> None:
        self.exhibits.table(frame, title, sources=sources, note=note, lesson=lesson)

    def figure(
        self, fig: Figure, title: str, sources: Sequence[str], note: str = "", lesson: str | None = None
    ) -> None:
        self.exhibits.figure(fig, title, sources=sources, note=note, lesson=lesson)

    def whatif(self, what: WhatIf, sources: Sequence[str], note: str = "", lesson: str | None = None) -> None:
        self.exhibits.whatif(what, sources=sources, note=note, lesson=lesson)

    def claims(
        self, claim_ids: Sequence[str], title: str, sources: Sequence[str] = (), lesson: str = "measurement"
    ) -> None:
        self.exhibits.claims(claim_ids, title, sources, lesson=lesson)

    # ---- questions
    def selfcheck(self, qid: str) -> None:
        """An in-page self-check from ``exercises/chNN.yml`` (instant feedback, offline)."""
        selfcheck.show(self.number, qid)

    def answer_key(self) -> None:
        """The self-checks' answers, for the PDF (the HTML page answers each one in place)."""
        selfcheck.answer_key(self.number)

    def solutions(self) -> None:
        """The graded exercises' solutions: for the instructors' section only."""
        selfcheck.solutions(self.number)
