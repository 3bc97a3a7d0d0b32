"""Chapter 4: the paper's section-4 claims, mode against distance, and theory against evidence."""

from __future__ import annotations

import pandas as pd

from ... import claims, data, fmt
from ... import moves as mv
from .entry_rule import ENTRY_CUTOFF_YEAR, MODE_LABELS
from .ranking import SAMPLES, THEORY_PRESETS, market_table, preset_fits


# ----------------------------------------------------------------------------- claims
def ascend_money() -> pd.Series:
    """The Ascend Money row of data/moves.csv (who invested, what stake)."""
    return mv.move("ascend_money")


def payment_joint_ventures() -> pd.DataFrame:
    """The payment joint ventures in Southeast Asia in data/moves.csv, with their investor.

    The paper says Alibaba built local payments there "through joint ventures" (合资公司). The
    ventures existed (TNG Digital in Malaysia, DANA in Indonesia, both 2017); the investor was
    Ant Financial, an affiliate outside Alibaba Group. The paper is wrong about who, not whether.
    """
    t = mv.moves()
    keep = (t["business"] == "payments") & (t["mode"] == "joint_venture") & (t["region"] == "Southeast Asia")
    return t.loc[keep, ["move_id", "date", "year", "markets", "vehicle", "investor", "source"]].reset_index(
        drop=True
    )


def korea_plan() -> pd.Series:
    """Alibaba's plan for Korea as public at the decision date: the ``korea_plan`` row of
    data/decision.csv (value in USD m, the day it became public, its source), with
    ``public_text``, that day in words."""
    row = data.load("decision").set_index("fact_id").loc["korea_plan"].copy()
    row["public_text"] = fmt.date_text(str(row["public"]), "day")
    return row


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


def region_first_years() -> pd.Series:
    """First local-entry year by region, to set section 4.1's order against 7.1's 'Southeast Asia first'."""
    m = market_table()
    return m.dropna(subset=["entry_year"]).groupby("region")["entry_year"].min().sort_values()


# ----------------------------------------------------------------------------- theory against evidence
def theory_matrix() -> pd.DataFrame:
    """For each theory: what it predicts, what the dated evidence shows, the fit of its preset, a verdict.

    The Spearman columns are computed (``preset_fits``, the chapter's rule for entry); the words
    are this casebook's reading of ``data/moves.csv`` and the market table, and are open to
    argument in class.
    """
    fits = {s: preset_fits(s).set_index("theory")["rho"] for s in SAMPLES}

    def rho(theory: str) -> str:
        return " / ".join(f"{fits[s][theory]:+.2f}" for s in SAMPLES)

    names = list(THEORY_PRESETS)
    year = mv.moves().set_index("move_id")["year"]
    rows = [
        {
            "Theory": "Uppsala model (乌普萨拉模型)",
            "Predicts": "Near markets (small psychic distance) first; light modes first, commitment rising with experience",
            "What happened": f"First local commitment: the United States (US firms bought in {year['vendio']}; "
            f"Alibaba's own US marketplace, 11 Main, launched in {year['eleven_main_launch']}, sold in {year['eleven_main_sale']}). "
            "Then Southeast Asia, South Asia and Turkey (acquisitions) → Russia (joint venture) → Spain (own launch, Miravia). "
            f"AliExpress sold worldwide from {year['aliexpress']} and chose Russia (a neighbour by border, but its buyers live far west) "
            f"as its first focus market ({year['aliexpress_russia_focus']}); nearby Korea was not entered by "
            f"{ENTRY_CUTOFF_YEAR} (an investment plan for it was announced only on {korea_plan()['public_text']})",
            "Fit ρ": rho(names[0]),
            "Verdict": "Fits the mode sequence; the order of markets only weakly",
        },
        {
            "Theory": "OLI paradigm (国际生产折衷范式)",
            "Predicts": "Control abroad where ownership advantages meet large, ready markets and owning beats contracting",
            "What happened": "Control was bought (Vendio, Auctiva, Lazada, Daraz, Trendyol). "
            "The largest market, and one of the most online (the US), came first; the US "
            f"business was sold about a year after 11 Main's launch, and France and Korea had no local commitment by {ENTRY_CUTOFF_YEAR}",
            "Fit ρ": rho(names[1]),
            "Verdict": "Fits partly (mode); location mixed",
        },
        {
            "Theory": "Blue Ocean strategy (蓝海战略)",
            "Predicts": "Large markets with untapped demand (few people online yet, few rivals) first",
            "What happened": "The first local commitment went to a large, highly connected market (the US), and "
            "low-penetration South Asia came after better-connected Southeast Asia; the data hold no measure of "
            "competition at entry",
            "Fit ρ": rho(names[2]),
            "Verdict": "No fit on this measure (ρ near zero); core claim untested",
        },
        {
            "Theory": "Institutional theory (制度理论)",
            "Predicts": "Modes and partners shaped by rules and legitimacy: local or state-linked partners where institutions are distant",
            "What happened": "Alibaba Group's only joint venture by 2022 (Russia, 2019) paired it with a mobile operator, an "
            "internet group and the state fund RDIF; payments in Southeast Asia went through the affiliate Ant Financial: "
            "a minority stake (Ascend Money) and joint ventures with local groups (TNG Digital, DANA)",
            "Fit ρ": "no preset",
            "Verdict": "Not tested here: no institutional-distance data (discussion question 4)",
        },
    ]
    return pd.DataFrame(rows)


@claims.check("sea_payment_jv")
def payment_joint_ventures_by_group() -> int:
    """The paper's 'joint ventures' for payments in Southeast Asia made by Alibaba Group itself:
    none (both ventures on record, TNG Digital and DANA, were Ant Financial's)."""
    return int((payment_joint_ventures()["investor"] == mv.GROUP).sum())
