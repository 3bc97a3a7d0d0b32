"""Grade a folder of submissions: in parallel, resumably, with results written atomically as each finishes."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import release
from .files import atomic_write, clean_stale_temp, scrub, temp_folder
from .grade import bank_fingerprint, grade_one, keyed_fingerprint, score_answers, sha256
from .gradebook import gradebook_csv, write_manual_template
from .questions import Bank
from .sandbox import Limits, clean_stale_groups, stop_all
from .submission import Entry, GradingError, NotebookFileError, find_submissions, read_entry
from .variants import Keys


def result_path(out: Path, student: str) -> Path:
    """``results/<student>.json``, one file per student, never shared: the name is the student's
    name percent-encoded (``sam lee`` -> ``sam%20lee.json``, ``sam_lee`` -> ``sam_lee.json``), so
    it can be read back with :func:`urllib.parse.unquote`; a very long name is cut and ends with
    a hash of the whole name after a ``~`` (the result file holds the name in full). A ``~`` in a
    name is always encoded (``%7E``), so no name, however written, makes a cut name's file."""
    safe = quote(student, safe="-_", errors="surrogateescape").replace("~", "%7E")
    if safe.startswith("."):
        safe = "%2E" + safe[1:]
    if len(safe) > 180:
        safe = safe[:150] + "~" + hashlib.sha256(student.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return out / "results" / f"{safe}.json"


def load_result(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass
class BatchReport:
    results: dict[str, dict[str, Any]]
    graded: int
    skipped: int
    interrupted: bool
    gradebook: Path
    manual_template: Path


def grade_folder(
    folder: Path,
    bank: Bank,
    out: Path,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    jobs: int = 2,
    resume: bool = True,
    progress: bool = True,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    keys: Keys | None = None,
) -> BatchReport:
    """Grade every notebook in ``folder``; write results, the gradebook and a manual-score sheet.

    ``keys`` (roster and course secret) give each student their variants; without them every
    student is graded on the default variant."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise GradingError(f"{folder} is not a folder of submissions")
    clean_stale_groups()  # left by a grader that was killed (SIGKILL): its pid is gone
    clean_stale_temp()
    entries = find_submissions(folder)
    fingerprint = bank_fingerprint(bank)
    keys = keys or Keys(bank, {}, None)
    per_student = {e.student: keys.for_student(e.student) for e in entries}
    results: dict[str, dict[str, Any]] = {}
    todo: list[Entry] = []
    for entry in entries:
        indices, note = per_student[entry.student]
        previous = load_result(result_path(out, entry.student)) if resume else None
        if (
            previous
            and previous.get("student") == scrub(entry.student)
            and previous.get("file") == scrub(entry.source)
            and previous.get("bank") == keyed_fingerprint(bank, indices, note)
            and previous.get("sha256")
            and previous.get("sha256") == _checksum(folder, entry)
        ):
            results[entry.student] = previous
        else:
            todo.append(entry)
    skipped = len(results)
    interrupted = False
    with temp_folder("grade") as tmp:
        support = Path(tmp) / "public"
        release.write_support(bank, support)
        bar = _progress(len(todo), progress, f"Grading ch{bank.chapter:02d}")
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        futures: dict[Future, str] = {}
        pending = iter(todo)

        def submit_next() -> None:
            nxt = next(pending, None)
            if nxt is not None:
                indices, note = per_student[nxt.student]
                fut = pool.submit(
                    grade_one,
                    None,
                    nxt.student,
                    bank,
                    support,
                    limits,
                    entry=nxt,
                    folder=folder,
                    indices=indices,
                    note=note,
                )
                futures[fut] = nxt.student

        try:
            for _ in range(max(1, jobs) * 2):
                submit_next()
            while futures:
                done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                for fut in done:
                    student = futures.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as exc:  # noqa: BLE001 - one submission must not stop the batch
                        result = _grader_error(bank, student, fingerprint, exc)
                    try:
                        _save(out, student, result)
                    except (OSError, ValueError) as exc:  # its result file cannot be written
                        result = _grader_error(bank, student, fingerprint, exc, "its result file: ")
                    results[student] = result
                    if on_result:
                        on_result(result)
                    bar.update(1)
                    submit_next()
        except KeyboardInterrupt:
            interrupted = True
            for fut in futures:
                fut.cancel()
            stop_all()  # the results of the runs cut short are dropped, never saved
        finally:
            pool.shutdown(wait=not interrupted, cancel_futures=True)
            bar.close()
    ordered = {s: results[s] for s in sorted(results)}
    gradebook = out / "gradebook.csv"
    atomic_write(gradebook, gradebook_csv(bank, ordered))
    template = out / "manual_scores.csv"
    if bank.graded_questions and any(q.manual for q in bank.graded_questions):
        write_manual_template(template, bank, ordered)
    return BatchReport(
        results=ordered,
        graded=len(results) - skipped,
        skipped=skipped,
        interrupted=interrupted,
        gradebook=gradebook,
        manual_template=template,
    )


#: An absolute path (at least one folder deep): in a message it becomes ``…/<last part>``.
_HOST_PATH = re.compile(r"(?<![\w.~])/(?:[^\s/:'\"]+/)+([^\s/:'\"]*)")


def neutral_paths(text: str) -> str:
    """``text`` with every absolute path cut to ``…/<its last part>``: a grader error's message
    goes to the gradebook and must not show where the grader's folders are on its machine."""
    return _HOST_PATH.sub(lambda m: "…/" + m.group(1), text)


def _grader_error(
    bank: Bank, student: str, fingerprint: str, exc: BaseException, where: str = ""
) -> dict[str, Any]:
    """The row of a submission the grader itself failed on: ``crashed``, with the reason."""
    return scrub(
        {
            "student": student,
            "status": "crashed",
            "questions": score_answers(bank, {}),
            "message": f"grader error: {where}{type(exc).__name__}: {neutral_paths(str(exc))}",
            "auto_total": 0.0,
            "manual_pending": [q.var for q in bank.graded_questions if q.manual],
            "max_points": bank.total_points,
            "bank": fingerprint,
            "sha256": "",
        }
    )


def _save(out: Path, student: str, result: dict[str, Any]) -> None:
    atomic_write(result_path(out, student), json.dumps(scrub(result), indent=1, ensure_ascii=False))


def _checksum(folder: Path, entry: Entry) -> str:
    try:
        return sha256(read_entry(folder, entry))
    except (NotebookFileError, OSError):
        return ""


def _progress(total: int, enabled: bool, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=label,
        unit="notebook",
        disable=not enabled or total == 0,
        file=sys.stderr,
        dynamic_ncols=True,
    )
