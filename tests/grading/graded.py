"""The graded corpus shared by the sandbox tests (``conftest.py`` grades it once a session):
every case of ``fixtures/make_submissions.py`` and its file-system tricks, in one class folder,
graded in one run with canary secrets and ordinary words in the grader's environment."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import nbformat

from dualwheel.grading import batch, release, sandbox
from dualwheel.grading.questions import bank_for

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_submissions as corpus  # noqa: E402

FAST = sandbox.Limits(timeout=30)  # generous: CI machines are shared (a loaded one ran %timeit 16 s)
CANARY = "casebook-canary-3e1f9a7c5d"
#: Every row the corpus plus the file-system tricks must end with.
ALL = {**corpus.EXPECTED, **corpus.TRICKS}
#: The grader's environment while the corpus is graded: two secrets (one named like a secret, one
#: random-looking) and two ordinary values that are also a student's name and a memo's word.
ENV = {
    "CASEBOOK_CANARY": CANARY,
    "CASEBOOK_API_TOKEN": "hunter2-canary",
    "USERNAME": "zhang_wei",
    "CONDA_DEFAULT_ENV": "finance",
}


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.is_symlink()
    }


def grade_corpus(root: Path) -> dict[str, Any]:
    """Grade the whole corpus and the file-system tricks once, from a copy, with a canary
    secret in the grader's environment; keep the file checksums from before."""
    bank = bank_for(3)
    folder = root / "ch03"
    shutil.copytree(corpus.CORPUS, folder)
    instructor = folder.parent / "instructor"
    instructor.mkdir()
    nbformat.write(release.otter_master(bank), instructor / "ch03-otter-master.ipynb")
    corpus.write_tricks(folder, instructor)
    before = _digest(folder)
    out = folder.parent / "graded"
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        report = batch.grade_folder(folder, bank, out, limits=FAST, progress=False)
    finally:
        for k, v in saved.items():
            if v is None:
                del os.environ[k]
            else:
                os.environ[k] = v
    return {"report": report, "folder": folder, "before": before, "out": out, "instructor": instructor}


def _q(result: dict, var: str) -> dict:
    return next(i for i in result["questions"] if i["question"] == var)


def _outputs(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()]
