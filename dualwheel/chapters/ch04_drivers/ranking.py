"""Chapter 4: the market table and the ranking model (theory weights, Spearman against the entry order)."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ... import data
from .distances import HOME, INDICATOR_YEAR, indicators, kogut_singh
from .entry_rule import ENTRY_CUTOFF_YEAR, RULES, _check_rule, first_entries

#: The four criteria the what-if weighs; each becomes a z-score with "more is better" sign.
CRITERIA: tuple[str, ...] = ("size", "geo", "culture", "digital")
CRITERIA_LABELS: dict[str, str] = {
    "size": "Market size (GDP, PPP (reconstructed))",
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


# ----------------------------------------------------------------------------- the market table
def market_table(year: int = INDICATOR_YEAR, rule: str = "commitment") -> pd.DataFrame:
    """Every foreign market with its four distances, size, readiness and first entry.

    ``ks_index`` is NaN for markets without Hofstede scores; ``entry_year`` is NaN for markets
    not entered under ``rule`` (see RULES) by ENTRY_CUTOFF_YEAR. ``gdp_ppp_bn`` is a
    reconstruction: UN population times World Bank GDP per person at PPP. Returns a fresh copy.
    """
    _check_rule(rule)
    return _market_table(year, rule).copy()


@functools.cache
def _market_table(year: int, rule: str) -> pd.DataFrame:
    m = data.load("markets").set_index("iso3")
    m = m[m.index != HOME]
    ind = indicators(year)
    out = m[["country", "country_zh", "region"]].join(ind, how="left")
    out["gdp_ppp_bn"] = out["population"] * out["gdp_pc_ppp"] / 1e9
    out["ks_index"] = [kogut_singh(i) for i in out.index]
    first = first_entries(rule).set_index("iso3")
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
    rule: str = "commitment",
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
    m = market_table(year, rule)
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


def preset_fits(sample: str = "entered", rule: str = "commitment") -> pd.DataFrame:
    """Each theory preset's weights and the Spearman correlation of its ranking with the actual order."""
    rows = []
    for theory, w in THEORY_PRESETS.items():
        r = rank_markets(**w, sample=sample, rule=rule)
        rows.append({"theory": theory, **w, "rho": r.rho, "n": r.n})
    return pd.DataFrame(rows)


#: Slider grid of the what-if (kept small: 2 x 2 x 2 x 3 = 24 frames, the page stays light).
WEIGHT_GRID: dict[str, tuple[float, ...]] = {
    "size": (0, 1),
    "geo": (0, 1),
    "culture": (0, 1),
    "digital": (-1, 0, 1),
}


def all_weightings(sample: str = "entered", rule: str = "commitment") -> pd.DataFrame:
    """The Spearman correlation of every weighting on the what-if's grid (all-zero excluded).

    The point of the table is the spread: how many weightings fit the actual order well.
    """
    rows = []
    for combo in itertools.product(*WEIGHT_GRID.values()):
        w = dict(zip(WEIGHT_GRID, combo, strict=True))
        if not any(w.values()):
            continue
        r = rank_markets(**w, sample=sample, rule=rule)
        rows.append({**w, "rho": r.rho, "n": r.n})
    return pd.DataFrame(rows)


def matching_preset(weights: Mapping[str, float]) -> str:
    """The theory preset with exactly these weights, or an empty string."""
    for theory, w in THEORY_PRESETS.items():
        if all(float(weights[c]) == float(w[c]) for c in CRITERIA):
            return theory
    return ""


def rank_model(size: float, geo: float, culture: float, digital: float, rule: str = "commitment") -> Ranking:
    """The what-if's model: :func:`rank_markets` over the markets Alibaba entered under ``rule``
    (see RULES: every first local commitment, or only those still held at the cut-off)."""
    return rank_markets(size=size, geo=geo, culture=culture, digital=digital, sample="entered", rule=rule)


#: The fit counted as good in the chapter's summary of the grid.
GOOD_FIT = 0.3


def rule_comparison() -> pd.DataFrame:
    """The chapter's headline results under each rule for entry (RULES), over the markets entered:
    markets and decisions, each preset's Spearman rho, the weightings on the grid with rho above
    GOOD_FIT, and the best rho on the grid. The rule decides the answer; this table shows how."""
    rows = []
    for rule, label in RULES.items():
        m = market_table(rule=rule).dropna(subset=["entry_year"])
        fits = preset_fits("entered", rule).set_index("theory")["rho"]
        grid = all_weightings("entered", rule)
        rows.append(
            {
                "rule": rule,
                "label": label,
                "markets": len(m),
                "decisions": m["start"].nunique(),
                **{theory: fits[theory] for theory in THEORY_PRESETS},
                "n_good": int((grid["rho"] > GOOD_FIT).sum()),
                "n_weightings": len(grid),
                "best": float(grid["rho"].max()),
            }
        )
    return pd.DataFrame(rows).set_index("rule")
