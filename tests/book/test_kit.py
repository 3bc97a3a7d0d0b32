"""A chapter's kit (the page's ".zip (runs alone)" download) runs on its own: unzipped into an
empty folder, in a fresh virtual environment that has only the kit's requirements.txt."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from dualwheel.build import STUDENT_HTML, notebooks
from dualwheel.grading.questions import all_banks

pytestmark = pytest.mark.built


def _kits(html: Path) -> list[Path]:
    kits = sorted((html / "_kits").glob("ch*.zip"))
    assert [k.stem for k in kits] == sorted(p.stem for p in notebooks() if p.stem.startswith("ch"))
    return kits


def _clean_env(home: Path) -> dict[str, str]:
    """No inherited Python or Jupyter paths: only what the fresh venv has."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    return keep | {"HOME": str(home), "JUPYTER_DATA_DIR": str(home / "jupyter"), "MPLBACKEND": "agg"}


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtual environment with the kit's requirements.txt and nothing else."""
    where = tmp_path_factory.mktemp("venv")
    (kit,) = [k for k in _kits(STUDENT_HTML) if k.stem.startswith("ch03")]
    with zipfile.ZipFile(kit) as zf:
        requirements = zf.read(f"{kit.stem}/requirements.txt").decode()
    (where / "requirements.txt").write_text(requirements)
    venv = where / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin/pip"), "install", "-q", "-r", str(where / "requirements.txt")],
        check=True,
        env=_clean_env(where) | {"PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    # the helper package is not installed: only the kit's copy can serve the notebook
    probe = subprocess.run(
        [str(venv / "bin/python"), "-c", "import dualwheel"],
        capture_output=True,
        cwd=where,
        env=_clean_env(where),
    )
    assert probe.returncode != 0
    return venv


def _run_kit(kit: Path, venv: Path, tmp: Path) -> str | None:
    """Unzip a kit into an empty folder and execute its notebook there; None, or what failed."""
    folder = tmp / kit.stem
    folder.mkdir()
    with zipfile.ZipFile(kit) as zf:
        zf.extractall(folder)
    root = folder / kit.stem
    if not ((root / "README.md").exists() and (root / "data" / "metadata.yml").exists()):
        return f"{kit.name}: no README.md or data/metadata.yml"
    out = folder / "executed.ipynb"
    run = subprocess.run(
        [str(venv / "bin/jupyter"), "execute", str(root / "book" / f"{kit.stem}.ipynb"), f"--output={out}"],
        capture_output=True,
        text=True,
        cwd=folder,
        env=_clean_env(folder),
        timeout=600,
    )
    if run.returncode != 0:
        return f"{kit.name} failed in a fresh venv:\n{run.stderr[-3000:]}"
    code = [c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.get("outputs", [])]
    if not code[0].source.startswith("# Set-up for the downloaded kit"):
        return f"{kit.name}: the set-up cell is not first"
    if [o for o in outputs if o.get("output_type") == "error"]:
        return f"{kit.name}: an error output"
    if not [o for o in outputs if o.get("output_type") == "display_data"]:
        return f"{kit.name}: no exhibit was displayed"
    return None


def test_every_student_kit_runs_alone(fresh_venv, tmp_path):
    with ThreadPoolExecutor(max_workers=2) as pool:  # two kernels at a time (two cores)
        failures = [
            f for f in pool.map(lambda k: _run_kit(k, fresh_venv, tmp_path), _kits(STUDENT_HTML)) if f
        ]
    assert failures == []


def test_student_kits_carry_no_graded_answers():
    markers = ("For instructors", "Timing plan", "Suggested answers", "Solutions to the graded")
    graded = {q.id for b in all_banks() for q in b.graded_questions}
    answers = [
        " ".join(q.model_answer.split())[:50]
        for b in all_banks()
        for q in b.graded_questions
        if q.model_answer
    ]
    for kit in _kits(STUDENT_HTML):
        with zipfile.ZipFile(kit) as zf:
            text = "\n".join(
                zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".ipynb", ".yml", ".md"))
            )
        flat = " ".join(text.split())
        assert not [m for m in markers if m in flat], kit.name
        assert not [q for q in graded if f"id: {q}\n" in text], kit.name
        assert not [a for a in answers if a in flat], kit.name


def test_each_chapter_page_offers_its_kit(html_dir):
    for kit in _kits(html_dir):
        page = (html_dir / "book" / f"{kit.stem}.html").read_text(encoding="utf-8")
        assert f'href="../_kits/{kit.name}"' in page and ".zip (runs alone)" in page, kit.stem
