"""Benchmark the test commands against their budgets: ``make unit`` (30 s) and, with ``--ci``,
``.ci/run`` on a fresh clone (10 minutes on 2 cores).

Usage: .venv/bin/python benchmarks/bench_tests.py [--rounds N] [--ci] [--write]

``make unit`` runs ``--rounds`` times (default 5) one after another; the median is the figure,
since one run on a shared machine can be slowed by anything else running. ``--ci`` clones the
repository's HEAD into a temporary folder and times ``.ci/run`` there once (it installs its own
environment, builds every edition and runs every test: about ten minutes). ``--write`` records
the figures as the "Test commands" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from record import timed_run, write_section

ROOT = Path(__file__).resolve().parent.parent


def bench_unit(rounds: int) -> list[float]:
    times = []
    for i in range(rounds):
        t = timed_run(["make", "unit"])
        times.append(t)
        print(f"make unit, round {i + 1} of {rounds}: {t:.1f} s", flush=True)
    return times


def bench_ci() -> float:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    with tempfile.TemporaryDirectory(prefix="casebook-ci-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        print(f".ci/run on a fresh clone of {head.stdout.strip()} in {clone} (about ten minutes)", flush=True)
        start = time.perf_counter()
        run = subprocess.run([str(clone / ".ci" / "run")], cwd=clone, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if run.returncode != 0:
            sys.stderr.write(run.stdout[-3000:] + run.stderr[-3000:])
            raise SystemExit(".ci/run failed: no figure recorded")
        summary = [line for line in run.stdout.splitlines() if " passed" in line]
        print(summary[-1] if summary else "(no pytest summary line)")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="runs of make unit (default 5)")
    ap.add_argument("--ci", action="store_true", help="also time .ci/run on a fresh clone (about ten minutes)")
    ap.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    load = os.getloadavg()[0]
    unit = bench_unit(args.rounds)
    ci = bench_ci() if args.ci else None
    lines = [
        f"Measured by `python benchmarks/bench_tests.py --rounds {args.rounds}{' --ci' if args.ci else ''}` "
        f"on {os.cpu_count()} cores ({platform.machine()}), load average {load:.1f} at the start.",
        "",
        "| command | figure | budget |",
        "|---|---:|---:|",
        f"| `make unit`, median of {args.rounds} (min {min(unit):.1f} s, max {max(unit):.1f} s) "
        f"| **{statistics.median(unit):.1f} s** | 30 s |",
    ]
    if ci is not None:
        minutes, seconds = divmod(round(ci), 60)
        lines.append(f"| `.ci/run` on a fresh clone | **{minutes} min {seconds} s** ({ci:.0f} s) | 10 min |")
    body = "\n".join(lines)
    print(body)
    if args.write:
        write_section("Test commands", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
