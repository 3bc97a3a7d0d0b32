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
  static book hides that row with CSS (class ``casebook-live-only``). Where no static page
  will be made from the kernel's output (a kit's set-up cell and ``make lab`` set
  ``CASEBOOK_LIVE_ONLY``), no frames are precomputed: the live row draws the base case at once.
* **PDF**: the same output also carries a PNG of the base scenario, which the LaTeX builder
  picks instead of the widget; :meth:`WhatIf.show` then prints a low / base / high table.
"""

from .core import MAX_FRAMES, OUTCOMES_KEY, WIDGET_MIME, WhatIf
from .params import Choice, Param, WhatIfInputError, grid
from .render import Margins, figure_png, fix_margins, frame_workers, live_only, webp_lossless

__all__ = [
    "MAX_FRAMES",
    "OUTCOMES_KEY",
    "WIDGET_MIME",
    "Choice",
    "Margins",
    "Param",
    "WhatIf",
    "WhatIfInputError",
    "figure_png",
    "fix_margins",
    "frame_workers",
    "live_only",
    "grid",
    "webp_lossless",
]
