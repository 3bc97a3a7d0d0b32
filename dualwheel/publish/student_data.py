"""The student's copy of ``data/``: what a student kit, an exercise release and ``make lab``'s
student folder ship, before the decision class.

The B-case's own tables (``bcase: true`` in the metadata, :func:`dualwheel.data.bcase_tables`)
are left out, with their definitions. Of the tables kept, only the ROWS known on the decision
date stay (:func:`dualwheel.cutoff.row_is_late`: a row goes when a source it cites became public
after the date, or when the column its table's ``known_by:`` declaration names dates it after
the date). The sources that became public after the decision date
(:func:`dualwheel.cutoff.after_cutoff`) go too, unless a row the student keeps cites one (its
loader checks every row's source id, so such a source must stay defined) or a student page names
it. The instructor edition and the after-class bundle keep the whole folder.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pandas as pd
import yaml

from .. import cutoff, data

HEADER = (
    "# The student's copy of data/ (dualwheel.publish.student_data): the B-case's tables, the rows\n"
    "# not known on the decision date (known_by) and the sources public only after it come with\n"
    "# the after-class case.\n"
)


def cited_sources(tables: list[str], kept_rows: bool = False) -> set[str]:
    """Every source id a row of ``tables`` names (in a column marked ``source_id``); with
    ``kept_rows``, only the rows the student's copy keeps."""
    ids: set[str] = set()
    for name in tables:
        meta = data.table_meta(name)
        frame = data.load(name)
        if kept_rows:
            frame = frame.drop(index=frame.index[dropped_rows()[name]])
        for col, rule in meta.columns.items():
            if rule.get("source_id"):
                ids |= {v for v in frame[col].dropna()}
    return ids


def _named_in_student_files() -> str:
    """The text of what a student's copy runs or reads besides ``data/``: the package (without
    the B-case's modules), the student edition's pages and the question banks."""
    from . import ROOT
    from .editions import STUDENT, bcase_files

    bcase_modules = {p.stem.replace("-", "_") for p in bcase_files()} | {"bcase"}
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "dualwheel").rglob("*.py"))
             if p.stem not in bcase_modules and p.name != "student_data.py"]
    texts += [p.read_text(encoding="utf-8") for p in STUDENT.files()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "exercises").glob("*.yml"))]
    return "\n".join(texts)


@functools.cache
def left_out() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the B-case tables, the late source ids) the student's copy leaves out: a source public
    after the decision date (or undated, which counts as late) goes unless it is needed. It
    stays when a kept table's row cites it, when a student page or module names it, or when
    it is the case paper (``kind: paper``, the assigned reading)."""
    bcase = data.bcase_tables()
    kept = [t for t in data.table_names() if t not in bcase]
    needed = cited_sources(kept, kept_rows=True)
    named = set(re.findall(r"[A-Za-z0-9_]+", _named_in_student_files()))
    late = sorted(
        sid
        for sid, s in data.sources().items()
        if sid not in needed and sid not in named and s.get("kind") != "paper" and cutoff.after_cutoff(sid)
    )
    return tuple(bcase), tuple(late)


@functools.cache
def _dropped_rows() -> tuple[tuple[str, tuple[int, ...]], ...]:
    bcase = set(data.bcase_tables())
    return tuple((t, tuple(cutoff.late_rows(t))) for t in data.table_names() if t not in bcase)


def dropped_rows() -> dict[str, list[int]]:
    """Kept table -> positions (0-based, file order) of the rows the student's copy leaves out."""
    return {t: list(rows) for t, rows in _dropped_rows()}


def _rows_kept(path: Path, drop: list[int]) -> bytes:
    """The CSV at ``path`` without the rows at positions ``drop`` (unchanged bytes when none)."""
    raw = path.read_bytes()
    if not drop:
        return raw
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    kept = frame.drop(index=frame.index[drop])
    out = io.StringIO()
    kept.to_csv(out, index=False, lineterminator="\n")
    return out.getvalue().encode("utf-8")


def _filtered(path: Path, tables: set[str], sources: set[str]) -> bytes:
    raw = path.read_bytes()
    doc = data.safe_load_yaml(raw) or {}
    if not (set(doc.get("tables") or {}) & tables or set(doc.get("sources") or {}) & sources):
        return raw
    for section, drop in (("tables", tables), ("sources", sources)):
        if doc.get(section):
            doc[section] = {k: v for k, v in doc[section].items() if k not in drop}
    return (HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)).encode()


@functools.cache
def _student_files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    bcase, late = left_out()
    tables, sources = set(bcase), set(late)
    files = {"metadata.yml": _filtered(folder / "metadata.yml", tables, sources)}
    for extra in sorted((folder / "meta").glob("*.yml")):
        files[f"meta/{extra.name}"] = _filtered(extra, tables, sources)
    drops = dropped_rows()
    for name in data.table_names():
        if name not in tables:
            file = data.table_meta(name).file
            files[file] = _rows_kept(folder / file, drops[name])
    return tuple(sorted(files.items()))


def student_files() -> dict[str, bytes]:
    """The student's ``data/`` folder: path inside it -> bytes."""
    return dict(_student_files(data.data_dir()))


def full_files() -> dict[str, bytes]:
    """The whole ``data/`` folder as the metadata names it (after the decision class)."""
    folder = data.data_dir()
    files = {"metadata.yml": (folder / "metadata.yml").read_bytes()}
    files |= {f"meta/{p.name}": p.read_bytes() for p in sorted((folder / "meta").glob("*.yml"))}
    files |= {data.table_meta(n).file: (folder / data.table_meta(n).file).read_bytes() for n in data.table_names()}
    return files


def write_student_data(target: Path, full: bool = False) -> Path:
    """Write the student's ``data/`` folder to ``target`` (stale files removed; ``full``: with
    the B-case, after the decision class); return it."""
    files = full_files() if full else student_files()
    if target.is_symlink():
        target.unlink()
    target.mkdir(parents=True, exist_ok=True)
    for old in sorted(target.rglob("*"), reverse=True):
        rel = old.relative_to(target).as_posix()
        if old.is_file() and rel not in files:
            old.unlink()
    for rel, payload in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != payload:
            path.write_bytes(payload)
    return target
