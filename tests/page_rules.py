"""Reading a chapter's MyST source for the page-rule tests (tests/unit/test_page_rules.py and
tests/book/test_built_page_rules.py): its student part, prose words, boxes, questions and key lines."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("ch0[1-7]-*.md"))
IDS = [p.stem[:4] for p in CHAPTERS]

#: Student prose: at most this many words per chapter (issue 23 §6; aim for 4,000).
MAX_WORDS = 4500
#: The case-facts box: about half a page.
MAX_CASE_FACTS_WORDS = 120
BEFORE_CLASS = "Before class: assignment questions"

FENCE = re.compile(r"^(`{3,}|:{3,})(.*)$")
GLUE = re.compile(r"\{glue:\w+\}`[^`]*`")
ROLE = re.compile(r"\{(ref|numref|doc|term|bcase|sub-ref|eq)\}`([^`<]*)(?:<[^`]*>)?`")
KEY_LINE = re.compile(r"^[ \t]*%\s*key\s+(BC|DQ)(\d+)\s*:\s*(.+)$", re.M)


def number(path: Path) -> int:
    return int(path.name[2:4])


def split_instructors(text: str, n: int) -> tuple[str, str]:
    """(student part, instructors' part) of a chapter source, at its ``(chNN-instructors)=``."""
    label = f"(ch{n:02d}-instructors)="
    head, sep, tail = text.partition(label)
    return head, tail


def blocks(text: str) -> list[tuple[str, str, list[str]]]:
    """The source as (kind, info, lines): kind "md" for Markdown, "code" for a code cell, or
    "fence" for a directive (info is its opening line, e.g. "{admonition} Case facts")."""
    out: list[tuple[str, str, list[str]]] = []
    lines = text.splitlines()
    i, md = 0, []
    # front matter
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        i = end + 1
    while i < len(lines):
        m = FENCE.match(lines[i].strip())
        if m:
            if md:
                out.append(("md", "", md))
                md = []
            marker, info = m.group(1), m.group(2).strip()
            body, j = [], i + 1
            while j < len(lines) and lines[j].strip() != marker:
                body.append(lines[j])
                j += 1
            kind = "code" if info.startswith("{code-cell}") else "fence"
            out.append((kind, info, body))
            i = j + 1
            continue
        md.append(lines[i])
        i += 1
    if md:
        out.append(("md", "", md))
    return out


def prose_words(text: str) -> int:
    """Words of student prose: Markdown and directive bodies, no code cells, no MyST comments,
    directive options or labels; a glue role counts as one word, a cross-reference as its text."""
    words = 0
    for kind, _, lines in blocks(text):
        if kind == "code":
            continue
        for line in lines:
            s = line.strip()
            if not s or s.startswith("%") or re.match(r"^:\w[\w-]*:", s) or re.match(r"^\([\w-]+\)=$", s):
                continue
            s = re.sub(r"^(\d+\.|[-*+]|#+)\s+", "", s)  # list markers and heading marks
            s = GLUE.sub("GLUED", s)
            s = ROLE.sub(lambda m: m.group(2) or "ref", s)
            s = re.sub(r"\]\([^)]*\)", "]", s)  # a link counts by its text
            words += len(re.findall(r"[\w\u4e00-\u9fff][\w'’.,%\u4e00-\u9fff-]*", s))
    return words


def student_part(path: Path) -> str:
    return split_instructors(path.read_text(encoding="utf-8"), number(path))[0]


def numbered_items(lines: list[str]) -> list[str]:
    """The items of a numbered list, in order. A wrapped line that happens to start with a number
    ("   2024. Would you ...") continues its item, as in Markdown: only the next number opens one."""
    items: list[str] = []
    for line in lines:
        m = re.match(r"^\s{0,3}(\d+)\.\s+(.*)", line)
        if m and int(m.group(1)) == len(items) + 1:
            items.append(m.group(2))
    return items


def before_class_questions(path: Path) -> list[str]:
    for kind, info, lines in blocks(student_part(path)):
        if kind == "fence" and info == f"{{admonition}} {BEFORE_CLASS}":
            return numbered_items(lines)
    return []


def discussion_questions(path: Path) -> list[str]:
    text = student_part(path)
    m = re.search(r"^## Discussion questions\s*$(.*?)(?=^## |\Z)", text, re.S | re.M)
    return numbered_items(m.group(1).splitlines()) if m else []


def key_lines(path: Path) -> dict[str, list[str]]:
    """``% key BCn: a; b`` lines of the teaching note: question -> its key phrases."""
    tail = split_instructors(path.read_text(encoding="utf-8"), number(path))[1]
    return {f"{k}{n}": [p.strip() for p in phrases.split(";") if p.strip()] for k, n, phrases in KEY_LINE.findall(tail)}


def word_table() -> dict[str, int]:
    return {p.stem: prose_words(student_part(p)) for p in CHAPTERS}


SELFCHECK_CALL = re.compile(r"""ch\.selfcheck\(\s*["']([\w-]+)["']\s*\)""")


def shown_selfchecks(path: Path) -> list[str]:
    """The self-checks a chapter's student part shows, in page order (a cell tagged
    remove-cell or remove-output shows nothing)."""
    ids = []
    for kind, _, lines in blocks(student_part(path)):
        if kind != "code":
            continue
        cell = "\n".join(lines)
        if re.search(r"remove-(cell|output)", cell.split("\n\n")[0]):
            continue
        ids += SELFCHECK_CALL.findall(cell)
    return ids
