"""Overlapping text labels of a chart (dualwheel.page.overlap), on synthetic figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from dualwheel.page.overlap import label_overlaps  # noqa: E402
from dualwheel.page.whatif import figure_png  # noqa: E402

POINTS = [("Vietnam", 1.0, 1.0), ("Philippines", 1.02, 1.01), ("Malaysia", 3.0, 3.0)]


def _scatter(points):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([x for _, x, _ in points], [y for _, _, y in points])
    for name, x, y in points:
        ax.annotate(name, (x, y))
    return fig


def test_two_labels_on_top_of_each_other_are_found():
    fig = _scatter(POINTS)
    assert label_overlaps(fig) == ["'Vietnam' overlaps 'Philippines'"]
    plt.close(fig)


def test_labels_apart_are_not_reported():
    fig = _scatter([("Vietnam", 1.0, 1.0), ("Philippines", 2.0, 2.0), ("Malaysia", 3.0, 3.0)])
    assert label_overlaps(fig) == []
    plt.close(fig)


def test_an_offset_label_no_longer_overlaps():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([1.0, 1.02], [1.0, 1.01])
    ax.annotate("Vietnam", (1.0, 1.0))
    ax.annotate("Philippines", (1.02, 1.01), xytext=(0, -14), textcoords="offset points")
    assert label_overlaps(fig) == []
    plt.close(fig)


def test_a_closed_figure_is_still_measured_and_hidden_or_empty_labels_are_skipped():
    fig = _scatter(POINTS)
    fig.axes[0].texts[1].set_visible(False)
    fig.axes[0].text(1.0, 1.0, "  ")
    figure_png(fig)  # closes it, as an exhibit does before recording its metadata
    assert label_overlaps(fig) == []


def test_figure_level_texts_count_too():
    fig = _scatter([("Vietnam", 1.0, 1.0)])
    fig.text(0.02, 0.02, "Note A")
    fig.text(0.03, 0.02, "Note B")
    assert label_overlaps(fig) == ["'Note A' overlaps 'Note B'"]
    plt.close(fig)
