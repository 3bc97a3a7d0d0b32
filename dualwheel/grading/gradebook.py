"""The gradebook CSV, the manual-scores sheet for rubric answers, and merging the two."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path
from typing import Any

from .files import atomic_write, visible
from .questions import Bank, Question

# ------------------------------------------------------------------ gradebook and manual scores
GRADEBOOK_TAIL = ("auto_total", "manual_total", "total", "max_points", "status", "message")


def gradebook_columns(bank: Bank) -> list[str]:
    """``variants`` (last) only for a bank whose questions vary per student."""
    varies = any(q.variants for q in bank.graded_questions)
    return (
        ["student"]
        + [q.var for q in bank.graded_questions]
        + list(GRADEBOOK_TAIL)
        + (["variants"] if varies else [])
    )


def variants_cell(result: dict[str, Any]) -> str:
    """``q2: year=2023; q5: year=2022 (default)``: each student's variant per question."""
    parts = []
    for name, v in (result.get("variants") or {}).items():
        inputs = ", ".join(f"{k}={x}" for k, x in (v.get("inputs") or {}).items())
        parts.append(f"{name}: {inputs}" + (" (default)" if v.get("default") else ""))
    return "; ".join(parts)


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet will not run: a student's name or answer that starts like a
    formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``) gets a leading apostrophe, which
    Excel, LibreOffice and Google Sheets show as plain text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def gradebook_rows(bank: Bank, results: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for student, r in results.items():
        row = {"student": safe_cell(visible(student, one_line=True))}
        manual_total = 0.0
        pending = False
        for item in r.get("questions", []):
            row[item["question"]] = _fmt(item.get("points"))
            if item.get("manual"):
                if item.get("points") is None:
                    pending = True
                else:
                    manual_total += float(item["points"])
        auto = float(r.get("auto_total", 0.0))
        row.update(
            auto_total=_fmt(auto),
            manual_total="" if pending else _fmt(manual_total),
            total="" if pending else _fmt(round(auto + manual_total, 4)),
            max_points=_fmt(bank.total_points),
            status=r.get("status", ""),
            message=(r.get("message") or "") + ("; rubric answers need manual grading" if pending else ""),
        )
        row["message"] = safe_cell(visible(row["message"], one_line=True).lstrip("; "))
        row["variants"] = safe_cell(visible(variants_cell(r), one_line=True))
        rows.append(row)
    return rows


def gradebook_csv(bank: Bank, results: dict[str, dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=gradebook_columns(bank), lineterminator="\n")
    writer.writeheader()
    for row in gradebook_rows(bank, results):
        writer.writerow({k: row.get(k, "") for k in writer.fieldnames})
    return buf.getvalue()


MANUAL_COLUMNS = ("student", "question", "points", "max_points", "answer", "criteria")


def manual_row(student: str, q: Question, answer: Any) -> dict[str, str]:
    """The manual-score sheet's row for one student's answer to one rubric question, with
    ``points`` blank: the one place its cells are made (the sheet and ``casebook review``)."""
    return {
        "student": safe_cell(visible(student, one_line=True)),
        "question": q.var,
        "points": "",
        "max_points": _fmt(q.points),
        "answer": safe_cell(visible(str(answer or ""))),
        "criteria": " | ".join(f"{c['points']:g}: {c['text']}" for c in q.criteria),
    }


def write_manual_template(path: Path, bank: Bank, results: dict[str, dict[str, Any]]) -> None:
    """One row per student and rubric question, with the answer text; the instructor fills
    ``points``. Rows already in the sheet are kept as they are (scores typed there are never
    lost); rows for newly graded students are added."""
    kept: list[dict[str, str]] = []
    if path.exists():
        try:
            kept = _read_csv(path, "manual-score sheet")
        except MergeError:
            backup = path.with_name(f"{path.stem}.unreadable-{int(time.time())}{path.suffix}")
            os.replace(path, backup)  # keep it for the instructor; start a fresh sheet
            kept = []
    have = {(r.get("student", ""), r.get("question", "")) for r in kept}
    manual = [q for q in bank.graded_questions if q.manual]
    rows = [{k: r.get(k, "") or "" for k in MANUAL_COLUMNS} for r in kept]
    for student, r in results.items():
        answers = {i["question"]: i.get("answer", "") for i in r.get("questions", [])}
        for q in manual:
            if (safe_cell(visible(student, one_line=True)), q.var) in have:
                continue
            rows.append(manual_row(student, q, answers.get(q.var, "")))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANUAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, buf.getvalue())


class MergeError(ValueError):
    """Rows of a manual-score sheet that cannot be merged; lists every problem with its row."""


def merge_manual(gradebook: Path, manual: Path, bank: Bank, out: Path) -> int:
    """Merge the instructor's rubric scores into the gradebook; return the rows merged.

    Every row is checked first (known student, a rubric question, a number within the
    question's points). Any problem stops the merge with a list naming each bad row, and no
    file is written. Blank points are allowed (not graded yet) and leave the total open.
    """
    book = _read_csv(gradebook, "gradebook")
    sheet = _read_csv(manual, "manual-score sheet")
    manual_qs = {q.var: q for q in bank.graded_questions if q.manual}
    students = {row.get("student", "") for row in book}
    problems: list[str] = []
    scores: dict[tuple[str, str], float] = {}
    for n, row in enumerate(sheet, start=2):  # row 1 is the header
        student, qvar, raw = ((row.get(k) or "").strip() for k in ("student", "question", "points"))
        where = f"{manual.name}, row {n}"
        if student not in students:
            problems.append(f"{where}: student {student!r} is not in the gradebook")
            continue
        if qvar not in manual_qs:
            problems.append(
                f"{where}: {qvar!r} is not a rubric question "
                f"(rubric questions: {', '.join(manual_qs) or 'none'})"
            )
            continue
        if raw == "":
            continue
        try:
            value = float(raw)
        except ValueError:
            problems.append(f"{where}: points {raw!r} is not a number")
            continue
        top = manual_qs[qvar].points
        if not (0 <= value <= top):
            problems.append(f"{where}: points {value:g} is outside 0 to {top:g} for {qvar}")
            continue
        if (student, qvar) in scores:
            problems.append(f"{where}: a second score for {student} {qvar}")
            continue
        scores[(student, qvar)] = value
    if problems:
        raise MergeError("no file was written; fix these rows and merge again:\n  " + "\n  ".join(problems))
    columns = list(book[0].keys()) if book else gradebook_columns(bank)
    for row in book:
        pending = False
        manual_total = 0.0
        for qvar in manual_qs:
            key = (row["student"], qvar)
            if key in scores:
                row[qvar] = _fmt(scores[key])
            cell = (row.get(qvar) or "").strip()
            if cell == "":
                pending = True
            else:
                manual_total += float(cell)
        auto = float(row.get("auto_total") or 0)
        row["manual_total"] = "" if pending else _fmt(manual_total)
        row["total"] = "" if pending else _fmt(round(auto + manual_total, 4))
        msg = (
            (row.get("message") or "")
            .replace("; rubric answers need manual grading", "")
            .replace("rubric answers need manual grading", "")
            .strip("; ")
        )
        row["message"] = msg + ("; rubric answers need manual grading" if pending else "")
        row["message"] = row["message"].lstrip("; ")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(book)
    atomic_write(out, buf.getvalue())
    return len(scores)


def _read_csv(path: Path, what: str) -> list[dict[str, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MergeError(f"cannot read the {what} {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise MergeError(f"the {what} {path} is not UTF-8 text (save it as CSV UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "student" not in reader.fieldnames:
        raise MergeError(f"the {what} {path} has no 'student' column")
    return list(reader)
