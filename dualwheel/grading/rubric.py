"""The parts of a bank question that judge writing and name its purpose: rubric criteria with
quality levels, the memo and figure rules, ``interprets`` and the question's ``lesson``.

A criterion, as written in ``exercises/chNN.yml``::

    - points: 4
      recommendation: true          # counts toward the recommendation-and-trade-offs share
      text: Recommendation and trade-offs
      levels:                       # every whole number 0..points, each describing quality
        0: No recommendation, or one with no reason given
        ...
        4: A clear recommendation that weighs two trade-offs and says what would change it
      look_for: >-                  # instructor only: the content strong answers contain
        ...

Students see ``text`` and ``levels`` (notebook, check messages); ``look_for`` and the model
answer go only to the instructor (solutions, the instructor edition, the review page).
"""

from __future__ import annotations

import functools
import math
from typing import Any


class RubricError(ValueError):
    """Raised with the problem only; the bank loader adds the file and the question."""


@functools.lru_cache(maxsize=1)
def lessons() -> tuple[str, ...]:
    """The strategic lessons an exhibit or a question may serve (``page.exhibits.LESSONS``)."""
    from ..page.exhibits import LESSONS  # imported late: it brings pandas and matplotlib

    return tuple(LESSONS)


def check_lesson(lesson: Any) -> str:
    """The question's lesson: empty (not given) or one of :func:`lessons`."""
    if lesson is None or lesson == "":
        return ""
    if str(lesson) not in lessons():
        raise RubricError(f"lesson {lesson!r} is not one of {', '.join(lessons())}")
    return str(lesson)


def _whole(x: float) -> bool:
    return math.isclose(x, round(x))


def parse_criterion(raw: Any, n: int) -> dict[str, Any]:
    """One criterion, checked: points, text, and (if given) levels, look_for, recommendation."""
    where = f"criterion {n}"
    if not isinstance(raw, dict):
        raise RubricError(f"{where}: a criterion is a mapping with points and text")
    try:
        points = float(raw.get("points"))
    except (TypeError, ValueError):
        raise RubricError(f"{where}: points must be a number") from None
    if points <= 0:
        raise RubricError(f"{where}: points must be positive")
    text = str(raw.get("text") or "").strip()
    if not text:
        raise RubricError(f"{where}: give text, the quality this criterion rewards")
    out: dict[str, Any] = {**raw, "points": raw["points"], "text": text}
    if raw.get("levels") is not None:
        levels = raw["levels"]
        if not isinstance(levels, dict):
            raise RubricError(
                f"{where} ({text!r}): levels is a mapping from each mark 0..{points:g} to its text"
            )
        if not _whole(points):
            raise RubricError(f"{where} ({text!r}): a criterion with levels has whole points, not {points:g}")
        try:
            marks = {int(k): str(v).strip() if v is not None else "" for k, v in levels.items()}
        except (TypeError, ValueError):
            raise RubricError(f"{where} ({text!r}): level marks are whole numbers 0..{points:g}") from None
        want = set(range(int(round(points)) + 1))
        if set(marks) != want:
            missing = sorted(want - set(marks))
            extra = sorted(set(marks) - want)
            raise RubricError(
                f"{where} ({text!r}): levels must describe every whole mark 0..{points:g}"
                + (f"; missing {missing}" if missing else "")
                + (f"; not allowed {extra}" if extra else "")
            )
        empty = [k for k, v in marks.items() if not v]
        if empty:
            raise RubricError(f"{where} ({text!r}): level(s) {sorted(empty)} have no text")
        out["levels"] = {k: marks[k] for k in sorted(marks)}
    if "look_for" in raw:
        look = raw.get("look_for")
        if not isinstance(look, str) or not look.strip():
            raise RubricError(
                f"{where} ({text!r}): look_for is text for the instructor (what strong answers contain)"
            )
        out["look_for"] = " ".join(look.split())
    if "recommendation" in raw and not isinstance(raw["recommendation"], bool):
        raise RubricError(f"{where} ({text!r}): recommendation is true or false")
    out["recommendation"] = bool(raw.get("recommendation", False))
    return out


def parse_criteria(raw: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or not raw:
        raise RubricError("criteria is a list of criteria, each with points and text")
    return tuple(parse_criterion(c, i + 1) for i, c in enumerate(raw))


def public_criteria(criteria: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """What a student may see of the criteria: text, points and levels; never ``look_for``."""
    out = []
    for c in criteria:
        item: dict[str, Any] = {"points": float(c["points"]), "text": str(c["text"])}
        if c.get("levels"):
            item["levels"] = {str(k): v for k, v in c["levels"].items()}
        out.append(item)
    return out


def parse_extras(raw: dict[str, Any], qtype: str) -> dict[str, Any]:
    """``memo``, ``figures`` and ``interprets``: rubric questions only."""
    extras: dict[str, Any] = {"memo": False, "figures": 0, "interprets": ""}
    given = [k for k in extras if raw.get(k) not in (None, False, "", 0)]
    if given and qtype != "rubric":
        raise RubricError(f"{', '.join(given)}: only a rubric question takes these")
    if "memo" in raw and not isinstance(raw["memo"], bool):
        raise RubricError("memo is true or false (a rubric that asks for a recommendation)")
    extras["memo"] = bool(raw.get("memo", False))
    if raw.get("figures") is not None:
        figs = raw["figures"]
        if not isinstance(figs, int) or isinstance(figs, bool) or figs < 0:
            raise RubricError("figures is how many numbers an answer must quote: a whole number, 0 or more")
        extras["figures"] = figs
    if raw.get("interprets") not in (None, ""):
        extras["interprets"] = str(raw["interprets"])
    return extras


def level_lines(c: dict[str, Any]) -> list[str]:
    """A criterion's levels as Markdown list lines (indented under the criterion)."""
    return [f"    - {k}: {v}" for k, v in (c.get("levels") or {}).items()]
