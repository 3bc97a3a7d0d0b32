"""Chapter 4, Strategic drivers (战略驱动因素): theories of market entry tested on dated entries.

The paper explains where Alibaba went abroad with four theories (Uppsala, OLI, Blue Ocean,
institutional theory). This module turns those explanations into something that can fail:

* distances between China and each market, measured four ways (geographic, cultural with a
  Kogut-Singh index on Hofstede's scores, economic, digital);
* the order in which Alibaba actually made its first local commitment in each market, from
  ``data/entries.csv``;
* a scoring model whose weights stand for a theory, and the Spearman rank correlation between
  the ranking it implies and the actual order of entry.

Every function is pure: tables in, frames or numbers out. Charts are built at the edge.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from dualwheel import claims, data, style

#: Hofstede's six dimensions, in the order of the official file.
DIMENSIONS: tuple[str, ...] = ("pdi", "idv", "mas", "uai", "lto", "ivr")
DIMENSION_LABELS: dict[str, str] = {
    "pdi": "Power distance",
    "idv": "Individualism",
    "mas": "Masculinity",
    "uai": "Uncertainty avoidance",
    "lto": "Long-term orientation",
    "ivr": "Indulgence",
}
HOME = "CHN"

#: The year the market indicators are read for: Alibaba's first equity entry abroad (Lazada).
INDICATOR_YEAR = 2016

#: What counts as entering a market: a local commitment by Alibaba Group itself (control of a
#: local platform, a joint venture or its own local launch). Export platforms open to the whole
#: world, minority stakes and deals by the affiliate Ant Financial do not count.
ENTRY_MODES: tuple[str, ...] = ("acquisition", "joint_venture", "own_launch")
ENTRY_INVESTOR = "Alibaba Group"

#: The test's cut-off: entries to the end of this year count (the paper's own period ends in
#: 2022 with Miravia). Later moves stay in data/entries.csv but are not in the ranking test, e.g.
#: the Korean joint venture with Shinsegae (announced December 2024, approved in 2025).
ENTRY_CUTOFF_YEAR = 2022

MODE_LABELS: dict[str, str] = {
    "export_platform": "Export platform (出口平台)",
    "own_launch": "Own local launch (自建)",
    "acquisition": "Acquisition (并购)",
    "stake_increase": "Stake increase (增持)",
    "minority_stake": "Minority stake (少数股权)",
    "joint_venture": "Joint venture (合资)",
}

#: The four criteria the what-if weighs; each becomes a z-score with "more is better" sign.
CRITERIA: tuple[str, ...] = ("size", "geo", "culture", "digital")
CRITERIA_LABELS: dict[str, str] = {
    "size": "Market size (GDP, PPP)",
    "geo": "Geographic closeness",
    "culture": "Cultural closeness",
    "digital": "Digital readiness",
}

#: Weights each theory implies, as the casebook reads it (an interpretation, open to debate).
#: Blue Ocean prefers large markets that are *not yet* online: a negative weight on readiness.
THEORY_PRESETS: dict[str, dict[str, float]] = {
    "Uppsala (near first)": {"size": 0, "geo": 1, "culture": 1, "digital": 0},
    "OLI (location advantages)": {"size": 1, "geo": 0, "culture": 0, "digital": 1},
    "Blue Ocean (untapped demand)": {"size": 1, "geo": 0, "culture": 0, "digital": -1},
}

SAMPLES: dict[str, str] = {
    "entered": "Only markets Alibaba entered",
    "all": f"All markets (not entered by {ENTRY_CUTOFF_YEAR} = last)",
}


# ----------------------------------------------------------------------------- distances
def hofstede() -> pd.DataFrame:
    """The official Hofstede file (all rows), indexed by its country code."""
    return data.load("hofstede").set_index("code")


def hofstede_variances(dims: tuple[str, ...] = DIMENSIONS) -> pd.Series:
    """Variance of each dimension across every row of the official file that has a score.

    Kogut and Singh divide each squared difference by the dimension's variance so that no
    dimension dominates because of its spread. The variance is the sample variance (n - 1)
    over all countries and regions in the file, not only the markets compared here.
    """
    return hofstede()[list(dims)].astype(float).var(ddof=1)


def kogut_singh(iso3: str, home: str = HOME, dims: tuple[str, ...] = DIMENSIONS) -> float:
    """Kogut-Singh cultural distance between ``home`` and ``iso3`` on Hofstede's scores.

    KS = (1/n) * sum over dimensions of (I_market - I_home)^2 / V_dimension.

    Returns NaN when the market is absent from the Hofstede file (Sri Lanka, Nepal): a
    missing score stays missing. Raises ValueError for a code that is not a compared market.

    >>> round(kogut_singh("CHN"), 3)
    0.0
    """
    known = set(data.load("markets")["iso3"])
    if iso3 not in known or home not in known:
        bad = iso3 if iso3 not in known else home
        raise ValueError(f"unknown market {bad!r}; use an ISO alpha-3 code from data/markets.csv, e.g. 'IDN'")
    if not dims:
        raise ValueError("choose at least one Hofstede dimension")
    scores = hofstede().dropna(subset=["iso3"]).set_index("iso3")
    if iso3 not in scores.index:
        return math.nan
    var = hofstede_variances(dims)
    diff = scores.loc[iso3, list(dims)].astype(float) - scores.loc[home, list(dims)].astype(float)
    return float(((diff**2) / var).sum() / len(dims))


def indicators(year: int = INDICATOR_YEAR) -> pd.DataFrame:
    """One row per market: CEPII distances and flags, and the year's readiness, income, population."""
    ind = data.load("market_indicators")
    static = ind[ind["year"].isna()].pivot(index="iso3", columns="indicator", values="value")
    dated = ind[ind["year"] == year].pivot(index="iso3", columns="indicator", values="value")
    return static.join(dated, how="outer")


# ----------------------------------------------------------------------------- entries
def _parse_date(text: str) -> pd.Timestamp:
    """'2018', '2018-06' or '2018-05-08' -> the first day of the period it names."""
    parts = str(text).split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"entry date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    return pd.Timestamp(year=year, month=month, day=day)


def entries() -> pd.DataFrame:
    """data/entries.csv with a sortable ``start`` date, in date order."""
    e = data.load("entries").copy()
    e["start"] = e["date"].map(_parse_date)
    return e.sort_values(["start", "entry_id"]).reset_index(drop=True)


def entries_by_market() -> pd.DataFrame:
    """One row per (entry, market): the entries table with its market lists exploded."""
    e = entries()
    e["iso3"] = e["markets"].str.split(";")
    return e.explode("iso3").reset_index(drop=True)


def counts_as_entry(frame: pd.DataFrame) -> pd.Series:
    """True for rows that are a local commitment by Alibaba Group itself (see ENTRY_MODES)
    made by the end of ENTRY_CUTOFF_YEAR."""
    return (
        frame["mode"].isin(ENTRY_MODES)
        & (frame["investor"] == ENTRY_INVESTOR)
        & (frame["year"] <= ENTRY_CUTOFF_YEAR)
    )


def first_entries() -> pd.DataFrame:
    """Each market's first local commitment: date, year, vehicle and mode (one row per market)."""
    e = entries_by_market()
    e = e[counts_as_entry(e)]
    first = e.sort_values("start").groupby("iso3", as_index=False).first()
    return first[["iso3", "start", "year", "vehicle", "mode", "stake_pct", "entry_id"]]


def entry_timeline() -> pd.DataFrame:
    """The entries table for display: date, vehicle, markets (ISO codes), mode, investor, stake, amount.

    Markets are shown as ISO codes so the table fits a printed page; the confidence of each row
    stays in data/entries.csv.
    """
    e = entries()
    return pd.DataFrame(
        {
            "Date": e["date"],
            "Vehicle": e["vehicle"],
            "Markets": e["markets"].str.replace(";", ", ").str.replace("GLOBAL", "worldwide"),
            "Mode": e["mode"].map(MODE_LABELS),
            "Investor": e["investor"].str.replace("Alibaba Group", "Alibaba"),
            "Stake": e["stake_pct"].map(lambda v: "" if pd.isna(v) else f"{v:g}%"),
            "USD m": e["amount_usd_m"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
            "Entry?": [
                "yes" if hit else ("after cut-off" if late else "no")
                for hit, late in zip(
                    counts_as_entry(e),
                    e["mode"].isin(ENTRY_MODES)
                    & (e["investor"] == ENTRY_INVESTOR)
                    & (e["year"] > ENTRY_CUTOFF_YEAR),
                    strict=True,
                )
            ],
        }
    )


# ----------------------------------------------------------------------------- the market table
def market_table(year: int = INDICATOR_YEAR) -> pd.DataFrame:
    """Every foreign market with its four distances, size, readiness and first entry.

    ``ks_index`` is NaN for markets without Hofstede scores; ``entry_year`` is NaN for markets
    where Alibaba made no local commitment in ``data/entries.csv``. Returns a fresh copy.
    """
    return _market_table(year).copy()


@functools.cache
def _market_table(year: int) -> pd.DataFrame:
    m = data.load("markets").set_index("iso3")
    m = m[m.index != HOME]
    ind = indicators(year)
    out = m[["country", "country_zh", "region"]].join(ind, how="left")
    out["gdp_ppp_bn"] = out["population"] * out["gdp_pc_ppp"] / 1e9
    out["ks_index"] = [kogut_singh(i) for i in out.index]
    first = first_entries().set_index("iso3")
    out = out.join(first[["start", "year", "vehicle", "mode"]].rename(columns={"year": "entry_year"}))
    return out.sort_values(["start", "dist_km"], na_position="last")


data.register_cache(_market_table)


# ----------------------------------------------------------------------------- ranking model
def spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman rank correlation: Pearson correlation of average ranks (ties share a rank)."""
    if len(x) != len(y):
        raise ValueError("spearman needs two series of the same length")
    rx, ry = pd.Series(x).rank(method="average"), pd.Series(y).rank(method="average")
    if len(rx) < 3 or rx.nunique() < 2 or ry.nunique() < 2:
        return math.nan
    return float(np.corrcoef(rx.to_numpy(), ry.to_numpy())[0, 1])


def _z(s: pd.Series) -> pd.Series:
    sd = s.std(ddof=0)
    return (s - s.mean()) / sd if sd > 0 else s * 0.0


@dataclass(frozen=True)
class Ranking:
    """The result of scoring the markets with one set of weights."""

    table: pd.DataFrame  # one row per ranked market: score, model_rank, actual_rank
    rho: float  # Spearman correlation between the model's ranking and the actual order
    dropped: list[str] = field(default_factory=list)  # markets left out for missing data
    weights: dict[str, float] = field(default_factory=dict)
    sample: str = "entered"

    @property
    def n(self) -> int:
        return len(self.table)


def rank_markets(
    size: float,
    geo: float,
    culture: float,
    digital: float,
    sample: str = "entered",
    year: int = INDICATOR_YEAR,
) -> Ranking:
    """Score each market with the given weights and compare the ranking with the actual order.

    Each criterion is a z-score across the ranked markets, signed so that more is more
    attractive: log of GDP (PPP) for size, minus distance in km, minus the Kogut-Singh index,
    internet penetration for readiness. The score is the weighted sum. A market lacking a
    criterion that has a non-zero weight is dropped (Sri Lanka and Nepal when culture counts).

    ``sample="entered"`` ranks only markets with a local commitment; ``"all"`` also ranks
    markets never entered, tied in last place of the actual order.
    """
    if sample not in SAMPLES:
        raise ValueError(f"sample must be one of {list(SAMPLES)}, not {sample!r}")
    weights = {"size": size, "geo": geo, "culture": culture, "digital": digital}
    for name, w in weights.items():
        if not isinstance(w, int | float) or not math.isfinite(w):
            raise ValueError(f"weight {name!r} must be a finite number, not {w!r}")
    m = market_table(year)
    if sample == "entered":
        m = m[m["start"].notna()]
    raw = pd.DataFrame(
        {
            "size": np.log(m["gdp_ppp_bn"]),
            "geo": -m["dist_km"],
            "culture": -m["ks_index"],
            "digital": m["internet_pct"],
        },
        index=m.index,
    )
    needed = [c for c in CRITERIA if weights[c] != 0]
    keep = raw[needed].notna().all(axis=1) if needed else pd.Series(True, index=raw.index)
    dropped = [m.loc[i, "country"] for i in raw.index[~keep]]
    raw, m = raw[keep], m[keep]
    score = sum(weights[c] * _z(raw[c]) for c in needed) if needed else pd.Series(0.0, index=raw.index)
    # days since 1970 as the sort key; never-entered markets tie after every entered one
    actual = pd.Series(
        [math.inf if pd.isna(t) else t.timestamp() / 86400 for t in m["start"]], index=m.index, dtype=float
    )
    table = pd.DataFrame(
        {
            "country": m["country"],
            "score": score,
            "model_rank": (-score).rank(method="average"),
            "actual_rank": actual.rank(method="average"),
            "entry_year": m["entry_year"],
        }
    ).sort_values(["model_rank", "country"])
    rho = spearman(table["model_rank"], table["actual_rank"]) if needed else math.nan
    return Ranking(table=table, rho=rho, dropped=dropped, weights=weights, sample=sample)


def preset_table() -> pd.DataFrame:
    """THEORY_PRESETS as a small table: one row per preset, one column per criterion (labelled)."""
    frame = pd.DataFrame.from_dict(THEORY_PRESETS, orient="index")[list(CRITERIA)]
    frame = frame.rename(columns=CRITERIA_LABELS).astype(int)
    frame.index.name = "Preset"
    return frame


def preset_fits(sample: str = "entered") -> pd.DataFrame:
    """Each theory preset's weights and the Spearman correlation of its ranking with the actual order."""
    rows = []
    for theory, w in THEORY_PRESETS.items():
        r = rank_markets(**w, sample=sample)
        rows.append({"theory": theory, **w, "rho": r.rho, "n": r.n})
    return pd.DataFrame(rows)


#: Slider grid of the what-if (kept small: 2 x 2 x 2 x 3 = 24 frames, the page stays light).
WEIGHT_GRID: dict[str, tuple[float, ...]] = {
    "size": (0, 1),
    "geo": (0, 1),
    "culture": (0, 1),
    "digital": (-1, 0, 1),
}


def all_weightings(sample: str = "entered") -> pd.DataFrame:
    """The Spearman correlation of every weighting on the what-if's grid (all-zero excluded).

    The point of the table is the spread: how many weightings fit the actual order well.
    """
    rows = []
    for combo in itertools.product(*WEIGHT_GRID.values()):
        w = dict(zip(WEIGHT_GRID, combo, strict=True))
        if not any(w.values()):
            continue
        r = rank_markets(**w, sample=sample)
        rows.append({**w, "rho": r.rho, "n": r.n})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- charts and readouts
#: The colour of a market by the year Alibaba first entered it (grey: not entered).
ENTRY_COLOURS = {
    2016: style.COLOURS["aidc_total"],
    2018: style.COLOURS["taotian_total"],
    2019: style.COLOURS["scenario"],
    2022: style.COLOURS["cloud"],
}


def _entry_colour(year: float) -> str:
    if pd.isna(year):
        return style.COLOURS["old"]
    return ENTRY_COLOURS.get(int(year), style.COLOURS["highlight"])


def distance_chart(measure: str = "dist_km") -> Figure:
    """Distance from China against market size (GDP, PPP, 2016), one labelled point per market.

    ``measure`` is ``dist_km`` (geographic) or ``ks_index`` (cultural). Markets without the
    measure are listed under the chart rather than placed at a guessed position.
    """
    if measure not in ("dist_km", "ks_index"):
        raise ValueError("measure must be 'dist_km' or 'ks_index'")
    m = market_table()
    shown = m[m[measure].notna()]
    missing = m.index[m[measure].isna()].tolist()
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for iso, row in shown.iterrows():
        colour = _entry_colour(row["entry_year"])
        ax.scatter(row[measure], row["gdp_ppp_bn"], s=40, color=colour, zorder=3)
        year = "none" if pd.isna(row["entry_year"]) else f"{int(row['entry_year'])}"
        ax.annotate(
            f"{iso} {year}",
            (row[measure], row["gdp_ppp_bn"]),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=8,
            color=colour,
        )
    ax.set_yscale("log")
    ax.set_ylabel("GDP 2016, PPP (billion intl. dollars, log scale)")
    label = (
        "Distance from China (km, CEPII)"
        if measure == "dist_km"
        else "Kogut–Singh index from China (Hofstede)"
    )
    ax.set_xlabel(label)
    ax.set_title("Distance and size; label = year of first local entry")
    if missing:
        names = ", ".join(m.loc[i, "country"] for i in missing)
        ax.text(
            0.0, -0.2, f"Not shown (no score): {names}", transform=ax.transAxes, fontsize=8, color="#555555"
        )
    return fig


def rank_chart(result: Ranking, values: Mapping[str, object]) -> Figure:
    """Model rank (x) against actual order of entry (y), one labelled point per ranked market."""
    fig, ax = plt.subplots(figsize=(6.8, 3.9))
    t = result.table
    if len(t) and not math.isnan(result.rho):
        colours = [_entry_colour(y) for y in t["entry_year"]]
        ax.scatter(t["model_rank"], t["actual_rank"], s=36, color=colours, zorder=3)
        for iso, row in t.iterrows():
            ax.annotate(
                iso,
                (row["model_rank"], row["actual_rank"]),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=8,
            )
        ax.plot([1, 17], [1, 17], color="#bbbbbb", lw=1, ls="--", zorder=1)
    else:
        ax.text(
            0.5, 0.5, "No ranking: every weight is zero", ha="center", va="center", transform=ax.transAxes
        )
    ax.set_xlim(0, 18)
    ax.set_ylim(0, 18)
    ax.set_xlabel("Model's rank (1 = most attractive)")
    ax.set_ylabel("Actual order of entry (1 = first)")
    rho = "n/a" if math.isnan(result.rho) else f"{result.rho:+.2f}"
    ax.set_title(f"Model rank against actual entry order, Spearman ρ = {rho}")
    return fig


def matching_preset(weights: Mapping[str, float]) -> str:
    """The theory preset with exactly these weights, or an empty string."""
    for theory, w in THEORY_PRESETS.items():
        if all(float(weights[c]) == float(w[c]) for c in CRITERIA):
            return theory
    return ""


def rank_summary(result: Ranking, values: Mapping[str, object]) -> dict[str, str]:
    """The what-if's readout: the correlation, the top three, what was dropped, the preset matched."""
    if math.isnan(result.rho):
        return {"Spearman ρ": "n/a (give at least one criterion a weight)", "Top three": "–"}
    top = ", ".join(result.table["country"].head(3))
    out = {
        "Spearman ρ": f"{result.rho:+.2f} over {result.n} markets",
        "Top three": top,
    }
    out["Left out"] = ", ".join(result.dropped) + " (no Hofstede score)" if result.dropped else "none"
    preset = matching_preset(result.weights)
    out["Preset"] = preset or "none (your own weights)"
    return out


def rank_model(size: float, geo: float, culture: float, digital: float) -> Ranking:
    """The what-if's model: :func:`rank_markets` over the markets Alibaba entered."""
    return rank_markets(size=size, geo=geo, culture=culture, digital=digital, sample="entered")


# ----------------------------------------------------------------------------- claims
def ascend_money() -> pd.Series:
    """The Ascend Money row of the entries table (who invested, what stake)."""
    e = entries().set_index("entry_id")
    return e.loc["ascend_money_stake"]


@claims.check("ascend_money_acquired")
def ascend_money_stake_pct() -> float:
    """The stake behind the paper's 'acquired Ascend Money': Ant Financial's, in percent."""
    return float(ascend_money()["stake_pct"])


def mode_distance() -> pd.DataFrame:
    """Kogut and Singh's (1988) test in small: each market's first local entry mode beside its
    cultural (Kogut–Singh) and geographic distance from China, most distant culture last.

    Markets without a Hofstede score keep NaN and sort last; only markets entered by
    ENTRY_CUTOFF_YEAR appear.
    """
    m = market_table().dropna(subset=["entry_year"])
    out = pd.DataFrame(
        {
            "Market": m["country"],
            "Entry mode": m["mode"].map(MODE_LABELS),
            "Year": m["entry_year"].astype(int),
            "Kogut–Singh index": m["ks_index"],
            "km from China": m["dist_km"],
        }
    )
    return out.sort_values(["Kogut–Singh index", "km from China"], na_position="last")


def mean_ks_by_mode(mode: str) -> float:
    """Mean Kogut–Singh index of the markets whose first local entry used ``mode`` (scores only)."""
    if mode not in ENTRY_MODES:
        raise ValueError(f"mode must be one of {list(ENTRY_MODES)}, not {mode!r}")
    m = market_table().dropna(subset=["entry_year", "ks_index"])
    return float(m.loc[m["mode"] == mode, "ks_index"].mean())


def internet_users_millions(iso_codes: list[str], year: int = INDICATOR_YEAR) -> float:
    """Internet users in a group of markets: population x internet penetration, in millions."""
    ind = indicators(year)
    missing = [i for i in iso_codes if i not in ind.index]
    if missing:
        raise ValueError(f"no {year} indicators for {', '.join(missing)}; use codes from data/markets.csv")
    rows = ind.loc[list(iso_codes)]
    return float((rows["population"] * rows["internet_pct"] / 100).sum() / 1e6)


def region_first_years() -> pd.Series:
    """First local-entry year by region, to set section 4.1's order against 7.1's 'Southeast Asia first'."""
    m = market_table()
    return m.dropna(subset=["entry_year"]).groupby("region")["entry_year"].min().sort_values()


# ----------------------------------------------------------------------------- theory against evidence
def theory_matrix() -> pd.DataFrame:
    """For each theory: what it predicts, what the dated evidence shows, the fit of its preset, a verdict.

    The Spearman columns are computed (``preset_fits``); the words are this casebook's reading
    of ``data/entries.csv`` and the market table, and are open to argument in class.
    """
    fits = {s: preset_fits(s).set_index("theory")["rho"] for s in SAMPLES}

    def rho(theory: str) -> str:
        return " / ".join(f"{fits[s][theory]:+.2f}" for s in SAMPLES)

    names = list(THEORY_PRESETS)
    year = entries().set_index("entry_id")["year"]
    rows = [
        {
            "Theory": "Uppsala model (乌普萨拉模型)",
            "Predicts": "Near markets (small psychic distance) first; light modes first, commitment rising with experience",
            "What happened": "Local commitments ran Southeast Asia and then South Asia and Turkey (acquisitions) → Russia (joint venture) "
            "→ Spain (own launch, Miravia); "
            f"but AliExpress sold worldwide from {year['aliexpress_launch']} and chose Russia (a neighbour by border, but its buyers live far west) as its first "
            f"focus market ({year['aliexpress_russia_focus']}), and nearby Korea was not entered by "
            f"{ENTRY_CUTOFF_YEAR} (a joint venture followed only in {year['korea_jv']})",
            "Fit ρ": rho(names[0]),
            "Verdict": "Fits partly",
        },
        {
            "Theory": "OLI paradigm (国际生产折衷范式)",
            "Predicts": "Control abroad where ownership advantages meet large, ready markets and owning beats contracting",
            "What happened": "Control was bought (Lazada, Daraz, Trendyol), which fits internalisation; "
            f"but the largest, most online markets (US, France, Korea) had no local commitment by {ENTRY_CUTOFF_YEAR}",
            "Fit ρ": rho(names[1]),
            "Verdict": "Fits partly (mode), contradicts (location)",
        },
        {
            "Theory": "Blue Ocean strategy (蓝海战略)",
            "Predicts": "Large markets with untapped demand (few people online yet, few rivals) first",
            "What happened": "Low-penetration South Asia came after better-connected Southeast Asia; "
            "competition at entry is not in the data, so the theory's core claim is untested here",
            "Fit ρ": rho(names[2]),
            "Verdict": "Contradicts on this measure; core claim untested",
        },
        {
            "Theory": "Institutional theory (制度理论)",
            "Predicts": "Modes and partners shaped by rules and legitimacy: local or state-linked partners where institutions are distant",
            "What happened": "The only joint venture (Russia, 2019) paired Alibaba with a mobile operator, an internet group "
            "and the state fund RDIF; payments in Southeast Asia went through an affiliate's minority stake",
            "Fit ρ": "no preset",
            "Verdict": "Not tested here: no institutional-distance data (discussion question 4)",
        },
    ]
    return pd.DataFrame(rows)
