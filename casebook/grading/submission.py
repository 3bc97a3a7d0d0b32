"""Reading a submission: a notebook's bytes -> its answer cells, or a clear reason it is not one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .questions import Bank

STATUSES = (
    "graded",
    "graded_with_errors",
    "changed_notebook",
    "timeout",
    "memory_limit",
    "output_limit",
    "crashed",
    "invalid_submission",
)
MAX_NOTEBOOK_BYTES = 5_000_000
MAX_CELLS = 500
MAX_CELL_CHARS = 200_000
CHANNEL_FD = 3
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the casebook package, bound read-only into the sandbox


class GradingError(RuntimeError):
    """A problem with the grading set-up itself (not with one submission)."""


# ------------------------------------------------------------------ reading a submission
@dataclass
class Parsed:
    cells: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None  # set when the submission cannot be run at all


def parse_submission(raw: bytes, bank: Bank) -> Parsed:
    """Read a notebook's code cells without running anything; explain what is wrong."""
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return Parsed(problem=f"the file is {len(raw):,} bytes; the limit is {MAX_NOTEBOOK_BYTES:,}")
    try:
        nb = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Parsed(problem="the file is not UTF-8 text; is it really a .ipynb notebook?")
    except json.JSONDecodeError as exc:
        return Parsed(problem=f"not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return Parsed(problem="not a Jupyter notebook: there is no list of cells")
    if len(nb["cells"]) > MAX_CELLS:
        return Parsed(problem=f"{len(nb['cells'])} cells; the limit is {MAX_CELLS}")
    out = Parsed()
    order: list[str] = []
    for i, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            out.notes.append(f"cell {i + 1} has no readable source and was skipped")
            continue
        if len(source) > MAX_CELL_CHARS:
            out.notes.append(f"cell {i + 1} is longer than {MAX_CELL_CHARS:,} characters and was skipped")
            continue
        meta = cell.get("metadata")
        tag = meta.get("casebook") if isinstance(meta, dict) else None
        if isinstance(tag, dict) and tag.get("role") == "answer":
            order.append(str(tag.get("question")))
        out.cells.append({"index": i + 1, "source": source})
    expected = [q.var for q in bank.graded_questions]
    missing = [v for v in expected if v not in order]
    if missing:
        out.notes.append(f"answer cell(s) for {', '.join(missing)} deleted")
    extra = sorted({v for v in order if order.count(v) > 1})
    if extra:
        out.notes.append(f"answer cell(s) for {', '.join(extra)} appear more than once")
    present = [v for v in order if v in expected]
    if not missing and not extra and present != expected:
        out.notes.append("answer cells are not in their original order")
    return out


def find_submissions(folder: Path) -> dict[str, Path]:
    """``alice.ipynb`` -> alice; ``alice/ch03-exercises.ipynb`` -> alice. Sorted by student."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix == ".ipynb":
            found[path.stem] = path
        elif path.is_dir() and not path.name.startswith("."):
            notebooks = sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
            if notebooks:
                found[path.name] = notebooks[0]
    return found
