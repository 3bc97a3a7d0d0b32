"""The paper's quantitative claims, recomputed from ``data/``.

``paper_claims.csv`` holds what the paper says and the verdict of checking it. For every
claim that the tables can reproduce, :data:`RECOMPUTE` holds a function that computes the
same quantity from the sourced figures, in the claim's unit. Chapters show the two side
by side; the tests assert that the recomputed numbers support the recorded verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from . import data, metrics
from .metrics import cagr, history, share, to_yi, value


def _pct(x: float) -> float:
    return 100 * x


def cainiao_cagr_variants() -> pd.DataFrame:
    """Ways to compute Cainiao's "2019-2024" growth rate, including the paper's.

    Shows that only one inconsistent choice reproduces 34.8%: the FY2020 old-basis value
    (external revenue only) compounded over five periods to the restated FY2024 value.
    """
    old = history("cainiao", "old")
    end = value("cainiao", 2024)
    rows = [
        (
            "FY2020 old basis → FY2024 new basis, over 5 periods (the paper's figure)",
            old[2020],
            end,
            5,
            False,
        ),
        ("FY2019 old basis → FY2024 new basis, over 5 years", old[2019], end, 5, False),
        ("FY2020 old basis → FY2024 new basis, over 4 years", old[2020], end, 4, False),
        ("FY2019 → FY2023, old basis only, over 4 years", old[2019], old[2023], 4, True),
        ("FY2022 → FY2024, new basis only, over 2 years", value("cainiao", 2022), end, 2, True),
    ]
    return pd.DataFrame(
        [
            {
                "calculation": label,
                "start_rmb_m": int(start),
                "end_rmb_m": int(stop),
                "periods": periods,
                "consistent_basis": consistent,
                "cagr_pct": _pct(cagr(start, stop, periods)),
            }
            for label, start, stop, periods, consistent in rows
        ]
    )


def _growth_pct(line: str, start: int, end: int) -> float:
    return _pct(metrics.segment_growth(line, start, end))


#: claim id -> function returning the recomputed value in the claim's unit.
RECOMPUTE: dict[str, Callable[[], float]] = {
    "aidc_share_fy2022": lambda: _pct(share("aidc_total", 2022, "consolidated")),
    "aidc_share_fy2024": lambda: _pct(share("aidc_total", 2024, "consolidated")),
    "retail_share_aidc_fy2022": lambda: _pct(value("aidc_retail", 2022) / value("aidc_total", 2022)),
    "retail_share_aidc_fy2024": lambda: _pct(value("aidc_retail", 2024) / value("aidc_total", 2024)),
    "aidc_growth_fy2024": lambda: _growth_pct("aidc_total", 2023, 2024),
    "aidc_revenue_fy2024": lambda: to_yi(value("aidc_total", 2024)),
    "taotian_share_fy2024": lambda: _pct(share("taotian_total", 2024, "segment_total")),
    "cloud_share_fy2024": lambda: _pct(share("cloud", 2024, "segment_total")),
    "aidc_share_segments_fy2024": lambda: _pct(share("aidc_total", 2024, "segment_total")),
    "cainiao_share_fy2024": lambda: _pct(share("cainiao", 2024, "segment_total")),
    "wholesale_growth_slowed": lambda: _growth_pct("aidc_wholesale", 2023, 2024),
    "aidc_growth_vs_peers": lambda: _growth_pct("aidc_total", 2022, 2024),
    "cainiao_revenue_fy2024": lambda: to_yi(value("cainiao", 2024)),
    "cainiao_cagr": lambda: float(cainiao_cagr_variants()["cagr_pct"].iloc[0]),
    "cbec_share_2024": lambda: _pct(
        metrics.macro("cbec_trade_value", 2024) / metrics.macro("total_goods_trade", 2024)
    ),
}

UNIT_LABELS = {
    "percent": "%",
    "yi_yuan": "亿元",
    "trillion_yuan": "trillion yuan",
    "regions": "regions",
    "million_m2": "million m²",
    "days": "days",
}

VERDICT_LABELS = {
    "holds": "Holds",
    "holds_with_caveat": "Holds, with a caveat",
    "does_not_hold": "Does not hold",
    "outdated": "Outdated",
    "unsourced": "Unsourced",
    "not_checked": "Not checked",
}


def recompute(claim_id: str) -> float | None:
    """The claim's quantity recomputed from data/, or None when data/ cannot reproduce it."""
    fn = RECOMPUTE.get(claim_id)
    return None if fn is None else float(fn())


def _fmt(x: float | None, unit: str) -> str:
    if x is None or pd.isna(x):
        return "—"
    digits = 1 if unit in {"percent", "yi_yuan"} else 2 if unit == "trillion_yuan" else 0
    text = f"{x:,.{digits}f}"
    return f"{text}%" if unit == "percent" else f"{text} {UNIT_LABELS[unit]}"


def claims_table(claim_ids: Sequence[str]) -> pd.DataFrame:
    """Paper value, recomputed or checked value, verdict and note for the given claims."""
    t = data.load("paper_claims").set_index("claim_id")
    rows = []
    for cid in claim_ids:
        if cid not in t.index:
            raise KeyError(f"no claim {cid!r} in data/paper_claims.csv")
        r = t.loc[cid]
        again = recompute(cid)
        checked = again if again is not None else r["checked_value"]
        if r["verdict"] == "unsourced":
            checked = None  # a figure nobody could source has no check value, only the note
        rows.append(
            {
                "The paper says": f"{r['claim']} ({_fmt(r['paper_value'], r['unit'])})",
                "Check": _fmt(checked, r["unit"]) if checked is not None and not pd.isna(checked) else "—",
                "Verdict": VERDICT_LABELS[r["verdict"]],
                "Why": r["check"],
            }
        )
    return pd.DataFrame(rows)
