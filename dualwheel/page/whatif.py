"""One what-if API that works in a live kernel, in the static HTML book and in the PDF.

A chapter author writes a pure model function and describes its parameters::

    w = WhatIf(
        title="When does AIDC pass a share of revenue?",
        params=[Param("aidc", "AIDC growth", 0, 60, 5, 20, unit="% a year"), ...],
        model=my_model,            # keyword arguments named like the params -> any result
        render=my_chart,           # (result, values) -> matplotlib Figure
        summary=my_summary,        # (result, values) -> {"column": "text", ...}
    )
    w.show()

``show()`` displays one output that each front end reads in its own way:

* **Static HTML** (no kernel, no network): every grid point of the sliders is computed when
  the chapter is built; each frame (chart + readout) sits in an ``ipywidgets.Stack`` whose
  ``selected_index`` is linked to the slider's ``index`` with ``jslink``. The browser does
  the switching, so the chart moves with no Python behind the page. Several parameters
  nest one Stack per parameter.
* **Live kernel** (JupyterLab): sliders and a row of "exact value" boxes follow each other,
  and every change redraws one live chart (same size as the frames, with its readout) for any
  value in range; the precomputed stack is then hidden, so one chart is on screen. Every bad
  field gets a sentence, not a traceback, and the chart is hidden until all are valid. The
  static book hides that row with CSS (class ``casebook-live-only``).
* **PDF**: the same output also carries a PNG of the base scenario, which the LaTeX builder
  picks instead of the widget; :meth:`WhatIf.show` then prints a low / base / high table.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import multiprocessing as mp
import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from ..grading.scoring import parse_number
from .alttext import colour_only, describe
from .display import display_markdown, markdown_table

#: Cap on the number of precomputed frames; keeps pages light (each frame is a PNG).
MAX_FRAMES = 150

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class WhatIfInputError(ValueError):
    """What-if parameter values that are out of range or not numbers: one sentence per field.

    ``problems`` lists every sentence (a reader who typed two bad values hears of both at once);
    ``str()`` joins them.
    """

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, kw_only=True)
class Param:
    """One slider: a name (the model's keyword), a label, a range, a step and a unit.

    ``low`` and ``high`` are the values used for the PDF's low / high scenarios; they
    default to the ends of the range.
    """

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    unit: str = ""
    low: float | None = None
    high: float | None = None
    fmt: str = "{:g}"

    def __post_init__(self) -> None:
        if not self.min < self.max:
            raise ValueError(f"{self.name}: min ({self.min}) must be below max ({self.max})")
        if self.step <= 0:
            raise ValueError(f"{self.name}: step must be positive")
        if not self.min <= self.default <= self.max:
            raise ValueError(f"{self.name}: default {self.default} is outside {self.min}..{self.max}")
        if not _on_grid(self.default, self.min, self.step):
            raise ValueError(f"{self.name}: default {self.default} is not on the slider's steps")

    @property
    def whole(self) -> bool:
        """True when the parameter only takes whole numbers: its format shows no decimals (a
        year as "FY{:.0f}"), so 2020.5 would be shown, and used, as something it is not."""
        return self.fmt.format(0.5) in (self.fmt.format(0), self.fmt.format(1))

    def text_for(self, value: float) -> str:
        """The value as an exact-value box shows it (and :meth:`parse` reads it back)."""
        return self.fmt.format(value)

    def nearest(self, value: float) -> float:
        """The slider step closest to ``value``."""
        return min(self.values, key=lambda v: abs(v - value))

    @property
    def values(self) -> list[float]:
        """The slider's grid, from min to max in steps."""
        n = int(round((self.max - self.min) / self.step))
        return [_tidy(self.min + i * self.step) for i in range(n + 1)]

    @property
    def scenario_low(self) -> float:
        return self.min if self.low is None else self.low

    @property
    def scenario_high(self) -> float:
        return self.max if self.high is None else self.high

    def label_for(self, value: float) -> str:
        return self.fmt.format(value) + (f" {self.unit}" if self.unit else "")

    def parse(self, raw: Any) -> float:
        """Turn user input into a number in range, or raise a :class:`WhatIfInputError`."""
        if isinstance(raw, str) and not raw.strip():
            raise WhatIfInputError(f"{self.label}: please type a number.")
        text = raw.strip() if isinstance(raw, str) else raw
        prefix = self.fmt.split("{", 1)[0]
        if isinstance(text, str) and prefix and text.lower().startswith(prefix.lower()):
            text = text[len(prefix) :]  # "FY2024" in a box labelled with FY years
        number = parse_number(text)
        if number is None:
            if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                raise WhatIfInputError(f"{self.label}: expected a number, got {type(raw).__name__}.")
            raise WhatIfInputError(
                f"{self.label}: '{raw}' is not a number. Type a value such as "
                f"{self.fmt.format(self.default)}."
            )
        if not math.isfinite(number):
            raise WhatIfInputError(f"{self.label}: {raw!r} is not a finite number.")
        if self.whole and number != round(number):
            raise WhatIfInputError(
                f"{self.label}: '{raw}' is not a whole number. Type a value such as "
                f"{self.fmt.format(self.default)}."
            )
        if not self.min <= number <= self.max:
            raise WhatIfInputError(
                f"{self.label} must be between {self.label_for(self.min)} and "
                f"{self.label_for(self.max)}; you entered {self.fmt.format(number)}."
            )
        return number

    def control(self) -> widgets.SelectionSlider:
        """A slider over the grid; its ``index`` drives the precomputed frames."""
        return widgets.SelectionSlider(
            options=[(self.label_for(v), v) for v in self.values],
            value=self.default,
            description=self.label,
            continuous_update=True,
            style={"description_width": "12em"},
            layout=widgets.Layout(width="95%"),
        )


@dataclass(frozen=True, kw_only=True)
class Choice:
    """A categorical parameter (e.g. a reporting basis), shown as toggle buttons.

    ``options`` maps each value the model receives to the label the reader sees.
    """

    name: str
    label: str
    options: Mapping[str, str]
    default: str
    low: str | None = None
    high: str | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        if self.default not in self.options:
            raise ValueError(f"{self.name}: default {self.default!r} is not one of {list(self.options)}")

    @property
    def values(self) -> list[str]:
        return list(self.options)

    @property
    def scenario_low(self) -> str:
        return self.default if self.low is None else self.low

    @property
    def scenario_high(self) -> str:
        return self.default if self.high is None else self.high

    def label_for(self, value: str) -> str:
        return self.options[value]

    def parse(self, raw: Any) -> str:
        """Accept an option's value or its label; anything else gets a sentence listing the options."""
        text = str(raw).strip()
        for value, label in self.options.items():
            if text in (value, label) or text.lower() == value.lower():
                return value
        choices = ", ".join(f"'{v}'" for v in self.options)
        raise WhatIfInputError(f"{self.label}: '{raw}' is not one of the options ({choices}).")

    def control(self) -> widgets.ToggleButtons:
        return widgets.ToggleButtons(
            options=[(lab, v) for v, lab in self.options.items()],
            value=self.default,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


def _tidy(x: float) -> float:
    """Round away float noise so grid values print as typed (0.30000000000000004 -> 0.3)."""
    return float(round(x, 10))


def _on_grid(x: float, start: float, step: float) -> bool:
    k = (x - start) / step
    return abs(k - round(k)) < 1e-9


#: The margins of a figure (``Figure.subplots_adjust`` keywords).
Margins = dict[str, float]
_MARGINS = ("left", "right", "bottom", "top", "wspace", "hspace")


def fix_margins(fig: Figure, margins: Margins | None) -> Margins:
    """Give a what-if frame the same margins as the first frame, and return them.

    The first frame (``margins`` None) is laid out once with ``tight_layout`` (whatever layout
    engine the chart asked for). Every later frame takes those margins as they are, so the
    chart does not jump about as the slider moves, and no frame pays for a layout pass or a
    second "tight bounding box" draw: together about half of a frame's rendering time.
    """
    fig.set_layout_engine(None)  # not "none": its placeholder engine still costs savefig a draw
    if margins is None:
        fig.tight_layout()
        sp = fig.subplotpars
        return {k: float(getattr(sp, k)) for k in _MARGINS}
    fig.subplots_adjust(**margins)
    return margins


def webp_lossless(png: bytes) -> bytes:
    """The same pixels as a lossless WebP: about a quarter smaller than the palette PNG, so a
    what-if page with a hundred frames stays under its size budget. Every browser the book
    supports shows it; the PDF never sees frames (it prints the base case as PNG)."""
    from PIL import Image as PILImage

    out = io.BytesIO()
    # method 4: as small as method 6 on these charts, and a hundred times faster
    PILImage.open(io.BytesIO(png)).save(out, format="WEBP", lossless=True, quality=50, method=4)
    return out.getvalue()


def figure_png(
    fig: Figure, dpi: float | None = None, colours: int | None = None, bbox: str | None = "tight"
) -> bytes:
    """Render a figure to PNG bytes and close it (frames must not pile up in memory).

    ``colours`` reduces the image to a small palette (octree: keeps the series colours true): a what-if page carries one image per
    slider position, and a palette PNG of a line chart is about a quarter of the size.
    ``bbox=None`` keeps the whole canvas (what-if frames, whose margins are fixed already).
    """
    buf = io.BytesIO()
    # bbox_inches=None would mean "use rcParams" (the house style says tight): say it here
    with mpl.rc_context({"savefig.bbox": "tight" if bbox == "tight" else "standard"}):
        fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    if colours is None:
        return buf.getvalue()
    from PIL import Image as PILImage

    buf.seek(0)
    img = PILImage.open(buf).convert("RGB").quantize(colors=colours, method=PILImage.Quantize.FASTOCTREE)
    small = io.BytesIO()
    img.save(small, format="PNG", optimize=True)
    return small.getvalue()


@dataclass
class WhatIf:
    """A what-if: a pure model, its parameters, a chart and a one-line summary."""

    title: str
    params: Sequence[Param | Choice]
    model: Callable[..., Any]
    render: Callable[[Any, Mapping[str, float]], Figure]
    summary: Callable[[Any, Mapping[str, float]], Mapping[str, str]]
    note: str = ""
    frame_dpi: float = 72
    frame_colours: int = 16
    #: Optional: (values, model result) -> a key; slider positions with equal keys show one
    #: shared frame (e.g. every choice that has no answer for the same reason). Saves rendering
    #: time and page weight.
    frame_key: Callable[[Mapping[str, Any], Any], Hashable] | None = None
    #: (model result, values) -> the conclusion a manager would draw from this frame, in a few
    #: words ("Choice from China is cheaper"). Across the sliders' grid a what-if must reach at
    #: least two conclusions: its ranges can change the answer (see :meth:`outcomes`).
    conclusion: Callable[[Any, Mapping[str, Any]], str] | None = None
    _frames: int = field(init=False, default=0)
    _margins: Margins | None = field(init=False, default=None)
    _built: dict[tuple, widgets.Widget] = field(init=False, default_factory=dict)  # grid point -> frame
    _results: dict[tuple, Any] = field(init=False, default_factory=dict)
    _models: dict[str, widgets.Widget] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"parameter names must be unique: {names}")
        n = math.prod(len(p.values) for p in self.params)
        if n > MAX_FRAMES:
            raise ValueError(
                f"{n} precomputed frames is too many for one page (max {MAX_FRAMES}); "
                "use fewer steps or fewer parameters"
            )
        self._frames = n

    # ----- pure part -------------------------------------------------------------------
    def outcomes(self) -> dict[str, dict[str, Any]]:
        """Each distinct conclusion over the sliders' grid, with the first grid point that
        reaches it (empty without a ``conclusion``)."""
        found: dict[str, dict[str, Any]] = {}
        if self.conclusion is None:
            return found
        for values in grid(self.params):
            found.setdefault(self.conclusion(self.compute(**values), values), values)
        return found

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def validate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check a full set of values; return them as floats or raise :class:`WhatIfInputError`."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise WhatIfInputError(
                f"unknown parameter(s) {', '.join(sorted(unknown))}; "
                f"this what-if takes {', '.join(p.name for p in self.params)}."
            )
        merged = {**self.defaults, **values}
        checked: dict[str, Any] = {}
        problems: list[str] = []
        for p in self.params:  # every field, so that every mistake is reported at once
            try:
                checked[p.name] = p.parse(merged[p.name])
            except WhatIfInputError as exc:
                problems += exc.problems
        if problems:
            raise WhatIfInputError(*problems)
        return checked

    def compute(self, **values: Any) -> Any:
        """Run the model for the given values (defaults for the rest), after validation."""
        return self.model(**self.validate(values))

    def readout(self, values: Mapping[str, Any]) -> str:
        """The summary line for one scenario, as plain text."""
        checked = self.validate(values)
        result = self.model(**checked)
        return "; ".join(f"{k}: {v}" for k, v in self.summary(result, checked).items())

    def scenarios(self) -> pd.DataFrame:
        """Low / base / high scenarios: parameter values and the summary of each."""
        rows = []
        for label, pick in (
            ("Low", lambda p: p.scenario_low),
            ("Base", lambda p: p.default),
            ("High", lambda p: p.scenario_high),
        ):
            values = {p.name: pick(p) for p in self.params}
            result = self.model(**values)
            row: dict[str, str] = {"Scenario": label}
            row.update({p.label: p.label_for(values[p.name]) for p in self.params})
            row.update(self.summary(result, values))
            rows.append(row)
        return pd.DataFrame(rows)

    def frame_png(self, values: Mapping[str, float]) -> bytes:
        checked = self.validate(values)
        return figure_png(self.render(self.model(**checked), checked))

    # ----- widgets ---------------------------------------------------------------------
    def _result(self, values: Mapping[str, Any]) -> Any:
        """The model's result for a grid point, computed once per widget (models are pure)."""
        key = tuple(values.values())
        if key not in self._results:
            self._results[key] = self.model(**values)
        return self._results[key]

    def _frame_png(self, values: Mapping[str, Any]) -> tuple[bytes, str]:
        """One frame's chart as a palette PNG, with the margins every frame shares, and its
        alt text (read from the same Figure, :func:`dualwheel.page.alttext.describe`)."""
        fig = self.render(self._result(values), values)
        self._margins = fix_margins(fig, self._margins)
        png = figure_png(fig, self.frame_dpi, self.frame_colours, bbox=None)
        return png, describe(fig)  # after the draw: tick labels are filled in

    def _render_frames(self, points: list[dict[str, Any]]) -> list[tuple[bytes, str]]:
        """The PNG and alt text of each point, in order: in worker processes when the book
        build asks for them (``CASEBOOK_FRAME_WORKERS``), else here."""
        workers = frame_workers()
        if workers > 1 and len(points) >= 4 * workers and "fork" in mp.get_all_start_methods():
            global _RENDERING
            _RENDERING = self  # the forked workers inherit it: nothing needs pickling
            try:
                with mp.get_context("fork").Pool(workers) as pool:
                    return pool.map(_render_in_worker, points, chunksize=4)
            finally:
                _RENDERING = None
        return [self._frame_png(v) for v in points]

    def _frame(self, values: Mapping[str, Any], png: bytes, alt: str) -> widgets.Widget:
        """One frame: the readout and the chart in a single HTML widget.

        The chart is an inline palette PNG, and every frame shares one layout and one style
        model: a frame costs its PNG and a few hundred bytes of widget state, not three widgets
        with a layout each (that overhead was a third of a what-if page).
        """
        src = "data:image/webp;base64," + base64.b64encode(webp_lossless(png)).decode("ascii")
        return widgets.HTML(
            self._frame_html(self._result(values), values, src, alt),
            layout=self._shared("frame_layout", lambda: widgets.Layout(min_height="200px")),
            style=self._shared("frame_style", widgets.widgets.widget_string.HTMLStyle),
        )

    def _frame_html(self, result: Any, values: Mapping[str, Any], src: str, alt: str, lead: str = "") -> str:
        """A frame's HTML: the readout (after an optional ``lead``) over the chart, whose alt
        text says what the chart shows (``alt``, from :func:`dualwheel.page.alttext.describe`)."""
        summary = self.summary(result, values)
        text = "; ".join(f"<b>{html.escape(k)}</b>: {html.escape(str(v))}" for k, v in summary.items())
        alt = html.escape(alt, quote=True)
        return f'<div class="casebook-readout">{lead}{text}</div><img class="casebook-frame" src="{src}" alt="{alt}">'

    def _shared(self, name: str, make: Callable[[], widgets.Widget]) -> widgets.Widget:
        """One widget model (a layout, a style) shared by every frame and stack of this what-if."""
        if name not in self._models:
            self._models[name] = make()
        return self._models[name]

    def _sliders(self) -> list[widgets.Widget]:
        return [p.control() for p in self.params]

    def _stack(self, sliders: list[widgets.Widget], level: int = 0, prefix: tuple = ()) -> widgets.Widget:
        if level == len(self.params):
            return self._built[prefix]  # a shared frame is one widget, shown in several places
        p = self.params[level]
        children = [self._stack(sliders, level + 1, prefix + (v,)) for v in p.values]
        stack = widgets.Stack(
            children,
            selected_index=p.values.index(p.default),
            # the outer stack has a layout of its own: a live kernel hides it (one chart at a time)
            layout=widgets.Layout() if level == 0 else self._shared("stack_layout", widgets.Layout),
        )
        widgets.jslink((sliders[level], "index"), (stack, "selected_index"))
        return stack

    def live_png(self, result: Any, values: Mapping[str, Any]) -> bytes:
        """The chart of any valid values (and the model's ``result`` for them), drawn like the
        static frames: the same margins and size, so the live chart does not outgrow them."""
        return self.live_chart(result, values)[0]

    def live_chart(self, result: Any, values: Mapping[str, Any]) -> tuple[bytes, str]:
        """:meth:`live_png` and the chart's alt text."""
        fig = self.render(result, values)
        if self._margins is None:
            self._margins = self.frame_margins()
        fix_margins(fig, self._margins)
        png = figure_png(fig, self.frame_dpi, bbox=None)
        return png, describe(fig)

    def _live_row(self, controls: Sequence[widgets.Widget], static: widgets.Widget) -> widgets.Widget:
        """Exact-value boxes that recompute in a live kernel (the static book hides the row).

        In a kernel the sliders and the boxes follow each other: moving a slider types its value
        into its box, and a typed value moves the slider to the nearest step. Every change
        redraws one live chart for the boxes' exact values and hides the precomputed ``static``
        stack, so one chart is on screen and it matches its readout. While any box holds an
        invalid value, every problem is listed and the chart is hidden (nothing stale is shown).
        Nothing here runs in the static book: it has no kernel, so these callbacks never fire.
        """
        params = {p.name: p for p in self.params}
        control = {p.name: c for p, c in zip(self.params, controls, strict=True)}
        boxes = {
            p.name: widgets.Text(
                value=p.text_for(p.default),
                description=f"{p.label} ({p.unit})" if p.unit else p.label,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", margin="2px 1em 2px 0"),
            )
            for p in self.params
            if isinstance(p, Param)  # a choice's toggle buttons are exact already
        }
        message = widgets.HTML()
        chart = widgets.HTML(layout=widgets.Layout(display="none"))
        syncing: set[str] = set()  # sliders being moved by a box: they must not retype the box

        def show_problems(problems: Sequence[str]) -> None:
            items = "".join(
                f'<div class="casebook-error" style="color:#b00020">⚠ {html.escape(str(t))}</div>'
                for t in problems
            )
            message.value = items + "<div><i>The chart is hidden until every value is valid.</i></div>"
            chart.layout.display = "none"
            static.layout.display = "none"

        def recompute(_change: Any = None) -> None:
            raw = {name: (boxes[name].value if name in boxes else control[name].value) for name in params}
            try:
                values = self.validate(raw)
            except WhatIfInputError as exc:
                show_problems(exc.problems)
                return
            for name in boxes:  # each slider to the step nearest its box
                step = params[name].nearest(values[name])
                if control[name].value != step:
                    syncing.add(name)
                    try:
                        control[name].value = step
                    finally:
                        syncing.discard(name)
            try:
                result = self.model(**values)
                png, alt = self.live_chart(result, values)
            except Exception as exc:  # noqa: BLE001 - a model's error is a sentence for the reader
                show_problems([f"These values cannot be computed: {exc}"])
                return
            lead = (
                "<i>Exact values: "
                + html.escape("; ".join(f"{p.label} {p.label_for(values[p.name])}" for p in self.params))
                + "</i><br>"
            )
            src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            chart.value = self._frame_html(result, values, src, alt, lead=lead)
            message.value = ""
            chart.layout.display = None
            static.layout.display = "none"  # one chart on screen: this one

        def slider_moved(change: Any, name: str) -> None:
            if name in syncing:
                return
            if name in boxes:
                text = params[name].text_for(change["new"])
                if boxes[name].value != text:
                    boxes[name].value = text  # the box's own observer recomputes
                    return
            recompute()

        for name, c in control.items():
            c.observe(lambda change, name=name: slider_moved(change, name), names="value")
        for b in boxes.values():
            b.observe(recompute, names="value")
        header = widgets.HTML(
            "<b>Exact values</b> (recomputed by the kernel; any value in range, the sliders follow):"
        )
        fields = widgets.Box(list(boxes.values()), layout=widgets.Layout(flex_flow="row wrap"))
        row = widgets.VBox([header, fields, message, chart])
        row.add_class("casebook-live-only")
        # for tests: type into the boxes, move the controls, read the message and the chart
        row._casebook_boxes = boxes
        row._casebook_controls = control
        row._casebook_message = message
        row._casebook_chart = chart
        row._casebook_static = static
        return row

    def frame_margins(self) -> Margins:
        """Margins that fit every frame: each of the default, first and last grid frames is laid
        out, and the most generous margin on each side wins."""
        points = grid(self.params)
        found = []
        for values in (self.defaults, points[0], points[-1]):
            fig = self.render(self._result(values), values)
            found.append(fix_margins(fig, None))
            plt.close(fig)
        loose = {"left": max, "bottom": max, "right": min, "top": min, "wspace": max, "hspace": max}
        return {k: pick(m[k] for m in found) for k, pick in loose.items()}

    def widget(self) -> widgets.Widget:
        """The full what-if: sliders, the precomputed stack, and the live row."""
        self._results = {}
        self._margins = self.frame_margins()
        keys: dict[tuple, Hashable] = {}  # grid point -> the key of the frame it shows
        unique: dict[Hashable, dict[str, Any]] = {}  # frame key -> the first grid point with it
        for values in grid(self.params):
            point = tuple(values.values())
            keys[point] = point if self.frame_key is None else self.frame_key(values, self._result(values))
            unique.setdefault(keys[point], values)
        charts = self._render_frames(list(unique.values()))
        frames = {
            key: self._frame(values, png, alt)
            for (key, values), (png, alt) in zip(unique.items(), charts, strict=True)
        }
        self._built = {point: frames[key] for point, key in keys.items()}
        self._results = {}  # the frames are built; let the results go
        sliders = self._sliders()
        stack = self._stack(sliders)
        box = widgets.VBox([*sliders, stack, self._live_row(sliders, stack)])
        box.add_class("casebook-whatif")
        return box

    def base_chart(self) -> tuple[bytes, dict[str, Any]]:
        """The base case's chart as PNG (for the PDF), with its metadata: the alt text and the
        series only colour tells apart (:mod:`dualwheel.page.alttext`)."""
        checked = self.validate(self.defaults)
        fig = self.render(self.model(**checked), checked)
        png = figure_png(fig)
        return png, {"alt": describe(fig), "colour_only": colour_only(fig)}

    def mimebundle(self) -> dict[str, Any]:
        """Widget view for HTML/JupyterLab, a PNG of the base case for the PDF, text otherwise."""
        return self._bundle()[0]

    def _bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The display data of :meth:`mimebundle` and its metadata (the base chart's)."""
        bundle = self.widget()._repr_mimebundle_()
        if bundle is None or WIDGET_MIME not in bundle:  # no kernel (plain Python): no widget view
            bundle = {}
        png, meta = self.base_chart()
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = f"What-if: {self.title}. Move the sliders in the HTML book or in JupyterLab."
        return bundle, {"image/png": meta}

    def show(self, table: bool = True) -> None:
        """Display the what-if, then (by default) its low / base / high table."""
        bundle, metadata = self._bundle()
        display(bundle, metadata=metadata, raw=True)
        if table:
            # one column per scenario: readouts are sentences, and nine narrow columns do not
            # fit a PDF page
            table = self.scenarios().set_index("Scenario").T.rename_axis("Setting or result").reset_index()
            display_markdown("**Scenarios at a glance** (low / base / high):\n\n" + markdown_table(table))


def frame_workers() -> int:
    """How many processes render what-if frames: ``CASEBOOK_FRAME_WORKERS``, default 1.

    The book build (``python -m dualwheel.build``) sets it to the number of cores for the
    kernels it starts and owns. A reader's kernel in JupyterLab keeps the default and renders
    in-process: forking a kernel that holds someone's live session is not ours to do.
    """
    raw = os.environ.get("CASEBOOK_FRAME_WORKERS", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


#: The what-if whose frames forked workers are rendering (set only while a pool runs).
_RENDERING: WhatIf | None = None


def _render_in_worker(values: dict[str, Any]) -> tuple[bytes, str]:
    assert _RENDERING is not None, "frame worker started without a what-if"
    return _RENDERING._frame_png(values)


def grid(params: Sequence[Param | Choice]) -> list[dict[str, Any]]:
    """Every combination of slider values (the frames the static page carries)."""
    return [
        dict(zip((p.name for p in params), combo, strict=True))
        for combo in itertools.product(*(p.values for p in params))
    ]
