"""What the grader writes: files that a crash never leaves half-written, with no secret in them.

Student code runs in a sandbox that cannot see the grader's environment (see
:mod:`dualwheel.grading.sandbox`). As a second wall, every string that leaves the grader
(feedback, ``results/*.json``, ``gradebook.csv``, ``manual_scores.csv``, what ``casebook
check`` prints) goes through :func:`scrub`, which replaces the value of every variable of the
grader's environment that could be a secret with ``[redacted]``.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

REDACTED = "[redacted]"
#: Variables whose values are ordinary words or paths, not secrets (scrubbing them would
#: mangle honest answers that happen to contain them).
PLAIN = {
    "HOME", "PATH", "PWD", "OLDPWD", "SHELL", "TERM", "LANG", "LANGUAGE", "USER", "LOGNAME",
    "SHLVL", "HOSTNAME", "TZ", "COLUMNS", "LINES", "_", "COLORTERM", "TERM_PROGRAM",
    "PYTEST_CURRENT_TEST", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHASHSEED", "TMPDIR", "EDITOR",
    "PAGER", "MPLBACKEND", "MPLCONFIGDIR", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
}  # fmt: skip
MIN_SECRET = 6  # shorter values ("1", "yes", "true") are not secrets and would mangle text


@lru_cache(maxsize=4)
def _pattern(items: frozenset[tuple[str, str]]) -> re.Pattern[str] | None:
    values = {v for k, v in items if k not in PLAIN and not k.startswith("LC_") and len(v) >= MIN_SECRET}
    values |= {v for k, v in items if len(v) >= 12 and k not in PLAIN}
    if not values:
        return None
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))


def scrub(data: Any) -> Any:
    """``data`` (text, or lists and dictionaries of it) with the grader's secrets redacted."""
    pattern = _pattern(frozenset(os.environ.items()))
    if pattern is None:
        return data
    return _scrub(data, pattern)


def _scrub(data: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(data, str):
        return pattern.sub(REDACTED, data)
    if isinstance(data, list | tuple):
        return [_scrub(x, pattern) for x in data]
    if isinstance(data, dict):
        return {_scrub(k, pattern): _scrub(v, pattern) for k, v in data.items()}
    return data


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(scrub(text))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
