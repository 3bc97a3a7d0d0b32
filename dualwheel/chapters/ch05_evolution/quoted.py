"""Chapter 5: numbers the chapter's prose quotes."""

from __future__ import annotations

from collections.abc import Sequence

from ... import data
from .events import events
from .phases import PAPER_BOUNDARIES
from .revenue import intl_revenue

# ----------------------------------------------------------------------------- numbers the prose quotes

#: Alibaba's fiscal year starts in April, so nine of its months fall in the previous calendar year.
FY_START_MONTH = 4
MONTHS_IN_PREVIOUS_CALENDAR_YEAR = 12 - (FY_START_MONTH - 1)


def seams() -> dict[str, float]:
    """The two jumps where the chained series changes scope or basis, in percent.

    ``retail_fy2017``: international retail growth in FY2017 (Lazada added);
    ``total_fy2017``: the total's growth that year; ``aidc_over_old_fy2022``: how far the
    FY2022 AIDC figure sits above the old 20-F figure for the same year.
    """
    early = data.load("intl_revenue_early").set_index(["series", "fiscal_year"])["value_rmb_m"]
    r = intl_revenue().set_index("fiscal_year")
    return {
        "retail_fy2017": float(100 * (early["intl_retail", 2017] / early["intl_retail", 2016] - 1)),
        "total_fy2017": float(100 * (early["intl_total", 2017] / early["intl_total", 2016] - 1)),
        "aidc_over_old_fy2022": float(100 * (r.loc[2022, "new_rmb_m"] / r.loc[2022, "old_rmb_m"] - 1)),
    }


def event_counts(boundaries: Sequence[int] = PAPER_BOUNDARIES) -> dict[str, int]:
    """How many events the table holds, how many the paper names, and counts per phase and mode.

    ``phase3_entries``: market entries by purchase in phase 3 (kind 'acquisition');
    ``phase3_follow_ons``: follow-on stakes (kind 'investment'); ``bought_before_phase3``:
    bought stakes of any kind before phase 3."""
    t = events(boundaries)
    out = {
        "events": len(t),
        "in_paper": int((t["in_paper"] == "yes").sum()),
        "high_confidence": int((t["confidence"] == "high").sum()),
        "first_year": int(t["year"].min()),
        "last_year": int(t["year"].max()),
    }
    for p in (1, 2, 3, 4):
        out[f"phase{p}"] = int((t["phase"] == p).sum())
    bought = t["entry_mode"] == "acquisition"
    out["phase3_entries"] = int(((t["phase"] == 3) & bought & (t["kind"] == "acquisition")).sum())
    out["phase3_follow_ons"] = int(((t["phase"] == 3) & bought & (t["kind"] == "investment")).sum())
    out["bought_before_phase3"] = int(((t["phase"] < 3) & bought).sum())
    return out
