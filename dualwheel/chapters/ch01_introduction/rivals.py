"""Chapter 1: the platforms' business models, and calendar against fiscal years for the rivals."""

from __future__ import annotations

from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ... import cutoff, data, segments, style

# --------------------------------------------------------------------------- business models

PLATFORMS: dict[str, str] = {
    "aliexpress": "AliExpress marketplace (速卖通)",
    "choice": "AliExpress Choice (全托管)",
    "alibaba_com": "Alibaba.com (阿里巴巴国际站)",
    "temu": "Temu",
    "shein": "SHEIN (希音)",
}
DIMENSIONS: dict[str, str] = {
    "inventory": "Who holds the stock",
    "pricing": "Who sets the price",
    "logistics": "How goods travel",
    "revenue": "How it earns",
    "exposure": "Low-value relief the route uses",
}
BASIS_MARKS: dict[str, str] = {"filing": "[F]", "company": "[C]", "press": "[P]", "book": "[R]"}


def business_model_matrix() -> pd.DataFrame:
    """Platforms as rows, the four dimensions as columns; each cell ends with a mark saying
    what supports it: [F] filing, [C] company statement, [P] press or web report, [R] the
    book's own reading."""
    t = data.load("platform_models")
    t = t.assign(cell=t["text"] + " " + t["basis"].map(BASIS_MARKS))
    wide = t.pivot(index="platform", columns="dimension", values="cell")
    wide = wide.loc[list(PLATFORMS), list(DIMENSIONS)]
    wide.index = [PLATFORMS[p] for p in wide.index]
    wide.columns = [DIMENSIONS[d] for d in wide.columns]
    return wide


def model_sources() -> list[str]:
    """Every source id the business-model matrix uses, in table order."""
    t = data.load("platform_models")
    ids = [i for pair in zip(t["source"], t["source_eu"], strict=True) for i in pair if i != "none"]
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- calendars


def _months_in_year(start: date, end: date, year: int) -> int:
    """Whole months of the period [start, end] that fall in a calendar year."""
    months = 0
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months += y == year
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


#: The decision date (the knowledge cut-off): the chapter shows no period whose results came
#: out after it.
KNOWN_BY = cutoff.decision_date().isoformat()  # typed once, in data/metadata.yml


def rival_revenue(known_by: str | None = KNOWN_BY) -> pd.DataFrame:
    """PDD (calendar years) and AIDC (fiscal years) revenue, with growth computed from the
    levels and, for each period, how many of its months fall in the calendar year of its
    label. Only periods ended by ``known_by`` (the decision date; ``None`` for all)."""
    t = data.load("rival_revenue").copy()
    if known_by is not None:
        t = t[t["period_end"] <= known_by]
    t["start"] = pd.to_datetime(t["period_start"]).dt.date
    t["end"] = pd.to_datetime(t["period_end"]).dt.date
    t["growth_pct"] = np.nan
    for _company, part in t.groupby("company", sort=False):
        part = part.sort_values("start")
        g = 100 * (part["revenue_rmb_m"] / part["revenue_rmb_m"].shift(1) - 1)
        t.loc[part.index, "growth_pct"] = g
    t["label_year"] = t["end"].map(lambda d: d.year)
    t["months_in_label_year"] = [
        _months_in_year(s, e, y) for s, e, y in zip(t["start"], t["end"], t["label_year"], strict=True)
    ]
    return t


def months_in_calendar_year(company: str, period: str, year: int) -> int:
    """How many months of a reporting period (e.g. AIDC 'FY2025') fall in a calendar year."""
    t = data.load("rival_revenue")
    sel = t[(t["company"] == company) & (t["period"] == period)]
    if sel.empty:
        raise KeyError(f"no period {period!r} for {company!r} in rival_revenue.csv")
    r = sel.iloc[0]
    start = pd.Timestamp(r["period_start"]).date()
    end = pd.Timestamp(r["period_end"]).date()
    return _months_in_year(start, end, year)


def aidc_matches_segment_table() -> bool:
    """True when the AIDC rows of ``rival_revenue`` from the FY2024 20-F equal the segment
    table (FY2022-FY2024, the FY2024 segment basis)."""
    t = data.load("rival_revenue")
    a = t[(t["company"] == "AIDC") & (t["source"] == "dec_sec_20f_fy2024")]
    return all(
        int(v) == segments.value("aidc_total", int(p.removeprefix("FY")))
        for p, v in zip(a["period"], a["revenue_rmb_m"], strict=True)
    )


def revenue_chart(known_by: str | None = KNOWN_BY) -> Figure:
    """Year-on-year revenue growth of PDD (calendar years) and AIDC (fiscal years), each bar
    placed at the middle of the period it covers, so the three-quarter offset shows."""
    t = rival_revenue(known_by).dropna(subset=["growth_pct"])
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    colours = {"PDD": "#6a3d9a", "AIDC": style.COLOURS["aidc_total"]}
    for company, part in t.groupby("company", sort=False):
        for r in part.itertuples():
            mid = r.start + (r.end - r.start) / 2
            x = mid.year + (mid.timetuple().tm_yday - 1) / 365
            ax.bar(x, r.growth_pct, width=0.42, color=colours[company], alpha=0.85)
            ax.text(x, r.growth_pct + 2, f"{r.period}\n{r.growth_pct:.0f}%", ha="center", fontsize=7)
    ax.set_ylabel("Revenue growth, year on year (%)")
    ax.set_ylim(0, 110)
    ax.set_xlim(2022.2, 2024.6)
    ax.set_xticks([2023, 2024], ["1 Jan 2023", "1 Jan 2024"], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(
        handles, ["PDD (calendar years)", "AIDC (fiscal years to 31 March)"], loc="upper right", fontsize=8
    )
    ax.set_title("Growth placed at the middle of each reporting period")
    return fig
