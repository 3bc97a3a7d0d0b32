"""Finance arithmetic shared by every chapter: growth, CAGR and the 亿元 unit. Pure functions."""

from __future__ import annotations

RMB_M_PER_YI = 100  # 1 亿元 = 100 million yuan


def to_yi(rmb_million: float) -> float:
    """RMB million -> 亿元 (hundreds of millions of yuan), the unit of the paper's figures."""
    return rmb_million / RMB_M_PER_YI


def growth(start_value: float, end_value: float) -> float:
    """Total growth between two values (0.455 = +45.5%)."""
    if start_value <= 0:
        raise ValueError(f"growth needs a positive start value, got {start_value}")
    return end_value / start_value - 1


def cagr(start_value: float, end_value: float, periods: int) -> float:
    """Compound annual growth rate over ``periods`` years."""
    if periods <= 0:
        raise ValueError(f"a CAGR needs at least one period, got {periods}")
    if start_value <= 0 or end_value <= 0:
        raise ValueError("a CAGR needs positive start and end values")
    return (end_value / start_value) ** (1 / periods) - 1
