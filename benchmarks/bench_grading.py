"""Benchmark batch grading: `casebook grade` against a sequential loop of `otter run`.

Usage: .venv/bin/python benchmarks/bench_grading.py [--count 100] [--chapter 3] [--write]

1. Generates COUNT realistic submissions from the chapter's real release notebook, with a
   fixed seed: right answers, partly right, wrong, and broken (a cell that raises, answers of
   the wrong type, a deleted answer cell, a notebook cut off mid-file).
2. Grades the folder with `casebook grade` (default settings: 2 jobs, sandboxed).
3. Grades each file with `otter run` on the autograder that `casebook otter` builds, one
   after another (otter's own route, no Docker).
4. Compares the automatic score of every submission (rubric points are manual in both) and
   the wall-clock times. Goals: identical scores, casebook at least 10x faster.
--write records the figures in the "Grading" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from record import write_section

from dualwheel.grading import release
from dualwheel.grading.questions import Question, bank_for

PY = sys.executable
OTTER = str(Path(PY).with_name("otter"))
KINDS = ("correct", "partly", "wrong", "broken")


def _right(q: Question) -> str:
    if q.type == "numeric":
        return f"{round(float(q.answer), 1)}"
    if q.type == "rubric":
        return '"""' + " ".join(q.model_answer.split()[:60]) + '"""'
    return repr(q.answer)


def _wrong(q: Question, rng: random.Random) -> str:
    if q.type == "numeric":
        return f"{round(float(q.answer) * rng.choice([0.5, 0.8, 1.2, 1.5]), 1)}"
    if q.type == "choice":
        return repr(rng.choice([k for k in q.options if k != q.answer]))
    if q.type == "multi":
        return repr(list(q.options)[:1] if list(q.options)[:1] != q.answer else list(q.options))
    if q.type == "order":
        return repr(list(reversed(q.answer)))
    if q.type == "match":
        keys = list(q.answer)
        vals = [q.answer[k] for k in keys]
        return repr(dict(zip(keys, vals[1:] + vals[:1], strict=True)))
    return '"""' + rng.choice(["Alibaba is big.", "I am not sure.", "Technology and ecosystem."]) + '"""'


def make_submission(bank, kind: str, rng: random.Random) -> bytes:
    """One student's notebook: the release notebook with answers typed in."""
    nb = release.student_notebook(bank)
    answer_cells = [c for c in nb.cells if c.metadata.get("casebook", {}).get("role") == "answer"]
    questions = {q.var: q for q in bank.graded_questions}
    for cell in answer_cells:
        q = questions[cell.metadata["casebook"]["question"]]
        right = kind == "correct" or (kind in ("partly", "broken") and rng.random() < 0.6)
        value = _right(q) if right else _wrong(q, rng)
        cell.source = f"# working\nsegments = pd.read_csv('data/segment_revenue.csv')\n{q.var} = {value}\n\ncheck({q.var!r})"
    if kind == "broken":
        damage = rng.choice(["raise", "type", "delete", "truncate"])
        if damage == "raise":
            at = rng.randrange(len(answer_cells))
            answer_cells[at].source = "total = segments['no_such_column'].sum()\n" + answer_cells[at].source
        elif damage == "type":
            answer_cells[
                0
            ].source = f"{answer_cells[0].metadata['casebook']['question']} = ['not', 'a', 'number']"
        elif damage == "delete":
            nb.cells.remove(answer_cells[rng.randrange(len(answer_cells))])
        else:
            text = nbformat.writes(release.stable_ids(nb))
            return text[: len(text) * 2 // 3].encode()
    return nbformat.writes(release.stable_ids(nb)).encode()


def generate(bank, folder: Path, count: int, seed: int = 2024) -> dict[str, str]:
    rng = random.Random(seed)
    kinds = {}
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        name = f"student{i + 1:03d}"
        (folder / f"{name}.ipynb").write_bytes(make_submission(bank, kind, rng))
        kinds[name] = kind
    return kinds


def grade_casebook(folder: Path, out: Path, chapter: int) -> tuple[float, dict[str, float], dict[str, str]]:
    start = time.perf_counter()
    subprocess.run(
        [
            PY,
            "-m",
            "dualwheel.grading.cli",
            "grade",
            str(folder),
            "--chapter",
            str(chapter),
            "--out",
            str(out),
            "--no-resume",
            "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    scores, statuses = {}, {}
    for p in (out / "results").glob("*.json"):
        r = json.loads(p.read_text())
        scores[r["student"]] = float(r["auto_total"])
        statuses[r["student"]] = r["status"]
    return seconds, scores, statuses


def grade_otter(folder: Path, autograder: Path, work: Path) -> tuple[float, dict[str, float], int]:
    scores, failures = {}, 0
    files = sorted(folder.glob("*.ipynb"))
    start = time.perf_counter()
    for i, nb in enumerate(files, start=1):
        out = work / nb.stem
        out.mkdir(parents=True)
        done = subprocess.run(
            [OTTER, "run", "-a", str(autograder), "-o", str(out), str(nb)], capture_output=True, text=True
        )
        results = out / "results.json"
        if done.returncode != 0 or not results.exists():
            scores[nb.stem] = 0.0  # otter cannot read it: no points, as in casebook's invalid_submission
            failures += 1
        else:
            tests = json.loads(results.read_text())["tests"]
            scores[nb.stem] = float(sum(t["score"] for t in tests if "score" in t))
        print(f"\r  otter run {i}/{len(files)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start, scores, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="submissions to generate (default: 100)")
    parser.add_argument(
        "--chapter", type=int, default=3, help="chapter whose exercises to grade (default: 3)"
    )
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = parser.parse_args()
    bank = bank_for(args.chapter)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp_path = Path(tmp)
        folder = tmp_path / "submissions"
        folder.mkdir()
        kinds = generate(bank, folder, args.count)
        print(f"generated {args.count} submissions in {folder}", file=sys.stderr)
        autograder = release.build_otter(bank, tmp_path / "release")
        ours_s, ours, statuses = grade_casebook(folder, tmp_path / "casebook", args.chapter)
        print(f"casebook grade: {ours_s:.1f} s", file=sys.stderr)
        otter_s, theirs, otter_failures = grade_otter(folder, autograder, tmp_path / "otter")
        print(f"otter run loop: {otter_s:.1f} s", file=sys.stderr)
    differ = sorted(s for s in ours if abs(ours[s] - theirs.get(s, -1)) > 1e-9)
    ratio = otter_s / ours_s
    by_kind = {k: sum(1 for v in kinds.values() if v == k) for k in KINDS}
    status_counts: dict[str, int] = {}
    for st in statuses.values():
        status_counts[st] = status_counts.get(st, 0) + 1
    print(
        f"casebook {ours_s:.1f} s ({ours_s / args.count:.2f} s each) | otter {otter_s:.1f} s "
        f"({otter_s / args.count:.2f} s each) | speed-up {ratio:.1f}x | scores differ on {len(differ)}"
    )
    if differ:
        print("differing:", ", ".join(f"{s} casebook {ours[s]:g} otter {theirs.get(s)}" for s in differ[:20]))
    print(
        f"goals: identical scores {'met' if not differ else 'NOT met'}; "
        f">= 10x faster {'met' if ratio >= 10 else 'NOT met'}"
    )
    if args.write:
        write_section(
            "Grading",
            f"""Command: `.venv/bin/python benchmarks/bench_grading.py --count {args.count} --write`
Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime("%Y-%m-%d")}.
Submissions: {args.count} generated from the Chapter {bank.chapter} release notebook
({", ".join(f"{n} {k}" for k, n in by_kind.items())}); casebook statuses:
{", ".join(f"{n} {s}" for s, n in sorted(status_counts.items()))}.

| grader | wall clock (s) | per submission (s) |
|---|---|---|
| `casebook grade` (2 jobs, each notebook sandboxed) | {ours_s:.1f} | {ours_s / args.count:.2f} |
| sequential `otter run` on the generated autograder | {otter_s:.1f} | {otter_s / args.count:.2f} |
| **speed-up** | **{ratio:.1f}x** | |

Scores: identical on {args.count - len(differ)} of {args.count} submissions (automatic points;
the rubric question is manual in both). `otter run` could not read {otter_failures} notebook(s)
(cut off mid-file); they count as 0, as casebook's `invalid_submission` does.
Goals: identical scores; at least 10x faster.
""",
        )
    return 0 if not differ else 1


if __name__ == "__main__":
    raise SystemExit(main())
