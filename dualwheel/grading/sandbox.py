"""Running one submission's cells in a sealed bubblewrap sandbox, with limits on the whole notebook.

What the sandbox gives student code, and why:

* **Nothing of the grader's environment or command line.** bubblewrap is started from an
  *empty* environment (``env={}``), not just with ``--clearenv``: with ``--unshare-pid`` its
  own init process is PID 1 in the sandbox, and ``/proc/1/environ`` shows the environment
  bubblewrap itself was started with. Its mount list is passed through a pipe
  (``--args FD``), so ``/proc/1/cmdline`` reads ``bwrap --args N -- python -I -B -m
  dualwheel.grading.runner``, not the list of host folders. The child gets a fixed, short
  environment (``HOME=/tmp``, ``PATH=/usr/bin:/bin``, thread counts, the Matplotlib backend).
* **An unprivileged user.** When the grader runs as root, bubblewrap runs in its privileged
  mode (no user namespace) and the runner switches to ``nobody`` (uid and gid 65534, no
  supplementary groups) before it reads the job, so student code can read neither
  ``/etc/shadow`` nor ``/proc/1/*`` of the root-owned init. A user namespace with ``--uid``
  would *not* do: its uid maps back to root outside, and root-owned files stay readable.
  When the grader is not root, bubblewrap's user namespace keeps the grader's own uid.
* **Only what a notebook needs**, read-only: the system (``/usr``, ``/lib``, ``/etc``), the
  Python installation and its packages, the dualwheel package, and the chapter's *public*
  files (checks, scoring rules, data) in ``/tmp/work``. No answer key, no other submission,
  no instructor folder, no network. ``/tmp`` is a private, size-capped tmpfs.
  What is *not* hidden: the Python installation and the dualwheel package are mounted at the
  paths they have on the host (a virtual environment and an editable install only work
  there), so ``sys.executable``, ``/proc/1/cmdline`` (the runner's own command) and
  ``/proc/self/mountinfo`` (the source of each read-only mount) show where they are
  installed. Those are paths, not secrets; nothing else of the host is named.
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
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .submission import PACKAGE_DIR, GradingError

#: The unprivileged user student code runs as when the grader is root (``nobody``).
SANDBOX_UID = SANDBOX_GID = 65534


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds of wall-clock time per submission
    memory_mb: int = 2048  # memory of the notebook and all its children together
    processes: int = 64  # processes and threads of the notebook, all together
    output_bytes: int = 1_000_000  # raw output before the run is stopped
    print_chars: int = 65_536  # printed text kept; the rest is dropped silently
    tmp_mb: int = 64  # private /tmp

    def job(self, dedicated_user: bool) -> dict[str, int]:
        out = {
            "memory_bytes": self.memory_mb * 2**20,
            "cpu_seconds": int(self.timeout) + 5,
            "file_bytes": self.tmp_mb * 2**20,
            "open_files": 256,
        }
        if dedicated_user and _cgroup_kind() is None:
            out["processes"] = self.processes  # fallback: counted per user, so only for `nobody`
        return out


# ------------------------------------------------------------------ cgroups
_KIND: list[str | None] = []  # cached: "v2", "v1" or None


def _own_cgroup(controller: str | None) -> str | None:
    """This process's cgroup path in the hierarchy of ``controller`` (None: the v2 one)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if controller is None and parts[0] == "0" and parts[1] == "":
            return parts[2]
        if controller is not None and controller in parts[1].split(","):
            return parts[2]
    return None


def _mount_of(fstype: str, option: str | None) -> Path | None:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 4 and fields[2] == fstype and (option is None or option in fields[3].split(",")):
            return Path(fields[1])
    return None


def _parents() -> dict[str, Path] | None:
    """Where this process may create per-run cgroups: {"memory": dir, "pids": dir}, or None."""
    v2 = _mount_of("cgroup2", None)
    own = _own_cgroup(None)
    if v2 is not None and own is not None:
        base = v2 / own.lstrip("/")
        try:
            enabled = (base / "cgroup.subtree_control").read_text().split()
        except OSError:
            enabled = []
        if {"memory", "pids"} <= set(enabled):
            return {"memory": base, "pids": base}
    found: dict[str, Path] = {}
    for controller in ("memory", "pids"):
        mount, own = _mount_of("cgroup", controller), _own_cgroup(controller)
        if mount is None or own is None:
            return None
        found[controller] = mount / own.lstrip("/")
    return found


def _cgroup_kind() -> str | None:
    """ "v2" or "v1" when per-run cgroups work here (tried once), else None."""
    if not _KIND:
        kind = None
        try:
            probe = RunGroup.create(64 * 2**20, 8)
        except OSError:
            probe = None
        if probe is not None:
            kind = probe.kind
            probe.remove()
        _KIND.append(kind)
    return _KIND[0]


def limit_mode() -> str:
    """One line for the instructor: how the memory and process limits are enforced here."""
    kind = _cgroup_kind()
    if kind:
        return f"memory and process limits: per notebook (cgroup {kind})"
    return "memory and process limits: per process only (no cgroup could be created here)"


class RunGroup:
    """One run's cgroup(s): a memory cap and a process cap for a whole process tree."""

    def __init__(self, kind: str, dirs: dict[str, Path]) -> None:
        self.kind = kind
        self.dirs = dirs

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> RunGroup | None:
        parents = _parents()
        if parents is None:
            return None
        name = f"casebook-{uuid.uuid4().hex[:12]}"
        kind = "v2" if parents["memory"] == parents["pids"] else "v1"
        dirs = {c: p / name for c, p in parents.items()}
        made: list[Path] = []
        try:
            for d in dict.fromkeys(dirs.values()):
                d.mkdir()
                made.append(d)
            if kind == "v2":
                (dirs["memory"] / "memory.max").write_text(str(memory_bytes))
                if (dirs["memory"] / "memory.swap.max").exists():
                    (dirs["memory"] / "memory.swap.max").write_text("0")
            else:
                (dirs["memory"] / "memory.limit_in_bytes").write_text(str(memory_bytes))
                memsw = dirs["memory"] / "memory.memsw.limit_in_bytes"
                if memsw.exists():
                    memsw.write_text(str(memory_bytes))
            (dirs["pids"] / "pids.max").write_text(str(processes))
        except OSError:
            for d in reversed(made):
                try:
                    d.rmdir()
                except OSError:
                    pass
            return None
        return cls(kind, dirs)

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in dict.fromkeys(self.dirs.values())]

    def out_of_memory(self) -> bool:
        """Whether the kernel had to stop a process of this run for memory."""
        d = self.dirs["memory"]
        try:
            if self.kind == "v2":
                events = dict(line.split() for line in (d / "memory.events").read_text().splitlines())
                return int(events.get("oom_kill", 0)) > 0 or int(events.get("oom", 0)) > 0
            control = dict(line.split() for line in (d / "memory.oom_control").read_text().splitlines())
            if "oom_kill" in control:
                return int(control["oom_kill"]) > 0
            return int((d / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for d in dict.fromkeys(self.dirs.values()):
            for _ in range(100):
                try:
                    pids = [int(p) for p in (d / "cgroup.procs").read_text().split()]
                except (OSError, ValueError):
                    pids = []
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _join(files: list[int]) -> Any:
    """A pre-exec function: the forked child writes its pid into each cgroup before exec."""

    def join() -> None:
        pid = str(os.getpid()).encode()
        for fd in files:
            os.write(fd, pid)

    return join


# ------------------------------------------------------------------ the command
def _bwrap() -> str:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise GradingError(
            "bubblewrap (bwrap) is not installed; run `make setup` first "
            "(the grader will not run student code without a sandbox)"
        )
    return bwrap


def sandbox_args(support: Path, limits: Limits, notebook_dir: str = "/tmp/work") -> list[str]:
    """bubblewrap's options (passed through a pipe, never on its command line)."""
    if os.geteuid() == 0:
        # privileged mode, no user namespace: the runner then becomes `nobody` for real
        args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        args = ["--unshare-all"]
    args += ["--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev"]
    # the private /tmp first: mounts are applied in order, so a checkout (and its .venv) that
    # lives under /tmp is bound on top of it rather than hidden by it
    args += ["--perms", "1777", "--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp"]
    args += ["--perms", "0777", "--dir", notebook_dir]
    roots = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", sys.prefix, sys.base_prefix, str(PACKAGE_DIR)}
    made: set[str] = {"/", "/tmp", notebook_dir}
    for root in sorted(roots):
        if Path(root).exists():
            for parent in reversed(Path(root).parents):  # readable by the sandbox user (else 0700)
                if str(parent) not in made:
                    made.add(str(parent))
                    args += ["--perms", "0755", "--dir", str(parent)]
            args += ["--ro-bind", root, root]
    for item in sorted(support.iterdir()):
        args += ["--ro-bind", str(item), f"{notebook_dir}/{item.name}"]
    args += ["--chdir", notebook_dir, "--clearenv"]
    env = {
        "HOME": "/tmp",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/mpl",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PATH": "/usr/bin:/bin",
    }
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


RUNNER = ["-I", "-B", "-m", "dualwheel.grading.runner"]


def sandbox_command(support: Path, limits: Limits, args_fd: int = 3) -> list[str]:
    """bubblewrap's command line: its options come from ``args_fd``; only the runner shows."""
    return [_bwrap(), "--args", str(args_fd), "--", sys.executable, *RUNNER]


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


def _drain(stream: io.BufferedReader, cap: int, kept: bytearray, over: threading.Event) -> None:
    """Read a pipe to the end; keep the first ``cap`` bytes; flag when it overflows."""
    total = 0
    while chunk := stream.read(65536):
        total += len(chunk)
        room = cap - len(kept)
        if room > 0:
            kept.extend(chunk[:room])
        if total > cap:
            over.set()


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
            payload = b"".join(a.encode() + b"\0" for a in sandbox_args(support, limits))
            job["channel_fd"] = write_end
            if group is not None:
                join_fds = [os.open(f, os.O_WRONLY | os.O_CLOEXEC) for f in group.procs_files()]
            start = time.monotonic()
            proc = subprocess.Popen(
                sandbox_command(support, limits, args_read),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_end, args_read),
                start_new_session=True,
                env={},  # bubblewrap's own environment is what /proc/1/environ shows
                preexec_fn=_join(join_fds) if join_fds else None,  # noqa: PLW1509 - only os.write
            )
            os.close(write_end)
            os.close(args_read)
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
    overflow = threading.Event()
    readers = [
        threading.Thread(target=_drain, args=(s, cap, k, overflow), daemon=True)
        for s, cap, k in (
            (proc.stdout, limits.output_bytes, out_kept),
            (proc.stderr, limits.output_bytes, err_kept),
            (channel, 4 * limits.output_bytes, msg_kept),
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
        if overflow.is_set():
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
    if overflow.is_set() and not stopped:
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
