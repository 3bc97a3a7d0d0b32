"""Alt text read from a chart's own artists (dualwheel.page.alttext)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Patch

from dualwheel.page.alttext import describe, number


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _drawn(fig):
    fig.canvas.draw()  # tick labels of automatic formatters exist only once drawn
    return describe(fig)


def test_a_bar_chart_names_each_category_and_its_value():
    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [42.8, 11.23, 9.74])
    ax.set_xticks([0, 1, 2], ["Taotian", "Cloud", "AIDC"])
    ax.set_ylabel("% of segment revenue")
    ax.set_title("Revenue structure")
    alt = _drawn(fig)
    assert alt.startswith("Bar chart: Revenue structure.")
    assert "Taotian 42.8%, Cloud 11.2%, AIDC 9.7%" in alt


def test_horizontal_bars_in_two_labelled_series():
    fig, ax = plt.subplots()
    ax.barh([0, 1], [40.0, 20.0], 0.4, label="of segments")
    ax.barh([0.4, 1.4], [45.0, 22.5], 0.4, label="of consolidated", hatch="//")
    ax.set_yticks([0.2, 1.2], ["Taotian", "Cloud"])
    ax.set_xlabel("Share of revenue (%)")
    alt = _drawn(fig)
    assert "of segments: Taotian 40%, Cloud 20%" in alt
    assert "of consolidated: Taotian 45%, Cloud 22.5%" in alt


def test_bars_without_labels_take_their_series_name_from_the_legend_colour():
    fig, ax = plt.subplots()
    ax.bar([2019, 2020, 2022], [277, 339, 622], color=["#9e9e9e", "#9e9e9e", "#d62728"])
    ax.set_xticks([2019, 2020, 2022], ["FY2019", "FY2020", "FY2022"])
    ax.axvline(2021.5, ls=":")
    ax.legend(handles=[Patch(color="#9e9e9e", label="old basis"), Patch(color="#d62728", label="new basis")])
    alt = _drawn(fig)
    assert "old basis: FY2019 277, FY2020 339" in alt and "new basis: FY2022 622" in alt
    assert "marker at 2021.5" in alt  # no ticks on either side of it at an equal distance


def test_a_line_chart_lists_its_points_and_its_reference_lines():
    fig, ax = plt.subplots()
    years = [2024, 2025, 2026, 2027]
    ax.plot(years, [10.9, 12.0, 13.26, 14.6], label="AIDC share")
    ax.axhline(20, ls="--", label="target 20%")
    ax.axvline(2025.5, ls=":")
    ax.set_xticks(years, [f"FY{y}" for y in years])
    ax.set_ylabel("% of revenue")
    alt = _drawn(fig)
    assert alt.startswith("Line chart:")
    assert "AIDC share: FY2024 10.9%, FY2025 12%, FY2026 13.3%, FY2027 14.6%" in alt
    assert "target 20% at 20%" in alt and "marker between FY2025 and FY2026" in alt


def test_a_long_line_is_summed_up_and_unlabelled_ticks_are_spelled_out():
    fig, ax = plt.subplots()
    years = list(range(2024, 2040))
    ax.plot(years, [float(i) for i in range(16)], label="path")
    ax.set_xticks(years[::2], [f"FY{y}" for y in years[::2]])  # every other year labelled
    alt = _drawn(fig)
    assert "from FY2024 0 to FY2039 15" in alt and "(16 points)" in alt


def test_a_scatter_names_its_points_from_their_annotations():
    fig, ax = plt.subplots()
    ax.scatter([1.0, 2.0], [3.0, 4.0])
    ax.annotate("Brazil", (1.0, 3.0), xytext=(4, 4), textcoords="offset points")
    ax.annotate("Turkey", (2.0, 4.0), xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("distance")
    ax.set_ylabel("GDP")
    alt = _drawn(fig)
    assert alt.startswith("Scatter chart:")
    assert "Brazil (1, 3)" in alt and "Turkey (2, 4)" in alt
    assert "On the chart" not in alt  # the names are read with their points, not twice


def test_a_diagram_is_read_by_its_words_and_a_table_by_its_rows():
    fig, (a, b) = plt.subplots(1, 2)
    a.axis("off")
    a.plot([0, 1], [0, 1])  # an arrow of the diagram, not data
    a.text(0, 0, "Transaction (交易)")
    a.text(1, 1, "Payment (支付)")
    a.set_title("The loop")
    b.axis("off")
    b.table(cellText=[["Localise", "10.9%"]], colLabels=["Lesson", "Figure"])
    alt = _drawn(fig)
    assert alt.startswith("Table: The loop. On the chart: Transaction (交易); Payment (支付).")
    assert "Lesson; Figure. Localise; 10.9%." in alt


def test_numbers_read_as_printed():
    assert number(42.83, "%") == "42.8%"
    assert number(1026.4) == "1,026"
    assert number(1.064) == "1.06"
    assert number(float("nan")) == "no value"


def test_stacked_parts_are_named_by_the_words_written_on_them():
    fig, ax = plt.subplots()
    ax.barh([0], [6], color="#0072b2")
    ax.barh([0], [2], left=[6], color="#d55e00")
    ax.text(3, 0, "freight", ha="center", va="center")
    ax.text(7, 0, "duty", ha="center", va="center")
    ax.set_yticks([0], ["Direct parcel"])
    alt = _drawn(fig)
    assert "freight: Direct parcel 6. duty: Direct parcel 2." in alt
    assert "On the chart: freight; duty" in alt  # and read as the chart's words too
