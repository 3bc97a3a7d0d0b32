"""Run one submission's code cells and report its answers. This is the *child* process.

The grader starts ``python -I -m casebook.grading.runner`` inside a bubblewrap sandbox (no
network, read-only system, only the chapter's public files, no answer key) with limits on
time, memory and output. It reads a JSON job on stdin::

    {"cells": [{"index": 3, "source": "q1 = 12.3"}, ...], "vars": ["q1", ...],
     "print_cap": 65536}

sets its own resource limits from the job (``limits``: address space, CPU seconds, file
size, open files) before any student code runs, runs the cells in order in one namespace,
as a kernel would (a cell that raises is recorded and the next cell still runs), and
writes JSON lines to the file descriptor named by ``channel_fd``:

* ``{"event": "cell", "index": i}`` before each cell (so a timeout names its cell);
* ``{"event": "answers", ...}`` after each cell, a snapshot of the answer variables (so a
  run killed part way still has the answers it reached);
* ``{"event": "done", "errors": [...], "truncated": bool}`` at the end.

Nothing here decides a score: the parent scores the answers outside the sandbox, so
redefining checks or patching this module changes nothing but the student's own run.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import resource
import sys
import traceback
from typing import Any

from .scoring import normalise

_MAGIC = re.compile(r"^\s*[%!]", re.MULTILINE)


class CappedText(io.TextIOBase):
    """A stdout stand-in that keeps the first ``cap`` characters and drops the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept: list[str] = []
        self.size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.cap - self.size
        if room > 0:
            self.kept.append(text[:room])
            self.size += min(room, len(text))
        if len(text) > room:
            self.truncated = True
        return len(text)


class _NoShell:
    """``get_ipython()`` for magics: the grader ignores ``%`` and ``!`` lines."""

    def run_line_magic(self, *args: Any, **kwargs: Any) -> None:
        return None

    run_cell_magic = system = getoutput = run_line_magic


def _to_python(source: str) -> str:
    if not _MAGIC.search(source):
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _send(channel: io.TextIOBase, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, allow_nan=True) + "\n")
    channel.flush()


def _answers(namespace: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {n: normalise(namespace[n]) for n in names if n in namespace}


_RLIMITS = {
    "memory_bytes": resource.RLIMIT_AS,
    "cpu_seconds": resource.RLIMIT_CPU,
    "file_bytes": resource.RLIMIT_FSIZE,
    "open_files": resource.RLIMIT_NOFILE,
}


def _limit(limits: dict[str, int]) -> None:
    """Lower this process's hard limits; student code cannot raise them again."""
    for key, which in _RLIMITS.items():
        if key in limits:
            value = int(limits[key])
            resource.setrlimit(which, (value, value))


def main() -> int:
    job = json.loads(sys.stdin.read())
    sys.stdin = io.StringIO("")  # input() gets end-of-file, not the job
    fd = int(job.get("channel_fd", 3))
    channel = os.fdopen(os.dup(fd), "w", encoding="utf-8")
    os.close(fd)
    _limit(job.get("limits", {}))
    names: list[str] = job["vars"]
    sink = CappedText(int(job.get("print_cap", 65536)))
    sys.stdout = sys.stderr = sink  # type: ignore[assignment]
    sys.path.insert(0, os.getcwd())  # the notebook's folder, as in Jupyter
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins, "get_ipython": _NoShell}
    errors: list[dict[str, Any]] = []
    for cell in job["cells"]:
        _send(channel, {"event": "cell", "index": cell["index"]})
        try:
            code = compile(_to_python(cell["source"]), f"<cell {cell['index']}>", "exec")
            exec(code, namespace)  # noqa: S102 - this process is the sandbox
        except BaseException as exc:  # noqa: BLE001 - a student's cell may raise anything, even SystemExit
            kind = type(exc).__name__
            last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
            line = last[0].lineno if last and str(last[0].filename).startswith("<cell") else None
            errors.append({"index": cell["index"], "type": kind, "message": str(exc)[:300], "line": line})
        try:
            _send(channel, {"event": "answers", "answers": _answers(namespace, names)})
        except Exception as exc:  # noqa: BLE001 - e.g. a value whose repr explodes
            errors.append(
                {
                    "index": cell["index"],
                    "type": type(exc).__name__,
                    "message": f"could not read the answers: {exc}"[:300],
                    "line": None,
                }
            )
    _send(channel, {"event": "done", "errors": errors, "truncated": sink.truncated})
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
