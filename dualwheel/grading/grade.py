"""Grade one submission: parse it, run it in the sandbox, score its answers outside it.

Each submission runs in its own process (:mod:`dualwheel.grading.runner`) inside a bubblewrap
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
``invalid_submission``  not a readable exercise notebook (or a link, never followed); nothing to run
``needs_review``        an instructor must decide: a folder with no notebook or several, two
                        entries for one student, a notebook for another chapter. When there
                        is a notebook it is still graded, and the message says how it ran

Every string of a result goes through :func:`dualwheel.grading.files.scrub` before it is
returned, so no secret of the grader's environment reaches feedback or a file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from . import limits as table
from . import variants as var
from .files import scrub
from .questions import Bank, Question, check
from .sandbox import REPORT_FACTOR, Limits, RunOutcome, run_cells
from .submission import Entry, NotebookFileError, Parsed, parse_submission, read_entry


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
        elif isinstance(value, dict) and "__error__" in value:
            points, feedback = 0.0, f"Your answer could not be read ({value['__error__']}); it scores 0."
        else:
            points, feedback = check(q, value)
        rows.append(
            {"question": q.var, "points": points, "max": q.points, "manual": False, "feedback": feedback}
        )
    return rows


def _status(parsed: Parsed, outcome: RunOutcome, limits: Limits) -> tuple[str, str]:
    """The submission's status and a one-line explanation for the gradebook."""
    status, message = _status_only(parsed, outcome, limits)
    if outcome.ended:
        ended = (
            "every cell ran; then the grader ended what the notebook left behind ("
            + " and ".join(outcome.ended)
            + "), as closing a Jupyter kernel does"
        )
        message = "; ".join(m for m in (message, ended) if m)
    return status, message


def _status_only(parsed: Parsed, outcome: RunOutcome, limits: Limits) -> tuple[str, str]:
    notes = list(parsed.notes) + list(outcome.notes or [])
    where = f" (in cell {outcome.last_cell})" if outcome.last_cell else ""
    if outcome.stopped == "timeout":
        return "timeout", "; ".join(
            [f"stopped at the time limit{where}: {table.named('time', limits.timeout)}"] + notes
        )
    if outcome.stopped == "output_limit" and outcome.answers_too_big:
        text = (
            f"stopped: the answer variables came to more than {REPORT_FACTOR} times the output limit"
            f"{where}: {table.named('output', limits.output_bytes)}"
        )
        return "output_limit", "; ".join([text] + notes)
    if outcome.stopped == "output_limit":
        text = f"stopped: wrote more output than allowed{where}: {table.named('output', limits.output_bytes)}"
        return "output_limit", "; ".join([text] + notes)
    if outcome.stopped == "memory_limit":
        text = (
            "stopped: the notebook and its processes used more memory than allowed"
            f"{where}: {table.named('memory', limits.memory_mb)}"
        )
        return "memory_limit", "; ".join([text] + notes)
    if outcome.stopped == "crashed":
        return "crashed", "; ".join([f"the Python process ended abnormally{where}"] + notes)
    memory = [e for e in outcome.errors if e.get("type") == "MemoryError"]
    if memory:
        text = (
            f"ran out of memory in cell {memory[0].get('index')}: {table.named('memory', limits.memory_mb)}"
        )
        return "memory_limit", "; ".join([text] + notes)
    if outcome.out_of_memory:
        return "memory_limit", "; ".join(
            [
                f"a process of the notebook was stopped at the memory limit: {table.named('memory', limits.memory_mb)}"
            ]
            + notes
        )
    cut = (
        [f"printed output was long and was cut: {table.named('printed text', limits.print_chars)}"]
        if outcome.printed_truncated
        else []
    )
    if outcome.errors:
        first = outcome.errors[0]
        text = (
            f"{len(outcome.errors)} cell(s) raised an error, first in cell {first.get('index')}: "
            f"{first.get('type')}: {first.get('message')}"[:400]
        )
        return "graded_with_errors", "; ".join([text] + notes + cut)
    if notes:
        return "changed_notebook", "; ".join(notes + cut)
    return "graded", "; ".join(cut)


# ------------------------------------------------------------------ one submission
def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


#: Raised whenever grading changes what a result holds, so that resuming a batch never keeps a
#: result made by an older grader (2: the sealed sandbox, IPython execution, scrubbed outputs;
#: 3: escaped names and text, limits named, lingering threads ended).
GRADER_REVISION = 3


def bank_fingerprint(bank: Bank) -> str:
    """Changes whenever the bank's graded questions or the grader change: forces a regrade."""
    specs = [q.spec() for q in bank.graded_questions]
    return sha256(json.dumps([__version__, GRADER_REVISION, specs], sort_keys=True, default=str).encode())[
        :16
    ]


def keyed_fingerprint(bank: Bank, indices: dict[str, int], note: str = "") -> str:
    """The fingerprint of the bank as one student is graded on it: their variants' keys, and
    whether they were off the roster (so a changed roster or secret regrades them)."""
    return bank_fingerprint(var.student_bank(bank, indices)) + (
        "~" + sha256(note.encode())[:8] if note else ""
    )


def grade_one(
    path: Path | None,
    student: str,
    bank: Bank,
    support: Path,
    limits: Limits,
    *,
    entry: Entry | None = None,
    folder: Path | None = None,
    indices: dict[str, int] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Grade one submission: a notebook file, or an entry of a submissions folder.

    ``indices`` are the student's variants ({question id: index}, from the roster and the course
    secret: :mod:`dualwheel.grading.variants`); without them every question is its default.
    ``note`` (e.g. "not on the roster") flags the result ``needs_review``.
    Never raises for anything the submission does, and never follows a link.
    """
    indices = indices if indices is not None else var.assignment(bank, None, None)
    keyed = var.student_bank(bank, indices)
    result: dict[str, Any] = {
        "student": student,
        "file": entry.source if entry is not None else str(path),
        "sha256": "",
        "bank": keyed_fingerprint(bank, indices, note),
        "chapter": bank.chapter,
        "max_points": bank.total_points,
    }
    if var.varying(bank):
        result["variants"] = var.recorded(bank, indices)
    review = [entry.review] if entry is not None and entry.review else []
    review += [note] if note else []
    raw: bytes | None = None
    problem: str | None = None
    try:
        if entry is not None:
            assert folder is not None
            raw = read_entry(folder, entry)
        else:
            assert path is not None
            raw = read_entry(path.parent, Entry(student, path.name, parts=(path.name,)))
    except NotebookFileError as exc:
        problem = str(exc)
    except OSError as exc:
        problem = f"the file could not be read ({exc.strerror or exc})"
    if raw is None and entry is not None and entry.review and not entry.problem:
        return _finish(
            result,
            bank,
            "needs_review",
            "; ".join(review),
            questions=_not_graded(bank, "Not graded: there is no notebook to grade (see the status)."),
        )
    parsed = parse_submission(raw, bank) if raw is not None else Parsed(problem=problem)
    if raw is not None:
        result["sha256"] = sha256(raw)
    if parsed.problem:
        return _finish(
            result,
            bank,
            "invalid_submission",
            "; ".join([parsed.problem] + review),
            questions=_not_graded(bank, "Not graded: the notebook could not be read (see the status)."),
        )
    outcome = run_cells(parsed.cells, [q.var for q in bank.graded_questions], support, limits)
    status, message = _status(parsed, outcome, limits)
    questions = score_answers(keyed, outcome.answers)
    review += parsed.review + var.flag_matches(bank, indices, outcome.answers, questions)
    result["run_status"] = status
    if review:
        message = "; ".join(review + [f"ran as {status}" + (f": {message}" if message else "")])
        status = "needs_review"
    return _finish(
        result,
        bank,
        status,
        message,
        questions=questions,
        seconds=round(outcome.seconds, 3),
        cell_errors=outcome.errors[:20],
    )


def _not_graded(bank: Bank, why: str) -> list[dict[str, Any]]:
    questions = score_answers(bank, {})
    for item in questions:
        item["feedback"] = why
    return questions


def _finish(
    result: dict[str, Any],
    bank: Bank,
    status: str,
    message: str,
    *,
    questions: list[dict[str, Any]],
    seconds: float = 0.0,
    cell_errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    result.update(
        status=status, message=message, seconds=seconds, questions=questions, cell_errors=cell_errors or []
    )
    auto = [r["points"] for r in result["questions"] if not r["manual"]]
    result["auto_total"] = round(sum(auto), 4)
    result["manual_pending"] = [r["question"] for r in result["questions"] if r["manual"]]
    return scrub(result)


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
