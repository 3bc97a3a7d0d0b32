"""The :class:`WhatIf` itself: model, grid of precomputed frames, live controls and display."""

from __future__ import annotations

import base64
import html
import math
import multiprocessing as mp
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from ..alttext import colour_only, describe
from ..display import display_markdown, markdown_table
from ..overlap import label_overlaps
from .params import Choice, Param, WhatIfInputError, grid
from .render import Margins, figure_png, fix_margins, frame_workers, live_only, webp_lossless

#: Cap on the number of precomputed frames; keeps pages light (each frame is a PNG).
MAX_FRAMES = 150

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: The output-metadata key under which a shown what-if records its title and the conclusions
#: (:meth:`WhatIf.outcomes`) its grid reaches.
OUTCOMES_KEY = "casebook_whatif"


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
    #: The static table's heading: its three columns are low / base / high scenarios unless a
    #: what-if's columns are something else (three calculations, say).
    table_heading: str = "**Scenarios at a glance** (low / base / high):"
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
        row._casebook_recompute = recompute
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
        """The full what-if: sliders, the precomputed stack, and the live row (in a kit's
        kernel, :func:`~dualwheel.page.whatif.render.live_only`: sliders and the live row)."""
        self._results = {}
        self._margins = self.frame_margins()
        if live_only():
            return self._live_widget()
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

    def _live_widget(self) -> widgets.Widget:
        """Sliders and the live row, which draws the base case at once and redraws on every
        change: no frames are rendered, since no static page will show them."""
        sliders = self._sliders()
        static = widgets.HTML(layout=widgets.Layout(display="none"))  # no stack to hide
        row = self._live_row(sliders, static)
        row._casebook_recompute()
        box = widgets.VBox([*sliders, row])
        box.add_class("casebook-whatif")
        return box

    def base_chart(self) -> tuple[bytes, dict[str, Any]]:
        """The base case's chart as PNG (for the PDF), with its metadata: the alt text and the
        series only colour tells apart (:mod:`dualwheel.page.alttext`)."""
        checked = self.validate(self.defaults)
        fig = self.render(self.model(**checked), checked)
        png = figure_png(fig)
        return png, {"alt": describe(fig), "colour_only": colour_only(fig), "label_overlaps": label_overlaps(fig)}

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
        # the conclusions its sliders can reach, for a test of the built book (at least two)
        return bundle, {"image/png": meta, OUTCOMES_KEY: {"title": self.title, "outcomes": list(self.outcomes())}}

    def show(self, table: bool = True) -> None:
        """Display the what-if, then (by default) its low / base / high table."""
        bundle, metadata = self._bundle()
        display(bundle, metadata=metadata, raw=True)
        if table:
            # one column per scenario: readouts are sentences, and nine narrow columns do not
            # fit a PDF page
            table = self.scenarios().set_index("Scenario").T.rename_axis("Setting or result").reset_index()
            display_markdown(self.table_heading + "\n\n" + markdown_table(table))


#: The what-if whose frames forked workers are rendering (set only while a pool runs).
_RENDERING: WhatIf | None = None


def _render_in_worker(values: dict[str, Any]) -> tuple[bytes, str]:
    assert _RENDERING is not None, "frame worker started without a what-if"
    return _RENDERING._frame_png(values)
