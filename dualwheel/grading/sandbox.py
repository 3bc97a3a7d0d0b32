"""Running one submission's cells in a sealed bubblewrap sandbox, with limits on the whole notebook.

What the sandbox gives student code, and why:

* **Nothing of the grader's environment or command line.** bubblewrap is started from an
  *empty* environment (``env={}``), not just with ``--clearenv``, and its mount list is
  passed through a pipe (``--args FD``). There is no ``/proc`` in the sandbox at all, so no
  process's environment, command line or mount list (``/proc/self/mountinfo`` would name the
  host folder behind each bind mount) can be read. The child gets a fixed, short environment
  (``HOME=/tmp``, ``PATH=/usr/bin:/bin``, thread counts, the Matplotlib backend).
* **An unprivileged user.** When the grader runs as root, bubblewrap runs in its privileged
  mode (no user namespace) and the runner switches to ``nobody`` (uid and gid 65534, no
  supplementary groups) before it reads the job. A user namespace with ``--uid`` would *not*
  do: its uid maps back to root outside, and root-owned files stay readable. When the grader
  is not root, bubblewrap's user namespace keeps the grader's own uid.
* **No new user namespace.** The runner installs a seccomp filter before any student code
  (:func:`dualwheel.grading.runner.no_user_namespaces`): ``unshare`` and ``clone`` with
  ``CLONE_NEWUSER`` fail, so student code cannot become "root" of a namespace of its own and
  remount what it sees. Where bubblewrap has its own user namespace, ``--disable-userns`` is
  added as well (when this bubblewrap supports it: tried once).
* **A neutral layout, and only what a notebook needs**, read-only: the notebook's folder
  ``/submission`` (the chapter's *public* files: checks, scoring rules, data; writable and
  size-capped), the dualwheel package at ``/grader/dualwheel``, the virtual environment's
  packages at ``/venv/site-packages`` (an editable install's hook and ``direct_url.json``,
  which name the checkout, are replaced by empty files), the Python installation at
  ``/python`` (when it is not the system's), the system (``/usr``, ``/lib``, ``/bin``...), and
  a few files of ``/etc`` (the linker's cache, fonts, time zone) with a made-up
  ``/etc/passwd`` and ``/etc/group``. The interpreter is started as
  ``/python/bin/python3.X -I -B -c <boot>`` (:func:`runner_command`), so ``sys.executable``,
  ``sys.path``, every module's ``__file__`` and every traceback name only these paths. No answer
  key, no other submission, no instructor folder, no network; ``/tmp`` is a private,
  size-capped tmpfs; the host name is ``sandbox``. What student code can still see: the
  system's programs and libraries, and the *contents* of the Python installation and its
  packages, which may hold the paths they were built or installed at (``sysconfig``'s build
  settings, a ``.pyc`` compiled in place). Those are file contents of the installation, not
  secrets; nothing else of the host is named.
* **One memory limit and one process limit for the notebook and all its children.** Where
  the grader may create cgroups (cgroup v2 with the memory and pids controllers delegated,
  or cgroup v1 ``memory`` and ``pids`` hierarchies, as on this project's machines and in
  CI containers running as root), each run gets its own cgroup: ``memory.max`` /
  ``memory.limit_in_bytes`` caps the sum of every process's memory (a notebook that forks
  five 1.1 GB children is stopped at the stated 2 GB), and ``pids.max`` caps the number of
  processes and threads (a fork bomb stops at the cap). The sandbox joins the cgroup
  *before* bubblewrap starts (in the forked child, before ``exec``), so no student process
  is ever outside it. We chose cgroups over ``systemd-run --scope`` because containers
  usually have no systemd to talk to, and over per-process ``RLIMIT_AS`` alone because
  that limit multiplies with every fork. Every process also keeps ``RLIMIT_AS`` at the same
  figure, so a single greedy process gets a ``MemoryError`` (its answers so far are kept)
  rather than the kernel's OOM killer. Where cgroups cannot be created, the fallback is the
  per-process limit plus ``RLIMIT_NPROC`` on the sandbox user, and
  :func:`limit_mode` says so (``casebook grade`` prints it).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import site
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import limits as table
from .cgroups import (  # noqa: F401 - re-exported: the sandbox's cgroups
    GROUP_PREFIX,
    RunGroup,
    _cgroup_kind,
    _parents,
    clean_stale_groups,
    join,
    limit_mode,
    owner_pid,
    pid_alive,
)
from .submission import PACKAGE_DIR, GradingError

#: The unprivileged user student code runs as when the grader is root (``nobody``).
SANDBOX_UID = SANDBOX_GID = 65534


@dataclass(frozen=True)
class Limits:
    """One run's limits; the defaults and their documentation are in :mod:`dualwheel.grading.limits`."""

    timeout: float = table.TIMEOUT  # seconds of wall-clock time per submission
    memory_mb: int = table.MEMORY_MB  # memory of the notebook and all its children together
    processes: int = table.PROCESSES  # processes and threads of the notebook, all together
    output_bytes: int = table.OUTPUT_BYTES  # raw output before the run is stopped
    print_chars: int = table.PRINT_CHARS  # printed text kept; the rest is dropped (the message says so)
    tmp_mb: int = table.TMP_MB  # private /tmp and the notebook's folder, each

    def job(self, dedicated_user: bool) -> dict[str, int]:
        out = {
            "memory_bytes": self.memory_mb * 2**20,
            "cpu_seconds": int(self.timeout) + 5,
            "file_bytes": self.tmp_mb * 2**20,
            "open_files": table.OPEN_FILES,
        }
        if dedicated_user and _cgroup_kind() is None:
            out["processes"] = self.processes  # fallback: counted per user, so only for `nobody`
        return out


# ------------------------------------------------------------------ the command
def _bwrap() -> str:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise GradingError(
            "bubblewrap (bwrap) is not installed; run `make setup` first "
            "(the grader will not run student code without a sandbox)"
        )
    return bwrap


#: The neutral layout student code sees: no path of the host appears in it.
NOTEBOOK_DIR = "/submission"  # the notebook's folder: the chapter's public files, writable
GRADER_DIR = "/grader"  # holds the dualwheel package (the runner and the scoring rules)
PYTHON_DIR = "/python"  # the Python installation, when it is not part of the system (/usr)
VENV_DIR = "/venv"  # the virtual environment's packages
SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
#: The few files of /etc a notebook may need; /etc/passwd and /etc/group are made up (below).
ETC = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "nsswitch.conf",
    "mime.types", "matplotlibrc", "alternatives",
)  # fmt: skip


def _under_system(path: str) -> bool:
    return any(path == root or path.startswith(root + "/") for root in SYSTEM)


@lru_cache(maxsize=1)
def _python_layout() -> tuple[list[tuple[str, str]], str, list[str]]:
    """(host -> sandbox binds, the interpreter's sandbox path, site folders) for this Python."""
    binds: list[tuple[str, str]] = []
    base = os.path.realpath(sys.base_prefix)
    real = os.path.realpath(sys.executable)
    if _under_system(base) and _under_system(real):
        python = real
    else:
        binds.append((base, PYTHON_DIR))
        python = (
            PYTHON_DIR + real[len(base) :] if real.startswith(base + "/") else PYTHON_DIR + "/bin/python3"
        )
    sites: list[str] = []
    if sys.prefix != sys.base_prefix:  # a virtual environment: its packages, without its bin/ or config
        for n, folder in enumerate(dict.fromkeys(site.getsitepackages([sys.prefix]))):
            if Path(folder).is_dir():
                target = f"{VENV_DIR}/site-packages" + (f"-{n}" if n else "")
                binds.append((folder, target))
                sites.append(target)
    return binds, python, sites


@lru_cache(maxsize=1)
def _hidden_files() -> list[str]:
    """Sandbox paths of package-manager files that name host paths (an editable install's path
    hook and its compiled ``__pycache__`` copy, ``direct_url.json``): each is replaced by an
    empty file."""
    markers = [str(PACKAGE_DIR.parent), sys.prefix, os.path.realpath(sys.prefix)]
    hidden = []
    binds, _, _ = _python_layout()
    for host, target in binds:
        if not target.startswith(VENV_DIR):
            continue
        try:
            names = os.listdir(host)
        except OSError:
            continue
        candidates = [n for n in names if n.endswith((".pth", ".egg-link")) or n.startswith("__editable__")]
        try:  # the editable hook compiled: its constants name the checkout too
            cached = os.listdir(os.path.join(host, "__pycache__"))
        except OSError:
            cached = []
        candidates += [f"__pycache__/{n}" for n in cached if n.startswith("__editable__")]
        candidates += [f"{n}/direct_url.json" for n in names if n.endswith(".dist-info")]
        for name in candidates:
            if name.startswith(
                ("__editable__", "__pycache__/__editable__")
            ):  # an editable hook: names the checkout
                hidden.append(f"{target}/{name}")
                continue
            try:
                with open(os.path.join(host, name), "rb") as f:
                    text = f.read(1_000_000).decode("utf-8", "replace")
            except OSError:
                continue
            if any(m in text for m in markers):
                hidden.append(f"{target}/{name}")
    return hidden


def _etc_files(user: tuple[int, int]) -> dict[str, bytes]:
    """A made-up /etc/passwd and /etc/group: root, the sandbox user and nobody, nothing of the host."""
    uid, gid = user
    users = {0: ("root", 0, "/root"), 65534: ("nobody", 65534, "/nonexistent"), uid: ("student", gid, "/tmp")}
    groups = {0: "root", 65534: "nogroup", gid: "student"}
    passwd = "".join(
        f"{name}:x:{u}:{g}:{name}:{home}:/usr/sbin/nologin\n" for u, (name, g, home) in sorted(users.items())
    )
    group = "".join(f"{name}:x:{g}:\n" for g, name in sorted(groups.items()))
    return {"/etc/passwd": passwd.encode(), "/etc/group": group.encode()}


@lru_cache(maxsize=1)
def _can_disable_userns() -> bool:
    """Whether this bubblewrap, run by this user, can forbid user namespaces inside its own
    (``--disable-userns``, bubblewrap 0.8, needs a user namespace of its own): tried once."""
    probe = [_bwrap(), "--unshare-all", "--unshare-user", "--disable-userns", "--ro-bind", "/", "/", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20, env={}).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def sandbox_args(
    support: Path, limits: Limits, notebook_dir: str = NOTEBOOK_DIR, data_fds: dict[str, int] | None = None
) -> list[str]:
    """bubblewrap's options (passed through a pipe, never on its command line).

    ``data_fds`` maps the made-up files (``/etc/passwd``, and an empty file over each of
    :func:`_hidden_files`) to the pipes bubblewrap reads them from; without it they are left out
    (for a look at the options)."""
    if os.geteuid() == 0:
        # privileged mode, no user namespace: the runner then becomes `nobody` for real
        args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        args = ["--unshare-all"] + (["--unshare-user", "--disable-userns"] if _can_disable_userns() else [])
    # no /proc: nothing to read of other processes, of the mounts' host paths (mountinfo) or of
    # the command lines; Python, IPython and the scientific stack do not need it
    args += ["--die-with-parent", "--new-session", "--hostname", "sandbox", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp"]
    args += ["--perms", "0777", "--size", str(limits.tmp_mb * 2**20), "--tmpfs", notebook_dir]
    for root in SYSTEM:
        if Path(root).exists():
            args += ["--ro-bind", root, root]
    for folder in ("/etc", GRADER_DIR, VENV_DIR, PYTHON_DIR):  # readable by the sandbox user (else 0700)
        args += ["--perms", "0755", "--dir", folder]
    for name in ETC:
        if Path("/etc", name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    binds, _, _ = _python_layout()
    for host, target in binds:
        args += ["--ro-bind", host, target]
    args += ["--ro-bind", str(PACKAGE_DIR), f"{GRADER_DIR}/{PACKAGE_DIR.name}"]
    for target, fd in (data_fds or {}).items():  # after the binds they replace files of
        args += ["--perms", "0644", "--ro-bind-data", str(fd), target]
    for item in sorted(support.iterdir()):
        args += ["--ro-bind", str(item), f"{notebook_dir}/{item.name}"]
    args += ["--chdir", notebook_dir, "--clearenv"]
    env = {
        "HOME": "/tmp",
        "USER": "student",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/mpl",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PATH": "/usr/bin:/bin",
    }
    if any(target == PYTHON_DIR for _, target in binds):
        env["LD_LIBRARY_PATH"] = f"{PYTHON_DIR}/lib"  # a Python built with a shared libpython
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def runner_command() -> list[str]:
    """The sandboxed interpreter's command: only neutral paths (it is what ``ps`` would show)."""
    _, python, sites = _python_layout()
    boot = (
        f"import sys, site; sys.path.insert(0, {GRADER_DIR!r}); "
        + "".join(f"site.addsitedir({s!r}); " for s in sites)
        + "import runpy; runpy.run_module('dualwheel.grading.runner', run_name='__main__')"
    )
    return [python, "-I", "-B", "-c", boot]


def sandbox_command(support: Path, limits: Limits, args_fd: int = 3) -> list[str]:
    """bubblewrap's command line: its options come from ``args_fd``; only the runner shows."""
    return [_bwrap(), "--args", str(args_fd), "--", *runner_command()]


@dataclass
class RunOutcome:
    answers: dict[str, Any]
    errors: list[dict[str, Any]]
    finished: bool  # the runner reached its end
    stopped: str | None  # timeout / output_limit / memory_limit / crashed, when the run did not finish
    last_cell: int | None
    printed_truncated: bool
    seconds: float
    stderr: str = ""
    notes: list[str] | None = None  # answers that could not be read, magics not supported...
    out_of_memory: bool = False  # the kernel stopped a process of this run for memory
    ended: list[str] | None = None  # threads and exit handlers ended after the last cell
    unsealed: str | None = None  # why user namespaces could not be forbidden (None: they were)
    answers_too_big: bool = False  # stopped because the answers reported exceeded REPORT_FACTOR x output


#: The answers channel (snapshots of the answer variables, sent only when they change) may carry
#: this many times the output limit; it never counts against the printed-output limit itself.
REPORT_FACTOR = 4


def _drain(stream: io.BufferedReader, cap: int, kept: bytearray, over: threading.Event) -> None:
    """Read a pipe, keeping the first ``cap`` bytes; past the cap, flag it and stop reading.

    Stopping matters: a writer past the cap then blocks on the full pipe until it is killed,
    so it cannot run the cells after the flood. Read on, a fast flood could finish and the
    later cells' answers count before the next poll kills it (a race the corpus once lost).
    """
    total = 0
    while chunk := stream.read1(65536):
        total += len(chunk)
        room = cap - len(kept)
        if room > 0:
            kept.extend(chunk[:room])
        if total > cap:
            over.set()
            return


_SPAWN_LOCK = threading.Lock()  # pipes are made and inherited one run at a time


def run_cells(cells: list[dict[str, Any]], names: list[str], support: Path, limits: Limits) -> RunOutcome:
    """Run a submission's cells in the sandbox and collect what it reports."""
    dedicated = os.geteuid() == 0
    group = RunGroup.create(limits.memory_mb * 2**20, limits.processes) if _cgroup_kind() else None
    job = {
        "cells": cells,
        "vars": names,
        "print_cap": limits.print_chars,
        "limits": limits.job(dedicated),
        "user": [SANDBOX_UID, SANDBOX_GID] if dedicated else None,
    }
    join_fds: list[int] = []
    try:
        with _SPAWN_LOCK:
            read_end, write_end = os.pipe()
            args_read, args_write = os.pipe()
            data_fds = {}  # the made-up /etc files: small, so each pipe holds its whole text
            user = (SANDBOX_UID, SANDBOX_GID) if dedicated else (os.getuid(), os.getgid())
            made = {**_etc_files(user), **{target: b"" for target in _hidden_files()}}
            for target, text in made.items():
                r, w = os.pipe()
                os.write(w, text)
                os.close(w)
                data_fds[target] = r
            payload = b"".join(a.encode() + b"\0" for a in sandbox_args(support, limits, data_fds=data_fds))
            job["channel_fd"] = write_end
            if group is not None:
                join_fds = [os.open(f, os.O_WRONLY | os.O_CLOEXEC) for f in group.procs_files()]
            start = time.monotonic()
            proc = subprocess.Popen(
                sandbox_command(support, limits, args_read),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_end, args_read, *data_fds.values()),
                start_new_session=True,
                env={},  # bubblewrap's own environment is what /proc/1/environ shows
                preexec_fn=join(join_fds) if join_fds else None,  # noqa: PLW1509 - only os.write
            )
            os.close(write_end)
            os.close(args_read)
            for fd in data_fds.values():
                os.close(fd)
            for fd in join_fds:
                os.close(fd)
            join_fds = []
        with os.fdopen(args_write, "wb") as f:
            f.write(payload)
        with _LIVE_LOCK:
            _LIVE.add(proc)
        outcome = _collect(proc, read_end, job, limits, start)
    finally:
        for fd in join_fds:
            os.close(fd)
        if group is not None:
            oom = group.out_of_memory()
            group.remove()
    if group is not None and oom:
        outcome.out_of_memory = True
        if outcome.stopped == "crashed" or not outcome.finished:
            outcome.stopped = "memory_limit"
    return outcome


def _collect(
    proc: subprocess.Popen, read_end: int, job: dict[str, Any], limits: Limits, start: float
) -> RunOutcome:
    names: list[str] = job["vars"]
    channel = os.fdopen(read_end, "rb")
    out_kept, err_kept, msg_kept = bytearray(), bytearray(), bytearray()
    overflow, report_over = threading.Event(), threading.Event()
    readers = [
        threading.Thread(target=_drain, args=(s, cap, k, over), daemon=True)
        for s, cap, k, over in (
            (proc.stdout, limits.output_bytes, out_kept, overflow),
            (proc.stderr, limits.output_bytes, err_kept, overflow),
            (channel, REPORT_FACTOR * limits.output_bytes, msg_kept, report_over),
        )
    ]
    for t in readers:
        t.start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stopped: str | None = None
    deadline = start + limits.timeout
    while proc.poll() is None:
        if overflow.is_set() or report_over.is_set():
            stopped = "output_limit"
        elif time.monotonic() > deadline:
            stopped = "timeout"
        if stopped:
            _kill(proc)
            break
        time.sleep(0.02)
    proc.wait()
    with _LIVE_LOCK:
        _LIVE.discard(proc)
    for t in readers:
        t.join(timeout=5)
    channel.close()
    seconds = time.monotonic() - start
    answers: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    notes: list[str] = []
    finished, truncated, last_cell = False, False, None
    ended: list[str] = []
    unsealed: str | None = None
    for line in bytes(msg_kept).splitlines():
        try:
            msg = json.loads(line)
        except (ValueError, UnicodeDecodeError, RecursionError):
            continue  # a torn last line from a killed run, or junk the student wrote
        if not isinstance(msg, dict):
            continue
        if msg.get("event") == "cell":
            last_cell = msg.get("index")
        elif msg.get("event") == "answers" and isinstance(msg.get("answers"), dict):
            answers = msg["answers"]
        elif msg.get("event") == "done":
            finished = True
            errors = msg.get("errors") if isinstance(msg.get("errors"), list) else []
            notes = [str(n) for n in msg.get("notes", []) if isinstance(n, str)][:20]
            truncated = bool(msg.get("truncated"))
            ended = [str(n) for n in msg.get("ended") or [] if isinstance(n, str)][:5]
            unsealed = str(msg["sealed"])[:200] if msg.get("sealed") else None
    if (overflow.is_set() or report_over.is_set()) and not stopped:
        stopped = "output_limit"
    if not finished and not stopped:
        stopped = "crashed"
    return RunOutcome(
        answers={k: v for k, v in answers.items() if k in names},
        errors=[e for e in errors if isinstance(e, dict)],
        finished=finished and not stopped,
        stopped=stopped,
        last_cell=last_cell,
        printed_truncated=truncated,
        seconds=seconds,
        stderr=bytes(err_kept[-2000:]).decode("utf-8", "replace"),
        notes=notes,
        ended=ended,
        unsealed=unsealed,
        answers_too_big=report_over.is_set() and not overflow.is_set(),
    )


_LIVE: set[subprocess.Popen] = set()  # sandboxes running now, so an interrupt can stop them
_LIVE_LOCK = threading.Lock()


def stop_all() -> None:
    """Kill every running sandbox (on Ctrl-C: their half-done runs are not saved)."""
    with _LIVE_LOCK:
        for proc in list(_LIVE):
            _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
