"""The student's copy of data/ (dualwheel.publish.student_data): no B-case table, no late source
that only the B-case needs, and still a data folder every student page can load."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from dualwheel import cutoff, data
from dualwheel.publish import ROOT
from dualwheel.publish import student_data as sd


def _meta_text(files: dict[str, bytes]) -> str:
    return "\n".join(v.decode("utf-8") for k, v in files.items() if k.endswith(".yml"))


def test_the_bcase_tables_are_marked_in_the_metadata():
    assert data.bcase_tables() == ["later_events", "later_results"]
    # nothing outside the B-case's own module reads them
    for path in sorted((ROOT / "dualwheel").rglob("*.py")):
        if path.name in ("epilogue.py", "student_data.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "later_events" not in text and "later_results" not in text, path


def test_the_students_copy_leaves_out_the_bcase_tables_and_their_late_sources():
    tables, late = sd.left_out()
    files = sd.student_files()
    assert not {data.table_meta(t).file for t in tables} & set(files)
    assert {data.table_meta(t).file for t in data.table_names() if t not in tables} <= set(files)
    meta = _meta_text(files)
    for name in tables:
        assert f"\n  {name}:" not in meta and f"file: {data.table_meta(name).file}" not in meta
    # the sources only the B-case cites are late and gone, titles and all
    only_bcase = {s for s in sd.cited_sources(list(tables))} - sd.cited_sources(
        [t for t in data.table_names() if t not in tables]
    )
    late_only_bcase = {s for s in only_bcase if cutoff.after_cutoff(s)}
    assert late_only_bcase and late_only_bcase <= set(late) | _named()
    for sid in late:
        assert cutoff.after_cutoff(sid) and data.sources()[sid].get("kind") != "paper"
        assert f"\n  {sid}:" not in meta
        assert data.sources()[sid]["document"] not in meta
    assert "Form 20-F for FY2026 (filed" in data.sources()["sec_20f_fy2026_income"]["document"]
    assert "sec_20f_fy2026_income" in late  # cited only by later_results


def _named() -> set[str]:
    import re

    return set(re.findall(r"[A-Za-z0-9_]+", sd._named_in_student_files()))


def test_the_full_copy_keeps_everything():
    files = sd.full_files()
    assert {data.table_meta(t).file for t in data.table_names()} <= set(files)
    assert "later_results.csv" in files and "sec_20f_fy2026_income:" in _meta_text(files)


def test_every_student_table_loads_from_the_students_copy(tmp_path):
    """The kit must still run: the copy's metadata is valid, every table it names loads and
    passes its checks, and the chapters' modules import with it (nothing a student runs reads
    a B-case table at import time)."""
    folder = sd.write_student_data(tmp_path / "data")
    env = {**os.environ, "CASEBOOK_DATA": str(folder)}
    code = (
        "from dualwheel import data, cutoff\n"
        "import importlib, pkgutil, dualwheel.chapters as c\n"
        "assert 'later_events' not in data.table_names()\n"
        "data.validate_sources()\n"
        "[data.load(t) for t in data.table_names()]\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    if m.name != 'epilogue': importlib.import_module('dualwheel.chapters.' + m.name)\n"
        "print(len(data.table_names()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout) == len(data.table_names()) - len(data.bcase_tables())
    # stale files go when the copy is rewritten
    (folder / "later_events.csv").write_text("x", encoding="utf-8")
    sd.write_student_data(folder)
    assert not (folder / "later_events.csv").exists()
    assert yaml.safe_load((folder / "meta" / "ch06.yml").read_text(encoding="utf-8"))["tables"]


def test_student_kits_and_exercise_releases_ship_the_students_copy(tmp_path):
    from dualwheel.grading import release
    from dualwheel.grading.questions import all_banks
    from dualwheel.publish import kit

    source = ROOT / "book" / "ch03-company-overview.md"
    nb = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    student = kit.kit_files(source, nb, "student", bcase=False)
    after = kit.kit_files(source, nb, "student", bcase=True)
    stem = source.stem
    assert f"{stem}/data/later_results.csv" not in student and f"{stem}/data/segment_revenue.csv" in student
    assert f"{stem}/data/later_results.csv" in after
    bank = all_banks()[0]
    release.write_support(bank, tmp_path / "rel")
    shipped = {p.name for p in (tmp_path / "rel" / "data").rglob("*")}
    assert "segment_revenue.csv" in shipped and not {"later_events.csv", "later_results.csv"} & shipped


def test_student_lab_notebooks_drop_bcase_only_cells():
    from dualwheel.publish.lab import lab_notebook

    nb = {
        "cells": [
            {"cell_type": "code", "source": "x = 1", "metadata": {"tags": ["remove-input"]}, "outputs": [],
             "execution_count": 1},
            {"cell_type": "code", "source": "later", "metadata": {"tags": ["remove-input", "bcase-only"]},
             "outputs": [], "execution_count": 2},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    import json

    student = lab_notebook(json.loads(json.dumps(nb)), "student")
    instructor = lab_notebook(json.loads(json.dumps(nb)), "instructor")
    assert [c["source"] for c in student["cells"]] == ["x = 1"]
    assert len(instructor["cells"]) == 2
