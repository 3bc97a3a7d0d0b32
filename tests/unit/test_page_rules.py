"""Page rules read from the chapters' sources (issue 23 §6, issue 24 §1 and §6; conventions in
the session-3 brief): the student prose's length, the top of each chapter, the pre-answer keys
of the teaching notes, the glossary's coverage and the self-checks a student edition shows.

The rules that need the executed or rendered book (lessons, what-if outcomes, overlapping
labels, raw URLs, key phrases in the student edition) are in tests/book/test_built_page_rules.py.
"""

from __future__ import annotations

import re

import pytest
from page_rules import (
    BEFORE_CLASS,
    CHAPTERS,
    GLUE,
    MAX_CASE_FACTS_WORDS,
    MAX_WORDS,
    ROOT,
    SELFCHECK_CALL,
    before_class_questions,
    blocks,
    discussion_questions,
    key_lines,
    number,
    numbered_items,
    prose_words,
    shown_selfchecks,
    split_instructors,
    student_part,
    word_table,
)

from dualwheel.grading.questions import bank_for

IDS = [p.stem[:4] for p in CHAPTERS]


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


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_graded_points_name_their_lesson_and_half_are_strategic(path):
    """Every bank question names its lesson; at least half of a chapter's graded points are on a
    lesson other than measurement (issue 23 §2)."""
    from dualwheel.page.exhibits import LESSONS

    bank = bank_for(number(path))
    untagged = [q.id for q in bank.questions if q.lesson not in LESSONS]
    graded = bank.uses("graded")
    total = sum(q.points for q in graded)
    strategic = sum(q.points for q in graded if q.lesson in LESSONS and q.lesson != "measurement")
    assert not untagged, f"{path.name}: questions without a lesson: {untagged}"
    assert total and strategic * 2 >= total, f"{path.name}: {strategic:g} of {total:g} graded points strategic"
