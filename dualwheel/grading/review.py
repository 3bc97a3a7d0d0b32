"""``casebook review``: one offline HTML page to mark the rubric answers of a graded class.

The page is built from what ``casebook grade`` wrote (``results/*.json``; the filled-in
``manual_scores.csv`` if there is one) and the chapter's question bank. Per rubric question it
shows the criteria, then every student's answer with a points box per criterion. The marks are
kept in the browser (``localStorage``, under a key made from the graded folder and the
chapter, so two classes never share marks) and an Export button downloads the
``manual_scores.csv`` that ``casebook merge`` reads: the same columns and the same student and
question ids as the sheet ``casebook grade`` writes (the rows come from
:func:`dualwheel.grading.gradebook.manual_row`).

Student text and student names are hostile. They travel as JSON inside a
``<script type="application/json">`` block with every ``<``, ``>`` and ``&`` escaped, and the
page's script puts them on screen with ``textContent`` only. A Content-Security-Policy lets run
only the page's own script (by its hash) and fetch nothing, so a tag that slipped through still
could not run or call out.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .batch import load_result
from .files import atomic_write, scrub, visible
from .gradebook import MANUAL_COLUMNS, manual_row
from .questions import Bank

ASSETS = Path(__file__).resolve().parent / "review_page"
PAGE_NAME = "review.html"
#: The page says it was written here; a file at the target without it is never replaced.
GENERATOR = "casebook review"
STEP = 0.5  # default: half points
STORAGE_PREFIX = "casebook-review/v1/"


class ReviewError(ValueError):
    """A graded folder, sheet or target the page cannot be made from; says what and where."""


@dataclass
class ReviewReport:
    page: Path
    students: int
    questions: int
    answers: int
    prefilled: int
    replaced: bool
    warnings: list[str]


def load_results(folder: Path) -> dict[str, dict[str, Any]]:
    """Every student's result in ``folder/results``, by student name, sorted as the gradebook."""
    results_dir = folder / "results"
    if not results_dir.is_dir():
        raise ReviewError(
            f"{folder} has no results/ folder: give the folder `casebook grade` wrote "
            "(by default SUBMISSIONS-graded)"
        )
    results: dict[str, dict[str, Any]] = {}
    for path in sorted(results_dir.glob("*.json")):
        if path.is_symlink() or not path.is_file():
            raise ReviewError(f"{path} is not a plain file: remove it and grade again")
        data = load_result(path)
        if (
            data is None
            or not isinstance(data.get("student"), str)
            or not isinstance(data.get("questions"), list)
        ):
            raise ReviewError(
                f"{path} is not a result `casebook grade` wrote: run `casebook grade` again "
                "(it regrades that student and keeps the others)"
            )
        if data["student"] in results:
            raise ReviewError(f"{path}: a second result for student {data['student']!r}")
        results[data["student"]] = data
    if not results:
        raise ReviewError(f"{results_dir} holds no results: run `casebook grade` first")
    return {s: results[s] for s in sorted(results)}


def chapter_of(results: dict[str, dict[str, Any]]) -> int | None:
    """The chapter the results were graded against, or None if they name none; results for
    two chapters in one folder are an error."""
    chapters = {r["chapter"] for r in results.values() if isinstance(r.get("chapter"), int)}
    if len(chapters) > 1:
        raise ReviewError(
            f"the results are for several chapters ({', '.join(map(str, sorted(chapters)))}): give --chapter"
        )
    return next(iter(chapters), None)


def read_sheet(path: Path, bank: Bank, ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """Scores already typed in a manual_scores.csv, keyed ``student + NUL + question``, and a
    warning for each row that cannot pre-fill the page (the page then starts blank there)."""
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"{path} could not be read ({exc}); the page starts without its scores"]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"student", "question", "points"} <= set(reader.fieldnames):
        return {}, [f"{path} has no student, question and points columns; the page starts without it"]
    tops = {q.var: q.points for q in bank.graded_questions if q.manual}
    saved: dict[str, str] = {}
    warnings = []
    for n, row in enumerate(reader, start=2):
        student, qvar, raw = ((row.get(k) or "").strip() for k in ("student", "question", "points"))
        if raw == "":
            continue
        where = f"{path.name}, row {n}"
        try:
            value = float(raw)
        except ValueError:
            warnings.append(f"{where}: points {raw!r} is not a number; not pre-filled")
            continue
        if student not in ids or qvar not in tops:
            warnings.append(f"{where}: no answer of {student!r} to {qvar!r} on the page; not pre-filled")
        elif not (math.isfinite(value) and 0 <= value <= tops[qvar]):
            warnings.append(f"{where}: points {raw} is outside 0 to {tops[qvar]:g}; not pre-filled")
        elif f"{student}\0{qvar}" in saved:
            warnings.append(f"{where}: a second score for {student!r} {qvar}; the first is pre-filled")
        else:
            saved[f"{student}\0{qvar}"] = f"{value:g}"
    return saved, warnings


def storage_key(folder: Path, chapter: int) -> str:
    """The browser-storage key of one graded folder and chapter."""
    ident = f"{folder.resolve()}\0{chapter}".encode("utf-8", "surrogateescape")
    return STORAGE_PREFIX + hashlib.sha256(ident).hexdigest()[:20]


def page_data(
    folder: Path, bank: Bank, results: dict[str, dict[str, Any]], saved: dict[str, str], step: float
) -> dict[str, Any]:
    """Everything the page shows and exports, as plain data (it is embedded as JSON)."""
    rubric = [q for q in bank.graded_questions if q.manual]
    students = []
    rows = []
    for student, r in results.items():
        items = {i.get("question"): i for i in r["questions"] if isinstance(i, dict)}
        answers = {}
        for q in rubric:
            answer = items.get(q.var, {}).get("answer", "")
            answers[q.var] = visible(answer) if isinstance(answer, str) else ""  # escaped, as in the sheet
            rows.append(manual_row(student, q, answers[q.var]))
        students.append(
            {
                "name": visible(student, one_line=True),
                "id": rows[-1]["student"],
                "status": visible(str(r.get("status", "")), one_line=True),
                "message": visible(str(r.get("message", "") or ""), one_line=True),
                "answers": answers,
                # an automatic answer that matches another variant's key: a classmate's number?
                "flags": [
                    visible(
                        f"{i.get('question')}: matches another variant's key ({'; '.join(i['other_variant'])})",
                        one_line=True,
                    )
                    for i in r["questions"]
                    if isinstance(i, dict) and i.get("other_variant")
                ],
                # the page notices an answer that changed (regraded) since it was marked
                "digests": {
                    v: hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest()[:16]
                    for v, t in answers.items()
                },
            }
        )
    return {
        "key": storage_key(folder, bank.chapter),
        "chapter": bank.chapter,
        "title": bank.title,
        "folder": folder.resolve().name,
        "step": step,
        "columns": list(MANUAL_COLUMNS),
        "questions": [
            {
                "var": q.var,
                "title": q.title or q.id,
                "prompt": q.prompt,
                "points": q.points,
                "words": list(q.words) if q.words else None,
                "model_answer": q.model_answer,
                "criteria": [
                    {
                        "text": str(c["text"]),
                        "points": float(c["points"]),
                        "levels": [[str(k), str(v)] for k, v in (c.get("levels") or {}).items()],
                        "look_for": str(c.get("look_for", "")),
                    }
                    for c in q.criteria
                ],
                # marks saved against other criteria must not land in these boxes (see review.js)
                "rubric": hashlib.sha256(
                    json.dumps([[str(c["text"]), float(c["points"])] for c in q.criteria]).encode()
                ).hexdigest()[:16],
            }
            for q in rubric
        ],
        "students": students,
        "rows": rows,
        "saved": saved,
    }


def _json_for_html(data: Any) -> str:
    """JSON that cannot end the <script> block it sits in, nor open a comment or a tag."""
    # ASCII: a name with a byte that is not UTF-8 (a lone surrogate in Python) still travels
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render(data: dict[str, Any]) -> str:
    """The page: one HTML file with its CSS, script and data inline; it loads nothing."""
    # scrubbed before hashing: atomic_write scrubs the page, and the hashes must match what it writes
    css = scrub((ASSETS / "review.css").read_text(encoding="utf-8"))
    js = scrub((ASSETS / "review.js").read_text(encoding="utf-8"))
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
        "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    title = html.escape(f"Marking: Chapter {data['chapter']} rubric answers ({data['folder']})")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{title}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        '<noscript><p class="noscript">This page needs JavaScript to show the answers and '
        "keep your marks.</p></noscript>\n"
        f'<script type="application/json" id="review-data">{_json_for_html(data)}</script>\n'
        f"<script>{js}</script>\n</body>\n</html>\n"
    )


def _ours(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head


def write_review(
    folder: Path,
    bank: Bank,
    out: Path | None = None,
    step: float = STEP,
    force: bool = False,
    results: dict[str, dict[str, Any]] | None = None,
) -> ReviewReport:
    """Write the marking page of the graded ``folder``; return what it holds.

    ``out`` (default ``folder/review.html``) is replaced only if it is a page this command
    wrote, or with ``force``; anything else there is an error, and nothing is written.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ReviewError(f"{folder} is not a folder")
    if not (step > 0 and math.isfinite(step)):
        raise ReviewError(f"the step must be a positive number, not {step}")
    rubric = [q for q in bank.graded_questions if q.manual]
    if not rubric:
        raise ReviewError(f"chapter {bank.chapter} has no rubric question: there is nothing to mark")
    for q in rubric:
        for n, c in enumerate(q.criteria, start=1):
            if abs(float(c["points"]) / step - round(float(c["points"]) / step)) > 1e-9:
                raise ReviewError(
                    f"criterion {n} of {q.var} is worth {float(c['points']):g} points, not a whole "
                    f"number of steps of {step:g}: give a smaller --step"
                )
    results = load_results(folder) if results is None else results
    out = Path(out) if out is not None else folder / PAGE_NAME
    if out.is_dir():
        raise ReviewError(f"{out} is a folder; give a file name for the page with --out")
    replaced = out.exists() or out.is_symlink()
    if replaced and not force and (out.is_symlink() or not _ours(out)):
        raise ReviewError(
            f"{out} exists and is not a page `casebook review` wrote: nothing was written "
            "(give another --out, or --force to replace it)"
        )
    ids = {manual_row(s, rubric[0], "")["student"] for s in results}
    saved, warnings = read_sheet(folder / "manual_scores.csv", bank, ids)
    data = page_data(folder, bank, results, saved, step)
    atomic_write(out, render(data))
    return ReviewReport(
        page=out,
        students=len(results),
        questions=len(rubric),
        answers=len(results) * len(rubric),
        prefilled=len(saved),
        replaced=replaced,
        warnings=warnings,
    )
