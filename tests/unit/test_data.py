"""The loader refuses broken tables with one clear error naming the file, the row and the rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dualwheel import data

ROOT = Path(__file__).resolve().parents[2]



def _edit(path: Path, fn: Callable[[list[str]], list[str]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(fn(lines)) + "\n", encoding="utf-8")


def _replace_line(path: Path, line_no: int, old: str, new: str) -> None:
    def fn(lines: list[str]) -> list[str]:
        assert old in lines[line_no - 1], f"fixture drift: {old!r} not on line {line_no}"
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        return lines

    _edit(path, fn)


def test_the_real_tables_pass_every_rule():
    data.clear_cache()
    # the shared tables; chapters add their own (data/meta/chNN.yml), and every one must validate
    assert set(data.validate_all()) >= {
        "segment_revenue",
        "segment_history",
        "business_system",
        "macro_cross_border",
        "company_facts",
        "paper_claims",
    }
    assert set(data.validate_all()) == set(data.table_names())


def test_every_row_names_a_defined_source():
    known = set(data.sources())
    for name in data.table_names():
        frame = data.load(name)
        assert "source" in frame.columns, f"{name} has no source column"
        assert set(frame["source"]) <= known


def test_every_table_and_column_is_described_in_metadata():
    for name in data.table_names():
        meta = data.table_meta(name)
        assert meta.unit and meta.basis and meta.confidence and meta.fiscal_year_convention, name
        frame = data.load(name)
        assert list(frame.columns) == list(meta.columns)


def _segment_line(folder: Path, line_id: str, year: int) -> int:
    lines = (folder / "segment_revenue.csv").read_text(encoding="utf-8").splitlines()
    return next(
        i + 1 for i, line in enumerate(lines) if line.startswith(f"{line_id},") and f",{year}," in line
    )


@pytest.mark.parametrize(
    ("line_id", "year", "rule"),
    [
        ("cloud", 2023, "segments-sum-to-segment-total"),
        ("aidc_retail", 2024, "parts-sum-to-group-total"),
        ("taotian_wholesale", 2022, "parts-sum-to-group-total"),
        ("unallocated", 2024, "segment-total-plus-adjustments-equals-consolidated"),
        ("taotian_customer_mgmt", 2023, "parts-sum-to-group-total"),
    ],
)
def test_an_identity_broken_by_one_yuan_names_file_row_and_rule(data_copy, line_id, year, rule):
    path = data_copy / "segment_revenue.csv"
    n = _segment_line(data_copy, line_id, year)
    value = path.read_text(encoding="utf-8").splitlines()[n - 1].split(",")[6]
    _replace_line(path, n, f",{year},{value},", f",{year},{int(value) + 1},")
    with pytest.raises(data.DataError) as err:
        data.load("segment_revenue")
    e = err.value
    assert e.file == "segment_revenue.csv" and e.rule == rule
    assert f"FY{year}" in str(e) and "segment_revenue.csv, line" in str(e)
    assert e.row is not None and e.row > 1


@pytest.mark.parametrize(
    ("table", "line", "old", "new", "rule"),
    [
        ("segment_history.csv", 2, "19558", "19558x", "value_rmb_m:type"),
        ("segment_history.csv", 3, ",old,", ",restated?,", "basis:allowed"),
        ("segment_history.csv", 4, ",high,", ",,", "confidence:required"),
        ("segment_history.csv", 5, ",2019,", ",2031,", "fiscal_year:max"),
        ("macro_cross_border.csv", 2, ",2.63,", ",nan,", "value:type"),
        ("business_system.csv", 3, ",paper_table1", ",a_made_up_source", "source:source"),
        ("paper_claims.csv", 2, ",holds,", ",probably,", "verdict:allowed"),
        ("segment_revenue.csv", 3, ",2023,", ",2022,", "unique-key"),
    ],
)
def test_a_corrupted_cell_names_file_row_and_rule(data_copy, table, line, old, new, rule):
    _replace_line(data_copy / table, line, old, new)
    name = table.removesuffix(".csv")
    with pytest.raises(data.DataError) as err:
        data.load(name)
    assert err.value.file == table
    assert err.value.rule == rule
    assert err.value.row == line
    assert f"{table}, line {line}" in str(err.value)


def test_a_missing_column_is_reported(data_copy):
    _edit(
        data_copy / "company_facts.csv",
        lambda ls: [",".join(x.split(",")[:3] + x.split(",")[4:]) for x in ls],
    )
    with pytest.raises(data.DataError, match=r"company_facts.csv, line 1: missing column\(s\) source"):
        data.load("company_facts")


def test_an_unreadable_file_is_reported(data_copy):
    (data_copy / "macro_cross_border.csv").write_bytes(b"\xff\xfe\x00garbage\x00\xff")
    with pytest.raises(data.DataError) as err:
        data.load("macro_cross_border")
    assert err.value.file == "macro_cross_border.csv"
    assert err.value.rule in {"utf-8", "csv-syntax", "columns"}


def test_an_empty_or_missing_file_is_reported(data_copy):
    (data_copy / "company_facts.csv").write_text("", encoding="utf-8")
    with pytest.raises(data.DataError, match="company_facts.csv"):
        data.load("company_facts")
    (data_copy / "company_facts.csv").unlink()
    data.clear_cache()
    with pytest.raises(data.DataError, match="does not exist"):
        data.load("company_facts")


def test_broken_metadata_is_reported(data_copy):
    (data_copy / "metadata.yml").write_text("tables: [unclosed\n", encoding="utf-8")
    with pytest.raises(data.DataError, match="metadata.yml: not valid YAML"):
        data.load("segment_revenue")


def test_an_unknown_table_lists_the_known_ones():
    with pytest.raises(KeyError, match="known tables: business_system"):
        data.load("no_such_table")


def test_source_line_reads_documents_in_order():
    text = data.source_line("paper_table2", "sec_20f_fy2019", "paper_table2")
    assert text.index("Table 2") < text.index("20-F for FY2019")
    assert text.count("Table 2") == 1
    with pytest.raises(KeyError, match="define it under 'sources'"):
        data.source_line("nope")


def test_a_row_is_found_by_the_tables_key_and_a_missing_one_named():
    from dualwheel import data

    assert data.row("rules", "us_dm_china_end")["date"] == "2025-05-02"
    with pytest.raises(KeyError, match="data/rules.csv has no rule 'nope'"):
        data.row("rules", "nope", "rule")
