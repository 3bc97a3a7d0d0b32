"""The knowledge cut-off: one decision date, dated sources, exhibits that record what they cite,
and a scan for later dates that catches what it should.

The tests of the built student edition (which sources each page cites, the dates its rendered
text shows) are in ``tests/book/test_hindsight.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dualwheel import cutoff, data
from dualwheel.page import exhibits as exhibits_mod

ROOT = Path(__file__).resolve().parents[2]
DECISION = dt.date(2024, 6, 30)



def _add_sources(folder: Path, sources: dict[str, dict]) -> None:
    path = folder / "meta" / "zz_test.yml"
    path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    data.clear_cache()


def _doc(**fields: object) -> dict:
    return {"document": "A dated test document", "url": "https://example.org/doc", "confidence": "high", **fields}


# ---- one decision date


def test_the_decision_date_is_30_june_2024_and_typed_in_one_place():
    assert cutoff.decision_date() == DECISION
    meta = yaml.safe_load((ROOT / "data" / "metadata.yml").read_text(encoding="utf-8"))
    assert meta["decision_date"] == DECISION
    for path in sorted((ROOT / "data" / "meta").glob("*.yml")):
        assert "decision_date" not in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}), path.name
    typed = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "dualwheel").rglob("*.py")
        if "2024-06-30" in p.read_text(encoding="utf-8") or "date(2024, 6, 30)" in p.read_text(encoding="utf-8")
    ]
    assert typed == [], f"the decision date is typed in code; read cutoff.decision_date() instead: {typed}"


def test_a_missing_or_partial_decision_date_is_refused(data_copy):
    path = data_copy / "metadata.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("decision_date: 2024-06-30", "decision_date: 2024-06"), encoding="utf-8")
    data.clear_cache()
    with pytest.raises(data.DataError, match="must name a day"):
        cutoff.decision_date()
    path.write_text(text.replace("decision_date: 2024-06-30\n", ""), encoding="utf-8")
    data.clear_cache()
    with pytest.raises(data.DataError, match="decision_date"):
        cutoff.decision_date()


# ---- partial dates


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (2024, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-06", dt.date(2024, 6, 1), dt.date(2024, 6, 30)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("2024-07-01", dt.date(2024, 7, 1), dt.date(2024, 7, 1)),
        (dt.date(2024, 5, 23), dt.date(2024, 5, 23), dt.date(2024, 5, 23)),
    ],
)
def test_a_partial_date_spans_its_year_or_month(raw, first, last):
    when = cutoff.parse_date(raw)
    assert (when.first, when.last) == (first, last)


@pytest.mark.parametrize("raw", ["30 June 2024", "2024-13", "2024-02-30", "24-06-30", "", "2024/06/30", True, "1899"])
def test_a_badly_written_date_is_refused(raw):
    with pytest.raises(ValueError):
        cutoff.parse_date(raw)


def test_a_partial_date_counts_as_its_last_day_unless_fact_public_says_otherwise(data_copy):
    _add_sources(
        data_copy,
        {
            "t_day_before": _doc(published="2024-06-30"),
            "t_day_after": _doc(published="2024-07-01"),
            "t_june": _doc(published="2024-06"),
            "t_july": _doc(published="2024-07"),
            "t_year": _doc(published=2024),
            "t_year_fact": _doc(published=2025, fact_public="2023-11"),
            "t_fact_late": _doc(published="2025-03-01", fact_public="2024-08-01"),
            "t_undated": _doc(),
        },
    )
    late = {sid for sid in data.sources() if sid.startswith("t_") and cutoff.after_cutoff(sid)}
    assert late == {"t_day_after", "t_july", "t_year", "t_fact_late", "t_undated"}
    assert cutoff.source_public_date("t_year") == dt.date(2024, 12, 31)
    assert cutoff.source_public_date("t_year_fact") == dt.date(2023, 11, 30)
    assert cutoff.source_public_date("t_undated") is None
    assert cutoff.late_sources(["t_june", "t_july", "t_july"]) == ["t_july"]
    assert cutoff.after_cutoff("none") is False  # the marker that nothing was checked is no document
    with pytest.raises(KeyError, match="t_nowhere"):
        cutoff.after_cutoff("t_nowhere")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published": "June 2024"}, "published: 'June 2024' is not a date"),
        ({"published": "2024-06-31"}, "that day does not exist"),
        ({"published": "2024-03", "fact_public": "2024-13"}, "fact_public: '2024-13': there is no month 13"),
        ({"published": "2023-01-05", "fact_public": "2024-02"}, "fact_public 2024-02 is after published 2023-01-05"),
    ],
)
def test_a_bad_date_names_the_file_and_the_source(data_copy, fields, message):
    _add_sources(data_copy, {"t_bad": _doc(**fields)})
    with pytest.raises(data.DataError) as err:
        data.validate_sources()
    assert err.value.file == "meta/zz_test.yml"
    assert "'t_bad'" in str(err.value) and message in str(err.value)


def test_every_source_has_a_valid_published_date():
    """Strict on purpose: every source a page can cite says when its document became public
    (only the marker ``none`` is exempt). Fails until every chapter's sources are dated."""
    data.validate_sources()  # the format of every date present
    undated = cutoff.undated_sources()
    by_file: dict[str, list[str]] = {}
    for sid in undated:
        by_file.setdefault(data.source_file(sid), []).append(sid)
    listing = "; ".join(f"{f}: {len(ids)} ({', '.join(ids[:6])}{', ...' if len(ids) > 6 else ''})" for f, ids in sorted(by_file.items()))
    assert undated == [], f"{len(undated)} sources have no 'published' date: {listing}"


def test_the_decision_openers_rows_were_all_public_by_the_decision_date():
    """The opener's table carries, per row, the day the fact became public (its ``public``
    column): every one is on or before the decision date, and so is every source it cites."""
    rows = data.load("decision")
    late = [
        f"{r.fact_id} ({r.public})"
        for r in rows.itertuples()
        if cutoff.parse_date(r.public).last > cutoff.decision_date()
    ]
    assert late == []
    assert cutoff.late_sources(set(rows["source"])) == []


# ---- exhibits record the sources they cite


@pytest.fixture()
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict | None]]:
    """What the exhibits display as Markdown, with the metadata of each output."""
    out: list[tuple[str, dict | None]] = []
    monkeypatch.setattr(exhibits_mod, "display_markdown", lambda text, metadata=None: out.append((text, metadata)))
    monkeypatch.setattr(exhibits_mod, "display", lambda *a, **k: None)
    return out


def _recorded(shown) -> list[dict]:
    return [m[exhibits_mod.SOURCES_KEY] for _, m in shown if m and exhibits_mod.SOURCES_KEY in m]


def test_every_kind_of_exhibit_records_its_caption_and_source_ids(shown):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ex = exhibits_mod.Exhibits(chapter=9)
    ex.table(pd.DataFrame({"a": ["1"]}), "A table", sources=["sec_20f_fy2019", "sec_20f_fy2022", "sec_20f_fy2019"])
    fig, ax = plt.subplots()
    ax.bar(["x"], [1])
    ax.set_title("A chart")
    ex.figure(fig, "A chart", sources=["paper_table2"])
    ex.claims(["aidc_share_fy2024"], "A claim")
    recorded = _recorded(shown)
    assert [r["exhibit"] for r in recorded] == ["Exhibit 9.1 A table", "Exhibit 9.2 A chart", "Exhibit 9.3 A claim"]
    assert recorded[0]["ids"] == ["sec_20f_fy2019", "sec_20f_fy2022"]
    assert recorded[1]["ids"] == ["paper_table2"]
    claim = data.load("paper_claims").set_index("claim_id").loc["aidc_share_fy2024"]
    assert set(recorded[2]["ids"]) == {claim["source"], claim["check_source"]} - {"none"}
    # the record sits on the output that prints the source line, so the two cannot drift apart
    for text, meta in shown:
        if meta:
            assert "*Source:*" in text


def test_a_whatif_exhibit_records_its_sources(shown):
    from dualwheel.page.whatif import Param, WhatIf

    def model(x: float) -> float:
        return x

    def chart(result: float, values: dict) -> object:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        ax.bar(["x"], [result])
        return fig

    what = WhatIf(
        "A what-if",
        [Param(name="x", label="x", min=0, max=1, step=1, default=0)],
        model,
        chart,
        lambda result, values: {"x": f"{result}"},
    )
    object.__setattr__(what, "show", lambda *a, **k: None)  # the sliders are tested in test_whatif.py
    exhibits_mod.Exhibits(chapter=9).whatif(what, sources=["results_fy2023"])
    assert _recorded(shown) == [{"exhibit": "Exhibit 9.1 A what-if", "ids": ["results_fy2023"], "lesson": None}]


# ---- the scan for later dates


def _late(text: str) -> list[str]:
    return [d.text for d in cutoff.later_dates(text, DECISION)]


@pytest.mark.parametrize(
    "text",
    [
        "In July 2024 AliExpress",
        "on 15 December 2024,",
        "by Aug. 2024",
        "January 2025",
        "in 2025 the rules",
        "a 2026 result",
        "FY2025 revenue",
        "FY 2026",
        "FY25",
        "fiscal 2025",
        "fiscal-year-2025",
        "fiscal year 2026",
        "2025财年",
        "H2 2024",
        "2H 2024",
        "the second half of 2024",
        "Q3 2024",
        "3Q24",
        "2024Q4",
        "the third quarter of 2024",
        "the September quarter 2024",
        "Q1 2025",
        "2024年7月",
        "2025年",
        "2024年下半年",
        "2024-07-15",
        "late 2024",
    ],
)
def test_the_scan_catches_a_planted_later_date(text):
    assert _late(f"Some text, then {text} and more.") != [], f"missed {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        "30 June 2024",
        "June 2024",
        "May 14, 2024",
        "FY2024",
        "fiscal 2024",
        "H1 2024",
        "Q2 2024",
        "the March quarter 2024",
        "2024",
        "2023年",
        "2024-06-30",
        "RMB 2,025 million",
        "2025.5 million",
        "a price of 12025",
        "US$20.26 billion",
        "Regulation (EU) 2022/2065",
    ],
)
def test_the_scan_leaves_dates_up_to_the_cut_off_alone(text):
    assert _late(f"Some text, then {text} and more.") == []


def test_the_scan_reports_each_mention_once_in_reading_order():
    found = cutoff.later_dates("FY2025 and then July 2024, then 2026.", DECISION)
    assert [(d.text, d.kind) for d in found] == [("FY2025", "fy"), ("July 2024", "month"), ("2026", "year")]
