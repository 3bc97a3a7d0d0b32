"""The session-3 conventions (issues 23 and 24) checked on one chapter's page and bank: a lesson
on every exhibit and question, mostly strategic; key phrases of the suggested answers off the
student page; choice keys not the longest by far; levelled rubrics and memos that weight the
recommendation; per-student variants. A chapter's test module calls each with its number."""

from __future__ import annotations

import re as _re
from pathlib import Path

from dualwheel.grading.questions import bank_for
from dualwheel.page.exhibits import LESSONS as _LESSONS

ROOT = Path(__file__).resolve().parents[1]


def _split_page(n: int) -> tuple[str, str]:
    (page,) = (ROOT / "book").glob(f"ch{n:02d}-*.md")
    student, instructors = page.read_text(encoding="utf-8").split(f"(ch{n:02d}-instructors)=")
    return student, instructors


def _exhibit_lessons(n: int) -> list[str]:
    """The lesson of every exhibit call on the student page (ch.claims defaults to measurement)."""
    student, _ = _split_page(n)
    cells = _re.findall(r"```\{code-cell\}.*?```", student, flags=_re.S)
    lessons = []
    for cell in cells:
        for call in _re.findall(r"ch\.(table|figure|whatif|claims)\(", cell):
            found = _re.findall(r'lesson="(\w+)"', cell)
            lessons.append(found[0] if found else ("measurement" if call == "claims" else ""))
    return lessons


def every_exhibit_names_a_lesson_and_most_are_strategic(n: int) -> None:
    lessons = _exhibit_lessons(n)
    assert lessons and all(lesson in _LESSONS for lesson in lessons), lessons
    assert sum(lesson != "measurement" for lesson in lessons) * 2 >= len(lessons)


def graded_points_are_mostly_strategic_and_every_question_has_a_lesson(n: int) -> None:
    bank = bank_for(n)
    assert all(q.lesson in _LESSONS for q in bank.questions)
    total = sum(q.points for q in bank.graded_questions)
    strategic = sum(q.points for q in bank.graded_questions if q.lesson != "measurement")
    assert strategic * 2 >= total


def key_phrases_of_the_suggested_answers_stay_off_the_student_page(n: int) -> None:
    student, instructors = _split_page(n)
    flat = _re.sub(r"\s+", " ", student).lower()
    keys = _re.findall(r"^\s*% key (BC\d|DQ\d): (.+)$", instructors, flags=_re.M)
    n_bc = len(
        _re.findall(r"^\d\. ", student.split("```{admonition} Before class")[1].split("```")[0], flags=_re.M)
    )
    n_dq = len(
        _re.findall(r"^\d\. ", student.split("## Discussion questions")[1].split("##")[0], flags=_re.M)
    )
    assert {k for k, _ in keys} == {f"BC{i}" for i in range(1, n_bc + 1)} | {
        f"DQ{i}" for i in range(1, n_dq + 1)
    }
    for qid, phrases in keys:
        for phrase in (p.strip() for p in phrases.split(";")):
            assert 3 <= len(phrase.split()) <= 12, (qid, phrase)
            assert phrase.lower() not in flat, (qid, phrase)


def choice_keys_are_not_the_longest_option_by_far(n: int) -> None:
    for q in bank_for(n).questions:
        if q.type != "choice":
            continue
        assert len(q.options) >= 4 or not q.graded, q.id
        others = [len(v) for k, v in q.options.items() if k != q.answer]
        assert len(q.options[q.answer]) <= 1.2 * sum(others) / len(others) or not q.graded, q.id


def rubrics_are_levelled_and_memos_weight_the_recommendation(n: int) -> None:
    raw = {q["id"]: q for q in yaml_load_bank(n)}
    for q in bank_for(n).questions:
        if q.type != "rubric":
            continue
        for c in raw[q.id]["criteria"]:
            assert sorted(c["levels"]) == list(range(int(c["points"]) + 1)), (q.id, c["text"])
            assert c.get("look_for"), (q.id, c["text"])
        if raw[q.id].get("memo"):
            rec = sum(c["points"] for c in raw[q.id]["criteria"] if c.get("recommendation"))
            assert rec * 2 >= q.points, q.id
        low, high = q.words
        assert low <= len(q.model_answer.split()) <= high, q.id
        figures = raw[q.id].get("figures", 0)
        assert len(_re.findall(r"\d+(?:\.\d+)?%|RMB \d", q.model_answer)) >= figures, q.id


def numeric_graded_items_vary_per_student(n: int) -> None:
    for q in bank_for(n).graded_questions:
        if q.type == "numeric":
            assert len(q.variants) >= 3, q.id


def yaml_load_bank(n: int) -> list[dict]:
    import yaml as _yaml

    return _yaml.safe_load(bank_for(n).path.read_text(encoding="utf-8"))["questions"]
