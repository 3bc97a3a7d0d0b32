"""Chapter 7, what-if 2: an entry plan for another firm, tested against Alibaba's lessons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .rules import rules
from .transfer import ANKER_PERIOD, POP_MART_LAST_YEAR, anker_abroad_share, transfer_value

# --------------------------------------------------------------------------- what-if 2


#: The described mid-sized exporter: every figure is an assumption of the case, not data.
MIDSIZE_EXPORTER = {
    "revenue_rmb_bn": 0.5,
    "share_by_market": {"United States": 60.0, "Europe": 25.0, "Southeast Asia": 5.0},
    "home_share": 10.0,
    "ships_direct_parcels": True,
    "largest_channel_share": 70.0,
}

#: Default threshold (our assumption, a slider in the what-if): a market at or above this share
#: of revenue (%) counts as established.
ESTABLISHED_SHARE = 10.0

#: Our assumption: more than this share of sales through one rented channel is a dependence.
CHANNEL_DEPENDENCE = 50.0

#: Our assumption: a home market under this share of revenue means the firm lives abroad.
HOME_MINORITY = 50.0

MARKETS = ["United States", "Europe", "Southeast Asia"]
FIRMS = ["Pop Mart", "Anker", "A mid-sized exporter (described)"]
BUDGETS = ["must rent them", "can build own logistics and payments"]

#: Rule ids in data/rules.csv that would tax or end duty relief on low-value parcels, by market:
#: at the decision date both were proposals (a US bill, an EU Commission proposal). ``rules()``
#: holds only rows public by then, so a later rule listed here would not be counted.
PARCEL_RULES = {
    "United States": ["us_hr7979_proposal"],
    "Europe": ["eu_customs_reform_proposal"],
}


def market_exposure(firm: str, market: str) -> tuple[float | None, str]:
    """The firm's share of revenue in a market (percent) and a note on where it comes from.

    Returns ``(None, note)`` when the sources do not split the market out. For Pop Mart,
    "Europe" is the source's region "Europe, Australia and other", and the label says so.

    Raises:
        KeyError: unknown firm or market.
    """
    if market not in MARKETS:
        raise KeyError(f"unknown market {market!r}; choose one of {', '.join(MARKETS)}")
    if firm in ("Pop Mart", "Anker"):
        # No regional split was read in a source public by the decision date: open at the date.
        return None, "not read in a source public by the decision date"
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["share_by_market"][market], "assumption"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def channel_dependence(firm: str) -> tuple[float | None, str]:
    """Share of sales (percent) through the firm's largest rented channel, or None if not found."""
    if firm in ("Pop Mart", "Anker"):
        return None, "not read in a source public by the decision date"
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["largest_channel_share"], "assumption"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def direct_parcels(firm: str) -> bool | None:
    """Whether the firm posts low-value parcels straight to foreign buyers; None if not found."""
    if firm == FIRMS[2]:
        return bool(MIDSIZE_EXPORTER["ships_direct_parcels"])
    if firm in ("Pop Mart", "Anker"):
        return None  # the sources found say nothing on how their parcels cross the border
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def market_rules(market: str) -> pd.DataFrame:
    """Parcel rules in our table for a market (empty for Southeast Asia: not searched)."""
    t = rules()
    return t[t["rule_id"].isin(PARCEL_RULES.get(market, []))]


@dataclass(frozen=True)
class PlanResult:
    """One firm's plan: each lesson with the test applied, the figure used and whether it binds."""

    firm: str
    market: str
    budget: str
    table: pd.DataFrame

    @property
    def binding(self) -> list[str]:
        """Lessons that bind first, in the paper's order."""
        return list(self.table.loc[self.table["binds first"] == "yes", "lesson"])


def _flag(value: bool | None) -> str:
    return "open" if value is None else "yes" if value else "no"


def plan_model(firm: str, market: str, budget: str, threshold: float = ESTABLISHED_SHARE) -> PlanResult:
    """Which lessons bind first for a firm entering or growing in one market.

    Each lesson has one stated test on the firm's figures (see the ``test`` column); there are
    no weights, and a test whose figure is missing gives "open", not a guess. ``threshold`` is
    the share of revenue (%) at which a market counts as established: our assumption.

    Raises:
        KeyError: unknown firm, market or budget.
        ValueError: a threshold outside 0-100.
    """
    if budget not in BUDGETS:
        raise KeyError(f"unknown budget {budget!r}; choose one of {', '.join(BUDGETS)}")
    if not 0 < threshold < 100:
        raise ValueError(f"the threshold is a share of revenue between 0 and 100; got {threshold}")
    share, where = market_exposure(firm, market)
    home, home_basis = home_share(firm)
    channel, channel_basis = channel_dependence(firm)
    parcels = direct_parcels(firm)
    rl = market_rules(market)
    entry = None if share is None else share < threshold
    # "established and home under HOME_MINORITY": false whenever home is the majority, even
    # when the market's own share was not found (the conjunction fails on its second half)
    local = False if home >= HOME_MINORITY else (None if share is None else share >= threshold)
    if rl.empty:
        comply = None
    else:
        comply = None if parcels is None else parcels
    if budget == BUDGETS[1]:
        eco: bool | None = False
    else:
        eco = None if channel is None else channel > CHANNEL_DEPENDENCE
    share_text = "not reported" if share is None else f"{share:.1f}% of revenue ({where})"
    rows = [
        {
            "lesson": "1. Gradual entry",
            "test": "the market is under the threshold share of revenue (still an entry question)",
            "figure": share_text,
            "binds first": _flag(entry),
        },
        {
            "lesson": "2. Technology",
            "test": "no test in this model",
            "figure": "—",
            "binds first": "open",
        },
        {
            "lesson": "3. Localisation",
            "test": f"the market is established and home is under {HOME_MINORITY:.0f}% of revenue",
            "figure": f"market {share_text.split(' (')[0]}; home {home:.1f}% ({home_basis})",
            "binds first": _flag(local),
        },
        {
            "lesson": "4. Compliance",
            "test": "the firm posts parcels direct into a market where a parcel rule is proposed",
            "figure": (
                "no parcel rule in our table (not searched)"
                if rl.empty
                else f"{len(rl)} proposal(s); direct parcels: "
                + ("not found" if parcels is None else "yes (assumption)" if parcels else "no")
            ),
            "binds first": _flag(comply),
        },
        {
            "lesson": "5. Ecosystem",
            "test": f"the firm must rent, and one channel takes over {CHANNEL_DEPENDENCE:.0f}% of sales",
            "figure": (
                "can build its own"
                if budget == BUDGETS[1]
                else "largest channel: "
                + ("not found" if channel is None else f"{channel:.1f}% ({channel_basis})")
            ),
            "binds first": _flag(eco),
        },
    ]
    return PlanResult(firm, market, budget, pd.DataFrame(rows))


def plan_frame_key(values: Mapping[str, Any], p: PlanResult) -> tuple:
    """Frames with the same firm, market and table look the same: share one (lighter page)."""
    return (p.firm, p.market, tuple(map(tuple, p.table[["figure", "binds first"]].to_numpy())))


#: What each lesson's flag reads and where its threshold sits (Exhibit 7.7); the reason for each
#: test is the teaching note's, not the page's (before-class question 3).
PLAN_THRESHOLDS: dict[str, tuple[str, str]] = {
    "1. Gradual entry": ("the market's share of revenue", "under the threshold (a slider)"),
    "2. Technology": ("—", "no test in this model"),
    "3. Localisation": ("the market's share; the home market's share",
                        f"market at the threshold or above, home under {HOME_MINORITY:.0f}%"),
    "4. Compliance": ("direct parcels; parcel rules proposed in the market", "yes, and at least one proposal"),
    "5. Ecosystem": ("the largest channel's share of sales",
                     f"over {CHANNEL_DEPENDENCE:.0f}% (not flagged if the firm builds its own logistics and payments)"),
}


def plan_tests() -> pd.DataFrame:
    """Each lesson's figure and threshold in the plan what-if (same for every firm); the
    model's own wording of each test stays in :func:`plan_model`'s ``test`` column."""
    lessons = list(plan_model("Anker", "United States", BUDGETS[0]).table["lesson"])
    if set(lessons) != set(PLAN_THRESHOLDS):
        raise ValueError("PLAN_THRESHOLDS must name every lesson of plan_model")
    return pd.DataFrame(
        [{"lesson": x, "figure": PLAN_THRESHOLDS[x][0], "threshold": PLAN_THRESHOLDS[x][1]} for x in lessons]
    )


def home_share(firm: str) -> tuple[float, str]:
    """The firm's home market (mainland China) as a share of revenue, percent, and its basis.

    Raises:
        KeyError: unknown firm.
    """
    if firm == "Pop Mart":
        year = str(POP_MART_LAST_YEAR)
        total = transfer_value("Pop Mart", "revenue", year)
        outside = transfer_value("Pop Mart", "revenue_outside_mainland", year)
        return 100 * (total - outside) / total, year
    if firm == "Anker":
        return 100 - anker_abroad_share(), ANKER_PERIOD
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["home_share"], "assumption"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def plan_summary(p: PlanResult, values: Mapping[str, Any]) -> dict[str, str]:
    """Readout: the firm's home-market strength, and the lessons that bind first."""
    home, basis = home_share(p.firm)
    return {
        "Home market (mainland China)": f"{home:.1f}% of revenue ({basis})",
        "Binds first": ", ".join(x.split(". ", 1)[1] for x in p.binding) or "none by these tests",
        "Open (data missing)": ", ".join(
            x.split(". ", 1)[1] for x in p.table.loc[p.table["binds first"] == "open", "lesson"]
        ),
    }


def plan_chart(p: PlanResult, values: Mapping[str, Any]) -> Figure:
    """The plan as a five-row table drawn in a figure, binding lessons shaded."""
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.axis("off")
    shown = p.table[["lesson", "figure", "binds first"]].copy()
    shown["figure"] = shown["figure"].str.slice(0, 66)
    tab = ax.table(
        cellText=shown.to_numpy(),
        colLabels=["Lesson", "Figure used", "Binds first?"],
        colWidths=[0.2, 0.66, 0.14],
        loc="center",
        cellLoc="left",
    )
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.scale(1, 1.5)
    for i, flag in enumerate(shown["binds first"], start=1):
        if flag == "yes":
            for j in range(3):
                tab[i, j].set_facecolor("#fde0dd")
    ax.set_title(f"{p.firm[:24]}: {p.market}")
    return fig


def plan_conclusion(p: PlanResult, values: Mapping[str, Any]) -> str:
    """The call a manager takes from one frame: which lessons to plan around first."""
    first = [x.split(". ", 1)[1] for x in p.binding]
    return "plan first around " + ", ".join(first) if first else "no lesson binds first: find the open figures"
