"""The competitor table (data/competitors.csv) and dualwheel.rivals: values read from the CSV,
gaps kept blank, every source dated by the decision date, a table that shows but never ranks,
and a chart whose labels do not overlap."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from dualwheel import cutoff, data, rivals, style

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "data" / "competitors.csv"


def _raw() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_firm_the_brief_names_has_a_row():
    firms = {r["firm"] for r in _raw()}
    assert firms == set(rivals.FIRMS)
    # each of the six attributes for the main rivals (a gap is a row too)
    for firm in ("choice", "temu", "shein", "tiktok_shop", "amazon", "shopee", "lazada", "trendyol"):
        attrs = {r["attribute"] for r in _raw() if r["firm"] == firm}
        assert attrs == set(rivals.ATTRIBUTES), firm


def test_figures_are_read_from_the_csv():
    raw = {(r["firm"], r["attribute"]): r for r in _raw()}
    for (firm, attr), r in raw.items():
        got = rivals.figure(firm, attr)
        if r["value"] == "":
            assert got is None
        else:
            assert got == pytest.approx(float(r["value"]))
    # spot values against the documents (PDD release of 22 May 2024; Amazon 10-K 2023, 10-Q Q1 2024)
    assert rivals.figure("temu", "scale") == pytest.approx(86812.1)
    assert rivals.figure("amazon", "scale") == pytest.approx(131200)
    # the latest result before the cut-off: International's first quarter of 2024, a profit
    assert rivals.figure("amazon", "profit") == pytest.approx(903)
    assert rivals.result_class("amazon") == "profit"


def test_amazon_marketing_intensity_is_the_ratio_of_the_two_10k_lines():
    assert rivals.figure("amazon", "marketing_intensity") == pytest.approx(100 * 44370 / 574785, abs=0.01)


def test_gaps_stay_blank_and_say_not_found():
    t = rivals.competitors()
    gaps = t[t["basis"] == "gap"]
    assert len(gaps) >= 10
    assert gaps["value"].isna().all()
    assert (gaps["source"] == "rv_gap").all()
    assert gaps["note"].str.contains("not found|not checked|not applicable").all()
    table = rivals.rival_table().set_index("Firm")
    # a firm whose every row is a gap is left off the table and named in its note
    assert rivals.unread_firms() == ["hepsiburada"] and "Hepsiburada" not in table.index
    assert rivals.unread_note() == "Hepsiburada is left off: its figures were not read."
    assert table.loc["Lazada (AIDC)", "Profit or loss"] == rivals.GAP_TEXT


def test_a_gap_with_a_value_is_refused(tmp_path, monkeypatch):
    rows = _raw()
    for r in rows:
        if r["basis"] == "gap":
            r["value"] = "1"
            break
    bad = pd.DataFrame(rows).replace("", None)
    bad["value"] = pd.to_numeric(bad["value"])
    monkeypatch.setattr(rivals.data, "load", lambda name: bad)
    with pytest.raises(ValueError, match="gap must stay blank"):
        rivals.competitors()


def test_every_source_is_dated_on_or_before_the_decision_date():
    ids = rivals.rival_sources()
    assert ids
    for sid in ids:
        assert not cutoff.after_cutoff(sid), sid
        assert cutoff.source_public_date(sid) is not None, sid


def test_estimates_are_labelled_in_the_student_table():
    table = rivals.rival_table().set_index("Firm")
    assert "[est.]" in table.loc["SHEIN (希音)", "Scale"]
    assert "[est.]" in table.loc["Lazada (AIDC)", "Scale"]
    assert "[derived]" in table.loc["Amazon", "Marketing intensity"]
    # the figure keeps its period and basis in the cell: quarter, fiscal year or calendar year
    assert "FY2024" in table.loc["AliExpress Choice (AIDC)", "Scale"]
    assert "Jan-Mar 2024" in table.loc["Temu (PDD Holdings)", "Scale"]


def test_student_table_is_text_one_row_per_firm():
    table = rivals.rival_table()
    assert list(table["Firm"]) == [n for f, n in rivals.FIRMS.items() if f not in rivals.unread_firms()]
    assert list(table.columns) == ["Firm", *rivals.ATTRIBUTES.values()]
    assert all(isinstance(v, str) for v in table.drop(columns="Firm").to_numpy().ravel())
    assert table.set_index("Firm").loc["Temu (PDD Holdings)", "Model"].startswith("Fully managed")
    # the class is never printed twice ("Fully managed: Fully managed ...")
    for cell in table["Model"]:
        head, _, rest = cell.partition(": ")
        assert not rest.lower().replace("-", " ").startswith(head.lower().replace("-", " ")), cell
    # negative figures carry the minus sign (U+2212), and no cell prints a dollar sign
    assert "RMB \u2212" in table.set_index("Firm").loc["AliExpress Choice (AIDC)", "Profit or loss"]
    assert not any("-8,035" in v or "$" in v for v in table.drop(columns="Firm").to_numpy().ravel())


def test_model_map_places_each_firm_once_and_labels_do_not_overlap():
    style.apply()
    cells = rivals.model_map_cells()
    placed = [n for names in cells.values() for n in names]
    assert len(placed) == len(set(placed))
    assert "Hepsiburada" not in placed  # its model is a gap
    assert "AliExpress Choice (AIDC)" in cells[("fully_managed", "loss")]
    assert "Temu (PDD Holdings)" in cells[("fully_managed", "profit")]
    fig = rivals.model_map(place_rivals=True)
    assert not rivals.labels_overlap(fig)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(texts) == sorted(placed)
    # the student page places AIDC's businesses only: sorting the rivals is the reader's task
    # (decision DQ4), and only AIDC's own labels are shaded
    fig = rivals.model_map()
    shown = [t for t in fig.axes[0].texts]
    assert sorted(t.get_text() for t in shown) == sorted(n for n in placed if "(AIDC)" in n)
    assert all(t.get_bbox_patch() is not None for t in shown)
    assert len(fig.axes[0].get_xticklabels()) == len(rivals.MODELS)  # every column, even empty


def test_result_class_reads_the_sign_of_the_latest_figure():
    assert rivals.result_class("choice") == "loss"  # AIDC adjusted EBITA FY2024 is negative
    assert rivals.result_class("temu") == "profit"
    assert rivals.result_class("trendyol") == "profit"  # first operating profit, no amount
    assert rivals.result_class("lazada") == "not_disclosed"


def test_table_metadata_is_present():
    meta = data.table_meta("competitors")
    assert meta.key == ["firm", "attribute"] or list(meta.key) == ["firm", "attribute"]
