"""One way to recompute a figure from ``data/``: named functions.

A figure the book shows, a claim check (``@claims.check``) and a question bank's numeric
answer (``answer: {expr: ...}`` in ``exercises/chNN.yml``) all call the same functions: the
shared calculators below plus every public function of the chapter's own module (and, for
a bank, the grader's key-only functions, :mod:`dualwheel.grading.keys`). An
``expr`` is a short Python expression over those names, e.g.
``share('aidc_total', 2024, 'segment_total') * 100`` or ``retail_share_aidc_fy2024()``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from . import finance, segments

#: Calculators every bank may use, whatever its chapter.
SHARED: dict[str, Callable[..., Any]] = {
    "value": segments.value,
    "share": segments.share,
    "history": segments.history,
    "segment_growth": segments.segment_growth,
    "ebita": segments.ebita,
    "ebita_margin": segments.ebita_margin,
    "growth": finance.growth,
    "cagr": finance.cagr,
    "to_yi": finance.to_yi,
    "round": round,
    "abs": abs,
    "min": min,
    "max": max,
    "len": len,
}


def scope(chapter: int | str) -> dict[str, Any]:
    """The names an ``expr`` of chapter ``chapter``'s bank can use (a lettered page's, ``"R"``, too)."""
    from .chapters import PAGES, module_for, modules

    names: dict[str, Any] = dict(SHARED)
    if chapter in modules() or chapter in PAGES:
        module = module_for(chapter)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ == module.__name__ or obj.__module__.startswith(module.__name__ + "."):
                names.setdefault(name, obj)  # the chapter's own (a chapter package: any of its parts)
    return names
