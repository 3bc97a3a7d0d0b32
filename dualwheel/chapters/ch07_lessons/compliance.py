"""Chapter 7, what-if 1: the expected cost of a compliance failure against the cost of compliance.

Bounds, stated once for the page and the teaching note: the cap is the legal maximum, so at a
fine share of 100% the expected fine is the most that *fines* can cost at the chance chosen (an
upper bound on the fine). A fine is only one cost of a breach (commitments, product changes,
bans, legal costs and lost trust are left out), so as a price of non-compliance the expected fine
is a *lower* bound, and the break-even chance an *upper* bound on the true one. A "comply" call
survives adding the costs left out; a "don't" call may not. That reading answers before-class
question 2, so it lives in the teaching note: the page's readout compares the expected fine with
the cost and makes no call.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import segments, style
from .rules import CAPS, PLATFORMS, fine_cap
from .transfer import transfer_value

# --------------------------------------------------------------------------- what-if 1


@dataclass(frozen=True)
class ComplianceRisk:
    """The priced compliance risk for one scenario. Money in RMB million, shares as fractions."""

    turnover_m: float
    cap_share: float
    probability: float
    cost_m: float
    fine_share: float = 1.0

    @property
    def max_fine_m(self) -> float:
        """The largest fine the rule allows on this turnover (cap × turnover)."""
        return self.cap_share * self.turnover_m

    @property
    def fine_m(self) -> float:
        """The fine if one is imposed: the chosen share of the maximum."""
        return self.fine_share * self.max_fine_m

    @property
    def expected_fine_m(self) -> float:
        """Yearly chance of a fine times the fine: what fines alone cost on average a year."""
        return self.probability * self.fine_m

    @property
    def break_even(self) -> float:
        """The yearly chance of a fine at which compliance costs exactly the expected fine
        (infinite when the fine is zero and compliance costs something)."""
        if self.fine_m == 0:
            return 0.0 if self.cost_m == 0 else float("inf")
        return self.cost_m / self.fine_m

    @property
    def comply_pays(self) -> bool:
        """True when the expected fine is at least the cost of compliance."""
        return self.expected_fine_m >= self.cost_m


def firm_turnovers() -> dict[str, float]:
    """Worldwide turnover options for the what-if, RMB million, each from data/.

    AIDC is a segment; Alibaba Group's consolidated revenue is the turnover of the whole
    undertaking. Pop Mart's is its 2023 revenue, the last full year public at the decision date.
    """
    return {
        "Pop Mart, 2023": 1000 * transfer_value("Pop Mart", "revenue", "2023"),
        "Alibaba AIDC, FY2024": float(segments.value("aidc_total", 2024)),
        "Alibaba Group, FY2024": float(segments.value("consolidated", 2024)),
    }


#: The what-if's scenarios: a turnover and a cap. The DSA's cap is offered only for platforms.
SCENARIOS = {
    "Pop Mart 2023, GDPR 4%": ("Pop Mart, 2023", "GDPR (4%)"),
    "AIDC FY2024, DSA 6%": ("Alibaba AIDC, FY2024", "DSA (6%)"),
    "Group FY2024, GDPR 4%": ("Alibaba Group, FY2024", "GDPR (4%)"),
    "Group FY2024, DSA 6%": ("Alibaba Group, FY2024", "DSA (6%)"),
}


def compliance_model(
    firm: str, cap: str, probability: float, cost: float, fine_share: float = 100
) -> ComplianceRisk:
    """What-if model: ``probability`` in % a year, ``cost`` in RMB million a year,
    ``fine_share`` the fine if imposed in % of the cap (100: at the cap).

    Raises:
        KeyError: an unknown firm or cap name.
        ValueError: a probability or fine share outside 0-100, a negative cost, or the DSA's cap
            for a firm that is not an online platform.
    """
    turnovers = firm_turnovers()
    if firm not in turnovers:
        raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(turnovers)}")
    if cap not in CAPS:
        raise KeyError(f"unknown cap {cap!r}; choose one of {', '.join(CAPS)}")
    if not 0 <= probability <= 100:
        raise ValueError(f"the yearly chance of enforcement is a percentage from 0 to 100; got {probability}")
    if not 0 <= fine_share <= 100:
        raise ValueError(f"the fine is a share of the cap from 0 to 100%; got {fine_share}")
    if cost < 0:
        raise ValueError(f"compliance cost must not be negative; got {cost}")
    if CAPS[cap] == "dsa_in_force" and firm not in PLATFORMS:
        raise ValueError(f"the DSA's cap applies to online platforms; {firm} is not one")
    return ComplianceRisk(
        turnovers[firm], fine_cap(CAPS[cap]), probability / 100, float(cost), fine_share / 100
    )


def compliance_scenario(
    scenario: str, probability: float, cost: float, fine_share: float = 100
) -> ComplianceRisk:
    """What-if model over :data:`SCENARIOS` (a turnover and a cap chosen together).

    Raises:
        KeyError: an unknown scenario.
    """
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    firm, cap = SCENARIOS[scenario]
    return compliance_model(firm, cap, probability, cost, fine_share)


#: The sliders' grids as (min, max, step). With the four scenarios: 4 × 4 × 3 × 2 = 96 frames.
#: The chance starts at 0.5% a year: no fine on an Alibaba unit under GDPR or the DSA was found.
PROBABILITY_STEPS = (0.5, 9.5, 3.0)  # % a year
FINE_SHARE_STEPS = (20.0, 100.0, 40.0)  # % of the cap
COST_STEPS = (20.0, 300.0, 280.0)  # RMB million a year (20 lets Pop Mart's 2023 turnover flip the call)
#: The what-if's opening position: AIDC under the DSA, a fine at the cap, RMB 300 m a year.
COMPLIANCE_DEFAULTS = {
    "scenario": "AIDC FY2024, DSA 6%",
    "probability": 3.5,
    "fine_share": 100.0,
    "cost": 300.0,
}


def slider_values(steps: tuple[float, float, float]) -> list[float]:
    """The values a slider with (min, max, step) takes."""
    lo, hi, step = steps
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 6) for i in range(n + 1)]


def compliance_calls() -> pd.DataFrame:
    """Every frame of the what-if: scenario, slider values, firm, break-even and the call."""
    rows = []
    for scenario, p, share, cost in itertools.product(
        SCENARIOS,
        slider_values(PROBABILITY_STEPS),
        slider_values(FINE_SHARE_STEPS),
        slider_values(COST_STEPS),
    ):
        r = compliance_scenario(scenario, p, cost, share)
        rows.append(
            {
                "scenario": scenario,
                "firm": SCENARIOS[scenario][0].split(",")[0],
                "probability": p,
                "fine_share": share,
                "cost": cost,
                "break_even_pct": 100 * r.break_even,
                "comply": r.comply_pays,
            }
        )
    return pd.DataFrame(rows)


def compliance_summary(r: ComplianceRisk, values: Mapping[str, Any]) -> dict[str, str]:
    """Readout: maximum fine, the fine if imposed, expected fine, cost and break-even. No call:
    which way to go is before-class question 2, and the figures are enough to compare."""
    be = f"{100 * r.break_even:.1f}% a year" if r.break_even <= 1 else "above 100%: never"
    return {
        "Maximum fine (cap × turnover)": f"RMB {r.max_fine_m:,.0f} m",
        "Fine if imposed": f"RMB {r.fine_m:,.0f} m ({100 * r.fine_share:.0f}% of the cap)",
        "Expected fine a year": f"RMB {r.expected_fine_m:,.0f} m",
        "Compliance cost a year": f"RMB {r.cost_m:,.0f} m",
        "Break-even chance": be,
    }


def compliance_chart(r: ComplianceRisk, values: Mapping[str, Any]) -> Figure:
    """Expected fine against the chance of a fine, with the cost line and the break-even."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    top = 10.0  # % a year: the chart spans the slider's range
    ps = [i / 200 for i in range(0, 21)]
    ax.plot(
        [100 * p for p in ps],
        [p * r.fine_m for p in ps],
        color=style.COLOURS["aidc_total"],
        label="expected fine (chance × fine)",
    )
    ax.axhline(r.cost_m, color=style.COLOURS["cloud"], ls="--", label="yearly compliance cost (assumed)")
    if r.break_even <= top / 100:
        ax.axvline(100 * r.break_even, color="#444444", ls=":", lw=1)
        ax.text(
            100 * r.break_even + 0.2, r.cost_m * 1.05 + 1, f"break-even {100 * r.break_even:.1f}%", fontsize=8
        )
    ax.plot([100 * r.probability], [r.expected_fine_m], "o", color=style.COLOURS["highlight"])
    ax.set_xlim(0, top)
    ax.set_ylim(0, max(top / 100 * r.fine_m, r.cost_m) * 1.15)
    ax.set_xlabel("yearly chance of a fine, %")
    ax.set_ylabel("RMB million a year")
    ax.set_title(f"{values['scenario']}: expected fine against cost")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def compliance_conclusion(r: ComplianceRisk, values: Mapping[str, Any]) -> str:
    """What one frame of the what-if shows, in a few words: the expected fine against the cost
    (a comparison, not a call: whether to comply is before-class question 2)."""
    return "expected fine at or above the cost" if r.comply_pays else "expected fine below the cost"
