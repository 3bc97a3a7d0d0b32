"""Benchmark the book build: clean HTML, no-change rebuild, PDF, and the plain serial build.

Usage: .venv/bin/python benchmarks/bench_build.py [--rounds N] [--write]

Each round measures, side by side in the same run (machines are noisy, so compare ratios):
  1. clean HTML build with parallel pre-execution (python -m dualwheel.publish html, _build removed)
  2. no-change rebuild (the same command again)
  3. PDF build after the HTML build (python -m dualwheel.publish pdf)
  4. clean plain serial build (jupyter-book build . -W -n --keep-going, _build removed)
The ratio is (1) / (4). Goals on a 2-core machine: ratio <= 0.6, no-change rebuild <= 3 s.
--write replaces the "Build" section of BENCHMARKS.md with the medians.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds to run (median reported; default 2)")
    parser.add_argument("--write", action="store_true", help="record the medians in BENCHMARKS.md")
    args = parser.parse_args()
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
