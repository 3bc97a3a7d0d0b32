"""`casebook export`: the merged gradebook + a roster -> Canvas, Moodle and plain CSV (part of make unit).

The gradebook is written by the package's own writer and merge (no sandbox); the expected files
in ``fixtures/lms`` are typed from each platform's documented format (see its README).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from dualwheel.grading import export, gradebook
from dualwheel.grading.cli import main
from dualwheel.grading.questions import bank_for

LMS = Path(__file__).parent / "fixtures" / "lms"
HOSTILE = '=HYPERLINK("http://evil.example","x")'

#: student -> (points of q1..q5, rubric points for q6 or None, status, message)
CLASS = {
    "alice": ((2, 2, 2, 3, 2), 5, "graded", ""),
    "bob": ((2, 2, 0, 3, 0), 2.5, "graded_with_errors", "cell 4 raised ValueError"),
    HOSTILE: ((2, 2, 0, 0, 0), 0, "graded", ""),
    "two_notebooks/final.ipynb": (
        (2, 2, 2, 3, 2),
        6,
        "needs_review",
        "several notebooks in two_notebooks/: keep the one to count",
    ),
    "mallory": ((2, 0, 0, 0, 0), 1, "graded", ""),
}


def _results(cls: dict) -> dict:
    out = {}
    for student, (auto, _, status, message) in sorted(cls.items()):
        qs = [{"question": f"q{i + 1}", "points": float(p), "manual": False} for i, p in enumerate(auto)]
        qs.append({"question": "q6", "points": None, "manual": True, "answer": "An essay."})
        out[student] = {"student": student, "questions": qs, "auto_total": float(sum(auto)), "status": status}
        out[student]["message"] = message
    return out


def make_gradebook(folder: Path, cls: dict = CLASS) -> Path:
    """gradebook.csv as `casebook grade` writes it, then the rubric scores merged as `casebook merge` does."""
    bank = bank_for(3)
    results = _results(cls)
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / "gradebook.csv"
    book.write_text(gradebook.gradebook_csv(bank, results), encoding="utf-8")
    sheet = folder / "manual_scores.csv"
    gradebook.write_manual_template(sheet, bank, results)
    rows = list(csv.DictReader(open(sheet, encoding="utf-8")))
    for r in rows:
        rubric = cls[export._unescape(r["student"])][1]
        r["points"] = "" if rubric is None else f"{rubric:g}"
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    merged = folder / "gradebook-with-manual.csv"
    gradebook.merge_manual(book, sheet, bank, merged)
    return merged


@pytest.fixture
def merged(tmp_path) -> Path:
    return make_gradebook(tmp_path / "graded")


OPTIONS = {
    "canvas": {"assignment": "Chapter 3 exercises (4417)", "points_possible": 20.0},
    "moodle": {"assignment": "Chapter 3 exercises"},
    "plain": {"assignment": "Chapter 3 exercises"},
}


def _export(merged: Path, fmt: str, roster: Path = LMS / "roster.csv", **kw):
    opts = {**OPTIONS[fmt], "skip_unmatched": True, **kw}
    return export.write_export(merged, roster, fmt, **opts)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


# ------------------------------------------------------------------ the formats, against their examples
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_each_format_matches_its_example_file(merged, fmt):
    """Byte for byte: columns, rows, quoting, UTF-8 without BOM, the line ends each format uses."""
    _, out, _ = _export(merged, fmt)
    assert out == merged.with_name(f"gradebook-with-manual-{fmt}.csv")
    assert out.read_bytes() == (LMS / f"{fmt}_example.csv").read_bytes()


def _canvas_read(text: str) -> dict:
    """The file as Canvas's gradebook importer reads it (the rules of gradebook_importer.rb)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]  # row_has_student_headers?
    student_columns = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        student_columns += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        student_columns += 2
    assert "Section" in header[student_columns - 1]  # header?: the last student column
    assignments = [re.fullmatch(r"(.*)\s\((\d+)\)", h) for h in header[student_columns:]]  # title_and_id
    points = {}
    students = {}
    for row in rows[1:]:
        assert len(row) == len(header)
        if "Points Possible" in row[0]:  # check_for_non_student_row -> process_pp
            points = dict(zip(header[student_columns:], row[student_columns:], strict=True))
            continue
        grades = row[student_columns:]
        assert all(g == "" or g == "-" or re.fullmatch(r"-?[0-9.]+", g) for g in grades)
        students[row[1]] = dict(zip(header[student_columns:], grades, strict=True))
    return {"assignments": assignments, "points": points, "students": students}


def test_canvas_file_reads_as_canvas_importer_reads_it(merged):
    _, out, _ = _export(merged, "canvas")
    text = out.read_bytes().decode("utf-8")  # UTF-8, strict
    assert not text.startswith("\ufeff") and text.count("\r\n") == text.count("\n")
    read = _canvas_read(text)
    (match,) = read["assignments"]
    assert match and match.groups() == ("Chapter 3 exercises", "4417")
    assert read["points"] == {"Chapter 3 exercises (4417)": "20"}
    grades = {uid: g["Chapter 3 exercises (4417)"] for uid, g in read["students"].items()}
    assert grades == {"1001": "18.82", "1002": "11.18", "1003": "", "1004": "4.71", "1005": "20"}


def test_moodle_file_reads_as_moodle_importer_reads_it(merged):
    """load_data.php: the same number of cells on every line (or 'csvweirdcolumns'), a user in
    every row (or the whole import stops), a grade that is a number or '' (no grade)."""
    _, out, _ = _export(merged, "moodle")
    rows = _rows(out)
    assert rows[0] == ["ID number", "Full name", "Chapter 3 exercises"]
    assert {len(r) for r in rows} == {3}
    assert all(r[0] for r in rows[1:])
    assert all(r[2] == "" or float(r[2]) >= 0 for r in rows[1:])
    assert {r[0]: r[2] for r in rows[1:]} == {
        "1001": "16",
        "1002": "9.5",
        "1003": "",
        "1004": "4",
        "1005": "17",
    }


def test_moodle_can_identify_students_by_email(merged, tmp_path):
    _, out, _ = _export(merged, "moodle", out=tmp_path / "m.csv", moodle_field="email")
    rows = _rows(out)
    assert rows[0][0] == "Email address" and rows[1][0] == "alice@example.edu"


# ------------------------------------------------------------------ nobody is dropped
def test_every_student_is_in_the_report_once(merged):
    done, _, report = _export(merged, "canvas")
    rows = list(csv.DictReader(open(report, encoding="utf-8")))
    names = [export._unescape(r["submission"]) for r in rows]
    assert sorted(names) == sorted({*CLASS, "carol"})
    outcome = {export._unescape(r["submission"]): r["outcome"] for r in rows}
    assert outcome == {
        "mallory": "not_on_roster",
        "carol": "no_submission",
        "two_notebooks/final.ipynb": "exported_check",
        "alice": "exported",
        "bob": "exported",
        HOSTILE: "exported",
    }
    assert rows[0]["outcome"] == "not_on_roster"  # what needs the instructor comes first
    assert done.counts[export.NO_SUBMISSION] == 1


def test_a_student_with_no_submission_gets_an_empty_grade_or_zero_when_asked(merged, tmp_path):
    _, out, _ = _export(merged, "moodle", out=tmp_path / "a.csv")
    assert {r[0]: r[2] for r in _rows(out)}["1003"] == ""
    _, out, _ = _export(merged, "moodle", out=tmp_path / "b.csv", zero_missing=True)
    assert {r[0]: r[2] for r in _rows(out)}["1003"] == "0"


def test_a_graded_student_not_on_the_roster_stops_the_export(merged):
    with pytest.raises(export.ExportError) as err:
        _export(merged, "canvas", skip_unmatched=False)
    assert "'mallory' (gradebook line" in str(err.value) and "--skip-unmatched" in str(err.value)
    assert list(merged.parent.glob("*-canvas*")) == []  # nothing written, not even the report


def test_unmatched_names_suggest_the_roster_name_they_resemble(merged, tmp_path):
    roster = tmp_path / "roster.csv"
    text = (LMS / "roster.csv").read_text(encoding="utf-8").replace("\nalice,", "\nAlice,")
    roster.write_text(text + "mallory,1006,Mallory\n", encoding="utf-8")
    with pytest.raises(export.ExportError) as err:
        _export(merged, "plain", roster=roster, skip_unmatched=False)
    assert "'alice' (gradebook line 3) (on the roster without a submission: 'Alice'?)" in str(err.value)


def test_rubric_answers_not_scored_stop_the_export_unless_allowed(tmp_path):
    cls = {**CLASS, "alice": ((2, 2, 2, 3, 2), None, "graded", "")}
    book = make_gradebook(tmp_path / "g", cls)
    with pytest.raises(
        export.ExportError,
        match=r"1 student\(s\) have a rubric answer not scored yet \(blank total\): 'alice'",
    ):
        _export(book, "canvas")
    done, out, _ = _export(book, "canvas", allow_pending=True)
    assert (
        _canvas_read(out.read_text(encoding="utf-8"))["students"]["1001"]["Chapter 3 exercises (4417)"] == ""
    )
    assert [line.submission for line in done.of(export.PENDING)] == ["alice"]


# ------------------------------------------------------------------ hostile text
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_no_cell_starts_like_a_formula(merged, fmt):
    _, out, report = _export(merged, fmt)
    for path in (out, report):
        for row in _rows(path):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (path.name, cell)


def test_control_characters_in_names_do_not_break_rows(merged, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('submission,lms_id,name\nalice,1001,"Line\none\ttwo"\n', encoding="utf-8")
    _, out, _ = _export(merged, "canvas", roster=roster)
    assert _rows(out)[2][0] == "Line one two"


# ------------------------------------------------------------------ a bad roster
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("student,lms_id,name\nalice,1,A\n", "line 1: the roster has no column 'submission'"),
        ("submission;lms_id;name\nalice;1;A\n", "separated by ';'"),
        ("submission,lms_id,name\nalice,1,A\nbob,1,B\n", "line 3: lms_id '1' is already on line 2"),
        (
            "submission,lms_id,name\nalice,1,A\n\nalice,2,B\n",
            "line 4: submission 'alice' is already on line 2",
        ),
        ("submission,lms_id,name\nalice,,A\n", "line 2: no lms_id"),
        ("submission,lms_id,name\nalice,=1+1,A\n", "line 2: lms_id '=1+1' starts like a spreadsheet formula"),
        ("submission,lms_id,name\nalice,1,A,extra\n", "line 2: 4 cells for 3 columns"),
        ("submission,lms_id,name,name\nalice,1,A,B\n", "the column 'name' appears twice"),
        ("submission,lms_id,name\n", "no student"),
        ("", "is empty"),
    ],
)
def test_a_bad_roster_is_refused_with_the_line(merged, tmp_path, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(export.ExportError) as err:
        _export(merged, "plain", roster=roster)
    assert message in str(err.value)
    assert not merged.with_name("gradebook-with-manual-plain.csv").exists()


def test_every_roster_problem_is_listed_at_once(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,lms_id,name\na,1,A\nb,1,B\nc,,C\n", encoding="utf-8")
    with pytest.raises(export.ExportError) as err:
        export.read_roster(roster)
    assert "line 3: lms_id '1'" in str(err.value) and "line 4: no lms_id" in str(err.value)


def test_a_roster_saved_by_excel_is_read(merged, tmp_path):
    """A BOM, CRLF line ends, blank lines and spaces around cells: all fine."""
    roster = tmp_path / "roster.csv"
    rows = (LMS / "roster.csv").read_text(encoding="utf-8").splitlines()
    text = "\r\n".join(rows[:2] + ["", ",,,,,,"] + [r.replace(",", " , ", 1) for r in rows[2:]]) + "\r\n"
    roster.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    students = export.read_roster(roster)
    assert [s.submission for s in students][:3] == ["alice", "bob", "carol"]
    assert students[1].row == 5  # line numbers count the blank lines


def test_roster_headers_are_read_as_people_type_them(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Submission, LMS ID ,Name,SIS-User-ID\nalice,1,A,S1\n", encoding="utf-8")
    (alice,) = export.read_roster(roster)
    assert (alice.submission, alice.lms_id, alice.name, alice.sis_user_id) == ("alice", "1", "A", "S1")


def test_canvas_needs_the_numeric_user_id(merged, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,lms_id,name\nalice,1001,A\nbob,S1002,B\n", encoding="utf-8")
    with pytest.raises(export.ExportError, match=r"not numbers .*: line 3 'S1002'"):
        _export(merged, "canvas", roster=roster)
    _export(merged, "moodle", roster=roster)  # an ID number need not be a number
    roster.write_text("submission,lms_id,name\nalice,1001,A\nbob,\u0661\u0662,B\n", encoding="utf-8")
    with pytest.raises(export.ExportError, match="not numbers"):  # Arabic-Indic digits are not Canvas's
        _export(merged, "canvas", roster=roster)


def test_a_roster_not_in_utf8_is_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes("submission,lms_id,name\njosé,1,José\n".encode("latin-1"))
    with pytest.raises(export.ExportError, match=r"not UTF-8 text \(line 2\)"):
        export.read_roster(roster)


def test_a_file_that_is_not_a_gradebook_is_refused(tmp_path):
    with pytest.raises(export.ExportError, match="not a casebook gradebook"):
        export.write_export(
            LMS / "roster.csv", LMS / "roster.csv", "plain", tmp_path / "x.csv", assignment="A"
        )


# ------------------------------------------------------------------ files
def test_an_existing_file_is_never_replaced_silently(merged):
    _, out, report = _export(merged, "plain")
    before = out.read_bytes()
    out.write_text("the instructor's edits", encoding="utf-8")
    with pytest.raises(export.ExportError, match="already exists; give --force"):
        _export(merged, "plain")
    assert out.read_text(encoding="utf-8") == "the instructor's edits"
    _export(merged, "plain", force=True)
    assert out.read_bytes() == before
    with pytest.raises(export.ExportError, match="is an input of this export"):
        _export(merged, "plain", out=merged, force=True)


# ------------------------------------------------------------------ the command line
def test_export_has_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "usage: casebook export" in out and "--roster" in out


def test_cli_exports_the_merged_gradebook(tmp_path, capsys):
    """Grade -> merge -> export, through `casebook export`: the file, the report and the summary."""
    folder = tmp_path / "submissions-graded"
    merged = make_gradebook(folder)
    (folder / "results").mkdir()
    (folder / "results" / "alice.json").write_text('{"chapter": 3}', encoding="utf-8")
    argv = ["export", str(merged), "--roster", str(LMS / "roster.csv"), "--format", "canvas"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "error: nothing was written" in err and "'mallory'" in err
    assert main(argv + ["--skip-unmatched", "--points-possible", "20"]) == 0
    captured = capsys.readouterr()
    out = folder / "gradebook-with-manual-canvas.csv"
    assert f"canvas import file: {out}" in captured.out
    assert "on the roster, no submission (grade left empty): 1: carol" in captured.err
    assert "graded but not on the roster (NOT in the file): 1: mallory" in captured.err
    assert "scaled from 17 to 20 points" in captured.err
    assert _rows(out)[0][-1] == "Chapter 3 exercises"  # the chapter, read from the graded results
    assert main(argv + ["--skip-unmatched"]) == 1  # the file exists: not replaced without --force
    assert "already exists" in capsys.readouterr().err


def test_cli_refuses_a_missing_roster(tmp_path, capsys):
    merged = make_gradebook(tmp_path / "g")
    assert main(["export", str(merged), "--roster", str(tmp_path / "nope.csv"), "--format", "plain"]) == 1
    assert "cannot read the roster" in capsys.readouterr().err
    assert not os.path.exists(merged.with_name("gradebook-with-manual-plain.csv"))


def test_an_id_equal_to_a_secret_is_refused_not_redacted(merged, tmp_path, monkeypatch):
    """The grader redacts its environment's values from every file; an id must not silently become '[redacted]'."""
    monkeypatch.setenv("CASEBOOK_TEST_TOKEN", "S1004-canary")
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,lms_id,name\nalice,S1004-canary,A\n", encoding="utf-8")
    with pytest.raises(export.ExportError, match="CASEBOOK_TEST_TOKEN"):
        _export(merged, "moodle", roster=roster)
    assert not merged.with_name("gradebook-with-manual-moodle.csv").exists()


def test_a_decomposed_file_name_matches_its_composed_roster_entry(tmp_path):
    """macOS hands out file names in NFD; a typed roster is NFC. Same student, one match."""
    import unicodedata

    from dualwheel.grading import export

    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    assert nfc != nfd
    roster = [export.Student(submission=nfc, lms_id="1001", name="Pérez, José", row=2)]
    graded = [export.Graded(student=nfd, total=8.0, max_points=10.0, status="graded", message="", row=2)]
    result = export.build(graded, roster, assignment="Chapter 3 exercises")
    assert [line.outcome for line in result.lines] == [export.EXPORTED]
    twins = graded + [
        export.Graded(student=nfc, total=9.0, max_points=10.0, status="graded", message="", row=3)
    ]
    with pytest.raises(export.ExportError, match="two Unicode forms"):
        export.build(twins, roster, assignment="Chapter 3 exercises")
