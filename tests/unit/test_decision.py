"""The decision opener (book/decision.md), its dated facts (data/decision.csv), the decision memo
(exercises/ch07.yml) and the course map (book/instructors.md)."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from dualwheel import data
from dualwheel.chapters import decision as dec
from dualwheel.grading.questions import bank_for
from dualwheel.publish.sphinxext import _before_instructors, _student_notebook

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "book" / "decision.md"


def student_part() -> str:
    text = PAGE.read_text(encoding="utf-8")
    before = _before_instructors(text)
    assert before is not None, "the opener has no (decision-instructors)= label"
    return before


# ---------------------------------------------------------------- the table and its cut-off


def test_every_row_was_public_by_the_decision_date():
    raw = data.load("decision")
    for fid, public in zip(raw["fact_id"], raw["public"], strict=True):
        day = dt.date.fromisoformat(public)  # an ISO day, not a month or a year
        assert day <= dec.DECISION_DATE, f"{fid} became public on {public}, after the decision date"
    assert dec.DECISION_DATE == dt.date(2024, 6, 30)


def test_every_row_has_a_source_with_a_document_and_a_confidence():
    t = data.load("decision")
    known = data.sources()
    for _, row in t.iterrows():
        assert row["source"] in known
        assert known[row["source"]].get("url"), f"{row['fact_id']}: its source has no URL"
        if row["unit"] != "none":
            assert row["value"] is not None, f"{row['fact_id']} has a unit but no value"


def test_a_row_after_the_cut_off_fails(tmp_path, monkeypatch):
    t = data.load("decision")
    t.loc[0, "public"] = "2024-07-01"
    monkeypatch.setattr(data, "load", lambda name: t if name == "decision" else data.load(name))
    late = [p for p in dec.table()["public"] if p > dec.DECISION_DATE]
    assert late == [dt.date(2024, 7, 1)]


def test_the_budget_covers_the_two_fiscal_years_after_the_date():
    assert dec.budget_fiscal_years() == ["FY2025", "FY2026"]


# ---------------------------------------------------------------- the page quotes, never types


def test_every_glued_name_comes_from_the_table():
    glued = set(re.findall(r"\{glue:(?:text|md)\}`([a-z0-9_]+)", PAGE.read_text(encoding="utf-8")))
    facts = dec.facts()
    assert glued and glued <= set(facts), sorted(glued - set(facts))
    t = data.load("decision").set_index("fact_id")["value"]
    assert facts["dec_rev_growth_fy2024"] == pytest.approx(
        100 * (t["aidc_rev_fy2024"] / t["aidc_rev_fy2023"] - 1)
    )
    assert facts["dec_loss_q4"] == -t["aidc_ebita_q4_fy2024"]
    assert facts["dec_us_threshold"] == t["us_de_minimis"]


def test_the_prose_types_no_figure():
    prose = re.sub(r"```.*?```", "", student_part().split("---", 2)[2], flags=re.S)
    prose = re.sub(r"\{glue:(text|md)\}`[^`]+`", "", prose)
    prose = re.sub(r"^\s*\d+\. ", "", prose, flags=re.M)  # numbered lists
    prose = re.sub(
        r"\bFY20\d\d\b|Chapters? \d( and \d)?|Exhibit D\.\d|data/\S+|\d+(st|nd|rd|th)\b", "", prose
    )
    assert re.findall(r"\d", prose) == []


def test_the_opener_is_about_900_to_1400_words():
    assert 900 <= dec.student_words("decision") <= 1400


def test_the_opener_names_decider_date_options_and_criteria():
    text = student_part()
    for needed in ("Jiang Fan (蒋凡)", "dec_date", "全托管", "半托管", "海外仓", "Lazada", "Trendyol"):
        assert needed in text, needed
    for criterion in dec.CRITERIA.values():
        assert f"**{criterion}**" in text, criterion
    assert "Before class: assignment questions" in text and "Questions to prepare" in text


def test_the_exhibits_show_only_dated_rows_with_their_sources():
    frame = dec.exhibit()
    assert len(frame) == (data.load("decision")["topic"] != "decider").sum()
    assert set(frame["Criterion"]) <= set(dec.CRITERIA.values())
    fig = dec.annual_chart()
    left, right = fig.axes
    assert [round(b.get_height(), 3) for b in left.patches] == [62.185, 70.506, 102.598]
    assert [round(b.get_height(), 3) for b in right.patches] == [-8.614, -4.944, -8.035]


# ---------------------------------------------------------------- the student edition drops the note


def test_the_student_edition_cuts_the_decision_teaching_note():
    text = PAGE.read_text(encoding="utf-8")
    assert "(decision-instructors)=" in text
    before = student_part()
    for marker in ("Teaching note", "Timing plan", "B-case reveal", "Scripted close", "Suggested answers"):
        assert marker in text and marker not in before, marker
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# The decision\n\nText."},
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": "More.\n\n(decision-instructors)=\n## For instructors\n\nNote.",
        },
        {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": []},
    ]
    nb = json.loads(
        _student_notebook(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    )
    flat = json.dumps(nb)
    assert "For instructors" not in flat and "x = 1" not in flat and "More." in flat


def test_the_teaching_note_has_what_an_80_minute_decision_class_needs():
    note = PAGE.read_text(encoding="utf-8").split("(decision-instructors)=", 1)[1]
    for part in (
        "80 minutes",
        "cold call",
        "Vote",
        "Pivot question",
        "Board plan",
        "Scripted close",
        "B-case reveal",
    ):
        assert part.lower() in note.lower(), part
    minutes = re.findall(r"^\| (\d+)–(\d+) \|", note, flags=re.M)
    assert minutes[0][0] == "0" and minutes[-1][1] == "80"
    assert all(int(a) < int(b) for a, b in minutes)
    assert all(int(minutes[i][1]) == int(minutes[i + 1][0]) for i in range(len(minutes) - 1))


# ---------------------------------------------------------------- the decision memo


@pytest.fixture(scope="module")
def memo():
    return bank_for(7).get("ch07-q9-decision-memo")


def test_the_memo_is_a_graded_rubric_with_levelled_criteria(memo):
    assert memo.graded and memo.type == "rubric"
    weights = [c["points"] for c in memo.criteria]
    assert sum(weights) == memo.points
    # at least half the weight on the recommendation and its trade-offs (the first two criteria)
    assert "Recommendation" in memo.criteria[0]["text"] and "Trade-offs" in memo.criteria[1]["text"]
    assert weights[0] + weights[1] >= memo.points / 2
    for c in memo.criteria:  # levels as a mapping 0..points (conventions of issue 24)
        levels = [int(n) for n in c["levels"]]
        assert sorted(levels) == list(range(int(c["points"]) + 1)), c["text"]


def test_the_model_answer_meets_its_own_length_and_quotes_the_table(memo):
    low, high = memo.words
    assert low <= len(memo.model_answer.split()) <= high
    f = dec.facts()
    answer = memo.model_answer
    quoted = [
        f"RMB {f['dec_rev_fy2024_bn']:,.1f} billion",
        f"{f['dec_rev_growth_fy2024']:.1f}%",
        f"{f['dec_rev_growth_q3']:.0f}% in the December quarter",
        f"RMB {f['dec_loss_fy2024_bn']:,.1f} billion",
        f"{f['dec_margin_fy2024']:.1f}%",
        f"RMB {f['dec_loss_q3']:,.0f} million",
        f"RMB {f['dec_loss_q4']:,.0f} million",
        f"USD {f['dec_us_threshold']:,.0f}",
        f"EUR {f['dec_eu_threshold']:.0f}",
        f"USD {f['dec_korea_bn']:.1f} billion",
        f"USD {f['dec_lazada_total_bn']:.1f} billion",
        f"USD {f['dec_trendyol_bn']:.0f} billion",
        f["dec_d_hr7979"],
        f["dec_d_eu_proposal"],
    ]
    flat = " ".join(answer.split())
    missing = [q for q in quoted if q not in flat]
    assert not missing, missing
    shares = [int(n) for n in re.findall(r"(\d+)% (?:of the investment budget )?into", flat)[:3]]
    assert sum(shares) == 100, shares
    assert len(set(re.findall(r"Chapters? (\d)", flat))) >= 3  # evidence from at least three chapters
    # nothing public after the decision date: no later year is named
    assert not re.search(r"\b(2025|2026)\b", flat.replace("FY2025", "").replace("FY2026", ""))


# ---------------------------------------------------------------- the course map


def test_the_course_map_reading_loads_follow_the_pages():
    text = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    section = text.split("## Course map", 1)[1].split("\n## ", 1)[0]
    typed = [int(n.replace(",", "")) for n in re.findall(r"about ([\d,]+) words", section)]
    computed = dec.reading_load()
    assert len(typed) == len(dec.SESSIONS) == len(computed)
    for session, (t, c) in enumerate(zip(typed, computed, strict=True), start=1):
        assert abs(t - c) <= 0.15 * c, f"session {session}: the map says {t} words, the pages have {c}"
    assert "The decision class" in section and "ch07-q9-decision-memo" in section


# ---------------------------------------------------------------- the opener poses, it does not answer


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()).lower()


def test_no_key_phrase_of_a_suggested_answer_is_on_the_student_page():
    """Issue 24, part 1: every before-class question (BCn) and question to prepare (DQn) has 2-4
    key phrases, verbatim in its suggested answer, and none is in the opener's student part (its
    prose, exhibits' code and the what-if's static table alike)."""
    from dualwheel import order_economics as oe

    note = PAGE.read_text(encoding="utf-8").split("(decision-instructors)=", 1)[1]
    keys = dict(re.findall(r"^% key ((?:BC|DQ)\d): (.+)$", note, flags=re.M))
    assert set(keys) == {"BC1", "BC2", "BC3", "BC4", "DQ1", "DQ2", "DQ3", "DQ4", "DQ5", "DQ6"}
    answers = _flat(re.sub(r"^% key .+$", "", note, flags=re.M))
    table = oe.order_whatif().scenarios().to_string()
    shown = _flat(student_part() + " " + table)
    for q, line in keys.items():
        phrases = [p.strip() for p in line.split(";")]
        assert 2 <= len(phrases) <= 4, q
        for phrase in phrases:
            assert 3 <= len(phrase.split()) <= 8, (q, phrase)
            assert _flat(phrase) in answers, (q, phrase)
            assert _flat(phrase) not in shown, (q, phrase)
