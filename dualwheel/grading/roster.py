"""Reading the inputs of ``casebook export``: the roster (a CSV the instructor keeps) and the
gradebook (``casebook grade`` or ``casebook merge``), each checked whole, every problem listed
with its line. What is done with them is in :mod:`dualwheel.grading.export`."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

#: The roster's columns: the first three are required, the rest are copied where a format has them.
ROSTER_REQUIRED = ("submission", "lms_id", "name")
ROSTER_OPTIONAL = ("sis_user_id", "sis_login_id", "section", "email")
ROSTER_COLUMNS = ROSTER_REQUIRED + ROSTER_OPTIONAL
ROSTER_HELP = (
    "submission: the student's name as the gradebook shows it (the submission's file or folder "
    "name); lms_id: the student's id in the platform (Canvas: the numeric ID of Canvas's own "
    "gradebook export; Moodle: the value of the user field you map to, an ID number by "
    "default); name: the name the platform shows ('Last, First'). Optional: sis_user_id, "
    "sis_login_id, section (Canvas), email."
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """Input that cannot be exported; the message names each problem and where it is."""


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    submission: str
    lms_id: str
    name: str
    row: int
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""


@dataclass(frozen=True)
class Graded:
    """One row of the gradebook: the student as named there, and the total (None: not complete)."""

    student: str
    total: float | None
    max_points: float
    status: str
    message: str
    row: int


# ------------------------------------------------------------------ reading the inputs
def _unescape(name: str) -> str:
    """A name as typed: the gradebook writes ``=x`` as ``'=x`` (:func:`safe_cell`); undo that."""
    return name[1:] if name[:1] == "'" and name[1:2] in FORMULA_START else name


def _read_table(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows of a CSV (with their line numbers); BOM accepted."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read the {what} {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExportError(
            f"the {what} {path} is not UTF-8 text (line {line}); save it as 'CSV UTF-8'"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # a blank line, or one of commas only: nothing to read
            if header is None:
                header = [c.strip() for c in cells]
            else:
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ExportError(f"the {what} {path} is not valid CSV (line {reader.line_num}): {exc}") from None
    if header is None:
        raise ExportError(f"the {what} {path} is empty")
    return header, rows


def read_roster(path: Path) -> list[Student]:
    """The roster, checked whole: every problem is listed with its line, and none is guessed."""
    header, rows = _read_table(path, "roster")
    header = [re.sub(r"[\s-]+", "_", c.lower()) for c in header]  # "LMS ID", "Lms-Id" -> lms_id
    name = Path(path).name
    missing = [c for c in ROSTER_REQUIRED if c not in header]
    if missing:
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = " (the file is separated by ';': save it as 'CSV UTF-8 (comma delimited)')"
        raise ExportError(
            f"{name}, line 1: the roster has no column {', '.join(repr(c) for c in missing)}{hint}. "
            f"Its header is {', '.join(header) or '(empty)'}. Columns: {ROSTER_HELP}"
        )
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        raise ExportError(f"{name}, line 1: the column {', '.join(map(repr, dupes))} appears twice")
    index = {c: header.index(c) for c in ROSTER_COLUMNS if c in header}
    problems: list[str] = []
    students: list[Student] = []
    by_submission: dict[str, int] = {}
    by_id: dict[str, int] = {}
    for line, cells in rows:
        where = f"{name}, line {line}"
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(f"{where}: {len(cells)} cells for {len(header)} columns (a comma too many?)")
            continue
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        empty = [c for c in ROSTER_REQUIRED if not values[c]]
        if empty:
            problems.append(f"{where}: no {' and no '.join(empty)}")
            continue
        submission = _unescape(values["submission"])
        for column in ("lms_id", "sis_user_id", "sis_login_id", "email"):
            if values.get(column, "")[:1] in FORMULA_START and values.get(column):
                problems.append(
                    f"{where}: {column} {values[column]!r} starts like a spreadsheet formula; "
                    "an id cannot start with = + - @"
                )
        if submission in by_submission:
            problems.append(
                f"{where}: submission {submission!r} is already on line {by_submission[submission]}"
            )
        else:
            by_submission[submission] = line
        if values["lms_id"] in by_id:
            problems.append(
                f"{where}: lms_id {values['lms_id']!r} is already on line {by_id[values['lms_id']]}"
            )
        else:
            by_id[values["lms_id"]] = line
        students.append(
            Student(
                submission=submission,
                lms_id=values["lms_id"],
                name=values["name"],
                row=line,
                **{c: values.get(c, "") for c in ROSTER_OPTIONAL},
            )
        )
    if problems:
        raise ExportError("the roster has problems; nothing was written:\n  " + "\n  ".join(problems))
    if not students:
        raise ExportError(f"{name}: the roster has a header but no student")
    return students


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_gradebook(path: Path) -> list[Graded]:
    """The rows of a gradebook written by ``casebook grade`` or ``casebook merge``."""
    header, rows = _read_table(path, "gradebook")
    name = Path(path).name
    need = ("student", "total", "max_points", "status")
    missing = [c for c in need if c not in header]
    if missing:
        raise ExportError(
            f"{name} is not a casebook gradebook: no column {', '.join(map(repr, missing))} "
            "(give the gradebook.csv of `casebook grade`, or the merged one of `casebook merge`)"
        )
    col = {c: header.index(c) for c in (*need, "message") if c in header}
    problems: list[str] = []
    graded: list[Graded] = []
    seen: dict[str, int] = {}

    def cell(cells: list[str], c: str) -> str:
        i = col.get(c)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for line, cells in rows:
        where = f"{name}, line {line}"
        student = _unescape(cell(cells, "student"))
        total_text, max_text = cell(cells, "total"), cell(cells, "max_points")
        total = _number(total_text) if total_text else None
        top = _number(max_text)
        if not student:
            problems.append(f"{where}: no student")
            continue
        if total_text and total is None:
            problems.append(f"{where}: total {total_text!r} is not a number")
            continue
        if top is None or top <= 0:
            problems.append(f"{where}: max_points {max_text!r} is not a positive number")
            continue
        if student in seen:
            problems.append(f"{where}: student {student!r} is already on line {seen[student]}")
            continue
        seen[student] = line
        graded.append(Graded(student, total, top, cell(cells, "status"), cell(cells, "message"), line))
    if problems:
        raise ExportError("the gradebook has problems; nothing was written:\n  " + "\n  ".join(problems))
    tops = {g.max_points for g in graded}
    if len(tops) > 1:
        raise ExportError(
            f"{name}: rows give different max_points ({', '.join(f'{t:g}' for t in sorted(tops))}); "
            "a gradebook is one chapter's"
        )
    return graded
