"""Reading a submission: a notebook's bytes -> its answer cells, or a clear reason it is not one."""

from __future__ import annotations

import errno
import io
import json
import math
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import limits
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
#: The limits (all in :mod:`dualwheel.grading.limits`, the one table of them).
MAX_FILE_BYTES = limits.MAX_FILE_BYTES  # a file this big is not read at all (saved outputs included)
MAX_CODE_CHARS = limits.MAX_CODE_CHARS  # the code of all cells together, outputs dropped first
MAX_CELLS = limits.MAX_CELLS
MAX_DEPTH = limits.MAX_DEPTH  # folders inside a student's folder that are searched for a notebook
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


MAX_CHAPTER = 999  # a chapter number above this is not a chapter


def chapter_number(value: Any) -> int | None:
    """The chapter a notebook's metadata names, strictly: ``3``, ``"3"``, ``" 03 "`` and ``3.0``
    are all 3; anything else (a bool, ``"³"``, ``Infinity``, ``1e999``, ``3.5``, a huge number,
    text) is None. Never raises."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6:
            value = int(text)
        else:
            return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) > MAX_CHAPTER:
            return None
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_CHAPTER:
        return value
    return None


def _chapter_shown(value: Any) -> str:
    """A short, safe description of a chapter value that is not a chapter number."""
    if isinstance(value, str):
        return repr(value[:20])
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return "a number too large" if abs(value) > 10**20 else str(value)
    return f"a {type(value).__name__}"


def parse_submission(raw: bytes, bank: Bank) -> Parsed:
    """Read a notebook's code cells without running anything; explain what is wrong.

    Saved outputs are never graded, so they never count against a limit: the file may be up to
    :data:`MAX_FILE_BYTES`, and only the code (:data:`MAX_CODE_CHARS`) is limited.
    """
    if len(raw) > MAX_FILE_BYTES:
        return Parsed(problem=f"the file is {len(raw):,} bytes; {limits.named('file size')}: not read")
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
        return Parsed(problem=f"{len(nb['cells']):,} cells; {limits.named('cells')}: not run")
    code = sum(_source_length(c) for c in nb["cells"])
    if code > MAX_CODE_CHARS:
        return Parsed(
            problem=f"{code:,} characters of code; {limits.named('code')} (outputs do not count): not run"
        )
    meta = nb.get("metadata")
    tag = meta.get("casebook") if isinstance(meta, dict) else None
    named = tag.get("chapter") if isinstance(tag, dict) else None
    chapter = chapter_number(named)
    out = Parsed()
    if named is not None and chapter is None:
        out.review.append(
            f"the notebook's chapter ({_chapter_shown(named)}) is not a chapter number; "
            f"graded as chapter {bank.chapter}"
        )
    elif chapter is not None and chapter != bank.chapter:
        out.review.append(f"the notebook says it is for chapter {chapter}; graded as chapter {bank.chapter}")
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
    member_index: int | None = None  # its place in the archive: a zip may hold one name twice
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


def shown_name(name: str) -> str:
    """A file name as the gradebook, the results and the messages show it, reversibly.

    A name that is not UTF-8 (张三 in GBK bytes, as a zip made on Windows unpacks on Linux)
    reaches Python with each undecodable byte as a lone surrogate; a name may also hold control
    characters (an ANSI escape) or a backslash. Each is shown escaped: an undecodable byte as
    ``\\xNN``, an ASCII control character as ``\\xNN``, any other unsafe character as
    ``\\uNNNN``, a backslash as two. Every other name is shown as it is. :func:`name_bytes`
    gives the file name's bytes back.
    """
    if not _UNSAFE_NAME.search(name):
        return name
    out = []
    for ch in name:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (os.fsdecode's surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _UNSAFE_NAME.match(ch):
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_UNSAFE_NAME = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHOWN_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def name_bytes(shown: str) -> bytes:
    """The bytes of the file name that :func:`shown_name` showed as ``shown``."""
    if "\\" not in shown:
        return os.fsencode(shown)
    out = bytearray()
    pos = 0
    for m in _SHOWN_ESCAPE.finditer(shown):
        out += shown[pos : m.start()].encode("utf-8")
        code = m.group(1)
        if code == "\\":
            out += b"\\"
        elif code[0] == "x":
            out.append(int(code[1:], 16))
        else:
            out += chr(int(code[1:], 16)).encode("utf-8", "surrogateescape")
        pos = m.end()
    out += shown[pos:].encode("utf-8")
    return bytes(out)


def _student_of(name: str) -> str:
    for suffix in (".ipynb", ".zip"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _scan_folder(folder: Path, top: str) -> tuple[list[tuple[tuple[str, ...], str, str | None]], list[str]]:
    """Notebooks under a student's folder (never through a link): [(parts, label, problem)], and
    the other files. ``parts`` are the names on disk, ``label`` the path as shown
    (:func:`shown_name`)."""
    notebooks: list[tuple[tuple[str, ...], str, str | None]] = []
    others: list[str] = []

    def walk(rel: tuple[str, ...], depth: int) -> None:
        shown_rel = "/".join(shown_name(p) for p in rel)
        try:
            names = sorted(os.listdir(folder.joinpath(*rel)))
        except OSError:
            others.append(shown_rel + "/ (unreadable)")
            return
        for name in names:
            if name in JUNK:
                continue
            here = rel + (name,)
            label = "/".join(shown_name(p) for p in here)
            try:
                mode = os.lstat(folder.joinpath(*here)).st_mode
            except OSError:
                continue
            if _is_notebook_name(name):
                if stat.S_ISREG(mode):
                    notebooks.append((here, label, None))
                else:
                    notebooks.append(
                        (
                            here,
                            label,
                            f"{top}/{label} is {_kind_of(mode)}, not a notebook"
                            + ("; links are never followed or read" if stat.S_ISLNK(mode) else ""),
                        )
                    )
            elif stat.S_ISDIR(mode) and depth < limits.MAX_DEPTH:
                walk(here, depth + 1)
            elif stat.S_ISDIR(mode):
                others.append(f"{label}/ (not searched: deeper than {limits.MAX_DEPTH} folders)")
            elif stat.S_ISLNK(mode):
                others.append(f"{label} (a link, not followed)")
            else:
                others.append(label)

    walk((), 1)
    return notebooks, others


def _scan_zip(
    path: Path, name: str
) -> tuple[list[tuple[tuple[str, int], str, str | None]], list[str], str | None]:
    """Notebooks in a zip archive: [((member, index), label, problem)], other members, or why it cannot
    be read (an archive with more members than :data:`limits.MAX_ZIP_MEMBERS` is refused)."""
    try:
        raw = read_file(path.parent, (path.name,), limits.MAX_FILE_BYTES)
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotebookFileError) as exc:
        return [], [], f"{name} is not a readable zip archive ({shown_name(str(exc))})"
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        return (
            [],
            [],
            (
                f"{name} holds {len(infos):,} entries; the limit is {limits.MAX_ZIP_MEMBERS:,} "
                "(limit 'archive entries'): not read"
            ),
        )
    notebooks: list[tuple[tuple[str, int], str, str | None]] = []
    others: list[str] = []
    for index, info in enumerate(infos):
        label = shown_name(info.filename)
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
        if not parts or any(p in JUNK for p in parts) or info.is_dir():
            continue
        mode = (info.external_attr >> 16) & 0o170000
        if _is_notebook_name(parts[-1]):
            if mode == stat.S_IFLNK:
                notebooks.append(((info.filename, index), label, f"{name}:{label} {LINK}"))
            elif ".." in parts:
                notebooks.append(
                    ((info.filename, index), label, f"{name}:{label} points outside the archive")
                )
            else:
                notebooks.append(((info.filename, index), label, None))
        else:
            others.append(label + (" (a link, not followed)" if mode == stat.S_IFLNK else ""))
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
        shown = shown_name(name)  # what the gradebook shows; ``name`` is what is opened
        student = _student_of(shown)
        try:
            mode = os.lstat(folder / name).st_mode
        except OSError as exc:  # gone, or unreadable: still a row, with the reason
            entries.append(Entry(student, shown, problem=f"{shown} could not be read ({exc.strerror})"))
            continue
        if stat.S_ISLNK(mode):
            entries.append(Entry(student, shown, problem=f"{shown} {LINK}"))
        elif stat.S_ISDIR(mode) and _is_notebook_name(name):
            entries.append(Entry(student, shown + "/", problem=f"{shown} is a folder, not a notebook"))
        elif stat.S_ISDIR(mode):
            found, others = _scan_folder(folder / name, shown)
            entries += _choose(
                shown,
                shown + "/",
                [((name, *parts), label, None, problem) for parts, label, problem in found],
                others,
                zip_=False,
            )
        elif not stat.S_ISREG(mode):
            entries.append(Entry(student, shown, problem=f"{shown} is {_kind_of(mode)}, not a notebook"))
        elif _is_notebook_name(name):
            entries.append(Entry(student, shown, parts=(name,)))
        elif name.lower().endswith(".zip"):
            members, others, bad = _scan_zip(folder / name, shown)
            if bad:
                entries.append(Entry(student, shown, problem=bad))
            else:
                entries += _choose(
                    student,
                    shown,
                    [((name,), label, member, problem) for member, label, problem in members],
                    others,
                    zip_=True,
                )
        else:
            suffix = shown_name(Path(name).suffix)
            what = f"a {suffix} file" if suffix else "a file with no .ipynb ending"
            entries.append(
                Entry(shown, shown, problem=f"{shown} is {what}, not a notebook; hand in the .ipynb file")
            )
    return _unclash(entries)


def _choose(
    student: str,
    source: str,
    found: list[tuple[tuple[str, ...], str, tuple[str, int] | None, str | None]],
    others: list[str],
    zip_: bool,
) -> list[Entry]:
    """A student folder or archive: one notebook is graded; none or several are flagged.
    ``found`` holds (parts on disk, label as shown, (zip member, its index) or None, problem)."""
    sep = ":" if zip_ else "/"
    where = source if zip_ else source.rstrip("/") + "/"
    if not found:
        return [Entry(student, source, review=f"no notebook in {where} ({_listing(others)})")]
    if len(found) == 1:
        parts, _, member, problem = found[0]
        name, index = member if member else (None, None)
        return [Entry(student, source, parts=parts, member=name, member_index=index, problem=problem)]
    names = ", ".join(label for _, label, _, _ in found)
    out = []
    for parts, label, member, problem in found:
        row = f"{source.rstrip('/')}{sep}{label}"
        name, index = member if member else (None, None)
        out.append(
            Entry(
                row,
                row,
                parts=parts,
                member=name,
                member_index=index,
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
    used: set[str] = set()
    taken = {e.student for e in entries}
    for e in entries:  # a label can still repeat (a zip holding one name twice...): number it
        if e.student in used:
            n = 2
            while f"{e.student} ({n})" in taken:  # never a label another row has
                n += 1
            e.student = f"{e.student} ({n})"
            taken.add(e.student)
        used.add(e.student)
    return sorted(entries, key=lambda e: e.student)


class NotebookFileError(OSError):
    """A submission file that is refused while reading (a link, not a regular file, too big)."""


def _shown_path(parts: tuple[str, ...]) -> str:
    return "/".join(shown_name(p) for p in parts)


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
                raise NotebookFileError(f"{_shown_path(parts)} {LINK}") from None
            raise
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookFileError(f"{_shown_path(parts)} is {_kind_of(info.st_mode)}, not a notebook")
        if info.st_nlink > 1:
            raise NotebookFileError(f"{_shown_path(parts)} {HARD_LINK}")
        if info.st_size > cap:
            raise NotebookFileError(f"the file is too big; {limits.named('file size', cap)}: not read")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                raise NotebookFileError(f"the file is too big; {limits.named('file size', cap)}: not read")
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
            if entry.member_index is not None:  # by its place: a name may be in the archive twice
                info = archive.infolist()[entry.member_index]
                if info.filename != entry.member:
                    raise KeyError(entry.member)
            else:
                info = archive.getinfo(entry.member)
            if info.file_size > MAX_FILE_BYTES:
                raise NotebookFileError(
                    f"{shown_name(entry.member)} is too big; {limits.named('file size')}: not read"
                )
            with archive.open(info) as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except (
        zipfile.BadZipFile,
        KeyError,
        IndexError,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise NotebookFileError(
            f"{shown_name(entry.member)} could not be read from the archive ({shown_name(str(exc))})"
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise NotebookFileError(
            f"{shown_name(entry.member)} is too big; {limits.named('file size')}: not read"
        )
    return data
