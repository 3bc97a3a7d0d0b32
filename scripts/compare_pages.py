#!/usr/bin/env python3
"""Compare two builds of the book page by page: exhibit titles and the prose's glued numbers.

    python scripts/compare_pages.py OLD_HTML_DIR NEW_HTML_DIR

Used to check that a refactor loses nothing: it prints every exhibit caption and every
number in the article text that one build has and the other lacks, and exits 1 if any differ.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

CAPTION = re.compile(r"Exhibit \d+\.\d+(?: \(what-if\))?\.\s[^\n]{0,120}")
NUMBER = re.compile(r"[−-]?\d[\d,]*(?:\.\d+)?%?")


def page_facts(path: Path) -> tuple[list[str], list[str]]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article") or soup
    for hidden in main.select(".cell_input, .widget-subarea, script, style"):
        hidden.decompose()
    text = re.sub(r"[ \t]+", " ", main.get_text("\n"))
    captions = [re.sub(r"\s+", " ", c).strip() for c in CAPTION.findall(text)]
    numbers = NUMBER.findall(text)
    return captions, numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "old", type=Path, help="HTML folder of the earlier build (e.g. /tmp/before/_build/html)"
    )
    parser.add_argument("new", type=Path, help="HTML folder of the new build (e.g. _build/html)")
    args = parser.parse_args(argv)
    differ = 0
    for old_page in sorted((args.old / "book").glob("*.html")):
        new_page = args.new / "book" / old_page.name
        if not new_page.exists():
            print(f"{old_page.name}: missing from the new build")
            differ += 1
            continue
        (oc, on), (nc, nn) = page_facts(old_page), page_facts(new_page)
        lost_c = [c for c in oc if c not in nc]
        lost_n = sorted(set(on) - set(nn))
        print(
            f"{old_page.name}: {len(oc)} exhibits before, {len(nc)} after; "
            f"{len(set(on))} distinct numbers before, {len(lost_n)} lost"
        )
        for c in lost_c:
            print(f"  exhibit caption changed or lost: {c}")
        if lost_n:
            print(f"  numbers lost: {', '.join(lost_n[:40])}")
        differ += bool(lost_c or lost_n)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
