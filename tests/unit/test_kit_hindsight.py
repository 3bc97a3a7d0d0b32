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


#: Shipped modules whose job is dates and the cut-off itself: their docstrings and comments give
#: date formats as examples ("FY2025 ends 31 March 2025") and name the B-case's tables, which
#: says that an after-class case exists, not what happened.
CUTOFF_MACHINERY = ("dualwheel/cutoff.py", "dualwheel/fmt.py", "dualwheel/data.py", "dualwheel/page/alttext.py")


def test_no_shipped_module_names_the_bcase_nor_a_late_date(shipped):
    """Every chapter module and every other shipped module (Chapter 1's landed-cost model once
    gave '2 May 2025' as its example of a rule's date)."""
    assert "dualwheel/chapters/ch01_introduction/landed_cost.py" in shipped
    found = [
        f"{n}:{i}: {line.strip()}"
        for n, text in shipped.items()
        if n not in CUTOFF_MACHINERY
        for i, line in enumerate(text.splitlines(), 1)
        if re.search(r"B-case|bcase", line, re.I) or (LATE_DATE.search(line) and not _code(line))
    ]
    assert found == []


def test_no_shipped_module_names_a_late_row(shipped):
    late = _late_ids()
    assert {"us_postal_54", "korea_jv"} <= late, "the late rows were not found"
    found = sorted({f"{n}: {i}" for n, text in shipped.items() for i in late if re.search(rf"\b{re.escape(i)}\b", text)})
    assert found == []


def test_the_student_metadata_names_no_bcase_figure():
    """The student's copy of data/metadata.yml and data/meta/*.yml: no description that points to
    the B-case or carries a figure only it uses, and no comment that quotes a later statement (the
    generated header that says what was left out is fine)."""
    from dualwheel.publish.student_data import student_files

    files = student_files()
    names = [n for n in files if n == "metadata.yml" or (n.startswith("meta/") and n.endswith(".yml"))]
    assert {"meta/ch01.yml", "meta/ch07.yml", "meta/decision.yml"} <= set(names)
    found = [
        f"{name}:{i}: {line.strip()}"
        for name in names
        for i, line in enumerate(files[name].decode().splitlines(), 1)
        if i > 1
        and (
            (not line.startswith("#") and re.search(r"B-case|bcase|24\.71|merged into new", line))
            or (line.startswith("#") and LATE_DATE.search(line))
        )
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
