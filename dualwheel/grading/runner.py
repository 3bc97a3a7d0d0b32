"""Run one submission's code cells and report its answers. This is the *child* process.

The grader starts this module (``/python/bin/python3.X -I -B -c <boot>``, which runs it as
``__main__`` from ``/grader``) inside a bubblewrap sandbox (no network, read-only system, only
the chapter's public files, no answer key) with limits on time, memory, processes and output.
It reads a JSON job on stdin::

    {"cells": [{"index": 3, "source": "q1 = 12.3"}, ...], "vars": ["q1", ...],
     "print_cap": 65536, "user": [65534, 65534], "limits": {...}, "channel_fd": 4}

When the job names a ``user`` (the grader runs as root), the runner first becomes that
unprivileged user. It sets its own resource limits (address space, CPU seconds, file size,
open files and, where no cgroup is available, processes) before any student code runs.

**Jupyter-faithful execution.** The cells run in one IPython ``InteractiveShell``, as in a
Jupyter kernel (ipykernel is a subclass of it): cell magics (``%%time``, ``%%capture``,
``%%writefile``...) run their body; line magics (``%timeit``, ``%matplotlib inline``,
``%run``, ``%cd``...) and ``!shell`` commands behave as in Jupyter; ``display``,
``get_ipython``, ``In``/``Out`` and ``_`` exist; a cell that raises is recorded and the next
cell still runs, as with *Run All* in a kernel configured to continue; an exception whose
``__str__`` itself raises is still reported. What a kernel would show in the browser
(rich displays, figures) goes to a capped text sink: outputs are never graded. Not
available while grading, and reported as a cell error when used: ``input()`` (no one is
there to type), widgets' live callbacks, ``%pip``/``%conda`` (no network).

It writes JSON lines to the file descriptor named by ``channel_fd``:

* ``{"event": "cell", "index": i}`` before each cell (so a timeout names its cell);
* ``{"event": "answers", ...}`` after each cell that changed them, a snapshot of the answer
  variables (so a run killed part way still has the answers it reached). Each answer is made JSON on its
  own: one that cannot be (an integer of 5,000 digits, an object whose methods raise)
  becomes ``{"__type__": ..., "__error__": ...}``, which scores 0 with a message, and costs
  no other answer;
* ``{"event": "done", "errors": [...], "notes": [...], "truncated": bool, "ended": [...]}`` at
  the end. Then the process ends at once (``os._exit``): threads the notebook left running and
  exit handlers it registered would otherwise keep a finished notebook alive until the time
  limit; ``ended`` says what was left (the gradebook message repeats it), as closing a Jupyter
  kernel would end it.

Before any student code, the runner drops root (when it has it) and forbids new user
namespaces (:func:`no_user_namespaces`, a seccomp filter).

Nothing here decides a score: the parent scores the answers outside the sandbox, so
redefining checks or patching this module changes nothing but the student's own run.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import resource
import sys
import traceback
from collections.abc import Iterator
from typing import Any

from .scoring import normalise


class CappedText(io.TextIOBase):
    """A stdout stand-in that keeps the first ``cap`` characters and drops the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept: list[str] = []
        self.size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        try:
            text = str(text)
        except Exception:  # noqa: BLE001 - an object whose __str__ raises
            text = "<unprintable>"
        room = self.cap - self.size
        if room > 0:
            self.kept.append(text[:room])
            self.size += min(room, len(text))
        if len(text) > room:
            self.truncated = True
        return len(text)


def _send(channel: io.TextIOBase, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, allow_nan=True) + "\n")
    channel.flush()


def _text(exc: BaseException) -> str:
    """An exception's message, even when its ``__str__`` raises or returns junk."""
    try:
        text = str(exc)
        if not isinstance(text, str):
            raise TypeError
        return text[:300]
    except BaseException:  # noqa: BLE001 - a hostile __str__ may raise anything
        return "<the exception's message could not be shown>"


def _kind(exc: BaseException) -> str:
    try:
        return str(type(exc).__name__)[:100]
    except BaseException:  # noqa: BLE001
        return "Exception"


def answer_json(value: Any) -> tuple[Any, str | None]:
    """One answer as JSON-ready data, or a stand-in and the reason it could not be read."""
    try:
        plain = normalise(value)
        json.dumps(plain, allow_nan=True)
        return plain, None
    except BaseException as exc:  # noqa: BLE001 - a hostile object may raise anything
        why = f"{_kind(exc)}: {_text(exc)}"[:200]
        return {"__type__": "unreadable", "__error__": why}, why


def _answers(namespace: dict[str, Any], names: list[str], notes: dict[str, str]) -> dict[str, Any]:
    out = {}
    for n in names:
        if n not in namespace:
            continue
        out[n], why = answer_json(namespace[n])
        if why:
            notes[n] = f"the answer {n} could not be read ({why}); it scores 0"
        else:
            notes.pop(n, None)
    return out


_RLIMITS = {
    "memory_bytes": resource.RLIMIT_AS,
    "cpu_seconds": resource.RLIMIT_CPU,
    "file_bytes": resource.RLIMIT_FSIZE,
    "open_files": resource.RLIMIT_NOFILE,
    "processes": resource.RLIMIT_NPROC,
}


def _limit(limits: dict[str, int]) -> None:
    """Lower this process's hard limits; student code cannot raise them again."""
    for key, which in _RLIMITS.items():
        if key in limits:
            value = int(limits[key])
            resource.setrlimit(which, (value, value))


def _become(user: list[int] | None) -> None:
    """Drop root for good: no groups, then the unprivileged gid and uid (real, effective, saved)."""
    if not user or os.geteuid() != 0:
        return
    uid, gid = int(user[0]), int(user[1])
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.geteuid() == 0 or os.getuid() == 0:  # pragma: no cover - setresuid would have raised
        raise SystemExit("could not drop root")


# ------------------------------------------------------------------ no user namespaces
#: seccomp's view of a system call (``struct seccomp_data``) and BPF's instruction codes.
_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_CLONE_NEWUSER = 0x10000000
#: Per architecture: the AUDIT_ARCH value and the numbers of unshare, clone and clone3.
_SYSCALLS = {
    "x86_64": (0xC000003E, 272, 56, 435),
    "aarch64": (0xC00000B7, 97, 220, 435),
}


def no_user_namespaces() -> str | None:
    """Forbid new user namespaces to this process and every process it starts (a seccomp filter:
    ``unshare`` or ``clone`` with ``CLONE_NEWUSER`` fail with EPERM; ``clone3``, whose flags a
    filter cannot read, fails with ENOSYS, and the C library falls back to ``clone``). A user
    namespace would let student code become "root" of its own namespace and remount what it sees.
    Returns None when done, or why it could not be done."""
    import ctypes
    import errno
    import platform
    import struct

    arch = _SYSCALLS.get(platform.machine())
    if arch is None:
        return f"no seccomp filter for {platform.machine()}"
    audit, unshare, clone, clone3 = arch
    program = [
        (_LD_ABS, 0, 0, 4),  # 0: the architecture
        (_JEQ, 0, 9, audit),  # 1: another one -> 11 (refuse)
        (_LD_ABS, 0, 0, 0),  # 2: the system call's number
        (_JGE, 7, 0, 0x40000000),  # 3: x32 calls -> 11 (refuse)
        (_JEQ, 7, 0, clone3),  # 4: -> 12 (ENOSYS)
        (_JEQ, 2, 0, unshare),  # 5: -> 8 (read its flags)
        (_JEQ, 1, 0, clone),  # 6: -> 8
        (_RET, 0, 0, _ALLOW),  # 7
        (_LD_ABS, 0, 0, 16),  # 8: the low half of the first argument: the flags
        (_JSET, 1, 0, _CLONE_NEWUSER),  # 9: a new user namespace -> 11
        (_RET, 0, 0, _ALLOW),  # 10
        (_RET, 0, 0, _ERRNO | errno.EPERM),  # 11
        (_RET, 0, 0, _ERRNO | errno.ENOSYS),  # 12
    ]
    code = b"".join(struct.pack("HBBI", *ins) for ins in program)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}"
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) != 0:
        return f"seccomp failed: {os.strerror(ctypes.get_errno())}"
    return None


# ------------------------------------------------------------------ after the last cell
def _from_library(func: Any) -> bool:
    """Whether ``func`` comes from the standard library or an installed package (not the notebook)."""
    import sysconfig

    func = getattr(func, "func", func)  # functools.partial
    try:
        name = getattr(func, "__module__", None)
        if not isinstance(name, str) or name == "__main__":  # a notebook's cells are __main__
            return False
        module = sys.modules.get(name)
        path = os.path.realpath(getattr(module, "__file__", None) or "")
    except Exception:  # noqa: BLE001 - a hostile object may raise anything
        return False
    if not path or path == os.path.realpath(""):
        return False
    roots = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    return any(path.startswith(os.path.realpath(r) + os.sep) for r in roots) or "site-packages" in path


def watch_exit_handlers() -> list[Any]:
    """From now on, remember every function given to ``atexit.register``."""
    import atexit

    registered: list[Any] = []
    original = atexit.register

    def register(func: Any, *args: Any, **kwargs: Any) -> Any:
        registered.append(func)
        return original(func, *args, **kwargs)

    atexit.register = register  # type: ignore[assignment]
    return registered


def lingering(atexit_before: int, registered: list[Any] | None = None) -> list[str]:
    """What the notebook leaves running after its last cell: threads that are not daemons, and
    exit handlers it registered. Python would wait for them (for ever, for a thread that never
    ends) before the process could end; the runner ends the process without waiting. Exit
    handlers the standard library or a package registers (``multiprocessing``, ``logging``...)
    are not the notebook's and are not counted."""
    import atexit
    import threading

    left = []
    threads = [
        t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive() and not t.daemon
    ]
    if threads:
        left.append(f"{len(threads)} thread(s) still running")
    handlers = atexit._ncallbacks() - atexit_before  # noqa: SLF001 - the count only
    if registered is not None:
        handlers = min(handlers, sum(not _from_library(f) for f in registered))
    if handlers > 0:
        left.append(f"{handlers} exit handler(s) registered by the notebook")
    return left


def _no_input(prompt: Any = "") -> str:
    raise EOFError("input() cannot be answered while grading: put the value in the cell instead")


def _shell() -> Any:
    """An IPython shell as a Jupyter kernel has one, minus the browser."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class GradingShell(InteractiveShell):
        def enable_gui(self, gui: Any = None) -> None:  # %matplotlib inline: nothing to open
            return None

        @contextlib.contextmanager
        def _tee(self, channel: str) -> Iterator[None]:
            # IPython 9 copies every write into its output history: 40x slower printing and
            # unbounded memory. Outputs are never graded, so the copy is skipped.
            yield

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    config.InteractiveShell.xmode = "Plain"
    config.InteractiveShell.autocall = 0
    return GradingShell.instance(config=config)


def main() -> int:
    import atexit

    job = json.loads(sys.stdin.read())
    _become(job.get("user"))
    sealed = no_user_namespaces()
    sys.stdin = io.StringIO("")  # input() gets end-of-file, not the job
    fd = int(job.get("channel_fd", 3))
    channel = os.fdopen(os.dup(fd), "w", encoding="utf-8")
    os.close(fd)
    _limit(job.get("limits", {}))
    names: list[str] = job["vars"]
    sink = CappedText(int(job.get("print_cap", 65536)))
    sys.stdout = sys.stderr = sink  # type: ignore[assignment]
    sys.path.insert(0, os.getcwd())  # the notebook's folder, as in Jupyter
    shell = _shell()
    builtins.input = _no_input  # type: ignore[assignment]
    shell.user_ns["input"] = _no_input
    namespace = shell.user_ns
    errors: list[dict[str, Any]] = []
    unreadable: dict[str, str] = {}
    last_snapshot = ""
    atexit_before = atexit._ncallbacks()  # noqa: SLF001 - IPython's own handlers are not the notebook's
    registered = watch_exit_handlers()
    for cell in job["cells"]:
        _send(channel, {"event": "cell", "index": cell["index"]})
        try:
            result = shell.run_cell(cell["source"], store_history=True, silent=False)
            exc = result.error_before_exec or result.error_in_exec
        except BaseException as err:  # noqa: BLE001 - the shell itself gave up on this cell
            exc = err
        if exc is not None:
            line = None
            try:
                frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
                mine = [f for f in frames if str(f.filename).startswith("<ipython-input")]
                line = mine[-1].lineno if mine else getattr(exc, "lineno", None)
                line = line if isinstance(line, int) else None
            except BaseException:  # noqa: BLE001
                line = None
            errors.append({"index": cell["index"], "type": _kind(exc), "message": _text(exc), "line": line})
        try:  # sent only when it changed: a long memo is not re-sent after every cell
            snapshot = json.dumps({"event": "answers", "answers": _answers(namespace, names, unreadable)})
            if snapshot != last_snapshot:
                channel.write(snapshot + "\n")
                channel.flush()
                last_snapshot = snapshot
        except BaseException as err:  # noqa: BLE001 - should not happen: each answer is checked
            errors.append(
                {
                    "index": cell["index"],
                    "type": _kind(err),
                    "message": f"could not read the answers: {_text(err)}"[:300],
                    "line": None,
                }
            )
    notes = list(unreadable.values())
    try:
        ended = lingering(atexit_before, registered)
    except BaseException:  # noqa: BLE001 - a hostile thread subclass may raise anything
        ended = ["threads or exit handlers that could not be counted"]
    _send(
        channel,
        {
            "event": "done",
            "errors": errors,
            "notes": notes,
            "truncated": sink.truncated,
            "ended": ended,
            "sealed": sealed,
        },
    )
    channel.close()
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except Exception:  # the runner itself failed (not a cell): say why on the real stderr
        os.write(2, traceback.format_exc().encode()[-4000:])
        code = 1
    # End now: never wait for the notebook's threads or run its exit handlers (they would keep
    # a finished notebook running until the time limit). Everything was reported already.
    os._exit(code)
