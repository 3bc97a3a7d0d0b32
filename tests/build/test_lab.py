"""``make lab``: the chapters as notebooks for JupyterLab, with numbers in the prose.

The first tests turn a small executed notebook into a Lab notebook in-process (fast, part of
``make unit``); the last reads the real chapters from the build's execution cache (``built``).
"""

from __future__ import annotations

import json
import os
import subprocess

import nbformat
import pytest

from dualwheel.publish import ROOT
from dualwheel.publish.lab import LabError, fill_glue, lab_notebook, plain_markdown

PREFIX = "application/papermill.record/"


def _glue(name: str, mime: str, value: str) -> dict:
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": name, "mime_prefix": PREFIX}},
        "data": {PREFIX + mime: value},
    }


def _chapter() -> dict:
    cells = [
        nbformat.v4.new_code_cell(
            "ch = Chapter(3)\nch.glue(...)",
            metadata={"tags": ["remove-cell"]},
            outputs=[
                _glue("aidc_share", "text/plain", "10.8734"),
                _glue("years", "text/plain", "12"),
                _glue("fy", "text/markdown", "FY2024"),
            ],
        ),
        nbformat.v4.new_markdown_cell(
            "# Company overview\n\n```{admonition} Learning objectives\n:class: tip\n\n- Read a share\n```\n\n"
            "AIDC earned {glue:text}`aidc_share:.1f`% in {glue:md}`fy`, over {glue:text}`years:d` years "
            "({glue:text}`aidc_share`)."
        ),
        nbformat.v4.new_code_cell("ch.figure(...)", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_markdown_cell("(ch03-instructors)=\n## For instructors\n\nTiming plan."),
        nbformat.v4.new_code_cell("ch.solutions()", metadata={"tags": ["remove-input", "instructor-only"]}),
    ]
    return json.loads(json.dumps(nbformat.v4.new_notebook(cells=cells)))


def _text(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def test_student_lab_notebook_has_numbers_and_no_instructor_material():
    nb = lab_notebook(_chapter(), "student")
    text = _text(nb)
    assert "AIDC earned 10.9% in FY2024, over 12 years (10.8734)." in text
    assert "{glue" not in text and "{admonition}" not in text
    assert "> **Learning objectives**\n>\n> - Read a share" in text
    assert "For instructors" not in text and "ch.solutions" not in text and "instructors)=" not in text
    nbformat.validate(nbformat.from_dict(nb))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["metadata"]["jupyter"]["source_hidden"] for c in code)  # plumbing folded, still runnable
    assert code[0]["outputs"], "the executed outputs are kept"


def test_instructor_lab_notebook_keeps_the_instructors_section():
    text = _text(lab_notebook(_chapter(), "instructor"))
    assert "## For instructors" in text and "ch.solutions()" in text
    assert "(ch03-instructors)=" not in text and "{glue" not in text


def test_a_glue_name_nobody_glued_is_an_error_not_a_raw_role():
    with pytest.raises(LabError, match="'missing' was not glued"):
        fill_glue("{glue:text}`missing:.1f`", {}, "ch03-company-overview.md")
    with pytest.raises(ValueError, match="edition"):
        lab_notebook(_chapter(), "teacher")


def test_lab_keeps_the_wording_for_screens_and_drops_the_one_for_paper():
    text = (
        "Intro.\n\n```{only} html\nMove the sliders.\n```\n\n```{only} latex\nSee the table.\n```\n\nEnd.\n"
    )
    assert plain_markdown(text) == "Intro.\n\nMove the sliders.\n\nEnd.\n"


def test_plain_markdown_leaves_ordinary_markdown_alone():
    text = "Some *text*.\n\n```python\nx = 1\n```\n"
    assert plain_markdown(text) == text


def test_make_lab_installs_only_python_and_passes_allow_root_only_as_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "scripts/setup.sh --python-only" in dry
    assert "apt-get" not in dry and "scripts/setup.sh\n" not in dry
    assert "dualwheel.publish lab --edition student" in dry
    lab = next(line for line in dry.splitlines() if "jupyter lab" in line)
    assert ("--allow-root" in lab) == (os.geteuid() == 0)
    assert "_build/lab/student" in lab and "lab-settings" in lab and "ch03-company-overview.ipynb" in lab
    dry = subprocess.run(
        ["make", "-n", "lab", "EDITION=instructor"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "--edition instructor" in dry and "_build/lab/instructor" in dry


def test_lab_opens_markdown_notebooks_with_jupytext():
    overrides = json.loads((ROOT / "scripts" / "lab-settings" / "overrides.json").read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"


@pytest.mark.built
def test_the_real_chapters_open_in_lab_with_numbers_and_no_instructor_answers():
    from dualwheel.publish.lab import write_lab

    folder = write_lab("student", run=False)
    chapters = sorted(folder.glob("ch*.ipynb"))
    assert any(p.name == "ch03-company-overview.ipynb" for p in chapters)
    for path in chapters:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "{glue" not in prose, path.name
        assert "For instructors" not in prose and "instructors)=" not in prose, path.name
        assert not any("instructor-only" in c.metadata.get("tags", []) for c in nb.cells), path.name
        assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
    ch03 = (folder / "ch03-company-overview.ipynb").read_text(encoding="utf-8")
    assert "Answer." not in ch03
    # the student's own copy of data/, beside the notebooks, without the B-case's tables
    assert (folder / "data" / "segment_revenue.csv").exists()
    assert '"data/segment_revenue.csv"' in ch03 or "../data/" not in ch03
    from dualwheel import data
    from dualwheel.publish.student_data import left_out

    tables, late = left_out()
    names = {p.name for p in (folder / "data").rglob("*")}
    assert not {data.table_meta(t).file for t in tables} & names
    meta = "\n".join(p.read_text(encoding="utf-8") for p in (folder / "data").rglob("*.yml"))
    assert not [sid for sid in (*tables, *late) if f"{sid}:" in meta]
    assert not [s for s in late if data.sources()[s]["document"] in meta]


@pytest.mark.build
def test_jupyter_lab_starts_with_the_repos_settings(tmp_path):
    """Start the server ``make lab`` starts (as root too), on a scratch folder, and ask it what a
    Markdown file opens with and whether it serves a notebook."""
    import shlex
    import socket
    import time
    import urllib.request

    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    command = shlex.split(next(line for line in dry.splitlines() if "jupyter lab" in line))
    command = [a for a in command if not a.startswith("--ServerApp.root_dir=")]
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "ch03-company-overview.ipynb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command += [
        f"--ServerApp.root_dir={tmp_path}",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
    ]
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
    }
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"jupyter lab did not start:\n{server.stdout.read() if server.stdout else ''}"
                    )
                time.sleep(1)
        with urllib.request.urlopen(f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin") as r:
            schema = json.load(r)["schema"]
        assert schema["properties"]["defaultViewers"]["default"]["markdown"] == "Jupytext Notebook"
        with urllib.request.urlopen(f"{base}/api/contents/ch03-company-overview.ipynb?content=0") as r:
            assert json.load(r)["type"] == "notebook"
    finally:
        server.terminate()
        server.wait(timeout=30)
