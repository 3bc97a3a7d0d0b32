"""Benchmark the book build: clean HTML, no-change rebuild, PDF, and the plain serial build.

Usage: .venv/bin/python benchmarks/bench_build.py [--rounds N] [--write]
       .venv/bin/python benchmarks/bench_build.py --editions [--rounds N] [--write]

Each round measures, side by side in the same run (machines are noisy, so compare ratios):
  1. clean HTML build with parallel pre-execution (python -m dualwheel.publish html, _build removed)
  2. no-change rebuild (the same command again)
  3. PDF build after the HTML build (python -m dualwheel.publish pdf)
  4. clean plain serial build (jupyter-book build . -W -n --keep-going, _build removed)
The ratio is (1) / (4). Goals on a 2-core machine: ratio <= 0.6, no-change rebuild <= 3 s.
--write replaces the "Build" section of BENCHMARKS.md with the medians.

--editions measures instead what make test builds before its tests, from a clean _build each
time: the five steps one after another (html, pdf, student, after-class, bundle --no-build, as
make test ran them before) against ``python -m dualwheel.publish all`` (one execution, then two
lanes side by side, then the bundles). --write records it as the "Editions" section.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

from record import timed_run, write_section

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
JB = str(Path(PY).with_name("jupyter-book"))


def _clean() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)


def one_round() -> dict[str, float]:
    _clean()
    clean = timed_run([PY, "-m", "dualwheel.publish", "html"])
    nochange = timed_run([PY, "-m", "dualwheel.publish", "html"])
    forced = timed_run([PY, "-m", "dualwheel.publish", "html", "--force"])
    pdf = timed_run([PY, "-m", "dualwheel.publish", "pdf"])
    _clean()
    serial = timed_run([JB, "build", str(ROOT), "-W", "-n", "--keep-going"])
    return {
        "clean": clean,
        "nochange": nochange,
        "forced": forced,
        "pdf": pdf,
        "serial": serial,
        "ratio": clean / serial,
    }


SEQUENTIAL = [["html"], ["pdf"], ["student"], ["after-class"], ["bundle", "--no-build"]]


def editions_round() -> dict[str, float]:
    """Every edition make test reads and the bundles, from a clean _build: one step after
    another, then with ``publish all``."""
    _clean()
    steps = {" ".join(s): timed_run([PY, "-m", "dualwheel.publish", *s]) for s in SEQUENTIAL}
    _clean()
    together = timed_run([PY, "-m", "dualwheel.publish", "all"])
    sequential = sum(steps.values())
    return {**steps, "sequential": sequential, "all": together, "ratio": together / sequential}


def editions(rounds: int, write: bool) -> int:
    results = []
    for i in range(rounds):
        r = editions_round()
        results.append(r)
        print(
            f"round {i + 1}: "
            + " | ".join(f"{k} {v:.1f}" for k, v in r.items() if k != "ratio")
            + f" | ratio {r['ratio']:.2f}",
            flush=True,
        )
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(
        f"median: one after another {med['sequential']:.1f} s, publish all {med['all']:.1f} s, ratio {med['ratio']:.2f}"
    )
    if write:
        load = os.getloadavg()
        names = [" ".join(s) for s in SEQUENTIAL]
        rows = "\n".join(
            f"| {i + 1} | "
            + " | ".join(f"{r[n]:.1f}" for n in names)
            + f" | {r['sequential']:.1f} | {r['all']:.1f} | {r['ratio']:.2f} |"
            for i, r in enumerate(results)
        )
        write_section(
            "Editions",
            f"""Command: `.venv/bin/python benchmarks/bench_build.py --editions --rounds {rounds} --write`
Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime("%Y-%m-%d")}; load average
at the end {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} (1, 5, 15 min). Each column from a clean `_build`.

What make test builds before its tests: each step alone, one after another (as make test ran
them before), against `python -m dualwheel.publish all` (make test now: one execution of the
chapters, then the instructor lane, html and its PDF, beside the student lane, student,
after-class and the student PDF, then the bundles).

| round | {" | ".join(f"`{n}` (s)" for n in names)} | one after another (s) | `all` (s) | ratio |
|---|{"---|" * len(names)}---|---|---|
{rows}
""",
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds to run (median reported; default 2)")
    parser.add_argument("--write", action="store_true", help="record the medians in BENCHMARKS.md")
    parser.add_argument(
        "--editions", action="store_true", help="make test's builds: one after another against publish all"
    )
    args = parser.parse_args()
    if args.editions:
        return editions(args.rounds, args.write)
    rounds = []
    for i in range(args.rounds):
        r = one_round()
        rounds.append(r)
        print(
            f"round {i + 1}: clean {r['clean']:.1f} s | no-change {r['nochange']:.1f} s | "
            f"forced no-change {r['forced']:.1f} s | pdf {r['pdf']:.1f} s | serial {r['serial']:.1f} s | ratio {r['ratio']:.2f}",
            flush=True,
        )
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    # leave a complete build behind, as `make html` would
    timed_run([PY, "-m", "dualwheel.publish", "html"])
    print(
        f"median: clean {med['clean']:.1f} s, no-change {med['nochange']:.1f} s, pdf {med['pdf']:.1f} s, "
        f"serial {med['serial']:.1f} s, ratio {med['ratio']:.2f}"
    )
    ok_ratio, ok_rebuild = med["ratio"] <= 0.6, med["nochange"] <= 3.0
    print(
        f"goals: ratio <= 0.6 {'met' if ok_ratio else 'NOT met'}; "
        f"no-change rebuild <= 3 s {'met' if ok_rebuild else 'NOT met'}"
    )
    if args.write:
        _write(med, rounds)
    return 0


def _write(med: dict[str, float], rounds: list[dict[str, float]]) -> None:
    rows = "\n".join(
        f"| {i + 1} | {r['clean']:.1f} | {r['nochange']:.1f} | {r['forced']:.1f} | {r['pdf']:.1f} | {r['serial']:.1f} | {r['ratio']:.2f} |"
        for i, r in enumerate(rounds)
    )
    write_section(
        "Build",
        f"""Command: `.venv/bin/python benchmarks/bench_build.py --rounds {len(rounds)} --write`
Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime("%Y-%m-%d")}.
Book: {len(list((ROOT / "book").glob("*.md")))} pages, chapters executed from scratch in each clean build.

| round | clean HTML, parallel pre-execution (s) | no-change rebuild (s) | no-change, forced through Sphinx (s) | PDF after HTML (s) | clean plain serial `jupyter-book build` (s) | ratio clean / serial |
|---|---|---|---|---|---|---|
{rows}
| **median** | **{med["clean"]:.1f}** | **{med["nochange"]:.1f}** | **{med["forced"]:.1f}** | **{med["pdf"]:.1f}** | **{med["serial"]:.1f}** | **{med["ratio"]:.2f}** |

Goals: clean build at most 0.6x the serial build; no-change rebuild 3 s or less. The no-change
rebuild (`make html` again) finds every input unchanged since the last successful strict build
and stops; the forced column runs the cache check and Sphinx anyway, for comparison.

What the clean build does that the plain one does not: it executes the chapters in parallel
with jupyter-cache's executor, lets the kernels it starts render what-if frames in forked
worker processes (`CASEBOOK_FRAME_WORKERS`; a reader's kernel and the plain build render
in-process), and runs Jupyter Book in the same process afterwards. Both builds share the
cheaper frame rendering (one layout for all frames, model results computed once).
""",
    )


if __name__ == "__main__":
    raise SystemExit(main())
