"""Key-only calculators: functions a graded ``expr`` calls that no student page calls.

A chapter's kit (the ".zip (runs alone)" download, :mod:`dualwheel.publish.kit`) ships the
chapter modules a page imports. A function there that returns a graded key in one call
(``c4.mean_ks_by_mode(...)``) would let a student read the answer off tab-completion. So the
functions that only the answer keys need live here, in the grader's package: the bank loader
(:func:`dualwheel.grading.questions._evaluate`) adds :func:`scope` to the names an ``expr`` can
use, and a student kit never ships this file (``kit.GRADING_ONLY``; ``tests/unit/test_kit_keys.py``
checks that no function a graded ``expr`` names is importable from a student kit, except the
ones a student page itself calls).

Each function keeps the behaviour and the name it had in its chapter module, so the banks read
as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd

from .. import data, segments
from ..fmt import fy

#: chapter -> {name: function}, filled by :func:`key`
_KEYS: dict[int, dict[str, Callable[..., Any]]] = {}


def key(chapter: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a key calculator of ``chapter``'s bank."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _KEYS.setdefault(chapter, {})[fn.__name__] = fn
        return fn

    return register


def scope(chapter: int) -> dict[str, Callable[..., Any]]:
    """The key calculators a bank of ``chapter`` may call in its ``expr``."""
    return dict(_KEYS.get(chapter, {}))


def names() -> set[str]:
    """Every key calculator's name, whatever its chapter."""
    return {n for fns in _KEYS.values() for n in fns}


# ------------------------------------------------------------------ Chapter 1
@key(1)
def goods_trade_row(year: int) -> dict:
    """One row of ``goods_trade.csv`` as a dict (total, exports, imports, growth, source)."""
    from ..chapters.ch01_introduction.market import goods_trade

    goods_trade(year)  # the same clear error for an unknown year
    t = data.load("goods_trade").set_index("calendar_year")
    return t.loc[year].to_dict()


# ------------------------------------------------------------------ Chapter 2
@key(2)
def benchmark_rate(stage: str, pick: str = "max", source: str | None = None) -> float:
    """One published rate (per cent) for a link of the funnel, from ``funnel_benchmarks.csv``.

    ``pick`` chooses among several rows for the stage ("max" or "min"); ``source`` picks the
    row of one source instead.
    """
    t = data.load("funnel_benchmarks")
    rows = t[t["stage"] == stage]
    if source is not None:
        rows = rows[rows["source"] == source]
    if rows.empty:
        where = f" from {source!r}" if source else ""
        raise KeyError(f"no benchmark for stage {stage!r}{where}; stages: {sorted(set(t['stage']))}")
    if pick not in ("max", "min"):
        raise ValueError(f"pick must be 'max' or 'min', not {pick!r}")
    return float(rows["value"].max() if pick == "max" else rows["value"].min())


@key(2)
def smallest_takeoff_seed(attraction: float, churn_pct: float, seeds: list[float]) -> float | None:
    """The smallest of ``seeds`` (per cent of potential sellers) with which the platform takes off."""
    from ..chapters.ch02_dual_wheel import platform_path

    for seed in sorted(seeds):
        if platform_path(attraction, churn_pct, seed).outcome == "takes off":
            return seed
    return None


# ------------------------------------------------------------------ Chapter 3
@key(3)
def ebita_change_per_revenue(line: str, year: int) -> float:
    """Change in adjusted EBITA per yuan of change in segment revenue, FY``year-1`` to FY``year``."""
    d_rev = segments.value(line, year) - segments.value(line, year - 1)
    if d_rev == 0:
        raise ValueError(f"{line}: revenue did not change in FY{year}")
    return (segments.ebita(line, year) - segments.ebita(line, year - 1)) / d_rev


# ------------------------------------------------------------------ Chapter 4
@key(4)
def internet_users_millions(iso_codes: list[str], year: int | None = None) -> float:
    """Internet users in a group of markets: population x internet penetration, in millions."""
    from ..chapters.ch04_drivers.distances import INDICATOR_YEAR, indicators

    year = INDICATOR_YEAR if year is None else year
    ind = indicators(year)
    missing = [i for i in iso_codes if i not in ind.index]
    if missing:
        raise ValueError(f"no {year} indicators for {', '.join(missing)}; use codes from data/markets.csv")
    rows = ind.loc[list(iso_codes)]
    return float((rows["population"] * rows["internet_pct"] / 100).sum() / 1e6)


@key(4)
def mean_ks_by_mode(mode: str, dims: tuple[str, ...] | None = None, without: str | None = None) -> float:
    """Mean Kogut–Singh index of the markets whose first local entry used ``mode`` (scores only).

    ``dims`` recomputes the index on those Hofstede dimensions (default: the six of the market
    table); ``without`` leaves one market (ISO alpha-3) out, to show how much one market moves the mean.
    """
    from ..chapters.ch04_drivers.distances import kogut_singh
    from ..chapters.ch04_drivers.entry_rule import ENTRY_MODES
    from ..chapters.ch04_drivers.ranking import market_table

    if mode not in ENTRY_MODES:
        raise ValueError(f"mode must be one of {list(ENTRY_MODES)}, not {mode!r}")
    m = market_table().dropna(subset=["entry_year"])
    m = m[m["mode"] == mode]
    if without is not None:
        if without not in m.index:
            raise ValueError(f"{without!r} is not a market entered by {mode}")
        m = m.drop(index=without)
    ks = m["ks_index"] if dims is None else pd.Series({iso: kogut_singh(iso, dims=tuple(dims)) for iso in m.index})
    return float(ks.dropna().mean())


# Chapter 4, session 5 (issue 24): the Kogut-Singh index with its variances taken over the
# chapter's own markets, so that neither the page's Do-it-yourself cell nor the shipped
# ``kogut_singh`` (variances over the whole Hofstede file) returns the graded keys.
@data.register_cache
@functools.cache
def _chapter_scores() -> pd.DataFrame:
    """Hofstede scores of the markets of ``data/markets.csv`` that have one (China included), by
    ISO code. Worked out once (every variant of every Chapter 4 key reads it); read, never handed out."""
    from ..chapters.ch04_drivers.distances import _scores_by_iso3

    s = _scores_by_iso3()  # the Hofstede file by ISO code, as kogut_singh reads it
    return s[s.index.isin(data.load("markets")["iso3"])]


@key(4)
def ks_chapter_base(iso3: str, dims: tuple[str, ...] | None = None) -> float:
    """Kogut-Singh index from China with each dimension's variance (pandas' ``.var()``, n - 1)
    taken over the chapter's markets that have a score, on ``dims`` (default: all six)."""
    from ..chapters.ch04_drivers.distances import DIMENSIONS, HOME

    dims = list(DIMENSIONS if dims is None else dims)
    s = _chapter_scores()
    if iso3 not in s.index:
        raise ValueError(f"{iso3!r} is not a market of data/markets.csv with a Hofstede score")
    var = s[dims].astype(float).var()
    diff = s.loc[iso3, dims].astype(float) - s.loc[HOME, dims].astype(float)
    return float(((diff**2) / var).sum() / len(dims))


@key(4)
def ks_chapter_rank(iso3: str, dims: tuple[str, ...] | None = None) -> int:
    """Place of ``iso3`` (1 = nearest to China) among the chapter's scored markets, China left
    out, on :func:`ks_chapter_base`."""
    from ..chapters.ch04_drivers.distances import HOME

    ks = {i: ks_chapter_base(i, dims) for i in _chapter_scores().index if i != HOME}
    if iso3 not in ks:
        raise ValueError(f"{iso3!r} is not a market of data/markets.csv with a Hofstede score")
    return 1 + sum(v < ks[iso3] for v in ks.values())


# ------------------------------------------------------------------ Chapter 5
@key(5)
def intl_value(series: str, fiscal_year: int) -> int:
    """One value of the older international tables, RMB million: ``intl_retail``,
    ``intl_wholesale``, ``intl_total`` (20-F basis, FY2014-FY2023) or ``group_revenue``
    (FY2014-FY2020). Reads ``intl_revenue_early`` and, from FY2019, ``segment_history``.
    KeyError, naming what exists, for a year or series not in data/."""
    early = data.load("intl_revenue_early")
    hist = data.load("segment_history")
    rows = pd.concat(
        [
            early[["series", "fiscal_year", "value_rmb_m"]],
            hist.loc[hist["basis"] == "old", ["series", "fiscal_year", "value_rmb_m"]],
        ]
    )
    hit = rows[(rows["series"] == series) & (rows["fiscal_year"] == fiscal_year)]
    if hit.empty:
        have = sorted(rows.loc[rows["series"] == series, "fiscal_year"])
        span = f"{fy(have[0])}-{fy(have[-1])}" if have else "no years"
        raise KeyError(f"no {series!r} value for {fy(fiscal_year)} in data/ (it has {span})")
    return int(hit["value_rmb_m"].iloc[0])


@data.register_cache
@functools.cache
def _entry_table() -> pd.DataFrame:
    """``c5.entry_steps()`` by event id, worked out once for every variant; read, never handed out."""
    from ..chapters.ch05_evolution.events import entry_steps

    return entry_steps().set_index("event_id")


@key(5)
def entry_value(event_id: str, column: str) -> float:
    """One number of ``c5.entry_steps()``: ``amount_usd_m`` or ``stake_after_pct`` of a step.

    KeyError for a move that is not a marketplace step; ValueError when the source gives no
    number (undisclosed), so a computation never silently uses a gap."""
    if column not in ("amount_usd_m", "stake_after_pct"):
        raise KeyError(f"column must be 'amount_usd_m' or 'stake_after_pct', got {column!r}")
    t = _entry_table()
    if event_id not in t.index:
        raise KeyError(f"{event_id!r} is not a marketplace step in data/moves.csv")
    v = t.loc[event_id, column]
    if pd.isna(v):
        raise ValueError(f"{event_id}: {column} is not disclosed in the sources")
    return float(v)


@key(5)
def implied_value_usd_m(event_id: str, before_event_id: str) -> float:
    """USD million value of 100% of a company implied by a follow-on step: its price over the
    stake it added (stake after ``event_id`` minus stake after ``before_event_id``)."""
    added = entry_value(event_id, "stake_after_pct") - entry_value(before_event_id, "stake_after_pct")
    if added <= 0:
        raise ValueError(f"{event_id} adds no stake over {before_event_id}")
    return 100 * entry_value(event_id, "amount_usd_m") / added


# ------------------------------------------------------------------ Chapter 6
#: The profit pools a graded question divides AIDC's losses by (name in the prompt -> segment line).
PROFIT_POOLS = {"Taotian": "taotian_total", "all segments together": "segment_total"}


@key(6)
def loss_share(pool: str, start: int, end: int = 2024) -> float:
    """AIDC's cumulative adjusted EBITA loss from ``start`` to ``end`` as a percentage of the
    cumulative adjusted EBITA of ``pool`` (a key of :data:`PROFIT_POOLS`)."""
    line = PROFIT_POOLS[pool]
    years = range(start, end + 1)
    return 100 * -sum(segments.ebita("aidc_total", y) for y in years) / sum(segments.ebita(line, y) for y in years)


# Chapter 6, session 5 (issue 24): moved from dualwheel/order_economics.py, where every kit
# shipped it although only the bank's expr called it (ch06-q8, ch06-q9).
@key(6)
def contribution(
    route: str,
    basket_value: float,
    de_minimis: str = "on",
    coupon_rate: float | None = None,
    return_rate: float | None = None,
    parcel_freight: float | None = None,
    duty_rate: float | None = None,
) -> float:
    """One route's contribution per order (USD), with every input not given at its base value
    in ``data/order_economics.csv`` (``de_minimis``: 'on' or 'off')."""
    from ..order_economics import one_order, order_input

    return one_order(
        route,
        basket_value=basket_value,
        de_minimis=de_minimis,
        duty_rate=duty_rate,
        coupon_rate=order_input("coupon_rate") if coupon_rate is None else coupon_rate,
        return_rate=order_input("return_rate") if return_rate is None else return_rate,
        parcel_freight=order_input("parcel_freight", "parcel") if parcel_freight is None else parcel_freight,
    ).contribution


# ------------------------------------------------------------------ Chapter 7
@key(7)
def break_even_probability(cost_m: float, turnover_m: float, cap_share: float, fine_share: float = 1.0) -> float:
    """Yearly chance of a fine that makes compliance spending break even.

    ``fine_share`` is the fine as a fraction of the cap (1.0: a fine at the cap).

    Raises:
        ValueError: a negative cost, or a turnover, cap or fine share that is not positive.
    """
    if cost_m < 0:
        raise ValueError(f"compliance cost must not be negative; got {cost_m}")
    if turnover_m <= 0 or cap_share <= 0:
        raise ValueError(f"turnover and fine cap must be positive; got {turnover_m} and {cap_share}")
    if not 0 < fine_share <= 1:
        raise ValueError(f"the fine share of the cap must be above 0 and at most 1; got {fine_share}")
    return cost_m / (fine_share * cap_share * turnover_m)


@key(7)
def pop_mart_outside_2022() -> float:
    """Pop Mart's 2022 revenue outside the mainland (RMB bn), derived from 2023 and its growth."""
    from ..chapters.ch07_lessons.transfer import transfer_value

    return transfer_value("Pop Mart", "revenue_outside_mainland", "2023") / (
        1 + transfer_value("Pop Mart", "growth_outside_mainland", "2023") / 100
    )
