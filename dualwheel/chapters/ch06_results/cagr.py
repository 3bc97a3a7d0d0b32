"""Chapter 6, Cainiao's growth rate: the CAGR explorer (what-if), the five ways to compute the
paper's "2019-2024" rate, and the claims table's check (the rate on one reporting basis)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import claims, finance, segments, style
from ...claims import check
from ...finance import cagr
from ...fmt import fy
from ...segments import BASE_YEAR, history, value
from .structure import cainiao_series

#: The bases a student can pick in the CAGR explorer (value -> label on the toggle).
CAGR_BASES: dict[str, str] = {b: segments.BASES[b].toggle for b in ("old", "new", "mixed")}


#: How periods are counted (value -> label on the toggle).
PERIOD_RULES: dict[str, str] = {
    "span": "end − start (correct)",
    "paper": "5, as the published labels imply",
}


#: The number of periods the paper compounds over for "2019-2024".
PAPER_PERIODS = 5


@dataclass(frozen=True)
class CagrResult:
    """One CAGR calculation on Cainiao's revenue, or the reason it cannot be made.

    ``cagr_pct`` is None when the choice is invalid; ``message`` then says why, in a
    sentence a student can act on. ``warnings`` list what is wrong with a valid but
    inconsistent calculation (bases mixed, periods miscounted).
    """

    basis: str
    start: int
    end: int
    period_rule: str
    series: pd.Series  # fiscal_year -> RMB million on the chosen basis
    periods: int | None
    cagr_pct: float | None
    message: str
    warnings: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.cagr_pct is not None

    @property
    def span(self) -> int:
        return self.end - self.start

    def basis_of(self, year: int) -> str:
        """'old' or 'new': which basis the value for ``year`` is on."""
        if self.basis == "mixed":
            return "new" if year >= segments.basis_switch_year("cainiao") else "old"
        return self.basis


def cainiao_cagr(start: float, end: float, basis: str, periods: str = "span") -> CagrResult:
    """Cainiao's compound annual growth rate (年均复合增长率) from ``start`` to ``end`` (fiscal years).

    ``basis`` is a key of :data:`CAGR_BASES`; ``periods`` is ``"span"`` (end − start, the
    correct count) or ``"paper"`` (always 5, as the paper counted for "2019-2024"). Choices
    that cannot give a rate (end not after start, a year with no figure on that basis) return
    a result with ``cagr_pct=None`` and a message instead of raising, so a what-if frame can
    say what went wrong. Unknown bases or period rules raise ValueError.
    """
    if basis not in CAGR_BASES:
        raise ValueError(f"basis must be one of {', '.join(CAGR_BASES)}, not {basis!r}")
    if periods not in PERIOD_RULES:
        raise ValueError(f"periods must be one of {', '.join(PERIOD_RULES)}, not {periods!r}")
    start, end = int(start), int(end)
    series = cainiao_series(basis)

    def result(n: int | None, rate: float | None, message: str, warns: tuple[str, ...] = ()) -> CagrResult:
        return CagrResult(basis, start, end, periods, series, n, rate, message, warns)

    if end <= start:
        return result(None, None, f"The end year must come after the start year ({fy(start)} → {fy(end)}).")
    missing = [y for y in (start, end) if y not in series.index]
    if missing:
        have = f"{fy(int(series.index.min()))}–{fy(int(series.index.max()))}"
        return result(
            None,
            None,
            f"No {fy(missing[0])} figure on this basis (it covers {have}); pick years inside that range.",
        )
    n = end - start if periods == "span" else PAPER_PERIODS
    rate = 100 * finance.cagr(series[start], series[end], n)
    warns = []
    out = result(n, rate, "", ())
    if out.basis_of(start) != out.basis_of(end):
        warns.append(f"mixes two bases: {fy(start)} is external revenue only, {fy(end)} is restated")
    if n != end - start:
        warns.append(f"counts {n} periods, but {fy(start)} → {fy(end)} spans {_years(end - start)} of growth")
    return result(n, rate, "", tuple(warns))


def cagr_frame_key(values: Mapping[str, Any], r: CagrResult) -> tuple:
    """What-if frames that share a chart: a choice with no rate looks the same whichever period
    count is picked, so those frames are drawn once."""
    key = (values["start"], values["end"], values["basis"])
    return key if not r.valid else (*key, values["periods"])


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def is_paper_cagr(r: CagrResult, tolerance: float = 0.05) -> bool:
    """True when a result reproduces the paper's figure for Cainiao's growth (34.8%)."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    return r.valid and abs(r.cagr_pct - paper) < tolerance


def cagr_summary(r: CagrResult, values: dict) -> dict[str, str]:
    """The readout of the CAGR explorer: the rate, how it was computed, and what is wrong with it."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    if not r.valid:
        return {"CAGR": "no rate", "Why": r.message}
    out = {
        "CAGR": f"{r.cagr_pct:.1f}%",
        "Calculation": (
            f"{fy(r.start)} {finance.to_yi(r.series[r.start]):,.1f} 亿元 ({segments.BASES[r.basis_of(r.start)].word}) → "
            f"{fy(r.end)} {finance.to_yi(r.series[r.end]):,.1f} 亿元 ({segments.BASES[r.basis_of(r.end)].word}) "
            f"over {r.periods} period{'s' if r.periods != 1 else ''}"
        ),
    }
    if is_paper_cagr(r):
        out["Published"] = (
            f"this is the published {paper:g}%: {fy(r.start)} old basis → {fy(r.end)} restated, "
            f"over {r.periods} periods. Two readings: {r.periods} periods counted over "
            f"{_years(r.span)}, or {fy(r.start)} labelled '{r.start - 1}' (then the count follows the labels)"
        )
    else:
        out["Published"] = f"{r.cagr_pct - paper:+.1f} points from the published {paper:g}%"
    out["Check"] = "; ".join(r.warnings) if r.warnings else "consistent basis and period count"
    return out


def cagr_chart(r: CagrResult, values: dict) -> Figure:
    """The chosen Cainiao series with its start and end marked, the compound path, and the rate
    set against the paper's 34.8%."""
    paper = claims.claim("cainiao_cagr")["paper_value"]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=80, gridspec_kw={"width_ratios": [3.2, 1]})
    years = list(range(2019, BASE_YEAR + 1))
    for y in years:
        if y not in r.series.index:
            ax.text(y, 8, "no data", rotation=90, ha="center", va="bottom", fontsize=7, color="#888888")
            continue
        picked = y in (r.start, r.end)
        ax.bar(
            y,
            finance.to_yi(r.series[y]),
            width=0.6,
            color=style.COLOURS[r.basis_of(y)],
            alpha=1.0 if picked else 0.45,
            edgecolor=style.COLOURS["highlight"] if picked else "none",
            linewidth=1.5,
        )
    if r.valid:
        steps = range(r.end - r.start + 1)
        path = [finance.to_yi(r.series[r.start]) * (1 + r.cagr_pct / 100) ** t for t in steps]
        ax.plot(
            [r.start + t for t in steps],
            path,
            "--",
            color=style.COLOURS["scenario"],
            lw=1.5,
            label=f"compounding at {r.cagr_pct:.1f}%/yr",
        )
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xticks(years, [fy(y) for y in years], fontsize=8)
    ax.set_ylabel("亿元")
    ax.set_ylim(0, 1150)
    ax.set_title(f"Cainiao revenue: {CAGR_BASES[r.basis]}", fontsize=10)
    # right panel: the rate against the paper's
    if r.valid:
        colour = style.COLOURS["highlight"] if is_paper_cagr(r) else style.COLOURS["scenario"]
        bx.bar([0], [r.cagr_pct], width=0.5, color=colour)
        bx.text(0, r.cagr_pct + 1.5, f"{r.cagr_pct:.1f}%", ha="center", fontsize=10, fontweight="bold")
    else:
        bx.text(0, 30, "no rate", ha="center", fontsize=10, color="#b00020")
    bx.axhline(paper, color="#b00020", ls=":", lw=1.5)
    bx.set_title(f"dotted: published {paper:g}%", fontsize=9, color="#b00020")
    bx.set_xlim(-0.5, 0.5)
    bx.set_ylim(0, 60)
    bx.set_xticks([0], ["CAGR"])
    bx.set_ylabel("% per year")
    return fig


def cainiao_cagr_variants() -> pd.DataFrame:
    """Ways to compute Cainiao's "2019-2024" growth rate, including the paper's.

    Shows that only one inconsistent choice reproduces 34.8%: the FY2020 old-basis value
    (external revenue only) compounded over five periods to the restated FY2024 value.
    """
    old = history("cainiao", "old")
    end = value("cainiao", 2024)
    rows = [
        (
            "FY2020 old basis → FY2024 new basis, over 5 periods (the published figure)",
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
                "cagr_pct": 100 * (cagr(start, stop, periods)),
            }
            for label, start, stop, periods, consistent in rows
        ]
    )


def paper_cainiao_cagr() -> float:
    """The paper's 34.8%, reproduced: FY2020 old basis to restated FY2024 over 5 periods."""
    return float(cainiao_cagr_variants()["cagr_pct"].iloc[0])


#: The single-basis rate the claims table shows beside the paper's: the longest span of the
#: paper's "2019-2024" that one basis covers (the old basis, FY2019 to FY2023).
SINGLE_BASIS_CAGR = (2019, 2023, "old")


@check("cainiao_cagr")
def single_basis_cainiao_cagr() -> float:
    """Cainiao's CAGR on one reporting basis over the correct number of years (the check)."""
    start, end, basis = SINGLE_BASIS_CAGR
    r = cainiao_cagr(start, end, basis, "span")
    assert r.cagr_pct is not None, r.message
    return r.cagr_pct
