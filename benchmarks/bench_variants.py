"""Benchmark per-student variants: `casebook release --roster` and `casebook grade --roster` on a class.

Usage: .venv/bin/python benchmarks/bench_variants.py [--count 300] [--chapter 3] [--jobs 2] [--write]

1. Takes the chapter's real bank; if none of its graded numeric questions varies yet, adds one
   (the AIDC share of consolidated revenue, FY2022-FY2024) to a copy, so the run always has
   per-student keys. The commands run in this process against that copy (same code as the CLI).
2. Writes a roster of COUNT students and a course secret; times
   `casebook release N --roster roster.csv --secret-file course.secret` (one folder per student).
3. Fills every student's own notebook with that student's right answers, except that two pairs
   of classmates with different variants swap their varying answers.
4. Times `casebook grade submissions/ --roster roster.csv --secret-file course.secret --jobs J`
   (each notebook sandboxed) and checks: every student is keyed on their own variant, the
   swapped answers score 0 and are flagged `needs_review`, everyone else gets full automatic marks.
--write records the figures in the "Per-student variants" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from record import write_section

from dualwheel.grading import cli, questions, variants
from dualwheel.grading.export import read_roster

ADDED = {
    "id": "chNN-q99-aidc-share-varied",
    "type": "numeric",
    "lesson": "measurement",
    "points": 2,
    "unit": "%",
    "vary": {"year": [2022, 2023, 2024]},
    "prompt": "What share of consolidated revenue did AIDC earn in FY{year}? One decimal.",
    "answer": {"expr": "share('aidc_total', year, 'consolidated') * 100", "tolerance": 0.1},
    "feedback": {"wrong": "Divide AIDC's FY{year} revenue by consolidated revenue."},
}


def _bank_copy(chapter: int, folder: Path) -> tuple[Path, bool]:
    raw = yaml.safe_load((questions.EXERCISES_DIR / f"ch{chapter:02d}.yml").read_text(encoding="utf-8"))
    added = False
    probe = questions.load_bank(questions.EXERCISES_DIR / f"ch{chapter:02d}.yml")
    if not variants.varying(probe):
        raw["questions"].append({**ADDED, "id": ADDED["id"].replace("NN", f"{chapter:02d}")})
        added = True
    path = folder / f"ch{chapter:02d}.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, added


def _right(q: questions.Question) -> str:
    if q.type == "numeric":
        return repr(round(float(q.answer), 2))
    if q.type == "rubric":
        return '"""' + " ".join(q.model_answer.split()).replace('"""', "'''") + '"""'
    return repr(q.answer)


def _fill(notebook: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("casebook", {})
        if meta.get("role") == "answer" and meta.get("question") in answers:
            cell.source = f"{meta['question']} = {answers[meta['question']]}\n"
    return nb


def _cli(argv: list[str]) -> tuple[float, str]:
    said = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(said):
        code = cli.main(argv)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(
            f"benchmark step failed ({code}): casebook {' '.join(argv)}\n{said.getvalue()[-2000:]}"
        )
    return elapsed, said.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--chapter", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-variants-") as tmp:
        root = Path(tmp)
        (root / "exercises").mkdir()
        _, added = _bank_copy(args.chapter, root / "exercises")
        questions.EXERCISES_DIR = root / "exercises"  # bank_for reads it: the CLI sees the copy
        bank = questions.bank_for(args.chapter)
        roster = root / "roster.csv"
        with roster.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["submission", "lms_id", "name"])
            for i in range(args.count):
                w.writerow([f"student{i:04d}", str(700000 + i), f"Student {i}"])
        secret = root / "course.secret"
        secret.write_text(os.urandom(32).hex())
        out = root / "release"
        release_s, _ = _cli(
            [
                "release",
                str(args.chapter),
                "--roster",
                str(roster),
                "--secret-file",
                str(secret),
                "--out",
                str(out),
            ]
        )
        students = read_roster(roster)
        key = variants.read_secret(secret)
        subs = root / "submissions"
        subs.mkdir()
        folder = out / f"ch{args.chapter:02d}-students"
        vq = variants.varying(bank)[0]
        assigned = {s.submission: variants.assignment(bank, s.lms_id, key) for s in students}
        answers = {}
        for s in students:
            own = variants.student_bank(bank, assigned[s.submission])
            answers[s.submission] = {q.var: _right(q) for q in own.graded_questions}
        # two pairs of classmates with different variants swap their varying answers
        names = list(answers)
        swapped: list[str] = []
        for a in names:
            if len(swapped) == 4:
                break
            if a in swapped:
                continue
            b = next(
                (
                    n
                    for n in names
                    if n not in swapped
                    and n != a
                    and assigned[n][vq.id] != assigned[a][vq.id]
                    and answers[n][vq.var] != answers[a][vq.var]
                ),
                None,
            )
            if b:
                answers[a][vq.var], answers[b][vq.var] = answers[b][vq.var], answers[a][vq.var]
                swapped += [a, b]
        for s in students:
            nb = _fill(
                folder / variants.folder_name(s.submission) / f"ch{args.chapter:02d}-exercises.ipynb",
                answers[s.submission],
            )
            nbformat.write(nb, subs / f"{s.submission}.ipynb")
        graded = root / "graded"
        grade_s, said = _cli(
            [
                "grade",
                str(subs),
                "--chapter",
                str(args.chapter),
                "--roster",
                str(roster),
                "--secret-file",
                str(secret),
                "--out",
                str(graded),
                "--jobs",
                str(args.jobs),
                "--quiet",
            ]
        )
        rows = list(csv.DictReader((graded / "gradebook.csv").open(encoding="utf-8")))
        auto_max = sum(q.points for q in bank.graded_questions if not q.manual)
        full = [r for r in rows if float(r["auto_total"]) == auto_max]
        flagged = [r for r in rows if r["student"] in swapped]
        ok = (
            len(rows) == args.count
            and len(full) == args.count - len(swapped)
            and all(r["status"] == "needs_review" and "another variant" in r["message"] for r in flagged)
            and all(float(r[vq.var]) == 0 for r in flagged)
        )
        spread = {}
        for a in assigned.values():
            spread[a[vq.id]] = spread.get(a[vq.id], 0) + 1
    n = args.count
    lines = [
        f"Command: `.venv/bin/python benchmarks/bench_variants.py --count {n} --jobs {args.jobs} --write`",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}; "
        f"load average at the end {os.getloadavg()[0]:.1f}.",
        f"Bank: chapter {args.chapter}"
        + (" with one varying question added to a copy (the real bank has none yet)" if added else "")
        + f"; {vq.var} has {len(vq.variants)} variants, spread {dict(sorted(spread.items()))} over the roster.",
        "",
        "| step | command | wall clock (s) | per student (s) |",
        "|---|---|---|---|",
        f"| release | `casebook release {args.chapter} --roster roster.csv --secret-file course.secret` | {release_s:.1f} | {release_s / n:.3f} |",
        f"| grade | `casebook grade submissions/ --roster roster.csv --secret-file course.secret --jobs {args.jobs}` | {grade_s:.1f} | {grade_s / n:.3f} |",
        "",
        f"Result: {len(full)} of {n} students full automatic marks on their own variant; {len(swapped)} who swapped "
        f"their {vq.var} answer with a classmate scored 0 on it and were flagged needs_review: "
        + ("as expected." if ok else "NOT as expected: see the gradebook."),
    ]
    print("\n".join(lines))
    if not ok:
        raise SystemExit("the benchmark's checks failed")
    if args.write:
        write_section("Per-student variants", "\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
