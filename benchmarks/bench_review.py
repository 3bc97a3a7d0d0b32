"""Benchmark the marking page of `casebook review` on a large class.

Usage: .venv/bin/python benchmarks/bench_review.py [--students 60] [--chapter 4] [--write]

1. Makes a graded folder as `casebook grade` leaves it (results, gradebook, manual sheet) for
   STUDENTS students, each with a memo of the asked length for every rubric question of the
   chapter (fixed seed; Chapter 4 has two rubric questions).
2. Times `casebook review` writing the page, and records its size.
3. Opens the page offline in Chromium and times: load until the answers are on screen,
   typing one mark (until the count of marked answers changes), and Export (until the
   download is saved). Runs axe-core on the page and counts violations by impact.
--write records the figures in the "Marking page" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from record import write_section

from dualwheel.grading import batch, grade, gradebook, review
from dualwheel.grading.files import atomic_write
from dualwheel.grading.questions import bank_for

WORDS = (
    "Alibaba AIDC revenue share segment FY2024 Taotian EBITA losses Cainiao cloud logistics "
    "expansion market seller margin growth denominator consolidated international strategy "
    "Uppsala commitment knowledge psychic distance platform ecosystem buyers merchants"
).split()


def make_class(folder: Path, chapter: int, students: int, seed: int = 7) -> None:
    bank = bank_for(chapter)
    rng = random.Random(seed)
    rubric = [q for q in bank.graded_questions if q.manual]
    results = {}
    for n in range(students):
        student = f"student{n:03d}"
        answers = {}
        for q in rubric:
            low, high = q.words or (150, 250)
            answers[q.var] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))) + "."
        results[student] = {
            "student": student,
            "file": f"{student}.ipynb",
            "chapter": chapter,
            "status": "graded",
            "message": "",
            "questions": grade.score_answers(bank, answers),
            "auto_total": 0.0,
            "max_points": bank.total_points,
        }
        atomic_write(batch.result_path(folder, student), json.dumps(results[student]))
    atomic_write(folder / "gradebook.csv", gradebook.gradebook_csv(bank, results))
    gradebook.write_manual_template(folder / "manual_scores.csv", bank, results)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--chapter", type=int, default=4)
    ap.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import axe_violations
    from conftest import CHROMIUM, CHROMIUM_ARGS

    bank = bank_for(args.chapter)
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        folder = Path(tmp) / "class-graded"
        make_class(folder, args.chapter, args.students)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            report = review.write_review(folder, bank)
            times.append(time.perf_counter() - start)
        write_s = statistics.median(times)
        size = report.page.stat().st_size

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(accept_downloads=True)
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:")) else r.abort()
            )
            loads = []
            for _ in range(3):
                start = time.perf_counter()
                page.goto(report.page.as_uri())
                page.wait_for_selector(".answer >> nth=-1")
                loads.append(time.perf_counter() - start)
            load_s = statistics.median(loads)
            typing = []
            for k in range(20):  # the first box of 20 answers; the input handler runs inside fill()
                box = page.locator(".answer").nth(k).locator("input").first
                start = time.perf_counter()
                box.fill("1")
                typing.append(time.perf_counter() - start)
            type_ms = statistics.median(typing) * 1000
            start = time.perf_counter()
            with page.expect_download() as got:
                page.click("#export")
            got.value.save_as(Path(tmp) / "manual_scores.csv")
            export_s = time.perf_counter() - start
            axe = axe_violations(page)
            browser.close()
    impacts: dict[str, int] = {}
    for v in axe:
        impacts[v["impact"]] = impacts.get(v["impact"], 0) + len(v["nodes"])
    answers = report.answers
    body = f"""Command: `.venv/bin/python benchmarks/bench_review.py --students {args.students} --chapter {args.chapter} --write`
Machine: 2 cores shared with other sessions, Python {platform.python_version()}, {time.strftime("%Y-%m-%d")}.
Class: {args.students} students, Chapter {args.chapter} ({report.questions} rubric questions, {answers} memos of the
asked length).

| step | figure |
|---|---:|
| `casebook review` writes the page (median of 3) | {write_s:.2f} s |
| page size | {size:,} bytes |
| Chromium: open until every answer is on screen (median of 3) | {load_s:.2f} s |
| typing one mark: `fill()` with the page's handler (median of 20) | {type_ms:.0f} ms |
| Export until `manual_scores.csv` is saved | {export_s:.2f} s |
| axe-core violations by impact (nodes) | {json.dumps(impacts) if impacts else "none"} |
"""
    print(body)
    if args.write:
        write_section("Marking page", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
