#!/usr/bin/env python3
"""Print the size of every built page (and its what-if frames), as a Markdown table for BENCHMARKS.md.

.venv/bin/python benchmarks/page_sizes.py [_build/html]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "html", nargs="?", type=Path, default=ROOT / "_build" / "html", help="built HTML folder"
    )
    args = parser.parse_args(argv)
    pages = sorted((args.html / "book").glob("*.html"))
    if not pages:
        parser.error(f"no pages in {args.html / 'book'}: build the book first (make html)")
    print("| page | bytes | what-if frames | frame images (bytes, base64) |")
    print("|---|---:|---:|---:|")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        frames = re.findall(r"data:image/(?:webp|png);base64,([A-Za-z0-9+/=]+)", text)
        print(f"| {page.name} | {page.stat().st_size:,} | {len(frames)} | {sum(map(len, frames)):,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
