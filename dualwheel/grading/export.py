"""Grades a learning platform can import: the merged gradebook + a roster -> Canvas, Moodle or plain CSV.

The gradebook names students as their submissions were named (``alice``, ``sam lee``); a
learning platform knows them by a user id. The **roster** (a CSV the instructor keeps) maps one
to the other. Every student is accounted for, in the written file or in the report beside it:

* on the roster and graded: the total, scaled to ``--points-possible`` when asked;
* on the roster with no submission: an **empty** grade (the platforms read an empty cell as
  "no grade", not 0), or 0 with ``zero_missing``;
* graded but not on the roster: they have no user id, so no platform row can carry them (Moodle
  stops the whole import at a user it cannot find). The export stops and lists them, with the
  roster names they resemble, unless ``skip_unmatched`` is given; then they are left out of the
  Canvas and Moodle files, kept in the plain file with an empty ``lms_id``, and listed in the
  report. A student's grade is never lost without a line saying so;
* graded, but a rubric answer not scored yet (blank total): the export stops unless
  ``allow_pending`` is given (then the grade is left empty and the report says why).

The formats, each from its platform's documentation and importer (read, not written from memory):

**Canvas** (gradebook import, Grades > Import). Columns ``Student, ID, SIS User ID, SIS Login
ID, Section``, then one column per assignment named ``Title (ID)``, and a second row whose first
cell is ``Points Possible``:

* instructure/canvas-lms ``app/models/gradebook_importer.rb``: the header must start with a
  column containing "Student" and one containing "ID" (``row_has_student_headers?``); "SIS User
  ID" followed by "SIS Login ID" are optional student columns, and the last student column must
  be "Section" (``update_column_count``, ``header?``); a row whose first cell includes "Points
  Possible" sets the points of the assignments (``check_for_non_student_row``, ``process_pp``);
  a student is found by the Canvas user ``ID``, then by SIS User ID, then by SIS Login ID, then
  by name (``process_student``); a blank cell or ``-`` is "no score" (``no_score?``); the
  delimiter is a comma unless semicolons split the first lines more evenly (``identify_delimiter``).
* ``app/models/assignment.rb`` ``title_and_id``: an assignment header ``Title (123)`` names the
  assignment with id 123; a header without ``(id)`` matches an assignment of that exact title,
  or creates a new one (``parse_assignments``).
* Canvas's export, described in nemogb's "Detailed Canvas Export Info" and Ohio State's "Import
  a CSV file into Carmen Grades": Student (``Last, First``), ID (Canvas's user id), SIS User ID,
  SIS Login ID, Section, then ``Quiz 1 (87568490)``-style assignment columns.
* Instructure's CSV pages: standard CSV (RFC 4180), UTF-8. Written with CRLF line ends, no BOM.

**Moodle** (Grades > Import > CSV file). One column identifies the user, one column per grade
item; the instructor maps them in the import form:

* docs.moodle.org "Grade import": the import file has the export's shape; in the preview, "Map
  from" picks the identifying column and "Map to" the user field ("Email Address" to
  ``useremail``, "Id Number" to ``useridnumber``).
* moodle/moodle ``grade/import/grade_import_form.php`` (``grade_import_mapping_form``): "Map to"
  offers ``userid``, ``username``, ``useridnumber``, ``useremail``; every other column maps to a
  grade item, a "new gradeitem", feedback, or "ignore".
* moodle/moodle ``grade/import/csv/classes/load_data.php``: a user that cannot be found stops the
  whole import (``check_user_exists``, "User not found, abort whole import"); a grade of ``''``
  or ``-`` is "no grade" (``update_grade_item``); any other non-number stops it ("badgrade").
* ``grade/import/csv/tests/load_data_test.php``: Moodle's own export, used as import text, has
  headers such as ``"ID number"`` and ``"Email address"`` and one column per item.
  Written UTF-8 (the form's default encoding), comma-separated, CRLF line ends, no BOM.

**Plain**: ``name, submission, lms_id, score, points_possible, percent, status, note``, one row
per student of the gradebook or the roster (UTF-8, LF line ends, as ``gradebook.csv``).

Every text cell that came from a person (a name, a submission name, a section) goes through
:func:`~dualwheel.grading.gradebook.safe_cell`, so ``=HYPERLINK(...)`` stays text in a
spreadsheet (OWASP "CSV Injection": prefix a cell that starts with ``= + - @``, tab or CR with a
``'``). Ids cannot be prefixed without breaking the platform's match, so a roster id that starts
like a formula is refused instead.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write, redact, visible
from .gradebook import safe_cell
from .roster import (  # noqa: F401 - re-exported: the export's inputs and their errors
    FORMULA_START,
    ROSTER_COLUMNS,
    ROSTER_HELP,
    ROSTER_OPTIONAL,
    ROSTER_REQUIRED,
    ExportError,
    Graded,
    Student,
    _unescape,
    read_gradebook,
    read_roster,
)

FORMATS = ("canvas", "moodle", "plain")

#: Moodle user fields the identifying column can map to: the header Moodle's own export gives
#: that field, and the "Map to" value to choose in the import form.
MOODLE_FIELDS = {
    "idnumber": ("ID number", "useridnumber"),
    "email": ("Email address", "useremail"),
    "username": ("Username", "username"),
}

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
PLAIN_COLUMNS = ("name", "submission", "lms_id", "score", "points_possible", "percent", "status", "note")
REPORT_COLUMNS = ("outcome", "submission", "lms_id", "name", "score", "gradebook_status", "detail")

#: Outcomes, in the order the report lists them (what needs the instructor first).
NOT_ON_ROSTER = "not_on_roster"
PENDING = "rubric_pending"
NO_SUBMISSION = "no_submission"
REVIEW = "exported_check"
EXPORTED = "exported"
OUTCOME_ORDER = (NOT_ON_ROSTER, PENDING, NO_SUBMISSION, REVIEW, EXPORTED)
#: Gradebook statuses that ask the instructor to decide (see exercises/README.md): exported, and flagged.
REVIEW_STATUSES = ("needs_review", "invalid_submission")


@dataclass
class Line:
    """One student in the export: the roster entry, the gradebook row, or both."""

    outcome: str
    student: Student | None
    graded: Graded | None
    score: str  # the grade cell as written: "" is no grade
    detail: str = ""

    @property
    def submission(self) -> str:
        return self.graded.student if self.graded else self.student.submission  # type: ignore[union-attr]


@dataclass
class Export:
    """Everyone in the gradebook or on the roster, each once, with what happens to them."""

    lines: list[Line]
    points_possible: float
    max_points: float
    assignment: str
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, outcome: str) -> list[Line]:
        return [line for line in self.lines if line.outcome == outcome]


# ------------------------------------------------------------------ matching and scores
def _fmt(x: float) -> str:
    """A score as the platforms read it: a plain decimal with at most two places (Canvas rounds
    to two when it compares, ``no_change_to_value?``)."""
    text = f"{round(x, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def build(
    graded: list[Graded],
    roster: list[Student],
    *,
    assignment: str,
    points_possible: float | None = None,
    zero_missing: bool = False,
    skip_unmatched: bool = False,
    allow_pending: bool = False,
) -> Export:
    """Match the gradebook to the roster; raise :class:`ExportError` for what must be decided."""
    if points_possible is not None and not (math.isfinite(points_possible) and points_possible > 0):
        raise ExportError(f"--points-possible must be a number above 0, not {points_possible:g}")
    if assignment.strip() != assignment or not assignment or assignment[:1] in FORMULA_START:
        raise ExportError(
            f"the assignment name {assignment!r} must be text without spaces around it, "
            "not starting with = + - @"
        )
    max_points = graded[0].max_points if graded else (points_possible or 0.0)
    pp = points_possible if points_possible is not None else max_points
    if pp <= 0:
        raise ExportError("the gradebook has no student, so give --points-possible")
    # A name matches its roster entry exactly; failing that, in one Unicode form (NFC), when that
    # form names one roster entry only: a macOS file name arrives decomposed (NFD), a typed roster
    # composed. Two gradebook rows that reach the same roster entry are refused, never merged.
    problems = []
    exact = {s.submission: s for s in roster}
    composed: dict[str, list[Student]] = {}
    for st in roster:
        composed.setdefault(_key(st.submission), []).append(st)

    def entry_for(name: str) -> Student | None:
        if name in exact:
            return exact[name]
        found = composed.get(_key(name), [])
        return found[0] if len(found) == 1 else None

    by_name: dict[str, Graded] = {}  # roster submission -> its graded row
    for g in graded:
        st = entry_for(g.student)
        if st is None:
            continue
        if st.submission in by_name:
            twin = by_name[st.submission]
            problems.append(
                f"gradebook lines {twin.row} and {g.row} both match roster student {st.submission!r} "
                f"({twin.student!r}, {g.student!r}: two Unicode forms of one name): keep one submission "
                "and grade again"
            )
        by_name[st.submission] = g
    unmatched = [g for g in graded if entry_for(g.student) is None]
    pending = [g for g in graded if entry_for(g.student) is not None and g.total is None]
    if unmatched and not skip_unmatched:
        free = [s.submission for s in roster if s.submission not in by_name]
        lines = []
        for g in unmatched:
            near = difflib.get_close_matches(g.student, free, n=2, cutoff=0.6)
            hint = f" (on the roster without a submission: {', '.join(map(repr, near))}?)" if near else ""
            lines.append(f"{g.student!r} (gradebook line {g.row}){hint}")
        problems.append(
            f"{len(unmatched)} graded student(s) are not on the roster, so no platform user would get "
            "their grade:\n    "
            + "\n    ".join(lines)
            + "\n  add each to the roster (column 'submission', as the gradebook names them), or give "
            "--skip-unmatched to export the others and list these in the report"
        )
    if pending and not allow_pending:
        names = ", ".join(repr(g.student) for g in pending[:10]) + (" ..." if len(pending) > 10 else "")
        problems.append(
            f"{len(pending)} student(s) have a rubric answer not scored yet (blank total): {names}\n"
            "  score them in manual_scores.csv and run `casebook merge`, then export the merged "
            "gradebook; or give --allow-pending to leave their grade empty"
        )
    if problems:
        raise ExportError("nothing was written:\n  " + "\n  ".join(problems))

    lines: list[Line] = []
    for s in roster:
        g = by_name.get(s.submission)
        if g is None:
            score = "0" if zero_missing else ""
            detail = "on the roster, no submission in the gradebook: " + (
                "exported as 0 (--zero-missing)" if zero_missing else "grade left empty (no grade, not 0)"
            )
            lines.append(Line(NO_SUBMISSION, s, None, score, detail))
        elif g.total is None:
            lines.append(Line(PENDING, s, g, "", "a rubric answer is not scored yet: grade left empty"))
        else:
            score = _fmt(g.total * pp / g.max_points)
            review = g.status in REVIEW_STATUSES
            detail = f"gradebook status {g.status}: {g.message}".rstrip(": ") if review else ""
            lines.append(Line(REVIEW if review else EXPORTED, s, g, score, detail))
    for g in unmatched:
        score = "" if g.total is None else _fmt(g.total * pp / g.max_points)
        lines.append(
            Line(
                NOT_ON_ROSTER,
                None,
                g,
                score,
                "graded but not on the roster: not in the Canvas or Moodle file (no user id)",
            )
        )
    counts = {o: sum(1 for line in lines if line.outcome == o) for o in OUTCOME_ORDER}
    return Export(lines, pp, max_points, assignment, counts)


# ------------------------------------------------------------------ the three formats
def _key(name: str) -> str:
    """A name as the roster and the gradebook are matched: NFC, so both Unicode forms agree."""
    return unicodedata.normalize("NFC", name)


def _text(value: str) -> str:
    """A cell of a person's text: one line, and never a formula."""
    return safe_cell(visible(value, one_line=True).strip())


def _csv(rows: list[list[str]], lineterminator: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    writer.writerows(rows)
    return buf.getvalue()


def canvas_csv(export: Export) -> str:
    rows = [[*CANVAS_STUDENT_COLUMNS, export.assignment]]
    rows.append(["Points Possible", "", "", "", "", _fmt(export.points_possible)])
    for line in export.lines:
        s = line.student
        if s is None:
            continue  # not on the roster: no Canvas user to give it to (in the report)
        rows.append([_text(s.name), s.lms_id, s.sis_user_id, s.sis_login_id, _text(s.section), line.score])
    return _csv(rows, "\r\n")


def moodle_csv(export: Export, field: str = "idnumber") -> str:
    if field not in MOODLE_FIELDS:
        raise ExportError(f"--moodle-field must be one of {', '.join(MOODLE_FIELDS)}, not {field!r}")
    rows = [[MOODLE_FIELDS[field][0], "Full name", export.assignment]]
    for line in export.lines:
        s = line.student
        if s is None:
            continue  # Moodle would stop the whole import at a user it cannot find
        ident = s.email if field == "email" and s.email else s.lms_id
        rows.append([ident, _text(s.name), line.score])
    return _csv(rows, "\r\n")


def plain_csv(export: Export) -> str:
    rows = [list(PLAIN_COLUMNS)]
    for line in export.lines:
        s, g = line.student, line.graded
        percent = ""
        if g is not None and g.total is not None:
            percent = _fmt(g.total / g.max_points * 100)
        elif line.score != "":
            percent = _fmt(float(line.score) / export.points_possible * 100)
        rows.append(
            [
                _text(s.name) if s else "",
                _text(line.submission),
                s.lms_id if s else "",
                line.score,
                _fmt(export.points_possible),
                percent,
                _text(g.status) if g else "",
                _text(line.detail),
            ]
        )
    return _csv(rows, "\n")


def report_csv(export: Export) -> str:
    """Everyone, once, what needs the instructor first."""
    order = {o: i for i, o in enumerate(OUTCOME_ORDER)}
    ranked = sorted(enumerate(export.lines), key=lambda il: (order[il[1].outcome], il[0]))
    rows = [list(REPORT_COLUMNS)]
    for _, line in ranked:
        s, g = line.student, line.graded
        rows.append(
            [
                line.outcome,
                _text(line.submission),
                s.lms_id if s else "",
                _text(s.name) if s else "",
                line.score,
                _text(g.status) if g else "",
                _text(line.detail),
            ]
        )
    return _csv(rows, "\n")


def render(export: Export, fmt: str, moodle_field: str = "idnumber") -> str:
    if fmt == "canvas":
        return canvas_csv(export)
    if fmt == "moodle":
        return moodle_csv(export, moodle_field)
    if fmt == "plain":
        return plain_csv(export)
    raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


# ------------------------------------------------------------------ files
def default_out(gradebook: Path, fmt: str) -> Path:
    """``grading/gradebook-with-manual.csv`` -> ``grading/gradebook-with-manual-canvas.csv``."""
    return gradebook.with_name(f"{gradebook.stem}-{fmt}.csv")


def report_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-report.csv")


def write_export(
    gradebook: Path,
    roster: Path,
    fmt: str,
    out: Path | None = None,
    *,
    assignment: str,
    points_possible: float | None = None,
    zero_missing: bool = False,
    skip_unmatched: bool = False,
    allow_pending: bool = False,
    moodle_field: str = "idnumber",
    force: bool = False,
) -> tuple[Export, Path, Path]:
    """Check everything, then write the platform's file and the report (each atomically).

    Nothing is written when any input is wrong, and an existing file is replaced only with
    ``force``; the gradebook and the roster are never written over, even then."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    if moodle_field not in MOODLE_FIELDS:
        raise ExportError(f"--moodle-field must be one of {', '.join(MOODLE_FIELDS)}, not {moodle_field!r}")
    out = Path(out) if out is not None else default_out(Path(gradebook), fmt)
    report = report_path(out)
    inputs = {Path(gradebook).resolve(), Path(roster).resolve()}
    for target in (out, report):
        if target.resolve() in inputs:
            raise ExportError(f"{target} is an input of this export; choose another --out")
        if target.exists() and not force:
            raise ExportError(f"{target} already exists; give --force to replace it, or another --out")
        if target.is_dir():
            raise ExportError(f"{target} is a folder")
    graded = read_gradebook(Path(gradebook))
    students = read_roster(Path(roster))
    export = build(
        graded,
        students,
        assignment=assignment,
        points_possible=points_possible,
        zero_missing=zero_missing,
        skip_unmatched=skip_unmatched,
        allow_pending=allow_pending,
    )
    if fmt == "moodle" and moodle_field == "email":
        no_email = [s for s in students if not s.email]
        if no_email:
            raise ExportError(
                "--moodle-field email needs an 'email' for every student; none on line(s) "
                + ", ".join(str(s.row) for s in no_email)
            )
    if fmt == "canvas":
        not_numeric = [s for s in students if not re.fullmatch(r"[0-9]+", s.lms_id)]
        if not_numeric:
            raise ExportError(
                "Canvas finds a student by the numeric user ID of its own gradebook export; these "
                "lms_id are not numbers (an SIS id goes in the sis_user_id column): "
                + ", ".join(f"line {s.row} {s.lms_id!r}" for s in not_numeric[:10])
            )
    text = render(export, fmt, moodle_field)
    _refuse_redaction(text + report_csv(export))
    atomic_write(report, report_csv(export))
    atomic_write(out, text)
    return export, out, report


def _refuse_redaction(text: str) -> None:
    """:func:`atomic_write` redacts the values of the grader's environment variables; in an
    export that would silently turn an id into ``[redacted]``, so say which variable instead."""
    if redact(text) == text:
        return
    names = sorted(k for k, v in os.environ.items() if v and redact(v) != v and v in text)
    raise ExportError(
        "a roster or gradebook value equals the value of the environment variable(s) "
        f"{', '.join(names)}, which the grader never writes to a file; export from a shell "
        "without them (e.g. `env -u NAME casebook export ...`)"
    )


def summary(export: Export, fmt: str, moodle_field: str = "idnumber") -> list[str]:
    """What the instructor must know, for stderr: counts, and the names behind each problem."""
    c = export.counts
    written = sum(1 for line in export.lines if line.student is not None or fmt == "plain")
    out = [
        f"{written} students in the {fmt} file: {c[EXPORTED] + c[REVIEW]} with a grade"
        + (f" (scaled from {export.max_points:g} to {export.points_possible:g} points)"
           if export.points_possible != export.max_points else f" out of {export.points_possible:g}")
    ]  # fmt: skip

    def names(outcome: str) -> str:
        who = [line.submission for line in export.of(outcome)]
        return ", ".join(_text(w) for w in who[:8]) + (f" and {len(who) - 8} more" if len(who) > 8 else "")

    if c[NO_SUBMISSION]:
        how = (
            "exported as 0"
            if any(line.score == "0" for line in export.of(NO_SUBMISSION))
            else "grade left empty"
        )
        out.append(f"  on the roster, no submission ({how}): {c[NO_SUBMISSION]}: {names(NO_SUBMISSION)}")
    if c[PENDING]:
        out.append(f"  rubric not scored yet (grade left empty): {c[PENDING]}: {names(PENDING)}")
    if c[REVIEW]:
        out.append(f"  exported, but the gradebook says to check them: {c[REVIEW]}: {names(REVIEW)}")
    if c[NOT_ON_ROSTER]:
        where = "kept with no lms_id" if fmt == "plain" else "NOT in the file"
        out.append(f"  graded but not on the roster ({where}): {c[NOT_ON_ROSTER]}: {names(NOT_ON_ROSTER)}")
    if fmt == "moodle":
        label, map_to = MOODLE_FIELDS[moodle_field]
        out.append(
            f"  in Moodle's import form: Map from '{label}', Map to '{map_to}'; map "
            f"'{export.assignment}' to its grade item (or 'new grade item')"
        )
    return out
