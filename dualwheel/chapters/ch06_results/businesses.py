"""Chapter 6: AIDC's own consumer businesses side by side (the options of the funding decision),
from facts already in data/: how Alibaba came to own each (``data/moves.csv``), the capital it put
in or pledged from July 2023 (``data/decision.csv``) and the latest result public by the decision
date (``data/decision.csv``, ``data/competitors.csv``). A cell with no public figure says so."""

from __future__ import annotations

import pandas as pd

from ... import data

__all__ = ["BUSINESSES", "aidc_businesses", "business_sources", "lazada_capital_usd_m"]

#: Business label, market, entry move id in data/moves.csv.
BUSINESSES: tuple[tuple[str, str, str], ...] = (
    ("AliExpress / Choice", "Worldwide, shipped from China", "aliexpress"),
    ("Lazada", "Southeast Asia", "lazada_control"),
    ("Trendyol", "Turkey", "trendyol"),
    ("Daraz", "South Asia", "daraz"),
    ("Miravia", "Spain", "miravia"),
)

#: The two injections of 2023, each from a dated report of a Singapore filing. The May 2024 one
#: (decision.csv ``lazada_cap_may2024``) rests on a low-confidence republication and is left out.
_LAZADA_CAPITAL = ("lazada_cap_jul2023", "lazada_cap_dec2023")
_NOT_FOUND = "not found"


def _facts() -> pd.DataFrame:
    return data.load("decision").set_index("fact_id")


def _competitor(firm: str, attribute: str) -> pd.Series:
    c = data.load("competitors")
    return c[(c["firm"] == firm) & (c["attribute"] == attribute)].iloc[0]


def lazada_capital_usd_m() -> float:
    """Capital Alibaba injected into Lazada in July and December 2023 (USD million)."""
    f = _facts()
    return float(sum(f.loc[i, "value"] for i in _LAZADA_CAPITAL))


def _entry(move_id: str) -> str:
    m = data.load("moves").set_index("move_id").loc[move_id]
    how = {"acquisition": "bought", "organic": "built in-house"}.get(m["mode"], "launched by Alibaba")
    bits = [f"{how}, {int(m['year'])}"]
    if m["stake_pct"] == m["stake_pct"]:
        bits.append(f"{m['stake_pct']:.0f}%")
    if m["amount_usd_m"] == m["amount_usd_m"]:
        bits.append(f"USD {m['amount_usd_m']:,.0f} m")
    return "; ".join(bits)


def aidc_businesses() -> pd.DataFrame:
    """One row per AIDC consumer business: market, entry, capital since July 2023, latest result."""
    f = _facts()
    lazada_share = _competitor("lazada", "scale")
    trendyol_g = _competitor("trendyol", "scale")
    capital = {
        "AliExpress / Choice": "inside AIDC; not reported separately",
        "Lazada": f"USD {lazada_capital_usd_m():,.0f} m injected, Jul–Dec 2023",
        "Trendyol": f"USD {f.loc['trendyol_pledge', 'value']:,.0f} m pledged, Sep 2023",
        "Daraz": _NOT_FOUND,
        "Miravia": _NOT_FOUND,
    }
    result = {
        "AliExpress / Choice": (
            f"Choice about {f.loc['choice_share_jan2024', 'value']:.0f}% of AliExpress orders (Jan 2024); "
            f"AliExpress orders up over {f.loc['aliexpress_orders_growth_q3_fy2024', 'value']:.0f}% (Oct–Dec 2023); "
            "profit not disclosed"
        ),
        "Lazada": (
            f"{lazada_share['value']:.1f}% of Southeast Asian GMV, 2023 (projection, estimate); "
            "profit not disclosed"
        ),
        "Trendyol": (
            f"GMV up {trendyol_g['value']:.0f}% in lira (Apr 2022–Mar 2023); first operating profit, "
            "Apr–Jun 2023 (one quarter, no amount)"
        ),
        "Daraz": _NOT_FOUND,
        "Miravia": _NOT_FOUND,
    }
    rows = [
        {"business": name, "market": market, "entry": _entry(move), "capital": capital[name], "result": result[name]}
        for name, market, move in BUSINESSES
    ]
    return pd.DataFrame(rows)


def business_sources() -> list[str]:
    """The documents behind :func:`aidc_businesses`, in order, without repeats."""
    f = _facts()
    moves = data.load("moves").set_index("move_id")
    ids: list[str] = []
    for _, _, move in BUSINESSES:
        ids += [moves.loc[move, "source"], moves.loc[move, "amount_source"]]
    ids += [f.loc[i, "source"] for i in (*_LAZADA_CAPITAL, "trendyol_pledge", "trendyol_op_profit_q2_2023",
                                          "choice_share_jan2024", "aliexpress_orders_growth_q3_fy2024")]
    ids += [_competitor("lazada", "scale")["source"], _competitor("trendyol", "scale")["source"]]
    # one document cited under two ids (SCMP, 18 September 2023) is cited once, by its first id
    out: dict[str, str] = {}
    for i in dict.fromkeys(i for i in ids if isinstance(i, str) and i and i != "none"):
        out.setdefault(data.source_line(i).rpartition("](<")[2] or i, i)
    return list(out.values())
