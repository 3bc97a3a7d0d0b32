"""Every edition ``make test`` reads, built two at a time: ``python -m dualwheel.publish all``.

The chapters are executed once, on every core, into the execution cache. Then two lanes run
side by side, each a sequence of the ordinary build commands in a process of its own:

    instructor: html, then the instructor PDF       (both use _build/.doctrees)
    student:    student, after-class, then the student PDF  (student HTML and PDF share
                _build/student/_build/.doctrees)

Builds that share a Sphinx environment stay in one lane, one after the other; the lanes share
only the execution cache, which they read. Each build is the same command as when run alone
(``python -m dualwheel.publish html`` ...), so what it writes is the same; only the order in
time changes. Sphinx and xelatex use one core each, so two lanes keep both cores busy. The
bundles are packed last, from the editions as built.

A lane's output goes to ``_build/.casebook-lane-NAME.log`` and is printed whole when the lane
ends, so the two never interleave.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from . import ROOT, execute

LANES: dict[str, list[list[str]]] = {
    "instructor": [["html"], ["pdf", "--edition", "instructor"]],
    "student": [["student"], ["after-class"], ["pdf", "--edition", "student"]],
}


def _log(name: str) -> Path:
    return ROOT / "_build" / f".casebook-lane-{name}.log"


def run_lane(name: str, steps: list[list[str]], printed: threading.Lock, failed: list[str]) -> None:
    """Run the lane's build commands in order, stopping at the first that fails."""
    start = time.perf_counter()
    log = _log(name)
    try:
        with log.open("w", encoding="utf-8") as out:
            for step in steps:
                cmd = [sys.executable, "-m", "dualwheel.publish", *step]
                out.write(f"all: [{name}] python -m dualwheel.publish {' '.join(step)}\n")
                out.flush()
                begun = time.perf_counter()
                code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT).returncode
                out.write(
                    f"all: [{name}] {' '.join(step)}: {time.perf_counter() - begun:.1f} s (exit {code})\n"
                )
                out.flush()
                if code:
                    failed.append(f"{name}: python -m dualwheel.publish {' '.join(step)} (exit {code})")
                    break
    except OSError as exc:  # the log could not be written, or the interpreter not started
        failed.append(f"{name}: {exc}")
    with printed:
        if log.exists():
            sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
        print(f"all: lane {name} done in {time.perf_counter() - start:.1f} s", flush=True)


def build_all() -> int:
    """Execute, build every edition in two lanes, then pack the bundles; return the exit status."""
    start = time.perf_counter()
    if execute():
        return 1
    (ROOT / "_build").mkdir(exist_ok=True)
    printed = threading.Lock()
    failed: list[str] = []
    threads = [
        threading.Thread(target=run_lane, args=(name, steps, printed, failed), name=name)
        for name, steps in LANES.items()
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        for line in failed:
            print(f"all: FAILED {line}", file=sys.stderr)
        return 1
    from .bundle import BUNDLES
    from .bundle import main as bundle

    code = bundle(BUNDLES, build_books=False)
    print(f"all: every edition and the bundles in {time.perf_counter() - start:.1f} s", flush=True)
    return code
