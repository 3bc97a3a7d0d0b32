"""Grade one submission: parse it, run it in the sandbox, score its answers outside it.

Each submission runs in its own process (:mod:`casebook.grading.runner`) inside a bubblewrap
sandbox: no network, a read-only system, a private ``/tmp``, and only the chapter's
*public* files (checks, scoring rules, data) beside it. The answer key, the other
submissions and the instructor's files are not in the sandbox at all. The run has a wall
clock limit, a memory limit and an output cap. The sandbox only reports the values of the
answer variables; the score is computed here, outside it, from the question bank.

Results are written one file per submission as each finishes (atomically), so a batch
stopped by Ctrl-C or ``kill`` loses nothing; the next run skips every submission whose
result matches its file's checksum. The gradebook CSV is written atomically at the end (and
on Ctrl-C, with what is finished).

Statuses, one per submission:

``graded``              every cell ran
``graded_with_errors``  some cells raised; the answers they reached are graded
``changed_notebook``    answer cells were deleted, added or moved; graded as found
``timeout``             stopped at the time limit; answers reached so far are graded
``memory_limit``        ran out of its memory allowance; answers reached so far are graded
``output_limit``        printed more than the output cap; stopped, answers so far are graded
``crashed``             the process ended abnormally; answers reached so far are graded
``invalid_submission``  not a readable exercise notebook; nothing to run
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from .questions import Bank, Question, check
from .sandbox import Limits, RunOutcome, run_cells
from .submission import Parsed, parse_submission


def score_answers(bank: Bank, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Score each graded question from the reported answers (outside the sandbox)."""
    rows = []
    for q in bank.graded_questions:
        present = q.var in answers
        value = answers.get(q.var)
        if q.manual:
            text = value if isinstance(value, str) else ""
            rows.append(
                {
                    "question": q.var,
                    "points": None,
                    "max": q.points,
                    "manual": True,
                    "feedback": "Needs manual grading against the rubric."
                    if text.strip()
                    else "No written answer; needs manual grading.",
                    "answer": text,
                }
            )
            continue
        if not present:
            points, feedback = 0.0, f"No answer: the variable {q.var} was not set."
        else:
            points, feedback = check(q, value)
        rows.append(
            {"question": q.var, "points": points, "max": q.points, "manual": False, "feedback": feedback}
        )
    return rows


def _status(parsed: Parsed, outcome: RunOutcome) -> tuple[str, str]:
    """The submission's status and a one-line explanation for the gradebook."""
    notes = list(parsed.notes)
    where = f" (in cell {outcome.last_cell})" if outcome.last_cell else ""
    if outcome.stopped == "timeout":
        return "timeout", "; ".join([f"stopped after the time limit{where}"] + notes)
    if outcome.stopped == "output_limit":
        return "output_limit", "; ".join([f"stopped: printed more than the output cap{where}"] + notes)
    if outcome.stopped == "crashed":
        return "crashed", "; ".join([f"the Python process ended abnormally{where}"] + notes)
    memory = [e for e in outcome.errors if e.get("type") == "MemoryError"]
    if memory:
        return "memory_limit", "; ".join([f"ran out of memory in cell {memory[0]['index']}"] + notes)
    if outcome.errors:
        first = outcome.errors[0]
        text = (
            f"{len(outcome.errors)} cell(s) raised an error, first in cell {first['index']}: "
            f"{first['type']}: {first['message']}"[:400]
        )
        return "graded_with_errors", "; ".join([text] + notes)
    if notes:
        return "changed_notebook", "; ".join(notes)
    if outcome.printed_truncated:
        return "graded", "printed output was long and was cut"
    return "graded", ""


# ------------------------------------------------------------------ one submission
def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def bank_fingerprint(bank: Bank) -> str:
    """Changes whenever the bank's graded questions or the grader change: forces a regrade."""
    specs = [q.spec() for q in bank.graded_questions]
    return sha256(json.dumps([__version__, specs], sort_keys=True, default=str).encode())[:16]


def grade_one(path: Path, student: str, bank: Bank, support: Path, limits: Limits) -> dict[str, Any]:
    """Grade one submission file; never raises for anything the submission does."""
    raw = path.read_bytes()
    result: dict[str, Any] = {
        "student": student,
        "file": str(path),
        "sha256": sha256(raw),
        "bank": bank_fingerprint(bank),
        "chapter": bank.chapter,
        "max_points": bank.total_points,
    }
    parsed = parse_submission(raw, bank)
    if parsed.problem:
        questions = score_answers(bank, {})
        for item in questions:
            item["feedback"] = "Not graded: the notebook could not be read (see the status)."
        result.update(
            status="invalid_submission",
            message=parsed.problem,
            seconds=0.0,
            questions=questions,
            cell_errors=[],
        )
    else:
        outcome = run_cells(parsed.cells, [q.var for q in bank.graded_questions], support, limits)
        status, message = _status(parsed, outcome)
        result.update(
            status=status,
            message=message,
            seconds=round(outcome.seconds, 3),
            questions=score_answers(bank, outcome.answers),
            cell_errors=outcome.errors[:20],
        )
    auto = [r["points"] for r in result["questions"] if not r["manual"]]
    result["auto_total"] = round(sum(auto), 4)
    result["manual_pending"] = [r["question"] for r in result["questions"] if r["manual"]]
    return result


def iter_feedback(result: dict[str, Any], bank: Bank) -> Iterable[str]:
    """The lines a student sees for one graded submission."""
    yield f"Status: {result['status']}" + (f" ({result['message']})" if result.get("message") else "")
    titles: dict[str, Question] = {q.var: q for q in bank.graded_questions}
    for item in result["questions"]:
        q = titles[item["question"]]
        pts = "manual" if item["points"] is None else f"{item['points']:g}/{item['max']:g}"
        yield f"{item['question']} ({q.title or q.id}): {pts}. {item['feedback']}"
    pending = " + rubric (pending)" if result.get("manual_pending") else ""
    yield f"Automatic score: {result['auto_total']:g} of {bank.total_points:g}{pending}"
