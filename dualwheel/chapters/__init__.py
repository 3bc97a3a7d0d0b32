"""One module per chapter: everything a chapter computes (its tables, models, charts and the
checks of the paper's claims in its section). A chapter's page imports only its own module.

Code used by one chapter lives in that chapter's module; it moves to a shared module at the
top of the package (``segments``, ``finance``, ``fmt``, ``charts``) only when a second chapter
needs it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> dict[int, str]:
    """Chapter number -> module name, from the files present (``chNN_slug.py``)."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("ch") and info.name[2:4].isdigit():
            out[int(info.name[2:4])] = info.name
    return dict(sorted(out.items()))


#: Lettered book pages that are not numbered chapters but have a question bank: letter -> module
#: (``exercises/<page>.yml``, see ``grading.questions.PAGE_BANKS``).
PAGES: dict[str, str] = {"R": "reading_numbers"}


def module_for(chapter: int | str) -> ModuleType:
    """The module of one chapter (or of a lettered page, ``"R"``); a clear error when it has none."""
    names: dict[int | str, str] = {**modules(), **PAGES}
    if chapter not in names:
        raise KeyError(
            f"no module for chapter {chapter} in dualwheel/chapters (have {sorted(names, key=str)})"
        )
    return importlib.import_module(f"{__name__}.{names[chapter]}")


def load_all() -> None:
    """Import every chapter module, so every claim check is registered."""
    for n in modules():
        module_for(n)
