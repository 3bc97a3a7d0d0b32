"""Chapter 1, issues 23 and 24: every exhibit names its lesson and most are strategic, the
what-ifs can reach either route, the top boxes follow the one format, and the questions test
judgement (suggested answers whose key phrases the student page avoids, a memo that keeps to its
own rubric). No build needed: these read the page's source and the bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dualwheel.chapters import ch01_introduction as c1

PAGE = Path(__file__).resolve().parents[2] / "book" / "ch01-introduction.md"


def _student_part() -> str:
    return PAGE.read_text(encoding="utf-8").split("(ch01-instructors)=")[0]


def _exhibit_lessons() -> list[str]:
    """The lesson of every exhibit call on the student page, in order (claims default to measurement)."""
    text = _student_part()
    lessons = []
    for m in re.finditer(r"^ch\.(table|figure|whatif|claims)\(", text, flags=re.M):
        call = text[m.start() : text.index("\n```", m.start())]
        found = re.search(r"lesson=\"(\w+)\"", call)
        assert found or m.group(1) == "claims", f"an exhibit without lesson=: {call[:80]}"
        lessons.append(found.group(1) if found else "measurement")
    return lessons


def test_every_exhibit_names_a_lesson_and_most_are_strategic():
    from dualwheel.page.exhibits import LESSONS

    lessons = _exhibit_lessons()
    assert len(lessons) == 9 and set(lessons) <= set(LESSONS)
    assert sum(x != "measurement" for x in lessons) >= len(lessons) / 2  # 7 of 9
    assert {"entry", "competition", "regulation", "unit_economics"} <= set(lessons)


def test_most_graded_points_are_strategic_and_every_question_has_a_lesson():
    from dualwheel.grading.questions import bank_for
    from dualwheel.page.exhibits import LESSONS

    bank = bank_for(1)
    assert all(q.lesson in LESSONS for q in bank.questions)
    graded = bank.graded_questions
    strategic = sum(q.points for q in graded if q.lesson != "measurement")
    assert strategic >= bank.total_points / 2  # 21 of 29


def test_both_landed_cost_what_ifs_can_reach_either_route():
    # the page's grids: by_rule (rule x order value x duty rate), by_cost (freights x handling)
    by_rule = {
        c1.landed_cost_conclusion(c1.landed_cost_by_rule(v, rule, d))
        for rule in c1.RULES
        for v in (50, 125, 200)
        for d in (0, 10, 20, 30)
    }
    by_cost = {
        c1.landed_cost_conclusion(c1.landed_cost_by_costs(p, b, h))
        for p in (3, 6, 9)
        for b in (0.5, 1, 1.5, 2)
        for h in (2, 4, 6)
    }
    both = {"post parcels from China", "stock a local warehouse"}
    assert both <= by_rule and both <= by_cost


def test_the_warehouse_fee_ceiling_does_not_depend_on_the_duty_rate():
    # ch01-q5: with no threshold both routes pay US duty on the same goods value, so the highest
    # warehouse fee that keeps the warehouse no dearer is freight and entry fees only
    from dualwheel.grading.questions import bank_for

    q = bank_for(1).get("ch01-q5-warehouse-ceiling")
    assert len(q.variants) >= 3 and len({round(v, 2) for _, v in q.variants}) == len(q.variants)
    for inputs, key in q.variants:
        v, p = inputs["order_value"], inputs["parcel_freight"]
        for duty in (0, 10, 30):
            r = c1.landed_cost(v, "us_china_end", duty, p, 0)
            assert r.direct_total - r.warehouse_total == pytest.approx(key)
        assert c1.landed_cost(v, "us_china_end", 20, p, key).cheaper == "tie"


def test_before_class_box_has_three_to_five_numbered_questions_and_the_case_facts_follow():
    text = _student_part()
    box = re.search(r"```\{admonition\} Before class: assignment questions\n:class: important\n(.*?)```", text, re.S)
    assert box is not None
    assert 3 <= len(re.findall(r"^\d+\. ", box.group(1), flags=re.M)) <= 5
    facts = re.search(r"```\{admonition\} Case facts\n:class: case-facts\n(.*?)```", text, re.S)
    assert facts is not None and text.index("Before class") < text.index("Case facts") < text.index("Learning objectives")
    assert len(re.sub(r"\{glue:text\}`[^`]*`", "N", facts.group(1)).split()) <= 120


def test_every_question_has_a_suggested_answer_whose_key_phrases_the_student_page_avoids():

    text = PAGE.read_text(encoding="utf-8")
    student, note = text.split("(ch01-instructors)=")
    dqs = re.search(r"## Discussion questions\n\n(.*?)\n\n## ", student, re.S).group(1)
    n_dq = len(re.findall(r"^\d+\. ", dqs, flags=re.M))
    bank = yaml.safe_load((PAGE.parents[1] / "exercises" / "ch01.yml").read_text(encoding="utf-8"))
    self_checks = " ".join(str(q) for q in bank["questions"] if "self_check" in q.get("use", []))
    shown = re.sub(r"\s+", " ", f"{student} {self_checks}".lower())
    keys = dict(re.findall(r"^% key (\w+): (.*)$", note, flags=re.M))
    assert set(keys) == {f"BC{i}" for i in range(1, 5)} | {f"DQ{i}" for i in range(1, n_dq + 1)}
    for qid, phrases in keys.items():
        parts = [p.strip() for p in phrases.split(";")]
        assert 2 <= len(parts) <= 4, qid
        for p in parts:
            assert 3 <= len(p.split()) <= 8, (qid, p)
            assert p.lower() in re.sub(r"\s+", " ", note.lower()), (qid, p)  # verbatim from the answer
            assert p.lower() not in shown, (qid, p)


def test_the_memo_model_answer_keeps_to_its_own_rubric():

    from dualwheel.grading.questions import bank_for

    bank_file = PAGE.parents[1] / "exercises" / "ch01.yml"
    raw = {q["id"]: q for q in yaml.safe_load(bank_file.read_text(encoding="utf-8"))["questions"]}
    memo = bank_for(1).get("ch01-q8-memo")
    low, high = memo.words
    assert low <= len(memo.model_answer.split()) <= high
    assert len(re.findall(r"\d+(?:\.\d+)?%|\d+\.\d+ billion", memo.model_answer)) >= raw["ch01-q8-memo"]["figures"]
    crit = raw["ch01-q8-memo"]["criteria"]
    assert raw["ch01-q8-memo"]["memo"] is True
    assert sum(c["points"] for c in crit if c.get("recommendation")) >= memo.points / 2
    for c in crit:
        assert set(c["levels"]) == set(range(c["points"] + 1)) and c["look_for"]
