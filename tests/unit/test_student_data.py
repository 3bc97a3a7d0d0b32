"""The student's copy of data/ (dualwheel.publish.student_data): no B-case table, no late source
that only the B-case needs, and still a data folder every student page can load."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
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


@pytest.fixture(scope="module")
def students_copy_run(tmp_path_factory):
    """One fresh interpreter on a student's copy of data/ (its modules read the copy from their
    first import): it loads every table and chapter module, then every bank and each graded key
    (and each variant's). Returns the interpreter's run and what it printed."""
    folder = sd.write_student_data(tmp_path_factory.mktemp("student") / "data")
    env = {**os.environ, "CASEBOOK_DATA": str(folder)}
    code = (
        "import json\n"
        "from dualwheel import data, cutoff\n"
        "import importlib, pkgutil, dualwheel.chapters as c\n"
        "assert 'later_events' not in data.table_names()\n"
        "data.validate_sources()\n"
        "[data.load(t) for t in data.table_names()]\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    if m.name != 'epilogue': importlib.import_module('dualwheel.chapters.' + m.name)\n"
        "tables = len(data.table_names())\n"
        "from dualwheel.grading.questions import all_banks\n"
        "out = {}\n"
        "for b in all_banks():\n"
        "    for q in b.questions:\n"
        "        out[q.id] = [repr(q.answer), [k for _, k in q.variants]]\n"
        "print(json.dumps({'tables': tables, 'keys': out}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    return run, (json.loads(run.stdout) if run.returncode == 0 else None)


def test_every_student_table_loads_from_the_students_copy(tmp_path, students_copy_run):
    """The kit must still run: the copy's metadata is valid, every table it names loads and
    passes its checks, and the chapters' modules import with it (nothing a student runs reads
    a B-case table at import time)."""
    run, printed = students_copy_run
    assert run.returncode == 0, run.stderr[-2000:]
    assert printed["tables"] == len(data.table_names()) - len(data.bcase_tables())
    # stale files go when the copy is rewritten
    folder = sd.write_student_data(tmp_path / "data")
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


# ---- rows: the student's copy keeps only the rows known on the decision date

def _student_tables(tmp_path) -> dict[str, object]:
    """Every table of the student's copy, read back from the files written (plain CSV)."""
    import pandas as pd

    folder = sd.write_student_data(tmp_path / "data")
    meta = yaml.safe_load((folder / "metadata.yml").read_text(encoding="utf-8"))
    tables = dict(meta["tables"])
    for extra in sorted((folder / "meta").glob("*.yml")):
        tables |= (yaml.safe_load(extra.read_text(encoding="utf-8")) or {}).get("tables") or {}
    return {
        name: pd.read_csv(folder / t["file"], dtype=str, keep_default_na=False, encoding="utf-8")
        for name, t in tables.items()
    }


def test_a_table_with_a_year_column_declares_what_dates_its_rows():
    """One rule, driven by the metadata: each table whose rows carry a fiscal or calendar year
    names the column that dates them (``known_by:``) and how it is read."""
    for name in data.table_names():
        if name in data.bcase_tables():
            continue
        cols = data.table_meta(name).columns
        decl = cutoff.known_by(name)
        if {"fiscal_year", "calendar_year"} & set(cols):
            assert decl and decl["rule"] in ("fiscal_year", "calendar_year", "period"), name
        if decl and decl["rule"] != "vocabulary":
            assert decl["column"] in cols, name
    assert cutoff.known_by("segment_ebita") == {"column": "fiscal_year", "rule": "fiscal_year"}
    assert cutoff.known_by("cbec_customs") == {"column": "released", "rule": "period"}


def test_how_a_row_is_dated():
    cut = cutoff.decision_date()
    assert cutoff.period_end(2024, "fiscal_year") <= cut < cutoff.period_end(2025, "fiscal_year")
    assert cutoff.period_end(2023, "calendar_year") <= cut < cutoff.period_end(2024, "calendar_year")
    assert cutoff.period_end("2024-06-30", "period") == cut
    assert cutoff.period_end("2024-07", "period") > cut
    assert cutoff.period_end("H1 2024", "period") == cut
    assert cutoff.period_end("FY2024", "period") <= cut < cutoff.period_end("FY2025", "period")
    assert cutoff.period_end("2025Q1-Q3", "period") > cut
    assert cutoff.period_end("Art. 74(1)", "period") is None and cutoff.period_end("", "period") is None


def test_no_shipped_row_cites_a_late_source_or_is_dated_after_the_cutoff(tmp_path):
    shipped = _student_tables(tmp_path)
    assert set(shipped) == set(data.table_names()) - set(data.bcase_tables())
    cut = cutoff.decision_date()
    sources = data.sources()
    for name, frame in shipped.items():
        assert len(frame), f"{name}: the student's copy kept no row"
        meta = data.table_meta(name)
        decl = cutoff.known_by(name)
        for row in frame.to_dict("records"):
            if decl and decl["rule"] == "vocabulary":  # definitions: no later date in their text
                assert not [c for c in meta.columns if cutoff.later_dates(row[c])], (name, row)
                continue
            for col, rule in meta.columns.items():
                sid = row[col]
                if rule.get("source_id") and sid and sources[sid].get("kind") != "paper":
                    assert not cutoff.after_cutoff(sid), (name, col, sid)
            if decl:
                end = cutoff.period_end(row[decl["column"]], decl["rule"])
                assert end is None or end <= cut, (name, row[decl["column"]])
    # the case paper is the assigned reading: rows quoting it stay, though it is dated 2025
    assert any(s.startswith("paper") for s in shipped["paper_claims"]["source"])


def test_the_rows_public_after_the_decision_date_are_gone_and_earlier_rows_stay(tmp_path):
    shipped = _student_tables(tmp_path)
    full = {n: data.load(n) for n in shipped}

    def ids(name: str, col: str) -> set[str]:
        return set(shipped[name][col])

    assert not {"accio", "ecommerce_group"} & ids("events", "event_id")
    assert "korea_jv" not in ids("moves", "move_id")
    assert not {"aidc_first_profit", "aliexpress_preliminary_breach", "us_de_minimis_china"} & ids(
        "lesson_evidence", "evidence_id")
    assert not {"us_dm_china_end", "us_dm_all_end", "eu_3eur_duty_adopted", "eu_3eur_duty_applies"} & ids(
        "rules", "rule_id")
    assert all(r["date"] <= "2024-06-30" for r in shipped["rules"].to_dict("records"))
    assert "2025" not in ids("segment_ebita", "fiscal_year") and "FY2025" not in ids("rival_revenue", "period")
    assert max(map(int, ids("goods_trade", "calendar_year"))) == 2023
    assert max(map(int, ids("macro_cross_border", "calendar_year"))) < 2024
    assert not {"2024", "2024H1", "2025Q1-Q3"} & ids("cbec_customs", "period")
    assert max(ids("cbec_customs", "released")) <= "2024-06"
    assert max(map(int, ids("tech_investment", "fiscal_year"))) == 2024
    # what was known stays: FY2024 segments, the 2023 customs figure, 2023 trade, events up to June 2024
    ebita = shipped["segment_ebita"]
    assert (ebita["fiscal_year"] == "2024").sum() == (full["segment_ebita"]["fiscal_year"] == 2024).sum() > 0
    assert {"2023"} <= ids("cbec_customs", "period") and "2023" in ids("goods_trade", "calendar_year")
    assert len(shipped["segment_revenue"]) == len(full["segment_revenue"])
    assert len(shipped["terms"]) == len(full["terms"])  # vocabulary, not dated facts
    assert len(ids("events", "event_id")) == len(full["events"]) - 2
    # the kept tables' unchanged files ship byte for byte
    files = sd.student_files()
    for name, drop in sd.dropped_rows().items():
        file = data.table_meta(name).file
        if not drop:
            assert files[file] == (data.data_dir() / file).read_bytes(), file


def test_the_sources_only_dropped_rows_cite_go_with_them():
    _, late = sd.left_out()
    for sid in ("korea_jv_2024", "cnentrepreneur_2025_accio", "sec_20f_fy2025_ebita", "globaltimes_2026_01_14",
                "panexwd_2025_cbec", "newomni_2025_cbec", "xinhua_2025_01_13", "c7_ec_aliexpress_2025"):
        assert sid in late, sid
    kept = sd.cited_sources([t for t in data.table_names() if t not in data.bcase_tables()], kept_rows=True)
    late_kept = {s for s in kept if cutoff.after_cutoff(s) and data.sources()[s].get("kind") != "paper"}
    assert late_kept == {"casebook_terms"}  # the term list (vocabulary), compiled after the date


def test_the_bank_keys_compute_on_the_students_copy_and_need_no_late_row(students_copy_run):
    """A release ships the student's copy: every bank loads on it, every graded key (and each
    variant's) computes, and equals the key computed on the whole folder (no key rests on a row
    public after the decision date)."""
    from dualwheel.grading.questions import all_banks

    run, printed = students_copy_run
    assert run.returncode == 0, run.stderr[-2000:]
    student = printed["keys"]
    full = {q.id: [repr(q.answer), [k for _, k in q.variants]] for b in all_banks() for q in b.questions}
    full = json.loads(json.dumps(full))  # the student's keys came through JSON too
    assert student and student == full, {q: (student.get(q), full[q]) for q in full if student.get(q) != full[q]}


def test_chapter_1s_customs_definition_matches_the_table():
    from dualwheel.chapters.ch01_introduction.market import CUSTOMS_MEASURE

    row = data.row("market_sizes", "customs_2018")
    assert {k: row[k] for k in CUSTOMS_MEASURE} == CUSTOMS_MEASURE
