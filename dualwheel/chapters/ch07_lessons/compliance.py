"""Chapter 7, what-if 1: the expected cost of a compliance failure against the cost of compliance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
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

    @property
    def max_fine_m(self) -> float:
        """The largest fine the rule allows on this turnover."""
        return self.cap_share * self.turnover_m

    @property
    def expected_fine_m(self) -> float:
        """Yearly chance of enforcement times the maximum fine: an upper bound on the average."""
        return self.probability * self.max_fine_m

    @property
    def break_even(self) -> float:
        """The yearly chance of enforcement at which compliance costs exactly the expected fine."""
        return self.cost_m / self.max_fine_m

    @property
    def comply_pays(self) -> bool:
        """True when the expected fine is at least the cost of compliance."""
        return self.expected_fine_m >= self.cost_m


def break_even_probability(cost_m: float, turnover_m: float, cap_share: float) -> float:
    """Yearly chance of a maximum fine that makes compliance spending break even.

    Raises:
        ValueError: a negative cost, or a turnover or cap that is not positive.
    """
    if cost_m < 0:
        raise ValueError(f"compliance cost must not be negative; got {cost_m}")
    if turnover_m <= 0 or cap_share <= 0:
        raise ValueError(f"turnover and fine cap must be positive; got {turnover_m} and {cap_share}")
    return cost_m / (cap_share * turnover_m)


def firm_turnovers() -> dict[str, float]:
    """Worldwide turnover options for the what-if, RMB million, each from data/.

    AIDC is a segment; Alibaba Group's consolidated revenue is the turnover of the whole
    undertaking, which the CJEU (C-383/23 ILVA, 2025) holds is the base of GDPR's cap.
    """
    return {
        "Pop Mart, 2024": 1000 * transfer_value("Pop Mart", "revenue", "2024"),
        "Alibaba AIDC, FY2024": float(segments.value("aidc_total", 2024)),
        "Alibaba Group, FY2024": float(segments.value("consolidated", 2024)),
    }


#: The what-if's scenarios: a turnover and a cap. The DSA's cap is offered only for platforms.
SCENARIOS = {
    "Pop Mart 2024, GDPR 4%": ("Pop Mart, 2024", "GDPR (4%)"),
    "AIDC FY2024, DSA 6%": ("Alibaba AIDC, FY2024", "DSA (6%)"),
    "Group FY2024, GDPR 4%": ("Alibaba Group, FY2024", "GDPR (4%)"),
    "Group FY2024, DSA 6%": ("Alibaba Group, FY2024", "DSA (6%)"),
}


def compliance_model(firm: str, cap: str, probability: float, cost: float) -> ComplianceRisk:
    """What-if model: ``probability`` in % a year, ``cost`` in RMB million a year.

    Raises:
        KeyError: an unknown firm or cap name.
        ValueError: a probability outside 0-100, a negative cost, or the DSA's cap for a firm
            that is not an online platform.
    """
    turnovers = firm_turnovers()
    if firm not in turnovers:
        raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(turnovers)}")
    if cap not in CAPS:
        raise KeyError(f"unknown cap {cap!r}; choose one of {', '.join(CAPS)}")
    if not 0 <= probability <= 100:
        raise ValueError(f"the yearly chance of enforcement is a percentage from 0 to 100; got {probability}")
    if cost < 0:
        raise ValueError(f"compliance cost must not be negative; got {cost}")
    if CAPS[cap] == "dsa_in_force" and firm not in PLATFORMS:
        raise ValueError(f"the DSA's cap applies to online platforms; {firm} is not one")
    return ComplianceRisk(turnovers[firm], fine_cap(CAPS[cap]), probability / 100, float(cost))


def compliance_scenario(scenario: str, probability: float, cost: float) -> ComplianceRisk:
    """What-if model over :data:`SCENARIOS` (a turnover and a cap chosen together).

    Raises:
        KeyError: an unknown scenario.
    """
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    firm, cap = SCENARIOS[scenario]
    return compliance_model(firm, cap, probability, cost)


def compliance_summary(r: ComplianceRisk, values: Mapping[str, Any]) -> dict[str, str]:
    """Readout: maximum fine, expected fine, cost, break-even chance and the call."""
    return {
        "Maximum fine (upper bound on this turnover)": f"RMB {r.max_fine_m:,.0f} m",
        "Expected fine a year": f"RMB {r.expected_fine_m:,.0f} m",
        "Compliance cost a year": f"RMB {r.cost_m:,.0f} m",
        "Break-even chance": f"{100 * r.break_even:.1f}% a year",
        "Call": "comply: cheaper than the expected fine"
        if r.comply_pays
        else "on these numbers, the expected fine is lower",
    }


def compliance_chart(r: ComplianceRisk, values: Mapping[str, Any]) -> Figure:
    """Expected fine against the chance of enforcement, with the cost line and the break-even."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ps = [i / 100 for i in range(0, 16)]
    ax.plot(
        [100 * p for p in ps],
        [p * r.max_fine_m for p in ps],
        color=style.COLOURS["aidc_total"],
        label="expected fine (chance × maximum fine)",
    )
    ax.axhline(r.cost_m, color=style.COLOURS["cloud"], ls="--", label="yearly compliance cost (assumed)")
    if r.break_even <= 0.15:
        ax.axvline(100 * r.break_even, color="#444444", ls=":", lw=1)
        ax.text(
            100 * r.break_even + 0.3, r.cost_m * 1.05 + 1, f"break-even {100 * r.break_even:.1f}%", fontsize=8
        )
    ax.plot([100 * r.probability], [r.expected_fine_m], "o", color=style.COLOURS["highlight"])
    ax.set_xlim(0, 15)
    ax.set_ylim(0, max(0.15 * r.max_fine_m, r.cost_m) * 1.15)
    ax.set_xlabel("yearly chance of a maximum fine, %")
    ax.set_ylabel("RMB million a year")
    ax.set_title(f"{values['scenario']}: expected fine against cost")
    ax.legend(loc="upper left", fontsize=8)
    return fig
