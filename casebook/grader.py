"""Grade a folder of exercise notebooks: safely, in parallel, resumably.

Each submission runs in its own process (:mod:`casebook.runner`) inside a bubblewrap
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

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, release
from .questions import Bank, Question, check

STATUSES = (
    "graded",
    "graded_with_errors",
    "changed_notebook",
    "timeout",
    "memory_limit",
    "output_limit",
    "crashed",
    "invalid_submission",
)
MAX_NOTEBOOK_BYTES = 5_000_000
MAX_CELLS = 500
MAX_CELL_CHARS = 200_000
CHANNEL_FD = 3
PACKAGE_DIR = Path(__file__).resolve().parent


class GradingError(RuntimeError):
    """A problem with the grading set-up itself (not with one submission)."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds of wall-clock time per submission
    memory_mb: int = 2048  # address space of the student's process
    output_bytes: int = 1_000_000  # raw output before the run is stopped
    print_chars: int = 65_536  # printed text kept; the rest is dropped silently
    tmp_mb: int = 64  # private /tmp

    def job(self) -> dict[str, int]:
        return {
            "memory_bytes": self.memory_mb * 2**20,
            "cpu_seconds": int(self.timeout) + 5,
            "file_bytes": self.tmp_mb * 2**20,
            "open_files": 256,
        }


# ------------------------------------------------------------------ reading a submission
@dataclass
class Parsed:
    cells: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None  # set when the submission cannot be run at all


def parse_submission(raw: bytes, bank: Bank) -> Parsed:
    """Read a notebook's code cells without running anything; explain what is wrong."""
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return Parsed(problem=f"the file is {len(raw):,} bytes; the limit is {MAX_NOTEBOOK_BYTES:,}")
    try:
        nb = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Parsed(problem="the file is not UTF-8 text; is it really a .ipynb notebook?")
    except json.JSONDecodeError as exc:
        return Parsed(problem=f"not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return Parsed(problem="not a Jupyter notebook: there is no list of cells")
    if len(nb["cells"]) > MAX_CELLS:
        return Parsed(problem=f"{len(nb['cells'])} cells; the limit is {MAX_CELLS}")
    out = Parsed()
    order: list[str] = []
    for i, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            out.notes.append(f"cell {i + 1} has no readable source and was skipped")
            continue
        if len(source) > MAX_CELL_CHARS:
            out.notes.append(f"cell {i + 1} is longer than {MAX_CELL_CHARS:,} characters and was skipped")
            continue
        meta = cell.get("metadata")
        tag = meta.get("casebook") if isinstance(meta, dict) else None
        if isinstance(tag, dict) and tag.get("role") == "answer":
            order.append(str(tag.get("question")))
        out.cells.append({"index": i + 1, "source": source})
    expected = [q.var for q in bank.graded_questions]
    missing = [v for v in expected if v not in order]
    if missing:
        out.notes.append(f"answer cell(s) for {', '.join(missing)} deleted")
    extra = sorted({v for v in order if order.count(v) > 1})
    if extra:
        out.notes.append(f"answer cell(s) for {', '.join(extra)} appear more than once")
    present = [v for v in order if v in expected]
    if not missing and not extra and present != expected:
        out.notes.append("answer cells are not in their original order")
    return out


# ------------------------------------------------------------------ running it
def sandbox_command(support: Path, limits: Limits, notebook_dir: str = "/tmp/work") -> list[str]:
    """The bubblewrap command line that runs :mod:`casebook.runner` with only public files."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise GradingError(
            "bubblewrap (bwrap) is not installed; run `make setup` first "
            "(the grader will not run student code without a sandbox)"
        )
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev"]
    # the private /tmp first: mounts are applied in order, so a checkout (and its .venv) that
    # lives under /tmp is bound on top of it rather than hidden by it
    cmd += ["--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp", "--dir", notebook_dir]
    roots = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", sys.prefix, sys.base_prefix, str(PACKAGE_DIR)}
    for root in sorted(roots):
        if Path(root).exists():
            cmd += ["--ro-bind", root, root]
    for item in sorted(support.iterdir()):
        cmd += ["--ro-bind", str(item), f"{notebook_dir}/{item.name}"]
    cmd += [
        "--chdir",
        notebook_dir,
        "--clearenv",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "MPLBACKEND",
        "Agg",
        "--setenv",
        "MPLCONFIGDIR",
        "/tmp/mpl",
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--",
        sys.executable,
        "-I",
        "-B",
        "-m",
        "casebook.runner",
    ]
    return cmd


@dataclass
class RunOutcome:
    answers: dict[str, Any]
    errors: list[dict[str, Any]]
    finished: bool  # the runner reached its end
    stopped: str | None  # timeout / output_limit / crashed, when the run did not finish
    last_cell: int | None
    printed_truncated: bool
    seconds: float
    stderr: str = ""


def _drain(stream: io.BufferedReader, cap: int, kept: bytearray, over: threading.Event) -> None:
    """Read a pipe to the end; keep the first ``cap`` bytes; flag when it overflows."""
    total = 0
    while chunk := stream.read(65536):
        total += len(chunk)
        room = cap - len(kept)
        if room > 0:
            kept.extend(chunk[:room])
        if total > cap:
            over.set()


def run_cells(cells: list[dict[str, Any]], names: list[str], support: Path, limits: Limits) -> RunOutcome:
    """Run a submission's cells in the sandbox and collect what it reports."""
    read_end, write_end = os.pipe()
    job = {
        "cells": cells,
        "vars": names,
        "print_cap": limits.print_chars,
        "channel_fd": write_end,
        "limits": limits.job(),
    }
    start = time.monotonic()
    proc = subprocess.Popen(
        sandbox_command(support, limits),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(write_end)
    with _LIVE_LOCK:
        _LIVE.add(proc)
    channel = os.fdopen(read_end, "rb")
    out_kept, err_kept, msg_kept = bytearray(), bytearray(), bytearray()
    overflow = threading.Event()
    readers = [
        threading.Thread(target=_drain, args=(s, cap, k, overflow), daemon=True)
        for s, cap, k in (
            (proc.stdout, limits.output_bytes, out_kept),
            (proc.stderr, limits.output_bytes, err_kept),
            (channel, 4 * limits.output_bytes, msg_kept),
        )
    ]
    for t in readers:
        t.start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stopped: str | None = None
    deadline = start + limits.timeout
    while proc.poll() is None:
        if overflow.is_set():
            stopped = "output_limit"
        elif time.monotonic() > deadline:
            stopped = "timeout"
        if stopped:
            _kill(proc)
            break
        time.sleep(0.02)
    proc.wait()
    with _LIVE_LOCK:
        _LIVE.discard(proc)
    for t in readers:
        t.join(timeout=5)
    seconds = time.monotonic() - start
    answers: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    finished, truncated, last_cell = False, False, None
    for line in bytes(msg_kept).splitlines():
        try:
            msg = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue  # a torn last line from a killed run, or junk the student wrote
        if not isinstance(msg, dict):
            continue
        if msg.get("event") == "cell":
            last_cell = msg.get("index")
        elif msg.get("event") == "answers" and isinstance(msg.get("answers"), dict):
            answers = msg["answers"]
        elif msg.get("event") == "done":
            finished = True
            errors = msg.get("errors") if isinstance(msg.get("errors"), list) else []
            truncated = bool(msg.get("truncated"))
    if overflow.is_set() and not stopped:
        stopped = "output_limit"
    if not finished and not stopped:
        stopped = "crashed"
    return RunOutcome(
        answers={k: v for k, v in answers.items() if k in names},
        errors=errors,
        finished=finished and not stopped,
        stopped=stopped,
        last_cell=last_cell,
        printed_truncated=truncated,
        seconds=seconds,
        stderr=bytes(err_kept[-2000:]).decode("utf-8", "replace"),
    )


_LIVE: set[subprocess.Popen] = set()  # sandboxes running now, so an interrupt can stop them
_LIVE_LOCK = threading.Lock()


def stop_all() -> None:
    """Kill every running sandbox (on Ctrl-C: their half-done runs are not saved)."""
    with _LIVE_LOCK:
        for proc in list(_LIVE):
            _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ------------------------------------------------------------------ scoring
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


# ------------------------------------------------------------------ a batch
def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find_submissions(folder: Path) -> dict[str, Path]:
    """``alice.ipynb`` -> alice; ``alice/ch03-exercises.ipynb`` -> alice. Sorted by student."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix == ".ipynb":
            found[path.stem] = path
        elif path.is_dir() and not path.name.startswith("."):
            notebooks = sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
            if notebooks:
                found[path.name] = notebooks[0]
    return found


def result_path(out: Path, student: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in student)
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
    limits: Limits = Limits(),
    jobs: int = 2,
    resume: bool = True,
    progress: bool = True,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> BatchReport:
    """Grade every notebook in ``folder``; write results, the gradebook and a manual-score sheet."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise GradingError(f"{folder} is not a folder of submissions")
    submissions = find_submissions(folder)
    fingerprint = bank_fingerprint(bank)
    results: dict[str, dict[str, Any]] = {}
    todo: list[tuple[str, Path]] = []
    for student, path in submissions.items():
        previous = load_result(result_path(out, student)) if resume else None
        if (
            previous
            and previous.get("bank") == fingerprint
            and previous.get("sha256") == sha256(path.read_bytes())
        ):
            results[student] = previous
        else:
            todo.append((student, path))
    skipped = len(results)
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="casebook-grade-") as tmp:
        support = Path(tmp) / "public"
        release.write_support(bank, support)
        bar = _progress(len(todo), progress, f"Grading ch{bank.chapter:02d}")
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        futures: dict[Future, str] = {}
        pending = iter(todo)

        def submit_next() -> None:
            nxt = next(pending, None)
            if nxt is not None:
                futures[pool.submit(grade_one, nxt[1], nxt[0], bank, support, limits)] = nxt[0]

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
                        result = {
                            "student": student,
                            "status": "crashed",
                            "questions": score_answers(bank, {}),
                            "message": f"grader error: {type(exc).__name__}: {exc}",
                            "auto_total": 0.0,
                            "max_points": bank.total_points,
                            "bank": fingerprint,
                            "sha256": "",
                        }
                    atomic_write(result_path(out, student), json.dumps(result, indent=1, ensure_ascii=False))
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
        _write_manual_template(template, bank, ordered)
    return BatchReport(
        results=ordered,
        graded=len(results) - skipped,
        skipped=skipped,
        interrupted=interrupted,
        gradebook=gradebook,
        manual_template=template,
    )


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


# ------------------------------------------------------------------ gradebook and manual scores
GRADEBOOK_TAIL = ("auto_total", "manual_total", "total", "max_points", "status", "message")


def gradebook_columns(bank: Bank) -> list[str]:
    return ["student"] + [q.var for q in bank.graded_questions] + list(GRADEBOOK_TAIL)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def gradebook_rows(bank: Bank, results: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for student, r in results.items():
        row = {"student": student}
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
        row["message"] = row["message"].lstrip("; ")
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


def _write_manual_template(path: Path, bank: Bank, results: dict[str, dict[str, Any]]) -> None:
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
            if (student, q.var) in have:
                continue
            rows.append(
                {
                    "student": student,
                    "question": q.var,
                    "points": "",
                    "max_points": _fmt(q.points),
                    "answer": answers.get(q.var, ""),
                    "criteria": " | ".join(f"{c['points']:g}: {c['text']}" for c in q.criteria),
                }
            )
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
