"""Chapter 4: the paper's section-4 claims, mode against distance, and theory against evidence."""

from __future__ import annotations

import pandas as pd

from ... import claims
from .entry_rule import ENTRY_CUTOFF_YEAR, ENTRY_MODES, MODE_LABELS, entries
from .ranking import SAMPLES, THEORY_PRESETS, market_table, preset_fits


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
