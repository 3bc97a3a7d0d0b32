"""Load the casebook's tables from ``data/`` and refuse any that break their rules.

Every number a chapter shows comes through :func:`load`. The loader checks each table
against ``data/metadata.yml`` (columns, types, allowed values, ranges, keys, source ids)
and then checks the accounting identities that the segment table must satisfy. A broken
file raises one :class:`DataError` that names the file, the row and the rule, so a reader
who edits a CSV by hand learns at once what to fix.

Hand-written rather than pandera or frictionless: the rules are few, the identities are
custom anyway, and the error must read as one plain sentence for a student.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

#: Where the tables live. ``CASEBOOK_DATA`` overrides it (the tests point it at corrupted copies).
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: Tolerance for accounting identities, in RMB million: the source tables are exact integers.
IDENTITY_TOLERANCE = 0


class DataError(ValueError):
    """A table in ``data/`` breaks one of its rules.

    ``file``, ``row`` (1-based line in the CSV, header = line 1; ``None`` for whole-file
    problems) and ``rule`` are kept as attributes so tools can report them.
    """

    def __init__(self, file: str, rule: str, problem: str, row: int | None = None) -> None:
        self.file, self.rule, self.problem, self.row = file, rule, problem, row
        where = f"{file}, line {row}" if row is not None else file
        super().__init__(f"{where}: {problem} [rule: {rule}]")


@dataclass(frozen=True)
class TableMeta:
    """What ``metadata.yml`` says about one table."""

    name: str
    file: str
    title: str
    unit: str
    basis: str
    confidence: str
    fiscal_year_convention: str
    key: tuple[str, ...]
    columns: dict[str, dict[str, Any]]


def data_dir() -> Path:
    """The folder the tables are read from (``CASEBOOK_DATA`` or the repository's ``data/``)."""
    return Path(os.environ.get("CASEBOOK_DATA", DEFAULT_DATA_DIR))


_FAST_YAML = getattr(yaml, "CSafeLoader", None)


def safe_load_yaml(stream: str | bytes) -> Any:
    """``yaml.safe_load(stream)``: the same objects and the same errors, about ten times faster.

    libyaml's scanner (``CSafeLoader``) feeds the same Python constructor and resolver as the
    pure-Python one, so a valid document loads to the same objects. Its error text differs (no
    excerpt of the line with a caret), so a document it refuses is read again by the pure-Python
    loader, which raises the error a reader has always seen.
    """
    if _FAST_YAML is not None:
        try:
            return yaml.load(stream, Loader=_FAST_YAML)  # noqa: S506 - CSafeLoader is the safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(stream)


def _read_yaml(path: Path, label: str) -> Any:
    try:
        return safe_load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(label, "metadata-present", f"{path} does not exist") from None
    except yaml.YAMLError as exc:
        raise DataError(label, "metadata-yaml", f"not valid YAML: {exc}") from None


@functools.cache
def _metadata(folder: Path) -> dict[str, Any]:
    """``metadata.yml`` merged with every ``meta/*.yml`` (one file per chapter's own tables).

    A table or source id defined twice is an error that names both files.
    """
    meta = _read_yaml(folder / "metadata.yml", "metadata.yml")
    if not isinstance(meta, dict) or "tables" not in meta or "sources" not in meta:
        raise DataError("metadata.yml", "metadata-shape", "needs top-level 'tables' and 'sources'")
    origin = {("tables", k): "metadata.yml" for k in meta["tables"]}
    origin.update({("sources", k): "metadata.yml" for k in meta["sources"]})
    for extra in sorted((folder / "meta").glob("*.yml")):
        label = f"meta/{extra.name}"
        part = _read_yaml(extra, label) or {}
        if not isinstance(part, dict) or not set(part) <= {"tables", "sources"}:
            raise DataError(label, "metadata-shape", "may hold only top-level 'tables' and 'sources'")
        for section in ("tables", "sources"):
            for key, value in (part.get(section) or {}).items():
                if (section, key) in origin:
                    raise DataError(
                        label,
                        "metadata-unique",
                        f"{section[:-1]} {key!r} is already defined in {origin[section, key]}",
                    )
                origin[section, key] = label
                meta[section][key] = value
    return meta


def metadata() -> dict[str, Any]:
    """The parsed ``metadata.yml`` (tables and sources)."""
    return _metadata(data_dir())


#: What a source without a URL may be (``kind:`` in metadata.yml). Every other source names the
#: document itself by its URL. ``paper``: the case paper in shared/seeds, which has no URL;
#: ``casebook``: the casebook's own work (its term list, its reading, its illustrative assumptions,
#: its compilations), which no outside document states; ``unchecked``: the marker that no
#: independent source was checked (only as a claim's check_source).
SOURCE_KINDS = ("paper", "casebook", "unchecked")


def sources() -> dict[str, dict[str, str]]:
    """Source id -> {document, url, confidence[, kind]}."""
    return metadata()["sources"]


def validate_sources() -> list[str]:
    """Check every source's fields; return the ids. Raises :class:`DataError`.

    A source has a document and a confidence; a ``kind`` must be one of :data:`SOURCE_KINDS`,
    and a source of a kind (the paper, the casebook's own work) has no URL, since nothing
    outside the casebook can be linked for it.
    """
    for sid, s in sources().items():
        if not isinstance(s, dict) or not s.get("document") or s.get("confidence") not in ("high", "medium", "low"):
            raise DataError("metadata.yml", "source-fields", f"source {sid!r} needs a document and a confidence")
        kind = s.get("kind")
        if kind is not None and kind not in SOURCE_KINDS:
            raise DataError("metadata.yml", "source-kind", f"source {sid!r}: kind {kind!r} is not one of {SOURCE_KINDS}")
        if kind is not None and s.get("url"):
            raise DataError("metadata.yml", "source-kind", f"source {sid!r} is of kind {kind!r} and cannot have a URL")
        _validate_dates(sid, s)
    return list(sources())


def source_file(sid: str) -> str:
    """The metadata file that defines a source: ``metadata.yml`` or ``meta/chNN.yml``."""
    return _source_files(data_dir()).get(sid, "metadata.yml")


@functools.cache
def _source_files(folder: Path) -> dict[str, str]:
    files = {sid: "metadata.yml" for sid in (_read_yaml(folder / "metadata.yml", "metadata.yml") or {}).get("sources") or {}}
    for extra in sorted((folder / "meta").glob("*.yml")):
        part = _read_yaml(extra, f"meta/{extra.name}") or {}
        files.update({sid: f"meta/{extra.name}" for sid in (part.get("sources") or {})})
    return files


def _validate_dates(sid: str, s: dict[str, Any]) -> None:
    """``published`` and ``fact_public``, when present, are dates (YYYY-MM-DD, YYYY-MM or YYYY),
    and a fact cannot have become public after the document that reports it."""
    from .cutoff import DATE_FIELDS, parse_date

    parsed = {}
    for field_name in DATE_FIELDS:
        if field_name not in s:
            continue
        try:
            parsed[field_name] = parse_date(s[field_name])
        except ValueError as exc:
            raise DataError(source_file(sid), "source-date", f"source {sid!r}, {field_name}: {exc}") from None
    if "fact_public" in parsed and "published" in parsed and parsed["fact_public"].first > parsed["published"].last:
        raise DataError(
            source_file(sid),
            "source-date",
            f"source {sid!r}: fact_public {parsed['fact_public']} is after published {parsed['published']}",
        )


def table_meta(name: str) -> TableMeta:
    """Metadata of one table; a clear error for an unknown name."""
    tables = metadata()["tables"]
    if name not in tables:
        known = ", ".join(sorted(tables))
        raise KeyError(f"no table called {name!r} in data/metadata.yml; known tables: {known}")
    t = tables[name]
    return TableMeta(
        name=name,
        file=t["file"],
        title=t["title"],
        unit=str(t.get("unit", "")),
        basis=str(t.get("basis", "")),
        confidence=str(t.get("confidence", "")),
        fiscal_year_convention=str(t.get("fiscal_year_convention", "")),
        key=tuple(t.get("key", ())),
        columns=t["columns"],
    )


def table_names() -> list[str]:
    return list(metadata()["tables"])


def bcase_tables() -> list[str]:
    """The tables marked ``bcase: true``: they serve only the after-class B-case
    (``book/epilogue.md``), so no student-side copy of ``data/`` holds them
    (:mod:`dualwheel.publish.student_data`)."""
    return [name for name, t in metadata()["tables"].items() if t.get("bcase") is True]


def _convert(value: str, kind: str) -> Any:
    """Convert one CSV cell; raise ValueError with a readable message."""
    if kind == "str":
        return value
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
    if kind == "float":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return number
    raise ValueError(f"metadata.yml names an unknown type {kind!r}")


def _validate_rows(meta: TableMeta, raw: pd.DataFrame, known_sources: Iterable[str]) -> pd.DataFrame:
    """Check every cell against the column rules and return a typed frame."""
    file = meta.file
    expected = list(meta.columns)
    actual = list(raw.columns)
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected column(s) {', '.join(extra)}")
        raise DataError(file, "columns", "; ".join(parts) + f" (expected: {', '.join(expected)})", 1)
    if raw.empty:
        raise DataError(file, "not-empty", "the table has no rows")

    source_ids = set(known_sources)
    typed: dict[str, list[Any]] = {c: [] for c in expected}
    for index, record in enumerate(raw.to_dict("records")):
        line = index + 2  # header is line 1
        for col, rule in meta.columns.items():
            cell = record[col]
            blank = cell is None or (isinstance(cell, float) and math.isnan(cell)) or str(cell).strip() == ""
            if blank:
                if rule.get("required", True):
                    raise DataError(file, f"{col}:required", f"column '{col}' is empty", line)
                typed[col].append(None)
                continue
            text = str(cell).strip()
            try:
                value = _convert(text, rule.get("type", "str"))
            except ValueError as exc:
                raise DataError(file, f"{col}:type", f"column '{col}': {exc}", line) from None
            allowed = rule.get("allowed")
            if allowed is not None and value not in allowed:
                raise DataError(
                    file,
                    f"{col}:allowed",
                    f"column '{col}' is {value!r}; allowed: {', '.join(map(str, allowed))}",
                    line,
                )
            if "min" in rule and value < rule["min"]:
                raise DataError(file, f"{col}:min", f"column '{col}' is {value}, below {rule['min']}", line)
            if "max" in rule and value > rule["max"]:
                raise DataError(file, f"{col}:max", f"column '{col}' is {value}, above {rule['max']}", line)
            if rule.get("source_id") and value not in source_ids:
                raise DataError(
                    file,
                    f"{col}:source",
                    f"source {value!r} is not defined under 'sources' in metadata.yml",
                    line,
                )
            typed[col].append(value)

    frame = pd.DataFrame(typed)
    if meta.key:
        dup = frame.duplicated(list(meta.key), keep="first")
        if dup.any():
            first = int(dup.to_numpy().nonzero()[0][0])
            keyval = ", ".join(f"{k}={frame.iloc[first][k]}" for k in meta.key)
            raise DataError(file, "unique-key", f"duplicate row for {keyval}", first + 2)
    return frame


def _check_segment_identities(frame: pd.DataFrame, file: str) -> None:
    """Children sum to their parent, per fiscal year; segment total reconciles to consolidated."""
    for fy, year in frame.groupby("fiscal_year", sort=True):
        value = dict(zip(year["line_id"], year["value_rmb_m"], strict=True))
        line_of = {lid: int(idx) + 2 for lid, idx in zip(year["line_id"], year.index, strict=True)}
        for parent, kids in year.groupby("parent"):
            if parent == "none":
                continue
            if parent not in value:
                raise DataError(
                    file,
                    "parent-exists",
                    f"FY{fy}: parent line {parent!r} has no row",
                    line_of[kids["line_id"].iloc[0]],
                )
            # consolidated = segment_total + adjustments; every other parent = sum of its kids
            total = int(kids["value_rmb_m"].sum())
            if abs(total - value[parent]) > IDENTITY_TOLERANCE:
                names = " + ".join(kids["line_id"])
                rule = {
                    "segment_total": "segments-sum-to-segment-total",
                    "consolidated": "segment-total-plus-adjustments-equals-consolidated",
                }.get(parent, "parts-sum-to-group-total")
                raise DataError(
                    file,
                    rule,
                    f"FY{fy}: {names} = {total:,} but {parent} = {value[parent]:,} "
                    f"(difference {total - value[parent]:,})",
                    line_of[parent],
                )


#: Extra whole-table checks, by table name.
_TABLE_CHECKS = {"segment_revenue": _check_segment_identities}


@functools.cache
def _load(folder: Path, name: str) -> pd.DataFrame:
    meta = table_meta(name)
    path = folder / meta.file
    if not path.exists():
        raise DataError(meta.file, "file-present", f"{path} does not exist")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(meta.file, "utf-8", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(meta.file, "csv-syntax", f"not a readable CSV: {exc}") from None
    frame = _validate_rows(meta, raw, metadata()["sources"])
    check = _TABLE_CHECKS.get(name)
    if check:
        check(frame, meta.file)
    frame.attrs["title"] = meta.title
    frame.attrs["unit"] = meta.unit
    return frame


def load(name: str) -> pd.DataFrame:
    """Return a validated copy of a table from ``data/`` (see ``data/metadata.yml``)."""
    return _load(data_dir(), name).copy()


def row(name: str, key: str, what: str = "row") -> pd.Series:
    """One row of a table, found by the table's key column (``key:`` in its metadata).

    Raises KeyError naming the file and what was looked for ('data/rules.csv has no rule 'x'').
    """
    meta = table_meta(name)
    if len(meta.key) != 1:
        raise KeyError(f"data/{meta.file} has no single key column (key: {list(meta.key)})")
    t = load(name).set_index(meta.key[0])
    if key not in t.index:
        raise KeyError(f"data/{meta.file} has no {what} {key!r}")
    return t.loc[key]


def validate_all() -> list[str]:
    """Check every source, load every table; return the tables' names. Raises the first :class:`DataError`."""
    validate_sources()
    names = table_names()
    for name in names:
        load(name)
    return names


#: Caches of values derived from the tables (see :mod:`casebook.metrics`), cleared with them.
_derived_caches: list[Any] = []


def register_cache(cached: Any) -> Any:
    """Mark a ``functools.cache`` function as derived from the tables: :func:`clear_cache`
    clears it too. Returns the function, so it can serve as a decorator."""
    _derived_caches.append(cached)
    return cached


def clear_cache() -> None:
    """Forget loaded tables (after the files change, or in tests)."""
    _load.cache_clear()
    _metadata.cache_clear()
    _source_files.cache_clear()
    for cached in _derived_caches:
        cached.cache_clear()


def source_line(*source_ids: str) -> str:
    """A readable 'Source:' text for the given source ids, in the order given, without repeats:
    each document's description, linked to its URL as Markdown (a page shows a link, never a
    printed URL; the PDF prints it as a footnote). Glue it with ``{glue:md}``."""
    seen: list[str] = []
    for sid in source_ids:
        if sid not in seen:
            seen.append(sid)
    known = sources()
    parts = []
    for sid in seen:
        if sid not in known:
            raise KeyError(f"unknown source id {sid!r}; define it under 'sources' in data/metadata.yml")
        s = known[sid]
        doc = str(s["document"]).replace("[", "(").replace("]", ")")
        parts.append(f"[{doc}](<{s['url']}>)" if s.get("url") else doc)
    return "; ".join(parts)
