"""Benchmark the course bundles (make bundle): build time, zip sizes, and the time of their tests.

Usage: .venv/bin/python benchmarks/bench_bundle.py [--rounds N] [--tests] [--write]

Needs both editions built (make html, make student). Each round measures, one after another:
  1. cold: no otter cache (a fresh clone, as on CI): every autograder built, then both zips
  2. warm: the same command again (every autograder from the cache: what a rebuild with
     unchanged question banks costs)
and, for comparison, the `otter assign` command on one chapter (otter starts for each chapter).
With --tests, also times `pytest tests/book/test_bundles.py` (the unzip-and-open tests).
--write replaces the "Course bundles" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from record import timed_run, write_section

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))

from dualwheel.publish.bundle import BUNDLES, INSTRUCTOR_ZIP, STUDENT_ZIP, WORK  # noqa: E402


def _bundle() -> float:
    return timed_run([PY, "-m", "dualwheel.publish", "bundle", "--no-build"])


def one_round(tmp: Path) -> dict[str, float]:
    shutil.rmtree(WORK / "otter-cache", ignore_errors=True)
    cold = _bundle()
    warm = _bundle()
    timed_run([str(Path(PY).with_name("casebook")), "release", "3", "--out", str(tmp)])
    master = tmp / "instructor" / "ch03" / "ch03-otter-master.ipynb"
    shutil.rmtree(tmp / "otter-cli", ignore_errors=True)
    one = timed_run([str(Path(PY).with_name("otter")), "assign", str(master), str(tmp / "otter-cli")])
    return {"cold": cold, "warm": warm, "otter_cli": one}


def sizes() -> list[tuple[str, int, int, int]]:
    rows = []
    for name in (STUDENT_ZIP, INSTRUCTOR_ZIP):
        path = BUNDLES / name
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
        rows.append((name, path.stat().st_size, sum(i.file_size for i in infos), len(infos)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="rounds to run (median reported; default 1)")
    parser.add_argument("--tests", action="store_true", help="also time the bundle tests")
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            r = one_round(Path(tmp))
            rounds.append(r)
            print(
                f"round {i + 1}: cold {r['cold']:.1f} s | warm {r['warm']:.1f} s | "
                f"otter assign, Chapter 3 {r['otter_cli']:.1f} s",
                flush=True,
            )
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    tests = None
    if args.tests:
        tests = timed_run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/book/test_bundles.py"])
        print(f"tests/book/test_bundles.py: {tests:.1f} s")
    load_after = os.getloadavg()[0]
    table = sizes()
    for name, size, unpacked, count in table:
        print(f"{name}: {size:,} bytes ({unpacked:,} unpacked, {count} files)")
    if args.write:
        _write(med, rounds, table, tests, (load_before, load_after))
    return 0


def _write(med, rounds, table, tests, load) -> None:
    rows = "\n".join(
        f"| {i + 1} | {r['cold']:.1f} | {r['warm']:.1f} | {r['otter_cli']:.1f} |"
        for i, r in enumerate(rounds)
    )
    size_rows = "\n".join(f"| `{n}` | {s:,} | {u:,} | {c} |" for n, s, u, c in table)
    test_line = (
        f"\n`pytest tests/book/test_bundles.py` (unzip both, open every page in Chromium, move every "
        f"slider, answer every self-check, rebuild and compare bytes): **{tests:.1f} s**.\n"
        if tests is not None
        else ""
    )
    write_section(
        "Course bundles",
        f"""Command: `.venv/bin/python benchmarks/bench_bundle.py --rounds {len(rounds)}{" --tests" if tests is not None else ""} --write`
(after `make html` and `make student`). Machine: {os.cpu_count()} cores, Python {platform.python_version()},
{time.strftime("%Y-%m-%d")}; load average {load[0]:.1f} before, {load[1]:.1f} after (other sessions share the cores).

| zip | bytes | unpacked bytes | files |
|---|---:|---:|---:|
{size_rows}

| round | cold: `make bundle` with no otter cache (s) | warm: autograders cached (s) | for comparison: the `otter assign` command, Chapter 3 alone (s) |
|---|---:|---:|---:|
{rows}
| **median** | **{med["cold"]:.1f}** | **{med["warm"]:.1f}** | **{med["otter_cli"]:.1f}** |
{test_line}
Both columns run `python -m dualwheel.publish bundle --no-build` (what `make test` runs after its
builds). Cold is a fresh clone, as on CI: the seven autograders are built by otter's own
`otter.assign.main`, called in the build's process. The `otter assign` command spends nearly all
its time (the last column, one chapter) starting otter; called in-process, otter starts once and
each chapter then takes a few hundredths of a second, with byte-identical autograders. A first
version ran the command once per chapter: 88 s cold two at a time, 58 s one at a time (load
average 8 then).
Warm is every later `make bundle` with unchanged question banks: the autograders come from
`_build/bundles/.work/otter-cache`, keyed by a hash of what otter reads and otter's version,
and only the releases and the two zips are written (most of the time is deflating 55 MB).

What `make test` gains: the bundle step (the cold column on CI) and the tests, of which about
10 s is one `otter run` of the bundled Chapter 3 autograder and 8 s rebuilding both zips to
compare bytes; the fast tests in `tests/build/test_bundle.py` (part of `make unit`) take about
3 s. In all about a minute on this shared machine.
""",
    )


if __name__ == "__main__":
    raise SystemExit(main())
