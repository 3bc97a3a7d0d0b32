"""Record a benchmark's figures as one section of BENCHMARKS.md (shared by the scripts here)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
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


def timed_run(cmd: list[str]) -> float:
    """Run one benchmark step in the repository; its wall-clock seconds. A failing step stops the
    benchmark with its output, so no figure is recorded from a broken run."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}")
    return elapsed
