"""AliExpress Choice and its rivals at the decision date (30 June 2024): data/competitors.csv.

Shared (the decision opener and Chapter 6 both show it). One row per (firm, attribute); every
figure keeps its own period, unit, basis and source, because the firms report on different
calendars and bases (Alibaba's fiscal year to 31 March, segment against group figures, GMV
estimates). The table therefore sets figures side by side and never adds or ranks them.

* :func:`competitors` - the validated table (gaps stay blank, basis ``gap``);
* :func:`rival_table` - the student-facing frame, one row per firm, formatted text;
* :func:`rival_sources` - the source ids that frame cites (for ``ch.table(..., sources=...)``);
* :func:`model_map` - a chart placing each firm by business model and by whether its latest
  disclosed result was a profit or a loss (labels stacked in their cell, so none overlap).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import data, style

#: The firms, in the order the table shows them, with their display names.
FIRMS: dict[str, str] = {
    "choice": "AliExpress Choice (AIDC)",
    "temu": "Temu (PDD Holdings)",
    "shein": "SHEIN (希音)",
    "tiktok_shop": "TikTok Shop",
    "amazon": "Amazon",
    "shopee": "Shopee (Sea)",
    "lazada": "Lazada (AIDC)",
    "tokopedia": "Tokopedia (TikTok)",
    "trendyol": "Trendyol (AIDC)",
    "hepsiburada": "Hepsiburada",
}

#: The attributes, in column order, with their column headings.
ATTRIBUTES: dict[str, str] = {
    "model": "Model",
    "delivery_promise": "Delivery promise",
    "commission": "Commission or markup",
    "marketing_intensity": "Marketing intensity",
    "scale": "Scale",
    "profit": "Profit or loss",
}

#: Business-model classes, left to right on the chart: how much the platform controls.
MODELS: dict[str, str] = {
    "marketplace": "Marketplace\n(seller prices and ships)",
    "semi_managed": "Semi-managed\n(platform ships)",
    "fully_managed": "Fully managed\n(platform prices and ships)",
    "own_brand": "Own brand\n(retailer)",
}

#: Short names of the model classes, at the head of the table's model cells.
MODEL_SHORT: dict[str, str] = {
    "marketplace": "Marketplace",
    "semi_managed": "Semi-managed",
    "fully_managed": "Fully managed",
    "own_brand": "Own brand",
}

#: Result classes, bottom to top on the chart.
RESULTS: dict[str, str] = {
    "not_disclosed": "No profit figure\nfound",
    "loss": "Loss",
    "profit": "Profit",
}

GAP_TEXT = "not found"

#: The minus sign the exhibits print (U+2212), as elsewhere in the book.
MINUS = "\u2212"

_UNITS: dict[str, str] = {
    "rmb_m": "RMB {v:,.0f} m",
    "usd_m": "USD {v:,.0f} m",
    "usd_bn": "USD {v:,.1f} bn",
    "pct": "{v:.2f}%",
    "pct_of_revenue": "{v:.1f}% of revenue",
    "pct_sea_gmv": "{v:.1f}% of SE Asian GMV",
    "pct_growth": "+{v:.0f}%",
    "pct_same_next_day": "{v:.0f}% same or next day",
    "days": "{v:.0f} days",
}

_BASIS_MARK: dict[str, str] = {"estimate": " [est.]", "derived": " [derived]"}


def competitors() -> pd.DataFrame:
    """The validated competitor table (``data/competitors.csv``), firms in :data:`FIRMS` order.

    Checks beyond the metadata: a ``gap`` row has no value; every figure (a non-blank value) has
    a unit and a period; every model row names a business-model class."""
    t = data.load("competitors")
    unknown = set(t["firm"]) - set(FIRMS)
    if unknown:
        raise ValueError(f"data/competitors.csv: firms not in rivals.FIRMS: {sorted(unknown)}")
    gaps = t[t["basis"] == "gap"]
    if gaps["value"].notna().any():
        bad = gaps[gaps["value"].notna()][["firm", "attribute"]].values.tolist()
        raise ValueError(f"data/competitors.csv: a gap must stay blank, but has a value: {bad}")
    figures = t[t["value"].notna()]
    missing = figures[figures["unit"].isna() | figures["period"].isna()]
    if len(missing):
        raise ValueError(f"data/competitors.csv: figures without unit or period: {missing[['firm', 'attribute']].values.tolist()}")
    models = t[(t["attribute"] == "model") & (t["basis"] != "gap")]
    if models["category"].isna().any():
        raise ValueError("data/competitors.csv: every model row that is not a gap names its category")
    order = {**{f: i for i, f in enumerate(FIRMS)}, **{a: i for i, a in enumerate(ATTRIBUTES)}}
    return t.sort_values(["firm", "attribute"], key=lambda s: s.map(order)).reset_index(drop=True)


def figure(firm: str, attribute: str) -> float | None:
    """One figure of the table (None for a gap or a text-only fact)."""
    t = competitors().set_index(["firm", "attribute"])
    if (firm, attribute) not in t.index:
        raise KeyError(f"data/competitors.csv has no row ({firm!r}, {attribute!r})")
    v = t.loc[(firm, attribute), "value"]
    return None if pd.isna(v) else float(v)


def cell_text(row: pd.Series) -> str:
    """One cell of the student table: the figure with its unit and period, or the text; 'not
    found' for a gap. Estimates and derived figures carry a mark."""
    if row["basis"] == "gap":
        return GAP_TEXT
    mark = _BASIS_MARK.get(row["basis"], "")
    if pd.isna(row["value"]):
        text = str(row["text"])
        if row["attribute"] == "model" and isinstance(row["category"], str):
            short = MODEL_SHORT[row["category"]]
            if not text.lower().replace("-", " ").startswith(short.lower().replace("-", " ")):  # never "Fully managed: Fully managed ..."
                text = f"{short}: {text}"
        return f"{text} ({row['period']})" if isinstance(row["period"], str) and row["attribute"] == "profit" else text
    fmt = _UNITS[row["unit"]]
    v = float(row["value"])
    if row["unit"] in ("rmb_m", "usd_m", "usd_bn") and v < 0:
        amount = fmt.format(v=-v).replace("RMB ", f"RMB {MINUS}").replace("USD ", f"USD {MINUS}")
    else:
        amount = fmt.format(v=v)
    what = str(row["text"]) if isinstance(row["text"], str) else ""
    head = f"{amount}{mark}, {row['period']}"
    return f"{head}: {what}" if what else head


def rival_table() -> pd.DataFrame:
    """One row per firm, one column per attribute, formatted text (never added across firms).

    The model column shows the class and, after it, the description."""
    t = competitors()
    t = t[~t["firm"].isin(unread_firms())]
    t = t.assign(cell=[cell_text(r) for _, r in t.iterrows()])
    wide = t.pivot(index="firm", columns="attribute", values="cell")
    wide = wide.reindex(index=[f for f in FIRMS if f not in unread_firms()], columns=list(ATTRIBUTES)).fillna(GAP_TEXT)
    wide.index = [FIRMS[f] for f in wide.index]
    wide.index.name = "Firm"
    wide.columns = [ATTRIBUTES[a] for a in wide.columns]
    return wide.reset_index()


def unread_firms() -> list[str]:
    """Firms whose every row is a gap (their figures were not read): left off the table, and
    named in its note (:func:`unread_note`)."""
    t = competitors()
    return [f for f in FIRMS if f in set(t["firm"]) and (t[t["firm"] == f]["basis"] == "gap").all()]


def unread_note() -> str:
    """One sentence for the rival table's note naming the firms left off, or ''."""
    names = [FIRMS[f] for f in unread_firms()]
    if not names:
        return ""
    return f"{' and '.join(names)} {'is' if len(names) == 1 else 'are'} left off: {'its' if len(names) == 1 else 'their'} figures were not read."


def rival_sources() -> list[str]:
    """Every source id the rival table cites, in table order (the gap marker included: the
    table shows its 'not found' cells)."""
    return list(dict.fromkeys(competitors()["source"]))


def gaps() -> pd.DataFrame:
    """The (firm, attribute) pairs searched for and not found, with what was looked for."""
    t = competitors()
    return t[t["basis"] == "gap"][["firm", "attribute", "note"]].reset_index(drop=True)


def result_class(firm: str) -> str:
    """'profit', 'loss' or 'not_disclosed' from the firm's profit row: the sign of the latest
    disclosed figure, or a text-only profit fact (Trendyol's first operating profit)."""
    t = competitors()
    r = t[(t["firm"] == firm) & (t["attribute"] == "profit")]
    if r.empty or r.iloc[0]["basis"] == "gap":
        return "not_disclosed"
    v = r.iloc[0]["value"]
    if pd.isna(v):
        return "profit" if "profit" in str(r.iloc[0]["text"]).lower() else "not_disclosed"
    return "profit" if float(v) > 0 else "loss"


def model_class(firm: str) -> str | None:
    """The business-model class of a firm (None when its model row is a gap)."""
    t = competitors()
    r = t[(t["firm"] == firm) & (t["attribute"] == "model")]
    if r.empty or pd.isna(r.iloc[0]["category"]):
        return None
    return str(r.iloc[0]["category"])


def model_map_cells() -> dict[tuple[str, str], list[str]]:
    """(model class, result class) -> firm names placed in that cell, in table order. Firms
    whose model is a gap are left off the map (the table shows them)."""
    cells: dict[tuple[str, str], list[str]] = {}
    for firm in FIRMS:
        m = model_class(firm)
        if m is None:
            continue
        cells.setdefault((m, result_class(firm)), []).append(FIRMS[firm])
    return cells


def model_map(place_rivals: bool = False) -> Figure:
    """The grid of business model (x) against latest disclosed result (y), with AIDC's own
    businesses placed; the rivals are left for the reader to place from the rival table
    (``place_rivals=True`` places them too, for the instructor). Sorting the rivals into the
    grid is the decision page's question of who fights whom, so the student page poses it.

    Names in one cell are stacked one per line, centred in the cell, so labels never overlap;
    each AIDC name sits on a shaded, hatched label of its own (a cell is never shaded for a
    rival that shares it). The chart does not say which model wins."""
    cells = {k: v if place_rivals else [n for n in v if "(AIDC)" in n] for k, v in model_map_cells().items()}
    cells = {k: v for k, v in cells.items() if v}
    fig, ax = plt.subplots(figsize=(8.0, 4.4), dpi=80)
    xs, ys = list(MODELS), list(RESULTS)
    for (m, r), names in cells.items():
        x, y = xs.index(m), ys.index(r)
        step = 0.8 / max(len(names), 1)
        top = y + step * (len(names) - 1) / 2
        for i, name in enumerate(names):
            aidc = "(AIDC)" in name
            box = dict(boxstyle="round,pad=0.3", facecolor=style.COLOURS["aidc_wholesale"], alpha=0.5,
                       edgecolor=style.COLOURS["neutral"], linewidth=0.6, hatch=style.SECOND_HATCH) if aidc else None
            ax.text(x, top - i * step, name, ha="center", va="center", fontsize=8,
                    fontweight="bold" if aidc else "normal", color=style.COLOURS["highlight"], bbox=box)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylim(-0.5, len(ys) - 0.5)
    ax.set_xticks(range(len(xs)), [MODELS[m] for m in xs], fontsize=8)
    ax.set_yticks(range(len(ys)), [RESULTS[r] for r in ys], fontsize=8)
    ax.set_xlabel("Business model (who prices and who ships)")
    ax.set_ylabel("Latest result found before 30 June 2024")
    title = "Rivals by model and by their latest disclosed result" if place_rivals else \
        "AIDC's businesses by model and latest result: place the rivals"
    ax.set_title(title, fontsize=10)
    for v in range(1, len(xs)):
        ax.axvline(v - 0.5, color="#dddddd", linewidth=0.6)
    for h in range(1, len(ys)):
        ax.axhline(h - 0.5, color="#dddddd", linewidth=0.6)
    ax.grid(False)
    return fig


def labels_overlap(fig: Figure) -> bool:
    """True when two text labels inside the axes overlap (a test helper, kept here so a page
    can assert it too)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def scale_text(firm: str) -> str:
    """The scale cell of one firm (for prose: glue it rather than typing it)."""
    t = competitors()
    r = t[(t["firm"] == firm) & (t["attribute"] == "scale")]
    return GAP_TEXT if r.empty else cell_text(r.iloc[0])


__all__ = [
    "ATTRIBUTES",
    "FIRMS",
    "MODELS",
    "RESULTS",
    "cell_text",
    "competitors",
    "figure",
    "gaps",
    "labels_overlap",
    "model_class",
    "model_map",
    "model_map_cells",
    "result_class",
    "rival_sources",
    "rival_table",
    "scale_text",
    "unread_firms",
    "unread_note",
]

