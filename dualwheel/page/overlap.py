"""Text labels of a chart that print on top of each other.

A scatter chart that names its points (Vietnam, the Philippines, Malaysia ...) is unreadable
where two names overlap. :func:`label_overlaps` measures every visible text label of a drawn
Figure with the renderer (its window extent, in pixels) and lists the pairs that overlap. The
exhibits record the list in the image output's metadata (``label_overlaps``, beside
``colour_only``), and a test of the built book wants it empty for every chart.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

#: Two boxes that share less than this many pixels along either axis do not overlap (anti-
#: aliasing and the boxes' padding touch without hiding a letter).
TOLERANCE_PX = 1.0


def _labels(fig: Figure) -> list[Text]:
    """The visible text labels written on the chart: texts and annotations of every axes and of
    the figure itself (titles, tick labels and legends are laid out by Matplotlib, not placed)."""
    texts: list[Text] = list(fig.texts)
    for ax in fig.axes:
        if ax.get_visible():
            texts += list(ax.texts)
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def label_overlaps(fig: Figure) -> list[str]:
    """Each pair of text labels of ``fig`` whose drawn boxes overlap, as ``"'A' overlaps 'B'"``
    (an empty list is the goal). The figure is drawn (its layout engine runs) before it is
    measured; a figure already closed gets an Agg canvas of its own."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = _labels(fig)
    boxes = [(t.get_text().strip(), t.get_window_extent(renderer)) for t in labels]
    found: list[str] = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            dx = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            dy = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if dx > TOLERANCE_PX and dy > TOLERANCE_PX:
                found.append(f"{a!r} overlaps {b!r}")
    return found
