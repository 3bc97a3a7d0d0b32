"""Chapter 5: the paper's phases and the year each belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# ----------------------------------------------------------------------------- phases


@dataclass(frozen=True)
class Phase:
    """One of the paper's phases: calendar years ``start``..``end`` (``end`` None: ongoing)."""

    number: int
    start: int
    end: int | None
    name: str
    name_zh: str
    theme: str

    @property
    def span(self) -> str:
        return f"{self.start}–{self.end}" if self.end else f"{self.start} on"


#: The paper's four phases (section 5.1 to 5.4), in its own words' sense, not its sentences.
PAPER_PHASES: tuple[Phase, ...] = (
    Phase(1, 1999, 2006, "Budding", "萌芽期", "information broker"),
    Phase(2, 2007, 2015, "Exploration", "探索期", "closing the transaction loop"),
    Phase(3, 2016, 2023, "Expansion", "扩张期", "a global ecosystem network"),
    Phase(4, 2024, None, "Maturity", "成熟期", "digital-ecosystem integration"),
)

#: The first calendar year of phases 2, 3 and 4 as the paper draws them.
PAPER_BOUNDARIES: tuple[int, int, int] = (2007, 2016, 2024)

#: Names of the phases by number.
PHASE_NAMES: dict[int, str] = {p.number: f"{p.name} ({p.name_zh})" for p in PAPER_PHASES}


def phase_of(year: int, boundaries: Sequence[int] = PAPER_BOUNDARIES) -> int:
    """The phase (1-4) a calendar year falls in, given the first years of phases 2, 3 and 4.

    Raises ValueError when the boundaries are not strictly increasing: a phase must last at
    least one year.
    """
    b = list(boundaries)
    if len(b) != 3 or any(later <= earlier for earlier, later in zip(b, b[1:], strict=False)):
        raise ValueError(f"boundaries must be three strictly increasing years, got {tuple(b)}")
    return 1 + sum(year >= x for x in b)
