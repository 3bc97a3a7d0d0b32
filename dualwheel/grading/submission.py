"""Reading a submission: a notebook's bytes -> its answer cells, or a clear reason it is not one."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .questions import Bank

STATUSES = (
    "graded",
    "graded_with_errors",
    "changed_notebook",
    "timeout",
    "memory_limit",
    "output_limit",
    "crashed",
    "invalid_submission",
    "needs_review",
)
MAX_FILE_BYTES = 50_000_000  # a file this big is not read at all (saved outputs included)
MAX_CODE_CHARS = 5_000_000  # the code of all cells together, outputs dropped first
MAX_CELLS = 500
MAX_CELL_CHARS = 200_000
MAX_DEPTH = 3  # folders inside a student's folder that are searched for a notebook
CHANNEL_FD = 3
PACKAGE_DIR = (
    Path(__file__).resolve().parent.parent
)  # the dualwheel package, bound read-only into the sandbox
#: Files and folders that an operating system or Jupyter leaves behind: never a student.
JUNK = {".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX", ".ipynb_checkpoints", "__pycache__"}


class GradingError(RuntimeError):
    """A problem with the grading set-up itself (not with one submission)."""


# ------------------------------------------------------------------ reading a submission
@dataclass
class Parsed:
    cells: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None  # set when the submission cannot be run at all
    review: list[str] = field(default_factory=list)  # graded, but an instructor must look


def _source_length(cell: Any) -> int:
    source = cell.get("source") if isinstance(cell, dict) else None
    if isinstance(source, str):
        return len(source)
    if isinstance(source, list):
        return sum(len(s) for s in source if isinstance(s, str))
    return 0


def parse_submission(raw: bytes, bank: Bank) -> Parsed:
    """Read a notebook's code cells without running anything; explain what is wrong.

    Saved outputs are never graded, so they never count against a limit: the file may be up to
    :data:`MAX_FILE_BYTES`, and only the code (:data:`MAX_CODE_CHARS`) is limited.
    """
    if len(raw) > MAX_FILE_BYTES:
        return Parsed(problem=f"the file is over {MAX_FILE_BYTES:,} bytes; not read")
    try:
        nb = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Parsed(problem="the file is not UTF-8 text; is it really a .ipynb notebook?")
    except json.JSONDecodeError as exc:
        return Parsed(problem=f"not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        return Parsed(problem="not a Jupyter notebook: the JSON is nested too deeply")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return Parsed(problem="not a Jupyter notebook: there is no list of cells")
    for cell in nb["cells"]:
        if isinstance(cell, dict):
            cell.pop("outputs", None)  # never graded: dropped before any size check
            cell.pop("attachments", None)
    if len(nb["cells"]) > MAX_CELLS:
        return Parsed(problem=f"{len(nb['cells'])} cells; the limit is {MAX_CELLS}")
    code = sum(_source_length(c) for c in nb["cells"])
    if code > MAX_CODE_CHARS:
        return Parsed(
            problem=f"{code:,} characters of code; the limit is {MAX_CODE_CHARS:,} (outputs do not count)"
        )
    meta = nb.get("metadata")
    tag = meta.get("casebook") if isinstance(meta, dict) else None
    chapter = tag.get("chapter") if isinstance(tag, dict) else None
    out = Parsed()
    if chapter is not None and chapter != bank.chapter:
        out.review.append(
            f"the notebook says it is for chapter {str(chapter)[:20]}; graded as chapter {bank.chapter}"
        )
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


# ------------------------------------------------------------------ finding submissions
@dataclass
class Entry:
    """One row of the gradebook-to-be: a notebook to grade, or a reason there is none.

    ``source`` says where it is, relative to the submissions folder (``alice.ipynb``,
    ``alice/final.ipynb``, ``alice.zip:final.ipynb``). ``parts`` is the path as folder names
    to open one by one without following a link; ``member`` is a name inside a zip archive.
    """

    student: str
    source: str
    parts: tuple[str, ...] = ()
    member: str | None = None
    problem: str | None = None  # invalid_submission before anything is read
    review: str | None = None  # needs_review: nothing to grade, or graded but ambiguous

    @property
    def key(self) -> str:
        return self.student


def _is_notebook_name(name: str) -> bool:
    return name.lower().endswith(".ipynb")


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a file"


LINK = "is a symbolic link; links are never followed or read"
#: A hard link is a second name for a file that may live outside the class folder (say, the
#: instructor's master notebook on the same disk); the grader, often run with more rights than
#: the student, must not read it on the student's behalf.
HARD_LINK = "is a hard link (the same file has another name on this disk); links are never read"


def _student_of(name: str) -> str:
    for suffix in (".ipynb", ".zip"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _scan_folder(folder: Path, top: str) -> tuple[list[tuple[tuple[str, ...], str | None]], list[str]]:
    """Notebooks under a student's folder (never through a link): [(parts, problem)], other files."""
    notebooks: list[tuple[tuple[str, ...], str | None]] = []
    others: list[str] = []

    def walk(rel: tuple[str, ...], depth: int) -> None:
        try:
            names = sorted(os.listdir(folder.joinpath(*rel)))
        except OSError:
            others.append("/".join(rel) + "/ (unreadable)")
            return
        for name in names:
            if name in JUNK:
                continue
            here = rel + (name,)
            try:
                mode = os.lstat(folder.joinpath(*here)).st_mode
            except OSError:
                continue
            if _is_notebook_name(name):
                if stat.S_ISREG(mode):
                    notebooks.append((here, None))
                else:
                    notebooks.append(
                        (
                            here,
                            f"{top}/{'/'.join(here)} is {_kind_of(mode)}, not a notebook"
                            + ("; links are never followed or read" if stat.S_ISLNK(mode) else ""),
                        )
                    )
            elif stat.S_ISDIR(mode) and depth < MAX_DEPTH:
                walk(here, depth + 1)
            elif stat.S_ISLNK(mode):
                others.append(f"{'/'.join(here)} (a link, not followed)")
            else:
                others.append("/".join(here) + ("/" if stat.S_ISDIR(mode) else ""))

    walk((), 1)
    return notebooks, others


def _scan_zip(path: Path, name: str) -> tuple[list[tuple[str, str | None]], list[str], str | None]:
    """Notebooks in a zip archive: [(member, problem)], other members, or why it cannot be read."""
    try:
        raw = read_file(path.parent, (path.name,), MAX_FILE_BYTES)
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotebookFileError) as exc:
        return [], [], f"{name} is not a readable zip archive ({exc})"
    notebooks: list[tuple[str, str | None]] = []
    others: list[str] = []
    for info in infos[:2000]:
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
        if not parts or any(p in JUNK for p in parts) or info.is_dir():
            continue
        mode = (info.external_attr >> 16) & 0o170000
        if _is_notebook_name(parts[-1]):
            if mode == stat.S_IFLNK:
                notebooks.append((info.filename, f"{name}:{info.filename} {LINK}"))
            elif ".." in parts:
                notebooks.append((info.filename, f"{name}:{info.filename} points outside the archive"))
            else:
                notebooks.append((info.filename, None))
        else:
            others.append(info.filename + (" (a link, not followed)" if mode == stat.S_IFLNK else ""))
    return notebooks, others, None


def _listing(others: list[str]) -> str:
    if not others:
        return "it is empty"
    shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return f"it holds {shown}"


def find_submissions(folder: Path) -> list[Entry]:
    """Every student in ``folder``, one entry per row of the gradebook, none silently dropped.

    ``alice.ipynb`` and ``alice/ch03-exercises.ipynb`` (searched a few folders deep) and
    ``alice.zip`` (a notebook inside) are all the student ``alice``. Anything else in the
    folder also gets a row, with a status: a link (never followed, never read), a folder
    named ``*.ipynb``, a file that is not a notebook, a folder or archive with no notebook,
    or with several (each graded on its own row, flagged ``needs_review``), and two entries
    that claim the same student (each graded on its own row, flagged). Files an operating
    system or Jupyter leaves behind (``.DS_Store``, ``.ipynb_checkpoints``...) are skipped.
    """
    entries: list[Entry] = []
    for name in sorted(os.listdir(folder)):
        if name in JUNK:
            continue
        try:
            mode = os.lstat(folder / name).st_mode
        except OSError:
            continue
        student = _student_of(name)
        if stat.S_ISLNK(mode):
            entries.append(Entry(student, name, problem=f"{name} {LINK}"))
        elif stat.S_ISDIR(mode) and _is_notebook_name(name):
            entries.append(Entry(student, name + "/", problem=f"{name} is a folder, not a notebook"))
        elif stat.S_ISDIR(mode):
            found, others = _scan_folder(folder / name, name)
            entries += _choose(
                name,
                name + "/",
                [((name, *parts), "/".join(parts), problem) for parts, problem in found],
                others,
                zip_=False,
            )
        elif not stat.S_ISREG(mode):
            entries.append(Entry(student, name, problem=f"{name} is {_kind_of(mode)}, not a notebook"))
        elif _is_notebook_name(name):
            entries.append(Entry(student, name, parts=(name,)))
        elif name.lower().endswith(".zip"):
            members, others, bad = _scan_zip(folder / name, name)
            if bad:
                entries.append(Entry(student, name, problem=bad))
            else:
                entries += _choose(
                    student, name, [((name,), m, problem) for m, problem in members], others, zip_=True
                )
        else:
            suffix = Path(name).suffix
            what = f"a {suffix} file" if suffix else "a file with no .ipynb ending"
            entries.append(
                Entry(name, name, problem=f"{name} is {what}, not a notebook; hand in the .ipynb file")
            )
    return _unclash(entries)


def _choose(
    student: str,
    source: str,
    found: list[tuple[tuple[str, ...], str, str | None]],
    others: list[str],
    zip_: bool,
) -> list[Entry]:
    """A student folder or archive: one notebook is graded; none or several are flagged."""
    sep = ":" if zip_ else "/"
    where = source if zip_ else source.rstrip("/") + "/"
    if not found:
        return [Entry(student, source, review=f"no notebook in {where} ({_listing(others)})")]
    if len(found) == 1:
        parts, member, problem = found[0]
        return [Entry(student, source, parts=parts, member=member if zip_ else None, problem=problem)]
    names = ", ".join(m for _, m, _ in found)
    out = []
    for parts, member, problem in found:
        label = f"{source.rstrip('/')}{sep}{member}"
        out.append(
            Entry(
                label,
                label,
                parts=parts,
                member=member if zip_ else None,
                problem=problem,
                review=f"{where} holds {len(found)} notebooks ({names}): each is graded on its own row; "
                "keep the one to count",
            )
        )
    return out


def _same(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def _unclash(entries: list[Entry]) -> list[Entry]:
    """Two entries for one student (``alice.ipynb`` and ``alice/``, or ``José`` in two Unicode
    spellings, or ``Alice`` and ``alice``): each keeps its own row, named as in the folder."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(_same(e.student), []).append(e)
    for group in groups.values():
        if len(group) < 2:
            continue
        name = group[0].student
        sources = ", ".join(ascii(e.source) if not e.source.isascii() else repr(e.source) for e in group)
        note = f"{sources} are all for student {name!r}: each is graded on its own row; keep one"
        for e in group:
            e.student = e.source
            e.review = f"{e.review}; {note}" if e.review else note
    seen: dict[str, int] = {}
    for e in entries:  # a label can still repeat (a folder 'a.zip' beside...): number it
        n = seen.get(e.student, 0)
        seen[e.student] = n + 1
        if n:
            e.student = f"{e.student} ({n + 1})"
    return sorted(entries, key=lambda e: e.student)


class NotebookFileError(OSError):
    """A submission file that is refused while reading (a link, not a regular file, too big)."""


def read_file(root: Path, parts: tuple[str, ...], cap: int = MAX_FILE_BYTES) -> bytes:
    """Read ``root/parts...`` without following a link at any step, and at most ``cap`` bytes."""
    fds: list[int] = []
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        fds.append(fd)
        for part in parts[:-1]:
            fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            fds.append(fd)
        try:
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NotebookFileError(f"{'/'.join(parts)} {LINK}") from None
            raise
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookFileError(f"{'/'.join(parts)} is {_kind_of(info.st_mode)}, not a notebook")
        if info.st_nlink > 1:
            raise NotebookFileError(f"{'/'.join(parts)} {HARD_LINK}")
        if info.st_size > cap:
            raise NotebookFileError(f"the file is over {cap:,} bytes; not read")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                raise NotebookFileError(f"the file is over {cap:,} bytes; not read")
        return b"".join(chunks)
    finally:
        for fd in reversed(fds):
            os.close(fd)


def read_entry(folder: Path, entry: Entry) -> bytes:
    """The bytes of an entry's notebook; raises :class:`NotebookFileError` when refused."""
    if entry.problem or not entry.parts:
        raise NotebookFileError(entry.problem or "no notebook")
    raw = read_file(folder, entry.parts)
    if entry.member is None:
        return raw
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo(entry.member)
            if info.file_size > MAX_FILE_BYTES:
                raise NotebookFileError(f"{entry.member} is over {MAX_FILE_BYTES:,} bytes; not read")
            with archive.open(info) as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise NotebookFileError(f"{entry.member} could not be read from the archive ({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise NotebookFileError(f"{entry.member} is over {MAX_FILE_BYTES:,} bytes; not read")
    return data
