"""Page rules read from the chapters' sources (issue 23 §6, issue 24 §1 and §6; conventions in
the session-3 brief): the student prose's length, the top of each chapter, the pre-answer keys
of the teaching notes, the glossary's coverage and the self-checks a student edition shows.

The rules that need the executed or rendered book (lessons, what-if outcomes, overlapping
labels, raw URLs, key phrases in the student edition) are in tests/book/test_page_rules.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dualwheel import glossary
from dualwheel.grading.questions import bank_for

ROOT = Path(__file__).resolve().parents[2]
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
KEY_LINE = re.compile(r"^%\s*key\s+(BC|DQ)(\d+)\s*:\s*(.+)$", re.M)


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
    return [m.group(1) for line in lines if (m := re.match(r"^\s{0,3}\d+\.\s+(.*)", line))]


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


# ---- the helpers themselves --------------------------------------------------------------------

SAMPLE = """---
kernelspec:
  name: python3
---

# Title (标题)

```{code-cell} ipython3
:tags: [remove-cell]
x = 1  # not prose
```

```{admonition} Before class: assignment questions
:class: important

1. Why enter {glue:text}`n_markets:.0f` markets at once?
2. Which mode, and why?
3. What would change your mind?
```

% a comment is not prose
(sample-label)=
See {ref}`the bases <rn-bases>` and [the page](https://example.org/x).

(ch09-instructors)=
## For instructors
% key BC1: many markets at once; a second phrase
"""


def test_prose_words_leave_out_code_comments_and_options_and_count_a_glue_as_one():
    student, tail = split_instructors(SAMPLE, 9)
    assert "For instructors" in tail and "For instructors" not in student
    # Title (标题) 2 + 3 questions (6 + 4 + 5, the glue as one word) + "See the bases and the page." 6
    assert prose_words(student) == 2 + 6 + 4 + 5 + 6


def test_the_question_and_key_parsers_read_the_sample(tmp_path):
    path = tmp_path / "ch09-sample.md"
    path.write_text(SAMPLE, encoding="utf-8")
    assert len(before_class_questions(path)) == 3
    assert key_lines(path) == {"BC1": ["many markets at once", "a second phrase"]}


# ---- the rules on today's chapters -------------------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_prose_is_at_most_4500_words(path):
    words = prose_words(student_part(path))
    table = "\n".join(f"{k}: {v}" for k, v in word_table().items())
    assert words <= MAX_WORDS, f"{path.name}: {words} words of student prose (max {MAX_WORDS})\n{table}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_the_top_of_the_chapter_has_one_format(path):
    """Title, then a before-class box (that title, class important, 3-5 numbered questions), a
    case-facts box (class case-facts, glued numbers, about half a page), then the learning
    objectives; code cells may sit between them."""
    seen = [(kind, info, lines) for kind, info, lines in blocks(student_part(path)) if kind != "code"]
    seen = [b for b in seen if not (b[0] == "md" and not "".join(b[2]).strip())]
    assert seen and seen[0][0] == "md" and [ln for ln in seen[0][2] if ln.strip()][0].startswith("# "), path.name
    assert len([ln for ln in seen[0][2] if ln.strip()]) == 1, f"{path.name}: prose between the title and the boxes"
    infos = [info for kind, info, _ in seen[1:4]]
    assert infos == [
        f"{{admonition}} {BEFORE_CLASS}",
        "{admonition} Case facts",
        "{admonition} Learning objectives",
    ], f"{path.name}: the top of the chapter reads {infos}"
    before, facts = seen[1][2], seen[2][2]
    assert ":class: important" in [ln.strip() for ln in before]
    assert 3 <= len(numbered_items(before)) <= 5
    assert ":class: case-facts" in [ln.strip() for ln in facts]
    assert GLUE.search("\n".join(facts)), f"{path.name}: the case facts glue no number from data/"
    assert prose_words("\n".join(facts)) <= MAX_CASE_FACTS_WORDS
    assert len(re.findall(r"(?m)^\s*- ", "\n".join(facts))) in range(4, 8)
    # one before-class box per chapter, in one format
    assert student_part(path).count(BEFORE_CLASS) == 1
    assert not re.search(r"(?m)^## Before class", student_part(path)), f"{path.name}: an old-format before-class section"


def test_the_case_facts_box_is_styled_and_printable():
    css = (ROOT / "_assets" / "casebook.css").read_text(encoding="utf-8")
    assert re.search(r"\.admonition\.case-facts\s*\{[^}]*border", css), "case-facts needs a style of its own"
    assert re.search(r"@media print[^{]*\{[^@]*\.case-facts", css, re.S), "case-facts must print"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_bc_and_dq_has_key_phrases_in_the_teaching_note(path):
    keys = key_lines(path)
    wanted = [f"BC{i}" for i in range(1, len(before_class_questions(path)) + 1)]
    wanted += [f"DQ{i}" for i in range(1, len(discussion_questions(path)) + 1)]
    assert wanted, f"{path.name}: no before-class or discussion questions found"
    missing = [q for q in wanted if q not in keys]
    assert not missing, f"{path.name}: no '% key' line for {missing}"
    for q, phrases in keys.items():
        assert 2 <= len(phrases) <= 4, f"{path.name} {q}: {len(phrases)} key phrases (2-4)"
        for p in phrases:
            assert 3 <= len(p.split()) <= 8, f"{path.name} {q}: key phrase {p!r} is not 3-8 words"


def test_the_glossary_covers_the_strategy_terms_of_chapters_2_4_5_and_7():
    listed: dict[int, int] = {}
    for _, r in glossary.terms().iterrows():
        for ch in (int(c) for c in str(r["chapters"]).split(",") if c.strip()):
            listed[ch] = listed.get(ch, 0) + 1
    short = {ch: listed.get(ch, 0) for ch in (2, 4, 5, 7) if listed.get(ch, 0) < 4}
    assert not short, f"chapters with fewer than 4 glossary terms: {short}"


def test_glossary_terms_of_chapters_2_4_5_and_7_appear_on_their_pages():
    pages = {number(p): p.read_text(encoding="utf-8") for p in CHAPTERS}
    missing = []
    for _, r in glossary.terms().iterrows():
        for ch in (int(c) for c in str(r["chapters"]).split(",") if c.strip()):
            if ch in (2, 4, 5, 7) and r["chinese"] not in pages[ch]:
                missing.append((ch, r["term_id"]))
    assert missing == []


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


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_self_checks_are_shown_and_numbered_in_page_order(path):
    """Every self-check of the bank is shown in the student part (none hidden in a removed
    cell), and the bank lists them in the order the page shows them, which sets their numbers."""
    shown = shown_selfchecks(path)
    in_bank = [q.id for q in bank_for(number(path)).uses("self_check")]
    all_calls = SELFCHECK_CALL.findall(student_part(path))
    hidden = [q for q in all_calls if q not in shown]
    assert not hidden, f"{path.name}: self-checks in removed cells never render: {hidden}"
    assert shown == [q for q in in_bank if q in shown], f"{path.name}: numbered {in_bank}, shown {shown}"
    answered = [q for q in in_bank if q not in shown]
    if "ch.answer_key()" in path.read_text(encoding="utf-8"):
        assert not answered, f"{path.name}: the PDF answer key answers self-checks the page never shows: {answered}"
