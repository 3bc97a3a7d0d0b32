"""A page's kit (the ".zip (runs alone)" download) runs on its own: unzipped into an empty
folder, in a fresh virtual environment that has only the kit's requirements.txt. The kits are
checked against the current tree first, so a stale build cannot pass."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml

from dualwheel.grading.questions import all_banks
from dualwheel.publish import ROOT, STUDENT_HTML, notebooks
from dualwheel.publish import kit as kitmod
from dualwheel.publish.editions import STUDENT

pytestmark = pytest.mark.built


def _kits(html: Path) -> list[Path]:
    """Every executable page's kit, after checking each carries today's code and data (the
    student edition's pages: no B-case)."""
    kits = sorted((html / "_kits").glob("*.zip"))
    pages = STUDENT.files() if html == STUDENT_HTML else None
    assert [k.stem for k in kits] == sorted(p.stem for p in notebooks(pages=pages))
    package = kitmod._package_files(kitmod.bcase_modules() if pages else (), keys=not pages)  # the B-case's stay home; the key-only functions too (student)
    expected = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in package}
    if pages:  # the student's copy of data/: no B-case table (dualwheel.publish.student_data)
        from dualwheel.publish.student_data import student_files

        expected |= {f"data/{k}": v for k, v in student_files().items()}
    else:
        expected |= {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in kitmod._data_files()}
    for kit in kits:
        with zipfile.ZipFile(kit) as zf:
            inside = {n.split("/", 1)[1]: n for n in zf.namelist()}
            shipped = {n for n in inside if n.startswith(("dualwheel/", "data/"))}
            assert shipped == set(expected), (
                f"{kit.name}: not today's files: {sorted(shipped ^ set(expected))[:5]}"
            )
            stale = [n for n in shipped if zf.read(inside[n]) != expected[n]]
            assert stale == [], f"{kit.name} is stale (rebuild the book): {stale[:5]}"
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
    if not [o for o in outputs if o.get("output_type") in ("display_data", "execute_result")]:
        return f"{kit.name}: no exhibit was displayed"
    return _live_charts(kit, out, outputs)


def _live_charts(kit: Path, out: Path, outputs: list) -> str | None:
    """A kit's kernel draws each what-if's chart live (the set-up cell's CASEBOOK_LIVE_ONLY):
    its saved widget state holds a drawn chart for every what-if and no precomputed frame."""
    whatifs = [o for o in outputs if "casebook_whatif" in o.get("metadata", {})]
    if not whatifs:
        return None
    state = nbformat.read(out, as_version=4).metadata.get("widgets", {})
    values = [
        str(m["state"].get("value", ""))
        for m in state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {}).values()
    ]
    if any("data:image/webp" in v for v in values):
        return f"{kit.name}: precomputed frames in a kit's kernel"
    drawn = [v for v in values if 'class="casebook-frame" src="data:image/png' in v]
    if len(drawn) < len(whatifs):
        return f"{kit.name}: {len(whatifs)} what-ifs, {len(drawn)} live charts drawn"
    return None


def test_every_student_kit_runs_alone(fresh_venv, tmp_path):
    with ThreadPoolExecutor(max_workers=2) as pool:  # two kernels at a time (two cores)
        failures = [
            f for f in pool.map(lambda k: _run_kit(k, fresh_venv, tmp_path), _kits(STUDENT_HTML)) if f
        ]
    assert failures == []


def test_student_kits_carry_no_graded_answers():
    markers = ("For instructors", "Timing plan", "Suggested answers", "Solutions to the graded")
    answers = [
        " ".join(q.model_answer.split())[:50]
        for b in all_banks()
        for q in b.graded_questions
        if q.model_answer
    ]
    for kit in _kits(STUDENT_HTML):
        with zipfile.ZipFile(kit) as zf:
            names = zf.namelist()
            text = "\n".join(
                zf.read(n).decode("utf-8") for n in names if n.endswith((".ipynb", ".yml", ".md"))
            )
            banks = [yaml.safe_load(zf.read(n)) for n in names if "/exercises/" in n]
        flat = " ".join(text.split())
        assert not [m for m in markers if m in flat], kit.name
        assert not [a for a in answers if a in flat], kit.name
        for bank in banks:  # only self-checks, whose answers the page carries anyway
            assert bank["questions"] and all(q["use"] == ["self_check"] for q in bank["questions"]), kit.name
        assert not [
            n
            for n in names
            if "/grading/" in n and not n.endswith(("questions.py", "text.py", "scoring.py", "rubric.py"))
        ]


def test_each_executable_page_offers_its_kit(html_dir):
    for kit in _kits(html_dir):
        page = (html_dir / "book" / f"{kit.stem}.html").read_text(encoding="utf-8")
        assert f'href="../_kits/{kit.name}"' in page and ".zip (runs alone)" in page, kit.stem
