"""Chapter 6, the results as a funder reads them: AIDC's last two quarters before the decision
date (from ``data/decision.csv``), and what its losses drew from the group's profit (from
``data/segment_ebita.csv``)."""

from __future__ import annotations

import pandas as pd

from ... import data, segments
from ...fmt import fy

#: The quarters of FY2024 the decision file carries for AIDC: (label, revenue, growth, EBITA) fact ids.
QUARTERS: tuple[tuple[str, str, str, str], ...] = (
    ("Oct–Dec 2023 (Q3 FY2024)", "aidc_rev_q3_fy2024", "aidc_rev_growth_q3_fy2024", "aidc_ebita_q3_fy2024"),
    ("Jan–Mar 2024 (Q4 FY2024)", "aidc_rev_q4_fy2024", "aidc_rev_growth_q4_fy2024", "aidc_ebita_q4_fy2024"),
)

_TO_RMB_M = {"rmb_m": 1.0, "rmb_bn": 1000.0}


def _fact(fid: str) -> pd.Series:
    return data.load("decision").set_index("fact_id").loc[fid]


def _rmb_m(fid: str) -> float:
    row = _fact(fid)
    return float(row["value"]) * _TO_RMB_M[row["unit"]]


def aidc_quarters() -> pd.DataFrame:
    """AIDC's revenue (RMB m), its year-on-year growth (%), adjusted EBITA (RMB m) and EBITA
    margin (%) in the last two quarters public at the decision date, with their sources."""
    rows = []
    for label, rev, growth, ebita in QUARTERS:
        r, e = _rmb_m(rev), _rmb_m(ebita)
        rows.append(
            {
                "quarter": label,
                "revenue_rmb_m": r,
                "growth_pct": float(_fact(growth)["value"]),
                "ebita_rmb_m": e,
                "margin_pct": 100 * e / r,
                "sources": [_fact(f)["source"] for f in (rev, growth, ebita)],
            }
        )
    return pd.DataFrame(rows)


def funding_table(years: tuple[int, ...] = (2022, 2023, 2024)) -> pd.DataFrame:
    """Per fiscal year: AIDC's adjusted EBITA loss (RMB m, positive), Taotian's adjusted EBITA,
    the group's total segment adjusted EBITA, and AIDC's loss as a share (%) of each."""
    rows = []
    for y in years:
        loss = -segments.ebita("aidc_total", y)
        taotian, total = segments.ebita("taotian_total", y), segments.ebita("segment_total", y)
        rows.append(
            {
                "fiscal_year": y,
                "label": fy(y),
                "aidc_loss_rmb_m": loss,
                "taotian_rmb_m": taotian,
                "segment_total_rmb_m": total,
                "loss_pct_taotian": 100 * loss / taotian,
                "loss_pct_total": 100 * loss / total,
            }
        )
    return pd.DataFrame(rows)


