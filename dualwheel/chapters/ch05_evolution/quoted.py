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
    """How many events the chapter holds (moves and other events), how many the paper names and
    dates, and counts per phase and by how a step was taken.

    ``named``: events the paper names (with or without a date); ``dated``: those it also dates.
    ``phase3_entries``: market entries by purchase of control in phase 3 (kind 'entry', mode
    'acquisition'); ``phase3_follow_ons``: follow-on stakes; ``phase3_jvs``: joint ventures;
    ``phase3_minority``: minority stakes. ``bought_before_phase3``: stakes of any size bought
    before phase 3 (control, minority or follow-on, by Alibaba Group or Ant Financial);
    ``control_before_phase3``: of which control bought outright."""
    t = events(boundaries)
    out = {
        "events": len(t),
        "moves": int(t["is_move"].sum()),
        "named": int(t["in_paper"].isin(["named", "dated"]).sum()),
        "dated": int((t["in_paper"] == "dated").sum()),
        "high_confidence": int((t["confidence"] == "high").sum()),
        "first_year": int(t["year"].min()),
        "last_year": int(t["year"].max()),
    }
    for p in (1, 2, 3, 4):
        out[f"phase{p}"] = int((t["phase"] == p).sum())
    p3, before = t["phase"] == 3, t["phase"] < 3
    mode = t["entry_mode"]
    out["phase3_entries"] = int((p3 & (mode == "acquisition") & (t["kind"] == "entry")).sum())
    out["phase3_follow_ons"] = int((p3 & (mode == "follow_on")).sum())
    out["phase3_jvs"] = int((p3 & (mode == "joint_venture")).sum())
    out["phase3_minority"] = int((p3 & (mode == "minority_stake")).sum())
    bought = mode.isin(["acquisition", "minority_stake", "follow_on"])
    out["bought_before_phase3"] = int((before & bought).sum())
    out["control_before_phase3"] = int((before & (mode == "acquisition")).sum())
    return out
