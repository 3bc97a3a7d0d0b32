"""Chapter 1: the size of China's cross-border e-commerce, by definition and by vintage."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ... import cutoff, data, style

# --------------------------------------------------------------------------- customs series

#: The first year of the full customs series. Earlier figures (2017) are the old, narrow
#: series of goods cleared through the customs e-commerce platform only.
FULL_SERIES_FROM = 2018

#: The decision date (the knowledge cut-off, see book/decision.md). The chapter's exhibits show
#: only figures released by then.
KNOWN_BY = cutoff.decision_date().isoformat()  # typed once, in data/metadata.yml


def known(released: str, known_by: str | None = KNOWN_BY) -> bool:
    """Was a figure released (YYYY-MM or YYYY-MM-DD) by ``known_by``? ``None``: no cut-off."""
    return known_by is None or str(released) <= known_by[: len(str(released))]


def _cbec() -> pd.DataFrame:
    return data.load("cbec_customs")


def cbec_value(period: str | int, vintage: str = "first") -> float:
    """Customs import+export value of cross-border e-commerce, trillion yuan.

    ``period`` is a calendar year (2024) or a part-year label ('2024H1'); ``vintage`` is
    'first' (as first published, often preliminary), 'revised' or 'later'.
    """
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty:
        known = ", ".join(f"{p} ({v})" for p, v in zip(t["period"], t["vintage"], strict=True))
        raise KeyError(f"no customs figure for period {period!r}, vintage {vintage!r}; known: {known}")
    return float(sel["value_trn_yuan"].iloc[0])


def published_growth(period: str | int, vintage: str = "first") -> float:
    """The year-on-year growth rate customs published with a figure, in percent."""
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty or pd.isna(sel["growth_pct"].iloc[0]):
        raise KeyError(f"no published growth rate for period {period!r}, vintage {vintage!r}")
    return float(sel["growth_pct"].iloc[0])


def goods_trade(year: int, flow: str = "total") -> float:
    """China's goods trade in a calendar year, trillion yuan: ``flow`` "total" (imports +
    exports), "exports" or "imports"."""
    if flow not in ("total", "exports", "imports"):
        raise ValueError(f"flow must be 'total', 'exports' or 'imports'; got {flow!r}")
    t = data.load("goods_trade").set_index("calendar_year")
    if year not in t.index or pd.isna(t.loc[year, f"{flow}_trn_yuan"]):
        known = ", ".join(str(y) for y in t.index[t[f"{flow}_trn_yuan"].notna()])
        raise KeyError(f"no goods-trade {flow} for {year}; known years: {known}")
    return float(t.loc[year, f"{flow}_trn_yuan"])


def cbec_row(period: str | int, vintage: str = "first") -> dict:
    """One row of ``cbec_customs.csv`` as a dict (value, exports, imports, growth, source...)."""
    t = _cbec()
    sel = t[(t["period"] == str(period)) & (t["vintage"] == vintage)]
    if sel.empty:
        raise KeyError(f"no customs figure for period {period!r}, vintage {vintage!r}")
    return sel.iloc[0].to_dict()


def share_of_trade(year: int, vintage: str = "first") -> float:
    """Cross-border e-commerce as a percentage of goods trade in a calendar year.

    Both numbers are customs import+export values, and the e-commerce figure is a grouping
    *within* goods trade, so the ratio is a true share (unlike an industry "transaction
    scale", which counts things customs does not).
    """
    if year < FULL_SERIES_FROM:
        raise ValueError(
            f"{year} is in the old narrow series (customs platform only); a share of trade is only "
            f"meaningful on the full series, from {FULL_SERIES_FROM}"
        )
    return 100 * cbec_value(year, vintage) / goods_trade(year)


def implied_previous(level: float, growth_pct: float) -> float:
    """The prior-period level implied by a level and its growth rate: level / (1 + g)."""
    if growth_pct <= -100:
        raise ValueError(f"a growth rate of {growth_pct}% is impossible (it must be above -100%)")
    return level / (1 + growth_pct / 100)


def growth_between(start: float, end: float) -> float:
    """Growth from one level to the next, in percent."""
    if start <= 0:
        raise ValueError(f"a growth rate needs a positive starting level, got {start}")
    return 100 * (end / start - 1)


def annual_series(known_by: str | None = KNOWN_BY) -> pd.DataFrame:
    """One row per calendar year of the customs series as first published, with the share of
    goods trade (computed, and as reported by customs where it reported one). Only figures
    released by ``known_by`` (the decision date; ``None`` for every vintage)."""
    t = _cbec()
    t = t[[known(r, known_by) for r in t["released"]]]
    years = t[(t["months"] == 12) & (t["vintage"] == "first")].copy()
    trade = data.load("goods_trade").set_index("calendar_year")["total_trn_yuan"]
    # the latest figure that replaced or followed the first one (revised or later), per year
    replaced = t[(t["months"] == 12) & (t["vintage"] != "first")].sort_values("released")
    later = replaced.groupby("calendar_year")["value_trn_yuan"].last()
    rows = []
    for r in years.itertuples():
        y = int(r.calendar_year)
        full = r.series == "full"
        rows.append(
            {
                "year": y,
                "series": r.series,
                "value_trn_yuan": float(r.value_trn_yuan),
                "exports_trn_yuan": r.exports_trn_yuan,
                "imports_trn_yuan": r.imports_trn_yuan,
                "growth_pct": r.growth_pct,
                "goods_trade_trn_yuan": float(trade[y]) if y in trade.index else np.nan,
                "share_pct": share_of_trade(y) if full and y in trade.index else np.nan,
                "share_reported_pct": r.share_reported_pct,
                "later_trn_yuan": float(later[y]) if y in later.index else np.nan,
                "released": r.released,
                "status": r.status,
                "confidence": r.confidence,
                "source": r.source,
            }
        )
    # 2018 exists only as a later (retrospective) figure: add it as the series' first year
    first = t[(t["calendar_year"] == FULL_SERIES_FROM) & (t["months"] == 12)]
    if FULL_SERIES_FROM not in {row["year"] for row in rows} and not first.empty:
        r = first.iloc[0]
        rows.append(
            {
                "year": FULL_SERIES_FROM,
                "series": r["series"],
                "value_trn_yuan": float(r["value_trn_yuan"]),
                "exports_trn_yuan": np.nan,
                "imports_trn_yuan": np.nan,
                "growth_pct": np.nan,
                "goods_trade_trn_yuan": float(trade[FULL_SERIES_FROM]),
                "share_pct": 100 * float(r["value_trn_yuan"]) / float(trade[FULL_SERIES_FROM]),
                "share_reported_pct": np.nan,
                "later_trn_yuan": np.nan,
                "released": r["released"],
                "status": r["status"],
                "confidence": r["confidence"],
                "source": r["source"],
            }
        )
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True)


def half_unit(x: float) -> float:
    """Half a unit of the last decimal a published figure shows (2.1 -> 0.05, 2.38 -> 0.005):
    the rounding any true value behind it may hide."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-decimals


def level_bounds(row: dict) -> tuple[float, float]:
    """The range a published level may stand for, within rounding.

    The headline (2.1) stands for 2.05 to 2.15. When the same release also gives exports and
    imports (1.53 and 0.5278), their sum is a second, often tighter, reading of the same level
    (2.0528 to 2.0629): the true level lies where the two ranges overlap. Without the split,
    only the headline's rounding counts."""
    v = float(row["value_trn_yuan"])
    lo, hi = v - half_unit(v), v + half_unit(v)
    x, m = row.get("exports_trn_yuan"), row.get("imports_trn_yuan")
    if x is not None and m is not None and not pd.isna(x) and not pd.isna(m):
        slack = half_unit(float(x)) + half_unit(float(m))
        lo, hi = max(lo, x + m - slack), min(hi, x + m + slack)
        if lo > hi:
            raise ValueError(f"exports + imports ({x + m:g}) do not round to the headline {v:g}")
    return lo, hi


def level_label(level: float, lo: float, hi: float) -> str:
    """A published level as shown, with the level its exports and imports pin it to in brackets
    when that is tighter than the headline's own rounding (2.1 -> "2.1 (2.0578)")."""
    if hi - lo < 2 * half_unit(level) - 1e-12:
        return f"{level:g} ({(lo + hi) / 2:.4f})"
    return f"{level:g}"


def _annual_rows(known_by: str | None = KNOWN_BY) -> pd.DataFrame:
    t = _cbec()
    t = t[[known(r, known_by) for r in t["released"]]]
    return t[(t["months"] == 12) & (t["series"] == "full")].sort_values(["calendar_year", "released"])


def growth_check(known_by: str | None = KNOWN_BY) -> pd.DataFrame:
    """For each published annual growth rate, test whether it fits the two levels it connects,
    *within rounding*.

    Each rate is set against the prior year's level as it stood when the rate was released (the
    latest vintage published before it). Each level may hide up to half a unit of its last
    decimal, or less when exports and imports pin it down (:func:`level_bounds`); the rate (one
    decimal) up to 0.05 points. ``growth_min_pct``/``growth_max_pct`` bound the growth the two
    levels allow; the rate fits when its own rounding interval overlaps those bounds. (The prior
    level a rate implies is one division: :func:`implied_previous`.)
    Only figures released by ``known_by`` (the decision date; ``None`` for every vintage)."""
    rows_all = _annual_rows(known_by)
    rows = []
    for r in rows_all.itertuples():
        if pd.isna(r.growth_pct):
            continue
        before = rows_all[(rows_all["calendar_year"] == r.calendar_year - 1) & (rows_all["released"] < r.released)]
        if before.empty:
            continue
        prior_row = before.iloc[-1].to_dict()
        lo, hi = level_bounds(r._asdict())
        plo, phi = level_bounds(prior_row)
        level, prior = (lo + hi) / 2, (plo + phi) / 2
        g, hg = float(r.growth_pct), 0.05
        gmin, gmax = growth_between(phi, lo), growth_between(plo, hi)
        rows.append(
            {
                "year": int(r.calendar_year),
                "vintage": r.vintage,
                "released": r.released,
                "level": float(r.value_trn_yuan),
                "level_min": lo,
                "level_max": hi,
                "published_growth_pct": g,
                "prior_published": float(prior_row["value_trn_yuan"]),
                "prior_vintage": prior_row["vintage"],
                "growth_from_levels_pct": growth_between(prior, level),
                "growth_min_pct": gmin,
                "growth_max_pct": gmax,
                "fits_within_rounding": bool(g + hg >= gmin and g - hg <= gmax),
            }
        )
    return pd.DataFrame(rows)


def implied_revised_level(year: int) -> float:
    """The level for ``year`` on which the vintages of the next year's growth rate agree
    (trillion yuan): the mean of level / (1 + g) over those vintages.

    Customs restated its 2021 base without republishing it as a headline; both 2022 vintages
    (2.11 at +9.8% and 2.058 at +7.1%) point to about 1.92 trillion, not the 1.98 first given.
    A year whose next-year rate has one vintage only has no agreement to measure: ValueError
    (one rate's implied level is :func:`implied_previous`)."""
    g = growth_check()
    sel = g[g["year"] == year + 1]
    if sel.empty:
        raise KeyError(f"no published growth rate for {year + 1} to imply a {year} level from")
    if len(sel) < 2:
        raise ValueError(f"{year + 1} has one vintage of its growth rate; use implied_previous(level, growth)")
    mids = (sel["level_min"] + sel["level_max"]) / 2
    implied = [implied_previous(m, r) for m, r in zip(mids, sel["published_growth_pct"], strict=True)]
    return float(sum(implied) / len(implied))


def vintages() -> pd.DataFrame:
    """Periods that customs (or later sources) gave more than one figure for."""
    t = _cbec()
    many = t.groupby("period")["vintage"].transform("count") > 1
    cols = ["period", "vintage", "status", "released", "value_trn_yuan", "growth_pct", "confidence", "source"]
    return t[many][cols].reset_index(drop=True)


# --------------------------------------------------------------------------- three sizes


def market_size(measure_id: str) -> float:
    """One published market-size figure, in its own unit (see ``market_sizes.csv``)."""
    t = data.load("market_sizes").set_index("measure_id")
    if measure_id not in t.index:
        raise KeyError(f"no market-size measure {measure_id!r}; known: {', '.join(t.index)}")
    return float(t.loc[measure_id, "value"])


def market_size_share(measure_id: str) -> float:
    """The share of goods trade a market-size source claimed for its own measure, in percent."""
    t = data.load("market_sizes").set_index("measure_id")
    if measure_id not in t.index or pd.isna(t.loc[measure_id, "share_of_trade_claimed_pct"]):
        raise KeyError(f"market-size measure {measure_id!r} claims no share of trade")
    return float(t.loc[measure_id, "share_of_trade_claimed_pct"])


def implied_yuan_per_dollar() -> float:
    """The exchange rate implied by Xinhua's own conversion of the industry forecast
    (trillion yuan ÷ billion dollars × 1000). An estimate for a rough comparison only."""
    return 1000 * market_size("industry_2018_yuan") / market_size("industry_2018_usd")


def first_full_year(known_by: str | None = KNOWN_BY) -> int:
    """The first year of the full customs series published by ``known_by``: 2020 at the
    decision date (customs gave its 2018 level only in August 2024, looking back)."""
    s = annual_series(known_by)
    return int(s.loc[s["series"] == "full", "year"].min())


def size_ratios(known_by: str | None = KNOWN_BY) -> dict[str, float]:
    """How far apart the measures are.

    * industry transaction scale (2018 forecast) ÷ the customs value of the first full-series
      year published by ``known_by`` (2020 at the decision date; 2018 without a cut-off), both
      yuan, both China: the customs year is later, so the ratio understates the gap;
    * industry transaction scale ÷ UNCTAD's global cross-border B2C (both 2018, US dollars);
    * the customs value in dollars at the implied rate, and its ratio to UNCTAD's global B2C.
    """
    customs = market_size("customs_2018") if known_by is None else cbec_value(first_full_year(known_by))
    customs_usd_bn = 1000 * customs / implied_yuan_per_dollar()
    return {
        "industry_over_customs": market_size("industry_2018_yuan") / customs,
        "industry_over_unctad": market_size("industry_2018_usd") / market_size("unctad_2018"),
        "customs_usd_bn": customs_usd_bn,
        "customs_over_unctad": customs_usd_bn / market_size("unctad_2018"),
    }


#: The customs measure's definition (market_sizes.csv's customs row, its words only: the student's
#: copy of data/ has no customs row, as the one there was published after the decision date;
#: tests/unit/test_student_data.py checks the two agree).
CUSTOMS_MEASURE = {
    "measure": "Customs import+export value (跨境电商进出口)",
    "unit": "trillion_yuan",
    "kind": "official",
    "scope": "China",
    "covers": "Imports and exports that customs classifies as cross-border e-commerce: a grouping within "
    "total goods trade, so a share of trade is meaningful",
}


def three_sizes(known_by: str | None = KNOWN_BY) -> pd.DataFrame:
    """The three measures side by side, each with its unit, definition and confidence: the 2018
    industry forecast and UNCTAD estimate, and the customs value. Without a cut-off the customs
    row is 2018 (published in 2024); at the decision date it is the first full-series year then
    published (2020), built from ``cbec_customs.csv``."""
    t = data.load("market_sizes")
    keep = ["industry_2018_yuan", "industry_2018_usd", "unctad_2018"]
    if known_by is None:
        return t[t["measure_id"].isin(["customs_2018", *keep])].reset_index(drop=True)
    year = first_full_year(known_by)
    row = cbec_row(year)
    # the 2018 row lends the measure's definition where data/ holds it; otherwise the definition
    # comes from the customs row itself
    template = t[t["measure_id"] == "customs_2018"]
    customs = template.iloc[0].to_dict() if len(template) else {**CUSTOMS_MEASURE, "share_of_trade_claimed_pct": None}
    customs.update(
        measure_id=f"customs_{year}",
        calendar_year=year,
        value=float(row["value_trn_yuan"]),
        confidence=row["confidence"],
        source=row["source"],
    )
    return pd.concat([pd.DataFrame([customs], columns=t.columns), t[t["measure_id"].isin(keep)]], ignore_index=True)


# --------------------------------------------------------------------------- charts


def cbec_chart(known_by: str | None = KNOWN_BY) -> Figure:
    """Cross-border e-commerce value (bars) and its share of goods trade (line), from the first
    full-series year published by ``known_by`` to the last, with a figure that replaced or
    followed a bar marked, and a missing year marked."""
    s = annual_series(known_by)
    s = s[s["series"] == "full"]
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    years = list(range(int(s["year"].min()), int(s["year"].max()) + 1))
    by_year = s.set_index("year")
    for y in years:
        if y not in by_year.index:
            ax.text(
                y, 0.1, "not published\non this series", ha="center", va="bottom", fontsize=7, color="#777777"
            )
            continue
        row = by_year.loc[y]
        prelim = y == years[-1]
        ax.bar(
            y,
            row["value_trn_yuan"],
            width=0.6,
            color=style.COLOURS["aidc_total"],
            alpha=0.55 if prelim else 0.9,
        )
        ax.text(
            y, 0.08, f"{row['value_trn_yuan']:.2f}", ha="center", fontsize=8, color="white", fontweight="bold"
        )
        if not pd.isna(row["later_trn_yuan"]):
            ax.plot([y - 0.3, y + 0.3], [row["later_trn_yuan"]] * 2, color=style.COLOURS["highlight"], lw=2)
            ax.text(
                y + 0.34,
                row["later_trn_yuan"],
                f"revised\n{row['later_trn_yuan']:.2g}",
                fontsize=7,
                va="center",
            )
    ax.set_ylabel("Trillion yuan (万亿元)")
    ax.set_ylim(0, 3.0)
    ax.set_xticks(years, [str(y) + ("\nprelim." if y == years[-1] else "") for y in years], fontsize=8)
    bx = ax.twinx()
    shares = by_year["share_pct"].dropna()
    bx.plot(shares.index, shares.values, "o-", color=style.COLOURS["cloud"], lw=1.5)
    for y, v in shares.items():
        bx.text(y, v + 0.25, f"{v:.1f}%", ha="center", fontsize=8, color=style.COLOURS["cloud"])
    bx.set_ylim(0, 8)
    bx.set_ylabel("Share of goods trade (%)", color=style.COLOURS["cloud"])
    bx.spines["right"].set_visible(True)
    ax.set_title("Cross-border e-commerce, customs basis (calendar years)")
    return fig
