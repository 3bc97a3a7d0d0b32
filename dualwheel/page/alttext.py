"""Alt text for charts, read from the matplotlib Figure that draws them.

A chart's description comes from the same artists that put it on screen, so it cannot drift
from the picture and no chapter types a number into it::

    fig = revenue_structure(2024)
    describe(fig)
    # 'Bar chart: Revenue structure FY2024: two denominators (收入结构). Share of revenue,
    #  FY2024 (%). of total segment revenue (paper): Taotian 42.8%, Cloud 11.2%, …'

For each set of axes it reads the title, the axis labels, and the data of every series:

* bars (``ax.bar``/``ax.barh``): each bar's category (the tick label at its position) and
  value; a series is named by its label, or by the legend entry of its colour;
* lines (``ax.plot``): the label and the points (every point up to :data:`MAX_POINTS`, else
  the first, the last, the lowest and the highest); reference lines (``axhline``/``axvline``)
  by position;
* points (``ax.scatter``): each point with the annotation that names it;
* tables drawn in a chart (``ax.table``): the rows;
* words written on the chart (``ax.text``, annotations) that are not bare numbers.

Values print with the unit of their axis ("%" when the axis label has one). A chart with no
data (a diagram of boxes and words) is described by its title and its words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

#: Points listed one by one in a line series; a longer series is summed up by its ends and extremes.
MAX_POINTS = 12
#: Categories listed in a bar series, and named points of a scatter.
MAX_ITEMS = 24
#: Words written on a chart, at most.
MAX_NOTES = 12


def number(x: float, unit: str = "") -> str:
    """A value as a reader would say it: three significant figures or so, thousands grouped."""
    if not math.isfinite(x):
        return "no value"
    a = abs(x)
    if a >= 100 or float(x).is_integer():
        text = f"{x:,.0f}"
    elif a >= 10 or (a >= 1 and unit == "%"):  # percentages as the charts print them: 42.8%
        text = f"{x:.1f}"
    elif a >= 0.1:
        text = f"{x:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:.3g}"
    return text + unit


def position(x: float, unit: str = "") -> str:
    """A position on a category or time axis with no tick label of its own: 2024, not 2,024."""
    if float(x).is_integer():
        return f"{x:.0f}{unit}"
    return f"{x:.1f}{unit}" if abs(x) >= 1000 else number(x, unit)  # a date as a year: 2004.1


def _unit(label: str) -> str:
    """The unit to print after values on an axis: '%' when its label speaks of percent."""
    return "%" if re.search(r"%|percent|\bpp\b", label, re.I) else ""


def _clean(text: str) -> str:
    """Text as the chart shows it: mathtext's dollar signs dropped, an escaped \\$ kept as $."""
    text = str(text).replace("\\$", "\x00").replace("$", "").replace("\x00", "$")
    return " ".join(text.split())


def _public(label: str | None) -> str:
    """An artist's label, or '' for matplotlib's placeholders ('_child0', '_nolegend_')."""
    return "" if not label or str(label).startswith("_") else _clean(label)


def _ticks(axis) -> dict[float, str]:
    """Tick position -> its label, for the ticks that carry text."""
    out: dict[float, str] = {}
    for tick in axis.get_major_ticks():
        text = _clean(tick.label1.get_text())
        if text:
            out[float(tick.get_loc())] = text
    return out


def _category(pos: float, ticks: dict[float, str], span: float) -> str | None:
    """The tick label at ``pos``; when the ticks skip positions (every other year), a label
    such as 'FY2026' is rewritten for the position it stands beside ('FY2027')."""
    if not ticks:
        return None
    near = min(ticks, key=lambda t: abs(t - pos))
    if abs(near - pos) <= 0.35 * span:
        return ticks[near]
    for t, text in ticks.items():  # a label that spells its own position: FY2026 at 2026
        whole = f"{t:g}"
        if whole in text and float(pos).is_integer():
            return text.replace(whole, f"{pos:g}", 1)
    return None


def _between(pos: float, ticks: dict[float, str]) -> str | None:
    """'between FY2021 and FY2022' for a mark set halfway between two labelled ticks."""
    locs = sorted(ticks)
    for a, b in zip(locs, locs[1:], strict=False):
        if a < pos < b and math.isclose(pos - a, b - pos, rel_tol=0.05):
            return f"between {ticks[a]} and {ticks[b]}"
    return None


def _legend_names(ax: Axes) -> dict[tuple, str]:
    """Face colour (RGBA, rounded) -> legend text, for series that take their name from a
    hand-made legend (a Patch per colour)."""
    names: dict[tuple, str] = {}
    legend = ax.get_legend()
    if legend is None:
        return names
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
        colour = None
        if hasattr(handle, "get_facecolor") and not isinstance(handle, Line2D):
            colour = handle.get_facecolor()
        elif isinstance(handle, Line2D):
            colour = handle.get_color()
        if colour is not None:
            names.setdefault(_rgba(colour), _clean(text.get_text()))
    return names


def _rgba(colour) -> tuple:
    from matplotlib.colors import to_rgba

    if not isinstance(colour, str):
        arr = np.asarray(colour, dtype=float)
        if arr.ndim == 2:  # a collection's colours: the first
            arr = arr[0] if len(arr) else np.zeros(4)
        colour = tuple(arr)
    try:
        r, g, b, _a = to_rgba(colour)
    except ValueError:
        return ()
    return (round(r, 2), round(g, 2), round(b, 2))


def _bars(ax: Axes) -> list[str]:
    """One sentence per bar series: 'name: category value, …'."""
    legend = _legend_names(ax)
    series: dict[str, list[tuple[float, str]]] = {}
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = getattr(container, "orientation", "vertical") == "horizontal"
        cat_axis, val_axis = (ax.yaxis, ax.xaxis) if horizontal else (ax.xaxis, ax.yaxis)
        ticks = _ticks(cat_axis)
        unit = _unit(val_axis.get_label_text())
        spacing = _spacing(ticks)
        for rect in container.patches:
            if not rect.get_visible():
                continue
            if horizontal:
                pos, value = rect.get_y() + rect.get_height() / 2, rect.get_width()
            else:
                pos, value = rect.get_x() + rect.get_width() / 2, rect.get_height()
            name = (
                _public(container.get_label())
                or legend.get(_rgba(rect.get_facecolor()), "")
                or _word_inside(ax, rect)
            )
            cat = _category(pos, ticks, spacing) or position(pos)
            series.setdefault(name, []).append((pos, f"{cat} {number(value, unit)}"))
    out = []
    for name, items in series.items():
        items.sort(key=lambda i: i[0])
        shown = [text for _, text in items[:MAX_ITEMS]]
        more = f", and {len(items) - MAX_ITEMS} more" if len(items) > MAX_ITEMS else ""
        out.append((f"{name}: " if name else "") + ", ".join(shown) + more)
    return out


def _word_inside(ax: Axes, rect: Rectangle) -> str:
    """A word written on a bar (a stacked part named in place: "freight"), or ''."""
    for t in ax.texts:
        text = _clean(t.get_text())
        if text and t.get_transform() is ax.transData and re.search(r"[^\W\d_]", text):
            x, y = t.get_position()
            if rect.contains_point(ax.transData.transform((x, y))):
                return text
    return ""


def _spacing(ticks: dict[float, str]) -> float:
    locs = sorted(ticks)
    return min(b - a for a, b in zip(locs, locs[1:], strict=False)) if len(locs) > 1 else 1.0


def _is_reference(line: Line2D, ax: Axes) -> str | None:
    """'y' or 'x' for a line drawn across the axes (axhline, axvline), else None."""
    if line.get_transform() is ax.transData:
        return None
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    if len(y) == 2 and y[0] == y[1] and list(x) == [0, 1]:
        return "y"
    if len(x) == 2 and x[0] == x[1] and list(y) == [0, 1]:
        return "x"
    return None


def _lines(ax: Axes) -> tuple[list[str], list[str]]:
    """Sentences for the data lines, and for the reference lines."""
    xticks, yunit = _ticks(ax.xaxis), _unit(ax.yaxis.get_label_text())
    xunit = _unit(ax.xaxis.get_label_text())
    spacing = _spacing(xticks)
    data, refs = [], []
    for line in ax.lines:
        if not line.get_visible():
            continue
        name = _public(line.get_label())
        ref = _is_reference(line, ax)
        if ref == "y":
            refs.append(f"{name or 'reference line'} at {number(float(line.get_ydata()[0]), yunit)}")
            continue
        if ref == "x":
            x = float(line.get_xdata()[0])
            refs.append(f"{name or 'marker'} {_between(x, xticks) or 'at ' + position(x, xunit)}")
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        x, y = x[keep], y[keep]
        if len(x) == 0:
            continue

        def at(i: int, x=x, y=y) -> str:
            where = _category(float(x[i]), xticks, spacing) or position(float(x[i]), xunit)
            return f"{where} {number(float(y[i]), yunit)}"

        if len(x) <= MAX_POINTS:
            points = ", ".join(dict.fromkeys(at(i) for i in range(len(x))))  # a flat mark: once
        else:
            lo, hi = int(np.argmin(y)), int(np.argmax(y))
            points = f"from {at(0)} to {at(len(x) - 1)}, lowest {at(lo)}, highest {at(hi)} ({len(x)} points)"
        data.append((f"{name}: " if name else "line: ") + points)
    return data, refs


def _scatter(ax: Axes) -> list[str]:
    """One sentence per scatter series: each point, named by the annotation that points at it."""
    xunit, yunit = _unit(ax.xaxis.get_label_text()), _unit(ax.yaxis.get_label_text())
    show_x, show_y = bool(_ticks(ax.xaxis)), bool(_ticks(ax.yaxis))  # no tick labels: a layout axis
    out = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or not coll.get_visible():
            continue
        offsets = np.asarray(coll.get_offsets(), dtype=float)
        if offsets.size == 0:
            continue
        items = []
        for x, y in offsets[:MAX_ITEMS]:
            name = _point_name(ax, float(x), float(y))
            coords = [position(x, xunit)] * show_x + [number(y, yunit)] * show_y
            where = f"({', '.join(coords)})" if coords else ""
            items.append(" ".join(t for t in (name, where) if t) or "a point")
        more = f", and {len(offsets) - MAX_ITEMS} more" if len(offsets) > MAX_ITEMS else ""
        label = _public(coll.get_label())
        out.append((f"{label}: " if label else "") + ", ".join(items) + more)
    return out


#: How far (in pixels) a label may sit from the point it names.
NEAR_PX = 40.0


def _point_name(ax: Axes, x: float, y: float) -> str:
    """The words that name a point: an annotation pointing at it, else the nearest label
    written beside it (within :data:`NEAR_PX` on screen, on the same line)."""
    best, best_d = "", NEAR_PX
    px, py = ax.transData.transform((x, y))
    for t in ax.texts:
        text = _clean(t.get_text())
        if not text:
            continue
        if isinstance(t, Annotation) and t.xycoords == "data":
            tx, ty = ax.transData.transform(t.xy)
        elif t.get_transform() is ax.transData:
            tx, ty = ax.transData.transform(t.get_position())
        else:
            continue
        d = math.hypot(tx - px, 3 * (ty - py))  # a label sits beside its point, not above the next
        if d < best_d:
            best, best_d = text, d
    return best


def _tables(ax: Axes) -> list[str]:
    out = []
    for table in ax.tables:
        cells = table.get_celld()
        rows: dict[int, dict[int, str]] = {}
        for (r, c), cell in cells.items():
            rows.setdefault(r, {})[c] = _clean(cell.get_text().get_text())
        for r in sorted(rows):
            out.append("; ".join(t for _, t in sorted(rows[r].items()) if t))
    return out


def _words(ax: Axes, used: set[str]) -> list[str]:
    """Words on the chart (labels, notes) that say more than a number already read out."""
    words = []
    for t in ax.texts:
        text = _clean(t.get_text())
        if not text or text in used or not re.search(r"[^\W\d_]", text):
            continue  # empty, already a point's name, or a bare number ("42.8%")
        if text not in words:
            words.append(text)
    return words[:MAX_NOTES]


def _has_data(ax: Axes) -> bool:
    return ax.axison and bool(
        any(isinstance(c, BarContainer) for c in ax.containers)
        or any(_is_reference(ln, ax) is None and len(ln.get_xdata()) for ln in ax.lines)
        or any(isinstance(c, PathCollection) for c in ax.collections)
        or ax.tables
    )


def _kinds(axes: Iterable[Axes]) -> list[str]:
    kinds = []
    for ax in axes:
        if not ax.axison and not ax.tables:
            continue
        if any(isinstance(c, BarContainer) for c in ax.containers):
            kinds.append("bar")
        if any(_is_reference(ln, ax) is None and len(ln.get_xdata()) > 1 for ln in ax.lines):
            kinds.append("line")
        if any(isinstance(c, PathCollection) for c in ax.collections):
            kinds.append("scatter")
        if ax.tables:
            kinds.append("table")
    unique = list(dict.fromkeys(kinds))
    if not unique:
        return ["Diagram"]
    if unique == ["table"]:
        return ["Table"]
    return [" and ".join(unique).capitalize() + " chart"]


def describe(fig: Figure) -> str:
    """The alt text of a chart: its kind, titles, axis labels, every series' values, its words."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    parts: list[str] = []
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    if suptitle:
        parts.append(_clean(suptitle))
    for ax in axes:
        piece: list[str] = []
        title = _clean(ax.get_title()) or _clean(ax.get_title(loc="left"))
        if title:
            piece.append(title)
        if _has_data(ax) and not ax.tables:
            xl, yl = _clean(ax.get_xlabel()), _clean(ax.get_ylabel())
            if xl and yl:
                piece.append(f"{yl} against {xl}")
            elif xl or yl:
                piece.append(xl or yl)
        if not ax.axison and not ax.tables:  # a diagram: boxes, arrows and words, no data axes
            piece.append("On the chart: " + "; ".join(_words(ax, set())))
            parts += piece
            continue
        piece += _bars(ax)
        lines, refs = _lines(ax)
        piece += lines
        scatter = _scatter(ax)
        named = set()
        if scatter:  # the words that named points are read with them
            for coll in ax.collections:
                if isinstance(coll, PathCollection):
                    named |= {_point_name(ax, float(x), float(y)) for x, y in np.asarray(coll.get_offsets())}
        piece += scatter
        piece += _tables(ax)
        if refs:
            piece.append("Reference lines: " + ", ".join(refs))
        words = _words(ax, named)
        if words:
            piece.append("On the chart: " + "; ".join(words))
        parts += piece
    head = " and ".join(_kinds(axes))
    text = " ".join(p if p[-1] in ".?!" else p + "." for p in parts if p)
    return f"{head}: {text}" if text else f"{head}."


def _labelled(ax: Axes, points: np.ndarray) -> bool:
    """True when a word written on the chart sits next to one of ``points`` (display pixels)."""
    for t in ax.texts:
        if not _clean(t.get_text()):
            continue
        if isinstance(t, Annotation) and t.xycoords == "data":
            where = ax.transData.transform(t.xy)
        elif t.get_transform() is ax.transData:
            where = ax.transData.transform(t.get_position())
        else:
            continue
        if len(points) and np.min(np.hypot(*(points - where).T)) < NEAR_PX:
            return True
    return False


def colour_only(fig: Figure) -> list[str]:
    """The series of a chart that only their colour tells apart (an empty list is the goal).

    Two series of one chart need a second cue besides colour (WCAG 1.4.1), one of:

    * lines: a different line style or marker, or a word written beside the line;
    * bars that share a category (grouped or stacked): a different hatch, or a word on or
      beside each bar (bars in categories of their own are told apart by their tick labels);
    * points: a different marker, or a name beside each point.
    """
    found: list[str] = []
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        # lines
        lines = [
            ln
            for ln in ax.lines
            if ln.get_visible() and _is_reference(ln, ax) is None and len(ln.get_xdata()) > 1
        ]
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                if _rgba(a.get_color()) == _rgba(b.get_color()):
                    continue
                if (a.get_linestyle(), a.get_marker()) != (b.get_linestyle(), b.get_marker()):
                    continue
                for ln in (a, b):
                    xy = ax.transData.transform(
                        np.column_stack([ln.get_xdata(), ln.get_ydata()]).astype(float)
                    )
                    if not _labelled(ax, xy):
                        found.append(f"line {_public(ln.get_label()) or to_hex(ln.get_color())}")
        # bars
        groups: dict[tuple, list[Rectangle]] = {}
        for container in ax.containers:
            if isinstance(container, BarContainer):
                for rect in container.patches:
                    if rect.get_visible():
                        groups.setdefault(_rgba(rect.get_facecolor()), []).append(rect)
        if len(groups) > 1:
            horizontal = any(
                getattr(c, "orientation", "") == "horizontal"
                for c in ax.containers
                if isinstance(c, BarContainer)
            )
            ticks = _ticks(ax.yaxis if horizontal else ax.xaxis)
            spacing = _spacing(ticks)

            def category(rect: Rectangle, horizontal=horizontal, ticks=ticks, spacing=spacing) -> str:
                pos = (
                    rect.get_y() + rect.get_height() / 2
                    if horizontal
                    else rect.get_x() + rect.get_width() / 2
                )
                return _category(pos, ticks, spacing) or f"{round(pos)}"

            by_cat: dict[str, list[Rectangle]] = {}
            for rects in groups.values():
                for rect in rects:
                    by_cat.setdefault(category(rect), []).append(rect)
            for cat, rects in by_cat.items():
                colours = {_rgba(r.get_facecolor()) for r in rects}
                if len(colours) < 2:
                    continue
                if len({(r.get_hatch() or "") for r in rects}) == len(rects):
                    continue
                for r in rects:
                    corners = ax.transData.transform(
                        [(r.get_x(), r.get_y()), (r.get_x() + r.get_width(), r.get_y() + r.get_height())]
                    )
                    centre_top = np.array(
                        [
                            corners.mean(axis=0),
                            [corners[:, 0].mean(), corners[1, 1]],
                            [corners[1, 0], corners[:, 1].mean()],
                        ]
                    )
                    if not _labelled(ax, centre_top):
                        found.append(f"bar {cat} in {to_hex(r.get_facecolor())}")
        # points
        colls = [
            c
            for c in ax.collections
            if isinstance(c, PathCollection) and c.get_visible() and len(c.get_offsets())
        ]
        if len({_rgba(c.get_facecolor()) for c in colls}) > 1:
            for c in colls:
                xy = ax.transData.transform(np.asarray(c.get_offsets(), dtype=float))
                if not all(_labelled(ax, p[None, :]) for p in xy):
                    same_marker = [d for d in colls if d is not c and d.get_paths()[0] == c.get_paths()[0]]
                    if same_marker:
                        found.append(f"points {_public(c.get_label()) or to_hex(c.get_facecolor()[0])}")
    return list(dict.fromkeys(found))
