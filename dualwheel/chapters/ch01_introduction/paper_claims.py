"""Chapter 1: the paper's section-1 claims, recomputed from data/."""

from __future__ import annotations

import pandas as pd

from ...claims import check, claim
from .market import cbec_value, goods_trade, growth_between, implied_revised_level, share_of_trade

# --------------------------------------------------------------------------- the paper's claims


def claim_paper_value(claim_id: str) -> float:
    """The value the paper states for one of its claims (``paper_claims.csv``)."""
    v = claim(claim_id)["paper_value"]
    if v is None or pd.isna(v):
        raise ValueError(f"claim {claim_id!r} states no number")
    return float(v)


@check("cbec_share_2024")
def cbec_share_2024() -> float:
    """Cross-border e-commerce as a percentage of China's goods trade, 2024, on the preliminary
    figure (cbec_customs.csv) over total trade (goods_trade.csv, Xinhua)."""
    return share_of_trade(2024)


@check("cbec_value_2024_vintage")
def cbec_value_2024_later() -> float:
    """The later figure for 2024 (trillion yuan) that replaces the paper's preliminary one."""
    return cbec_value(2024, "later")


@check("cbec_growth_2024")
def cbec_growth_2024_from_levels() -> float:
    """2024 growth computed from the two published levels (percent); it fits customs' own
    rate within the rounding of the levels (see :func:`growth_check`)."""
    return growth_between(cbec_value(2023), cbec_value(2024))


@check("cbec_share_2021")
def cbec_share_2021_revised() -> float:
    """The 2021 share of goods trade on the revised 2021 level that customs' own 2022 growth
    rates imply (about 1.92 trillion; :func:`implied_revised_level`), in percent. On the 1.98
    first published the share is about 5.1% (:func:`share_of_trade`)."""
    return 100 * implied_revised_level(2021) / goods_trade(2021)


def claim_checks() -> dict[str, float]:
    """The section-1 claims recomputed from ``data/``, in each claim's unit."""
    return {
        "cbec_value_2024_vintage": cbec_value_2024_later(),
        "cbec_growth_2024": cbec_growth_2024_from_levels(),
        "cbec_share_2021": cbec_share_2021_revised(),
        "cbec_share_2024": share_of_trade(2024),
    }
