"""Running one submission's cells in a bubblewrap sandbox, with time, memory and output limits."""

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .submission import PACKAGE_DIR, GradingError


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds of wall-clock time per submission
    memory_mb: int = 2048  # address space of the student's process
    output_bytes: int = 1_000_000  # raw output before the run is stopped
    print_chars: int = 65_536  # printed text kept; the rest is dropped silently
    tmp_mb: int = 64  # private /tmp

    def job(self) -> dict[str, int]:
        return {
            "memory_bytes": self.memory_mb * 2**20,
            "cpu_seconds": int(self.timeout) + 5,
            "file_bytes": self.tmp_mb * 2**20,
            "open_files": 256,
        }


def sandbox_command(support: Path, limits: Limits, notebook_dir: str = "/tmp/work") -> list[str]:
    """The bubblewrap command line that runs :mod:`casebook.grading.runner` with only public files."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise GradingError(
            "bubblewrap (bwrap) is not installed; run `make setup` first "
            "(the grader will not run student code without a sandbox)"
        )
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev"]
    # the private /tmp first: mounts are applied in order, so a checkout (and its .venv) that
    # lives under /tmp is bound on top of it rather than hidden by it
    cmd += ["--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp", "--dir", notebook_dir]
    roots = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", sys.prefix, sys.base_prefix, str(PACKAGE_DIR)}
    for root in sorted(roots):
        if Path(root).exists():
            cmd += ["--ro-bind", root, root]
    for item in sorted(support.iterdir()):
        cmd += ["--ro-bind", str(item), f"{notebook_dir}/{item.name}"]
    cmd += [
        "--chdir",
        notebook_dir,
        "--clearenv",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "MPLBACKEND",
        "Agg",
        "--setenv",
        "MPLCONFIGDIR",
        "/tmp/mpl",
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--",
        sys.executable,
        "-I",
        "-B",
        "-m",
        "casebook.grading.runner",
    ]
    return cmd


@dataclass
class RunOutcome:
    answers: dict[str, Any]
    errors: list[dict[str, Any]]
    finished: bool  # the runner reached its end
    stopped: str | None  # timeout / output_limit / crashed, when the run did not finish
    last_cell: int | None
    printed_truncated: bool
    seconds: float
    stderr: str = ""


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


def run_cells(cells: list[dict[str, Any]], names: list[str], support: Path, limits: Limits) -> RunOutcome:
    """Run a submission's cells in the sandbox and collect what it reports."""
    read_end, write_end = os.pipe()
    job = {
        "cells": cells,
        "vars": names,
        "print_cap": limits.print_chars,
        "channel_fd": write_end,
        "limits": limits.job(),
    }
    start = time.monotonic()
    proc = subprocess.Popen(
        sandbox_command(support, limits),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(write_end)
    with _LIVE_LOCK:
        _LIVE.add(proc)
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
    seconds = time.monotonic() - start
    answers: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    finished, truncated, last_cell = False, False, None
    for line in bytes(msg_kept).splitlines():
        try:
            msg = json.loads(line)
        except (ValueError, UnicodeDecodeError):
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
            truncated = bool(msg.get("truncated"))
    if overflow.is_set() and not stopped:
        stopped = "output_limit"
    if not finished and not stopped:
        stopped = "crashed"
    return RunOutcome(
        answers={k: v for k, v in answers.items() if k in names},
        errors=errors,
        finished=finished and not stopped,
        stopped=stopped,
        last_cell=last_cell,
        printed_truncated=truncated,
        seconds=seconds,
        stderr=bytes(err_kept[-2000:]).decode("utf-8", "replace"),
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
