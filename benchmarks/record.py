"""Record a benchmark's figures as one section of BENCHMARKS.md (shared by the scripts here)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"


def write_section(title: str, body: str) -> None:
    """Replace (or add) the section ``## <title>`` of BENCHMARKS.md with ``body``."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = rf"## {re.escape(title)}\n.*?(?=\n## |\Z)"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section
    BENCHMARKS.write_text(text, encoding="utf-8")
    print(f"wrote {BENCHMARKS.relative_to(ROOT)} (section {title!r})")
