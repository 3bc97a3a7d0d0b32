"""Scoring rules for one answer, with no dependencies beyond the standard library.

This one file is used in four places, so that every route gives the same score:

* the batch grader (``casebook grade``) scores the answers a sandboxed run sends back;
* the student's public checks (``check("q1")`` in the exercise notebook) use
  :func:`validate` to say whether an answer has the right *form*;
* the otter-grader autograder ships a copy of this file (``casebook_scoring.py``) and its
  hidden tests call :func:`score`;
* the in-page self-checks in the book follow the same rules in JavaScript.

A *spec* is a plain dictionary: ``type`` plus what that type needs (``options``, ``items``,
``answer``, ``tolerance``, ``feedback``). A *public spec* is the same without ``answer`` and
``feedback``: that is all the student's files ever contain.
"""

from __future__ import annotations

import math
from typing import Any

#: Longest string answer kept (a rubric answer of a few hundred words fits easily).
MAX_TEXT = 20_000
#: Most items kept from a list or dictionary answer.
MAX_ITEMS = 100

PUBLIC_KEYS = ("type", "options", "items", "unit", "points", "title", "words")


def normalise(value: Any, _depth: int = 0) -> Any:
    """Turn an answer into plain JSON data (numbers, strings, lists, dictionaries).

    NumPy and pandas scalars become Python numbers; tuples and sets become lists. Anything
    else becomes ``{"__type__": name}``, which every rule treats as the wrong kind of
    answer. Never raises: a hostile object cannot break the grader.
    """
    try:
        if value is None or isinstance(value, bool):
            return value
        # subclasses become their exact base type *by value*: a float subclass that lies in
        # __float__, __eq__ or __repr__ is read for the number it holds, not what it claims
        if isinstance(value, int):
            exact = int.__index__(value)
            if exact.bit_length() > 1024:  # beyond any float: no number a question asks for
                return math.inf if exact > 0 else -math.inf
            return exact
        if isinstance(value, float):
            return float.__float__(value)
        if isinstance(value, str):
            return str.__str__(value)[:MAX_TEXT]
        if _depth > 3:
            return {"__type__": type(value).__name__}
        if isinstance(value, list | tuple):
            return [normalise(v, _depth + 1) for v in list(value)[:MAX_ITEMS]]
        if isinstance(value, set | frozenset):
            return sorted((normalise(v, _depth + 1) for v in list(value)[:MAX_ITEMS]), key=str)
        if isinstance(value, dict):
            return {str(k)[:200]: normalise(v, _depth + 1) for k, v in list(value.items())[:MAX_ITEMS]}
        if getattr(value, "shape", None) == () and hasattr(value, "item"):  # NumPy scalar
            return normalise(value.item(), _depth + 1)
    except Exception:  # noqa: BLE001 - an object whose methods raise is simply not an answer
        pass
    try:
        name = type(value).__name__
    except Exception:  # noqa: BLE001
        name = "object"
    return {"__type__": str(name)[:100]}


def _as_letters(response: Any) -> list[str] | None:
    if isinstance(response, str):
        return [c.strip().lower() for c in response.replace(",", " ").split()]
    if isinstance(response, list):
        return [str(c).strip().lower() for c in response]
    return None


def parse_number(response: Any) -> float | None:
    """The one number parser of the casebook: what a person typed, as a float, or None.

    Accepts ints and floats, and text such as "12.3", "12.3 %", "1,234.5" or "−3" (the
    typographic minus). Rejects booleans and anything else. Used by the graders and by the
    what-ifs' exact-value boxes, so both read a typed number the same way.
    """
    if isinstance(response, bool):
        return None
    if isinstance(response, int):
        try:
            return float(int.__index__(response))
        except OverflowError:  # an integer beyond any float
            return math.inf if response > 0 else -math.inf
    if isinstance(response, float):
        return float.__float__(response)
    if isinstance(response, str):
        text = str.__str__(response).strip().rstrip("%").replace(",", "").replace("\u2212", "-").strip()
        try:
            return float(text)
        except ValueError:
            return None
    return None


def validate(spec: dict[str, Any], response: Any) -> str | None:
    """Say what is wrong with the *form* of an answer, or ``None`` if the form is fine.

    Uses only the public spec: it never tells whether the answer is right.
    """
    response = normalise(response)
    qtype = spec["type"]
    if qtype == "rubric":
        asked = _words_asked(spec)
        if not isinstance(response, str) or not response.strip():
            return "Write your answer as text between the triple quotes" + (f" ({asked})." if asked else ".")
        count = len(response.split())
        low, high = spec.get("words") or (0, math.inf)
        if asked and not low <= count <= high:
            return f"{count} words; the question asks for {asked}."
        return None
    if response is None or (isinstance(response, str) and not response.strip()) or _blank(response):
        return "No answer yet."
    options = list(spec.get("options") or {})
    letters = ", ".join(options)
    if qtype == "numeric":
        x = parse_number(response)
        if x is None:
            return f"Expected a number, such as 12.3; got {_show(response)}."
        if not math.isfinite(x):
            return "Expected a finite number."
        return None
    if qtype == "choice":
        if not isinstance(response, str) or response.strip().lower() not in options:
            return f"Answer with one of the letters {letters}, as a string such as 'a'."
        return None
    if qtype in ("multi", "order"):
        chosen = _as_letters(response)
        if chosen is None:
            return f"Expected a list of letters, such as ['{options[0]}', '{options[-1]}']."
        unknown = sorted(set(chosen) - set(options))
        if unknown:
            return f"Unknown option(s) {unknown}; use the letters {letters}."
        if qtype == "multi" and len(set(chosen)) != len(chosen):
            return "Each letter at most once."
        if qtype == "order" and sorted(chosen) != sorted(options):
            return f"List every letter ({letters}) exactly once."
        return None
    if qtype == "match":
        items = list(spec.get("items") or {})
        if not isinstance(response, dict):
            example = ", ".join(f"'{i}': '{options[0]}'" for i in items[:2])
            return f"Expected a dictionary such as {{{example}, ...}}."
        pairs = {str(k).strip(): str(v).strip().lower() for k, v in response.items()}
        if set(pairs) != set(items):
            return f"Give a letter for each of the items {', '.join(items)}."
        missing = [k for k in items if not pairs[k]]
        if missing:
            return f"No letter yet for {', '.join(missing)}; use the letters {letters}."
        bad = sorted(v for v in pairs.values() if v not in options)
        if bad:
            return f"Unknown option(s) {bad}; use the letters {letters}."
        return None
    raise ValueError(f"unknown question type {qtype!r}")


def _blank(response: Any) -> bool:
    """True for a list or dictionary answer left as handed out: empty, or only empty strings."""
    if isinstance(response, dict) and "__type__" not in response:
        values = list(response.values())
    elif isinstance(response, list):
        values = response
    else:
        return False
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _words_asked(spec: dict[str, Any]) -> str:
    """The length a written answer is asked for, as "150 to 250 words", or "" if none is."""
    words = spec.get("words")
    if not words:
        return ""
    low, high = words
    return f"{low:g} to {high:g} words"


def _percent_hint(spec: dict[str, Any], x: float) -> str:
    """A hint when a fraction was typed where a percent is asked for (0.134 for 13.4 %), else ""."""
    if spec.get("unit") != "%" or x == 0 or abs(x) >= 1:
        return ""
    if abs(x * 100 - float(spec["answer"])) <= float(spec.get("tolerance", 0)) + 1e-9:
        return (
            f" The answer is asked for in percent: type {_tidy(x * 100)} for "
            f"{_tidy(x * 100)} %, not the fraction {x:g}."
        )
    return ""


def _tidy(x: float) -> str:
    return f"{round(x, 10):g}"


def _show(response: Any) -> str:
    if isinstance(response, dict) and "__type__" in response:
        return f"a {response['__type__']}"
    text = repr(response)
    return text if len(text) <= 40 else text[:37] + "..."


def score(spec: dict[str, Any], response: Any) -> tuple[float, str]:
    """Score one answer: (fraction of the points earned, 0 or 1; feedback for the student).

    Rubric questions are never scored here: they return 0 and say so.
    """
    if spec["type"] == "rubric":
        return 0.0, "Needs manual grading against the rubric."
    problem = validate(spec, response)
    if problem:
        return 0.0, problem
    response = normalise(response)
    feedback = spec.get("feedback") or {}
    right = feedback.get("right", "Correct.")
    wrong = feedback.get("wrong", "Not quite.")
    answer = spec["answer"]
    qtype = spec["type"]
    if qtype == "numeric":
        x = parse_number(response)
        ok = abs(x - float(answer)) <= float(spec.get("tolerance", 0)) + 1e-9  # type: ignore[operator]
        return (1.0, right) if ok else (0.0, wrong + _percent_hint(spec, x))  # type: ignore[arg-type]
    if qtype == "choice":
        r = response.strip().lower()
        return (1.0, right) if r == answer else (0.0, feedback.get(r, wrong))
    if qtype == "multi":
        return (1.0, right) if set(_as_letters(response) or []) == set(answer) else (0.0, wrong)
    if qtype == "order":
        return (1.0, right) if _as_letters(response) == list(answer) else (0.0, wrong)
    if qtype == "match":
        pairs = {str(k).strip(): str(v).strip().lower() for k, v in response.items()}
        return (1.0, right) if pairs == dict(answer) else (0.0, wrong)
    raise ValueError(f"unknown question type {qtype!r}")
