"""The "Reading the numbers" page (book/reading-numbers.md, dualwheel/chapters/reading_numbers.py):
the five measurement habits taught once, with Cainiao's 34.8% as the worked case. No build needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dualwheel import claims
from dualwheel import segments as seg
from dualwheel.chapters import reading_numbers as rn

PAGE = Path(__file__).resolve().parents[2] / "book" / "reading-numbers.md"
LABELS = ("reading-numbers", "rn-denominators", "rn-bases", "rn-fiscal", "rn-vintages", "rn-growth", "rn-cainiao")


def _text() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_the_page_keeps_every_label_other_pages_link_to():
    text = _text()
    for label in LABELS:
        assert f"({label})=" in text, label
    # in the order the stub set out, each label right above its section heading
    assert [text.index(f"({x})=") for x in LABELS] == sorted(text.index(f"({x})=") for x in LABELS)
    for label in LABELS:
        after = text[text.index(f"({label})=") :].splitlines()[1]
        assert after.startswith("#"), label


def test_exhibits_are_lettered_r_and_all_teach_measurement():
    text = _text()
    calls = re.findall(r"^ex\.(table|figure|whatif|claims)\(", text, flags=re.M)
    assert len(calls) >= 8
    assert 'Exhibits(chapter=rn.LETTER)' in text and rn.LETTER == "R"
    lessons = re.findall(r'lesson="(\w+)"', text)
    # ex.claims defaults to measurement; every other call names it
    assert len(lessons) == len(calls) - calls.count("claims") and set(lessons) == {"measurement"}
    # the exhibit numbers the prose quotes exist
    quoted = {int(n) for n in re.findall(r"Exhibit R\.(\d+)", text)}
    assert quoted <= set(range(1, len(calls) + 1))


def test_the_page_has_a_do_it_yourself_cell_and_a_teaching_what_if():
    text = _text()
    assert "### Do it yourself" in text
    diy = text[text.index("### Do it yourself") :]
    assert "```{code-cell} ipython3\nimport pandas as pd" in diy  # shown, not hidden
    w = rn.cagr_explorer()
    outcomes = w.outcomes()
    assert len(outcomes) >= 2
    assert set(outcomes) == {
        "a like-for-like growth rate",
        "not comparable: mixed bases or miscounted periods",
        "no rate: the basis has no figure for that year",
    }
    # the explorer opens on the published (inconsistent) choice
    assert w.conclusion(w.compute(**w.defaults), w.defaults) == "not comparable: mixed bases or miscounted periods"


def test_denominators_give_two_shares_for_one_year():
    d = rn.denominators(2024).set_index("denominator")["share_pct"]
    assert d.iloc[0] == pytest.approx(100 * 102_598 / 941_168)
    assert d.iloc[1] == pytest.approx(100 * 102_598 / seg.value("segment_total", 2024))
    assert d.iloc[0] > d.iloc[1]  # the net total is smaller, so the share on it is larger


def test_the_cainiao_seam_is_large_and_the_international_one_small():
    assert rn.seam("cainiao", "cainiao", 2022) > 40
    assert abs(rn.seam("aidc_total", "intl_total", 2022)) < 5


def test_growth_over_the_right_number_of_periods():
    g = rn.growth_periods(100.0, 121.0, 2)
    assert g["right"] == pytest.approx(10.0)
    assert g["one_too_many"] < g["right"]


def test_the_worked_case_reproduces_the_published_rate_only_with_mixed_bases():
    paper = claims.claim("cainiao_cagr")["paper_value"]
    assert rn.is_paper_cagr(rn.cainiao_cagr(2020, 2024, "mixed", "paper"))
    assert not rn.is_paper_cagr(rn.cainiao_cagr(2020, 2024, "mixed", "span"))
    v = rn.cainiao_cagr_variants()
    assert v.iloc[0]["cagr_pct"] == pytest.approx(paper, abs=0.05)
    assert not v[v["consistent_basis"]]["cagr_pct"].sub(paper).abs().lt(1).any()


def test_vintages_shown_were_public_by_the_decision_date():
    from dualwheel import data

    t = data.load("cbec_customs")
    rows = t[(t["period"] == "2022") & (t["series"] == "full") & t["vintage"].isin(["first", "revised"])]
    assert len(rows) == 2 and (rows["released"] <= "2024-06").all()
    assert "2024-07" not in _text() and "2025" not in _text()


def test_data_pages_point_here_instead_of_teaching_fiscal_years_again():
    book = PAGE.parent
    for name in ("working-with-data.md", "data-sources.md"):
        text = (book / name).read_text(encoding="utf-8")
        assert "{ref}`rn-fiscal`" in text, name
        assert "April 2023 to March 2024" not in text, name


# ---------------------------------------------------------------- self-checks (exercises/reading-numbers.yml)

SHOW = re.compile(r"""selfcheck\.show\(\s*rn\.LETTER\s*,\s*["']([\w-]+)["']\s*\)""")


def _student_part() -> str:
    from dualwheel.publish.sphinxext import _before_instructors

    before = _before_instructors(_text())
    assert before is not None, "the page has no (rn-instructors)= label"
    return before


def _shown_cells(text: str) -> list[tuple[str, str]]:
    """(tags line, source) of each code cell, in page order."""
    return re.findall(r"```\{code-cell\} ipython3\n(:tags: \[[^\]]*\]\n)?(.*?)```", text, flags=re.S)


def _bank():
    from dualwheel.grading.questions import bank_for

    return bank_for(rn.LETTER)


def test_self_checks_are_shown_in_page_order_and_numbered_r():
    from dualwheel.page import selfcheck

    bank = _bank()
    shown = []
    for tags, source in _shown_cells(_student_part()):
        found = SHOW.findall(source)
        if found:
            assert "remove-cell" not in tags and "remove-output" not in tags, found  # it must render
            shown += found
    ids = [q.id for q in bank.uses("self_check")]
    assert shown == ids and 4 <= len(ids) <= 6  # the bank's order is the page's: it sets the numbers
    numbers = [selfcheck._number(bank, q) for q in bank.uses("self_check")]
    assert numbers == [f"R.{i}" for i in range(1, len(ids) + 1)]
    first = selfcheck.question_markdown(bank.questions[0], "R.1")
    assert first.startswith("**Self-check R.1.**")
    assert 'Self-check R.1</div>' in selfcheck.question_html(bank.questions[0], "R.1")
    # one per habit, in the habits' order, then the forensic after the worked case
    labels = ["rn-denominators", "rn-bases", "rn-fiscal", "rn-vintages", "rn-growth", "rn-cainiao"]
    text = _student_part()
    at = [text.index(f'"{qid}"') for qid in ids]
    assert [text.index(f"({lab})=") < a for lab, a in zip(labels, at, strict=True)] == [True] * len(ids)
    assert all(text.index(f"({nxt})=") > a for nxt, a in zip(labels[1:], at, strict=False))
    # the PDF answer key closes the student part; nothing of the bank is graded
    assert "selfcheck.answer_key(rn.LETTER)" in text
    assert text.index("selfcheck.answer_key(rn.LETTER)") > max(at)
    assert not bank.graded_questions and all(q.lesson == "measurement" for q in bank.questions)


def test_the_self_checks_meet_the_bar_of_graded_items():
    """tests/unit/test_bank_quality.py runs the graded items' checks on this bank (as if graded);
    here, what a self-check needs beyond them: an explanation, a hint per wrong option."""
    bank = _bank()
    choices = [q for q in bank.questions if q.type == "choice"]
    assert len(choices) >= 3 and len({q.answer for q in choices}) == len(choices)  # keys on different letters
    for q in bank.questions:
        assert q.explanation and q.feedback.get("wrong"), q.id
        if q.type == "choice":
            # a hint for each wrong option, and the key at most 1.2 x the others' mean length
            assert set(q.feedback) - {"wrong"} == set(q.options) - {q.answer}, q.id
            others = [len(v) for k, v in q.options.items() if k != q.answer]
            assert len(q.options[q.answer]) <= 1.2 * sum(others) / len(others), q.id


def _nums(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)}


def _quoted(qid: str) -> set[float]:
    q = _bank().get(qid)
    return _nums(" ".join([q.prompt, q.explanation, *q.options.values(), *q.feedback.values()]))


def test_the_denominator_self_check_quotes_the_segment_table():
    q = _bank().get("rn-sc-denominator")
    cn = seg.value("cainiao", 2023)
    con, tot = seg.value("consolidated", 2023), seg.value("segment_total", 2023)
    outside = seg.history("cainiao", "old")[2023]
    assert round(100 * cn / con, 1) == 8.9 and round(100 * cn / tot, 1) == 8.3
    assert round(100 * outside / con, 1) == 6.4
    assert {8.9, 8.3, 6.4, cn, con, tot, outside} <= _quoted(q.id)
    # no other option reproduces either figure: the prospectus scope rounds to 9.0, not 8.9
    assert round(100 * seg.history("cainiao", "prospectus")[2023] / con, 1) != 8.9


def test_the_seam_self_check_is_keyed_on_one_basis():
    from dualwheel.finance import growth, to_yi

    q = _bank().get("rn-sc-seam")
    old = seg.history("intl_total", "old")
    right = 100 * growth(old[2021], old[2023])
    mixed = 100 * growth(old[2021], seg.value("aidc_total", 2023))
    assert q.answer == pytest.approx(right) and abs(mixed - right) > 2 * q.tolerance
    quoted = _quoted(q.id)
    ends = (old[2021], old[2023], seg.value("aidc_total", 2023))
    assert {round(to_yi(v), 1) for v in ends} <= quoted
    assert {round(right, 1), round(mixed, 1), round(mixed - right, 1)} <= quoted


def test_the_fiscal_self_check_counts_months_from_the_rival_table():
    import datetime as dt

    from dualwheel import data

    q = _bank().get("rn-sc-fiscal")
    rr = data.load("rival_revenue").set_index(["company", "period"])
    start, end = (dt.date.fromisoformat(rr.loc[("AIDC", "FY2023"), k]) for k in ("period_start", "period_end"))
    in_year = [(start.month + m - 1) // 12 + start.year for m in range(12)]  # the calendar year of each month
    months = {y: in_year.count(y) for y in (2021, 2022, 2023)}
    assert months == {2021: 0, 2022: 9, 2023: 3} and end == dt.date(2023, 3, 31)
    assert q.options[q.answer].startswith("Calendar 2022") and "nine" in q.options[q.answer]
    pdd = rr.loc[("PDD", "2023"), "revenue_rmb_m"] / rr.loc[("PDD", "2022"), "revenue_rmb_m"]
    assert 1.8 < pdd < 2.0  # "nearly doubled"


def test_the_vintage_self_check_works_backwards_to_the_revised_level():
    from dualwheel import data

    q = _bank().get("rn-sc-vintage")
    t = data.load("cbec_customs")
    full = t[t["series"] == "full"].set_index(["period", "vintage"])
    first23, first22 = full.loc[("2023", "first")], full.loc[("2022", "first")]
    rev22 = full.loc[("2022", "revised")]
    base = first23["value_trn_yuan"] / (1 + first23["growth_pct"] / 100)
    survey = rev22["exports_trn_yuan"] + rev22["imports_trn_yuan"]
    assert base == pytest.approx(survey, abs=0.01) and abs(base - first22["value_trn_yuan"]) > 0.04
    naive = 100 * (first23["value_trn_yuan"] / first22["value_trn_yuan"] - 1)
    assert {first23["value_trn_yuan"], first23["growth_pct"], first22["value_trn_yuan"], round(naive, 1),
            round(base, 2), rev22["exports_trn_yuan"], round(rev22["imports_trn_yuan"], 2),
            first22["exports_trn_yuan"], first22["imports_trn_yuan"]} <= _quoted(q.id)
    # every vintage the question uses was public by the decision date
    used = t[t["period"].isin(["2022", "2023"]) & (t["series"] == "full")]
    assert (used["released"] <= "2024-06").all()


def test_the_periods_self_check_compounds_customs_goods_trade():
    from dualwheel.finance import cagr, growth

    q = _bank().get("rn-sc-periods")
    a, b = rn.goods_trade(2019), rn.goods_trade(2023)
    assert q.answer == pytest.approx(100 * cagr(a, b, 4))
    assert {a, b, round(100 * cagr(a, b, 4), 1), round(100 * cagr(a, b, 5), 1), round(100 * growth(a, b), 1),
            round(100 * growth(a, b) / 4, 1)} <= _quoted(q.id)
    with pytest.raises(KeyError):
        rn.goods_trade(1990)


def test_the_forensic_self_check_reproduces_the_slide_only_with_its_key():
    from decimal import ROUND_HALF_UP, Decimal

    from dualwheel.finance import cagr, to_yi

    q = _bank().get("rn-sc-forensic")
    old, end = seg.history("intl_total", "old"), seg.value("aidc_total", 2024)
    rates = {
        "a": cagr(old[2019], end, 5),
        "b": cagr(old[2020], end, 4),
        "c": cagr(old[2019], end, 4),
        "d": cagr(old[2019], old[2023], 4),
    }
    slide = round(100 * rates["c"], 1)
    assert q.answer == "c" and [k for k, r in rates.items() if round(100 * r, 1) == slide] == ["c"]
    quoted = _quoted(q.id)
    assert {slide, *(round(100 * r, 1) for r in rates.values())} <= quoted
    # the page rounds half up, as a reader would: 27,725 million is 277.25 亿元, printed 277.3
    half_up = {float(Decimal(str(to_yi(v))).quantize(Decimal("0.1"), ROUND_HALF_UP)) for v in (old[2019], old[2020], old[2023], end)}
    assert 277.3 in half_up and half_up <= quoted


def test_a_page_bank_holds_self_checks_only_and_stays_out_of_the_chapters_banks(tmp_path):
    from dualwheel.grading import questions

    assert [b.chapter for b in questions.page_banks()] == ["R"]
    assert all(isinstance(b.chapter, int) for b in questions.all_banks())  # releases, grading, kits
    with pytest.raises(KeyError):
        questions.bank_for("Z")
    graded = tmp_path / "reading-numbers.yml"
    graded.write_text(
        "chapter: R\ntitle: t\nquestions:\n  - {id: rn-q1-x, type: numeric, points: 1, prompt: p,"
        " lesson: measurement, answer: {value: 1}, feedback: {wrong: w}}\n",
        encoding="utf-8",
    )
    with pytest.raises(questions.BankError, match="self-checks only"):
        questions.load_bank(graded)
    misnamed = tmp_path / "rn.yml"
    misnamed.write_text(graded.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(questions.BankError, match="reading-numbers.yml"):
        questions.load_bank(misnamed)


# ---------------------------------------------------------------- the teaching note

NOTE_PARTS = (
    "Teaching note: reading the numbers",
    "When to use the page",
    "Opening question (cold call)",
    "Misconceptions students bring",
    "Suggested answers to the self-checks' harder points",
    "Timing plan with pivot questions",
    "Close: the bridge to Chapter 1",
)


def test_the_teaching_note_runs_a_short_class_and_bridges_to_chapter_1():
    text = _text()
    note = text.split("(rn-instructors)=", 1)[1]
    assert note.lstrip().startswith("## For instructors")
    assert ":class: note instructor-only" in note
    for part in NOTE_PARTS:
        assert part in note, part
    assert "before Chapter 1" in note and "20-minute" in note
    # the plan: rows of minutes led by a question, within 20-30 minutes
    rows = re.findall(r"^\| (\d+)–(\d+) \| [^|]+ \| ([^|]+) \|$", note, flags=re.M)
    assert len(rows) >= 5 and rows[0][0] == "0" and 20 <= int(rows[-1][1]) <= 30
    assert all("?" in pivot for _, _, pivot in rows)
    # a harder point for the self-checks that need one, named by number
    for n in ("R.1", "R.2", "R.3", "R.4", "R.6"):
        assert f"*{n} (" in note, n
    for term in ("口径", "财年", "初值", "交易规模"):
        assert term in note, term


def test_the_student_edition_cuts_the_teaching_note():
    import json

    import jupytext

    from dualwheel.publish.sphinxext import _student_notebook

    before = _student_part()
    for part in (*NOTE_PARTS, "For instructors", "Suggested answers"):
        assert part not in before, part
    nb = jupytext.reads(_text(), fmt="md:myst")
    cut = json.loads(_student_notebook(json.dumps(nb)))
    flat = json.dumps(cut, ensure_ascii=False)
    assert all(part.replace("'", "\\'") not in flat and part not in flat for part in NOTE_PARTS)
    assert "rn_tn_" not in flat  # the note's own numbers go with it
    assert "selfcheck.answer_key(rn.LETTER)" in flat  # the student part stays
    assert 'selfcheck.show(rn.LETTER, \\"rn-sc-forensic\\")' in flat
