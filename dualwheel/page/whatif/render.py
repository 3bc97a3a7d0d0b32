"""Drawing what-if frames: fixed margins, PNG and lossless WebP bytes, and how many worker
processes render them."""

from __future__ import annotations

import io
import os

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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


def frame_workers() -> int:
    """How many processes render what-if frames: ``CASEBOOK_FRAME_WORKERS``, default 1.

    The book build (``python -m dualwheel.publish``) sets it to the number of cores for the
    kernels it starts and owns. A reader's kernel in JupyterLab keeps the default and renders
    in-process: forking a kernel that holds someone's live session is not ours to do.
    """
    raw = os.environ.get("CASEBOOK_FRAME_WORKERS", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


#: Set (to anything but "" or "0") by a kit's set-up cell: the reader's own kernel redraws each
#: chart as the sliders move, so it need not precompute the frames a static page carries.
LIVE_ONLY = "CASEBOOK_LIVE_ONLY"


def live_only() -> bool:
    """Whether what-ifs skip their precomputed frames (``CASEBOOK_LIVE_ONLY``): a kit run in the
    reader's kernel draws only the chart on screen, not the grid the HTML book needs."""
    return os.environ.get(LIVE_ONLY, "") not in ("", "0")
