"""A student kit ships no hindsight (issue 24): no module of the B-case (Chapter 7's
``bcase.py``), no comment in Chapters 4-7's modules that names the B-case, and no module that
names a row made public after the decision date (a later rule, piece of evidence, move or event).
The chapter packages still import from the kit's copy of the package alone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dualwheel import moves
from dualwheel.chapters import ch05_evolution as c5
from dualwheel.chapters import ch07_lessons as c7
from dualwheel.publish import ROOT
from dualwheel.publish import kit as kitmod

LATE_DATE = re.compile(r"\b2024-(0[7-9]|1[0-2])\b|\b(July|August|September|October|November|December) 2024\b|\b202[56]\b(?!\.\d)")


@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    """The student kits' package: every module with its text."""
    files = kitmod._package_files(kitmod.bcase_modules(), keys=False)
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in files}


def _late_ids() -> set[str]:
    """The ids of every row made public after the decision date: rules, evidence, moves, events."""
    ids = set(c7.rules(after_cutoff=True)["rule_id"]) | set(c7.evidence(after_cutoff=True)["evidence_id"])
    ids |= set(c5.after_cutoff_events()["event_id"])
    every = moves.moves()
    ids |= set(every["move_id"]) - set(moves.known_by(every, c7.CUTOFF)["move_id"])
    return {i for i in ids if isinstance(i, str) and i}


def test_no_student_kit_ships_a_bcase_module(shipped):
    assert not [n for n in shipped if Path(n).stem == kitmod.BCASE_PART or "epilogue" in n]


def _code(line: str) -> bool:
    """A line of code without a comment (axis limits such as 2025.5 are not dates)."""
    return "#" not in line and not line.strip().startswith(("\"", "'")) and "(" in line


def test_chapters_4_to_7_modules_name_no_bcase_nor_a_late_date(shipped):
    found = [
        f"{n}:{i}: {line.strip()}"
        for n, text in shipped.items()
        if re.match(r"dualwheel/chapters/ch0[4-7]", n)
        for i, line in enumerate(text.splitlines(), 1)
        if re.search(r"B-case|bcase", line, re.I) or (LATE_DATE.search(line) and not _code(line))
    ]
    assert found == []


def test_no_shipped_module_names_a_late_row(shipped):
    late = _late_ids()
    assert {"us_postal_54", "korea_jv"} <= late, "the late rows were not found"
    found = sorted({f"{n}: {i}" for n, text in shipped.items() for i in late if re.search(rf"\b{re.escape(i)}\b", text)})
    assert found == []


def test_the_student_metadata_of_chapters_4_to_7_names_no_bcase_figure():
    """The student's copy of data/meta/ch04-ch07.yml: no description that points to the B-case
    or carries a figure only it uses (the header comment that says what was left out is fine)."""
    from dualwheel.publish.student_data import student_files

    files = student_files()
    found = [
        f"{name}: {line.strip()}"
        for name in ("meta/ch04.yml", "meta/ch05.yml", "meta/ch06.yml", "meta/ch07.yml")
        for line in files[name].decode().splitlines()
        if not line.startswith("#") and re.search(r"B-case|bcase|24\.71|merged into new", line)
    ]
    assert found == []


def test_the_kits_chapter_7_package_imports_without_the_bcase(shipped, tmp_path):
    for name in shipped:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    from dualwheel.publish.student_data import student_files

    for rel, payload in student_files().items():  # the student's copy of data/
        (tmp_path / "data" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / rel).write_bytes(payload)
    assert not (tmp_path / "dualwheel/chapters/ch07_lessons/bcase.py").exists()
    run = subprocess.run(
        [sys.executable, "-c", "import dualwheel.chapters.ch07_lessons as c7; print(callable(c7.plan_model))"],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "MPLBACKEND": "Agg"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "True"
