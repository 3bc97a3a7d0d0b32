"""How the book writes numbers: fiscal years, percentages, 亿元, signs and the minus sign.

One place, so a table, a readout and a chart label never disagree about a format.
"""

from __future__ import annotations

import math

#: The typographic minus (U+2212): does not break across lines and matches the plus sign's width.
MINUS = "\u2212"

#: Units of ``paper_claims.csv`` and how they print.
UNIT_LABELS = {
    "percent": "%",
    "yi_yuan": "亿元",
    "trillion_yuan": "trillion yuan",
    "regions": "regions",
    "million_m2": "million m²",
    "days": "days",
    "year": "",  # a calendar year prints bare: 2016
    "none": "",  # a claim with no number prints as a dash
    "years": "years",
}


def date_text(date: str, precision: str = "day") -> str:
    """An ISO date as prose, to its precision: '28 March 2023' (day), 'July 2023' (month),
    '2025' (year). The tables store dates as precise as their sources; prose says no more."""
    import datetime as dt

    months = "January February March April May June July August September October November December"
    if precision == "year":
        return str(int(date[:4]))
    if precision == "month":
        year, month = date.split("-")[:2]
        return f"{months.split()[int(month) - 1]} {int(year)}"
    if precision != "day":
        raise ValueError(f"precision must be day, month or year, not {precision!r}")
    day = dt.date.fromisoformat(date)
    return f"{day.day} {months.split()[day.month - 1]} {day.year}"


def count_text(n: int) -> str:
    """A count as prose writes it: words up to ten ('six business groups'), digits above."""
    words = "zero one two three four five six seven eight nine ten".split()
    return words[n] if 0 <= n <= 10 else f"{n:,}"


def fy(year: int) -> str:
    """Label a fiscal year the way the book does: 'FY2024' (never a bare '2024')."""
    return f"FY{year}"


def pct(x: float, digits: int = 1, signed: bool = False) -> str:
    """A percentage already in percent units: ``pct(10.94)`` -> '10.9%'; signed adds '+' or '−'."""
    text = f"{abs(x) if signed else x:,.{digits}f}%"
    if signed:
        text = ("+" if x >= 0 else MINUS) + text
    return text.replace("-", MINUS)


def yi(x: float, digits: int = 1) -> str:
    """An amount already in 亿元: ``yi(1026.0)`` -> '1,026.0 亿元'."""
    return f"{x:,.{digits}f} 亿元".replace("-", MINUS)


def quantity(x: float | None, unit: str) -> str:
    """A claim's value in its unit (``paper_claims.csv``); a dash when there is none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if unit == "year":
        return f"{int(round(x))}"
    if unit == "none":
        return "—"
    digits = 1 if unit in {"percent", "yi_yuan"} else 2 if unit == "trillion_yuan" else 0
    text = f"{x:,.{digits}f}"
    return f"{text}%" if unit == "percent" else f"{text} {UNIT_LABELS[unit]}"
