"""Count axe-core's accessibility findings on every page of both built editions.

Usage: .venv/bin/python benchmarks/bench_a11y.py [--write]

Opens each page of the instructor edition (_build/html) and the student edition
(_build/student/_build/html) offline in headless Chromium, waits for the what-if widgets, runs
axe-core (the version package.json pins, from node_modules) with its default rules, and counts violations
(rule x page) and failing elements by impact. Serious and critical ones fail the tests
(tests/book/test_a11y.py); the minor and moderate ones are recorded here. It also times the axe
runs, the figure behind the tests' share of CI time. --write replaces the "Accessibility" section
of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from record import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import axe_violations, pinned_axe_version, wait_for_widgets  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

EDITIONS = {
    "instructor": ROOT / "_build" / "html",
    "student": ROOT / "_build" / "student" / "_build" / "html",
}
IMPACTS = ("critical", "serious", "moderate", "minor")


def pages(root: Path) -> list[Path]:
    return sorted((root / "book").glob("*.html")) + [root / "search.html", root / "genindex.html"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the counts in BENCHMARKS.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    for root in EDITIONS.values():
        if not (root / "index.html").exists():
            raise SystemExit(f"{root} is missing: build both editions first (make html student)")
    rows, rules, seconds = [], collections.defaultdict(collections.Counter), {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = context.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
        )
        for edition, root in EDITIONS.items():
            found = collections.Counter()
            elements = collections.Counter()
            start = time.perf_counter()
            listed = pages(root)
            for i, path in enumerate(listed, 1):
                print(f"{edition} {i}/{len(listed)} {path.name}", file=sys.stderr, flush=True)
                page.goto(path.as_uri(), wait_until="load")
                wait_for_widgets(page)
                for v in axe_violations(page):
                    found[v["impact"]] += 1
                    elements[v["impact"]] += len(v["nodes"])
                    rules[edition][f"{v['id']} ({v['impact']})"] += 1
            seconds[edition] = time.perf_counter() - start
            rows.append((edition, len(listed), found, elements))
        context.close()
    lines = [
        "Command: `.venv/bin/python benchmarks/bench_a11y.py --write` (axe-core "
        f"{pinned_axe_version()} as package.json pins it, run through axe-playwright-python, default rules: WCAG 2.0/2.1 A and AA plus best practices; "
        "headless Chromium, offline). A violation is one rule failing on one page; elements count "
        "the failing nodes. Serious and critical fail `tests/book/test_a11y.py`.",
        "",
        "| edition | pages | critical | serious | moderate | minor | seconds (load + axe) |",
        "|---|---|---|---|---|---|---|",
    ]
    for edition, n, found, elements in rows:
        cells = " | ".join(f"{found[i]} ({elements[i]} el.)" for i in IMPACTS)
        lines.append(f"| {edition} | {n} | {cells} | {seconds[edition]:.1f} |")
    lines += ["", "Rules behind the lesser findings (pages where each fails):", ""]
    for edition, counter in rules.items():
        listed = ", ".join(f"`{rule}` {k}" for rule, k in sorted(counter.items()))
        lines.append(f"- {edition}: {listed or 'none'}")
    body = "\n".join(lines)
    print(body)
    if args.write:
        write_section("Accessibility", body)


if __name__ == "__main__":
    main()
