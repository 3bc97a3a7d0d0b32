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


def module_for(chapter: int) -> ModuleType:
    """The module of one chapter; a clear error when the chapter has none."""
    names = modules()
    if chapter not in names:
        raise KeyError(f"no module for chapter {chapter} in dualwheel/chapters (have {sorted(names)})")
    return importlib.import_module(f"{__name__}.{names[chapter]}")


def load_all() -> None:
    """Import every chapter module, so every claim check is registered."""
    for n in modules():
        module_for(n)
