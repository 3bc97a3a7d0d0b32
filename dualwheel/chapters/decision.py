"""The decision opener (``book/decision.md``): the facts AIDC's leadership could know on the
decision date, read from ``data/decision.csv``.

Every figure and date the opener quotes is read here, and every row carries the day it became
public, so nothing after the decision date can reach the page (``tests/unit/test_decision.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .. import cutoff, data, fmt, style

#: The decision date: the knowledge cut-off of the opener and of Chapters 1-7 (typed once, as
#: ``decision_date`` in data/metadata.yml).
DECISION_DATE: dt.date = cutoff.decision_date()

#: How long the budget runs, in fiscal years (Alibaba's fiscal year ends 31 March).
BUDGET_YEARS = 2

#: The criteria, in the order the opener lists them (the ``criterion`` column of the table).
CRITERIA = {
    "growth": "Growth",
    "break_even": "Path to break-even",
    "regulation": "Regulatory exposure",
    "competition": "Competitive position",
    "capital": "Capital intensity",
    "control": "Control",
}

UNIT_TEXT = {
    "rmb_m": "RMB {:,.0f} m",
    "rmb_bn": "RMB {:,.2f} bn",
    "usd_m": "USD {:,.0f} m",
    "usd": "USD {:,.0f}",
    "eur": "EUR {:,.0f}",
    "pct": "{:,.0f}%",
}


def table() -> pd.DataFrame:
    """``data/decision.csv``, with ``public`` as a date."""
    t = data.load("decision")
    t["public"] = pd.to_datetime(t["public"], format="%Y-%m-%d").dt.date
    return t


def fact(fid: str) -> pd.Series:
    return data.row("decision", fid, "fact")


def value(fid: str) -> float:
    v = fact(fid)["value"]
    if v is None or pd.isna(v):
        raise ValueError(f"data/decision.csv: fact {fid!r} has no value")
    return float(v)


def public_day(fid: str) -> str:
    return fmt.date_text(str(fact(fid)["public"]), "day")


def budget_fiscal_years() -> list[str]:
    """The fiscal years the budget covers: the ones that start after the decision date."""
    first = DECISION_DATE.year + 1 if DECISION_DATE.month > 3 else DECISION_DATE.year
    return [fmt.fy(first + i) for i in range(BUDGET_YEARS)]


def show_value(row: pd.Series) -> str:
    """A row's figure as the exhibit prints it (a dash for a fact without a number)."""
    v = row["value"]
    if v is None or pd.isna(v) or row["unit"] == "none":
        return "—"
    return UNIT_TEXT[row["unit"]].format(v).replace("-", fmt.MINUS)


def exhibit(topics: tuple[str, ...] = ("stakes", "capital", "rivals", "rules")) -> pd.DataFrame:
    """The exhibit of what was known: one line per fact, grouped by criterion, figures as text."""
    t = table()
    t = t[t["topic"].isin(topics)].copy()
    t["order"] = t["criterion"].map(list(CRITERIA).index)
    t = t.sort_values(["order", "public"], kind="stable")
    return pd.DataFrame(
        {
            "Criterion": t["criterion"].map(CRITERIA),
            "Fact": t["fact"],
            "Figure": [show_value(r) for _, r in t.iterrows()],
            "Period": t["period"],
            "Public on": [fmt.date_text(str(d), "day") for d in t["public"]],
        }
    ).reset_index(drop=True)


def sources(topics: tuple[str, ...] | None = None) -> list[str]:
    """Source ids of the rows shown (in table order, no repeats)."""
    t = table()
    if topics is not None:
        t = t[t["topic"].isin(topics)]
    return list(dict.fromkeys(t["source"]))


ANNUAL = ("FY2022", "FY2023", "FY2024")


def annual_chart() -> Figure:
    """AIDC's revenue and adjusted EBITA, FY2022-FY2024, side by side (RMB billion)."""
    rev = [value(f"aidc_rev_{y.lower()}") / 1000 for y in ANNUAL]
    ebita = [value(f"aidc_ebita_{y.lower()}") / 1000 for y in ANNUAL]
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.FIGSIZE[0], 3.6))
    x = range(len(ANNUAL))
    for ax, ys, title, colour in (
        (left, rev, "Revenue", style.COLOURS["aidc_total"]),
        (right, ebita, "Adjusted EBITA", style.COLOURS["neutral"]),
    ):
        ax.bar(x, ys, color=colour, width=0.6, label=title)
        for i, y in zip(x, ys, strict=True):
            ax.text(
                i,
                y,
                f"{y:,.1f}".replace("-", fmt.MINUS),
                ha="center",
                va="bottom" if y >= 0 else "top",
                fontsize=9,
            )
        ax.set_xticks(list(x), list(ANNUAL))
        ax.set_title(title)
        ax.axhline(0, color="#444444", lw=0.8)
        ax.set_ylabel("RMB billion")
    low = min(ebita)
    right.set_ylim(low * 1.3, 0 - low * 0.1)
    left.set_ylim(0, max(rev) * 1.15)
    fig.suptitle("AIDC revenue and adjusted EBITA, FY2022-FY2024 (FY2024 segment basis)")
    fig.tight_layout()
    return fig


def facts() -> dict[str, object]:
    """Every number and date the opener's prose quotes, by glue name."""
    fy = budget_fiscal_years()
    rev23, rev24 = value("aidc_rev_fy2023"), value("aidc_rev_fy2024")
    lazada = ["lazada_cap_jul2023", "lazada_cap_dec2023", "lazada_cap_may2024"]
    return {
        "dec_date": fmt.date_text(DECISION_DATE.isoformat(), "day"),
        "dec_year": DECISION_DATE.year,
        "dec_fy_first": fy[0],
        "dec_fy_last": fy[-1],
        "dec_budget_years": fmt.count_text(BUDGET_YEARS),
        "dec_d_title": public_day("jiang_title"),
        "dec_d_leaders": fmt.date_text(str(fact("group_leaders")["period"]), "day"),
        "dec_d_lazada_first": fact(lazada[0])["period"],
        "dec_d_lazada_last": fact(lazada[-1])["period"],
        "dec_d_idc": public_day("jiang_idc_2021"),
        "dec_d_growth_first": public_day("jiang_growth_first"),
        "dec_rev_fy2024_bn": rev24 / 1000,
        "dec_rev_growth_fy2024": 100 * (rev24 / rev23 - 1),
        "dec_rev_growth_q3": value("aidc_rev_growth_q3_fy2024"),
        "dec_rev_growth_q4": value("aidc_rev_growth_q4_fy2024"),
        "dec_loss_fy2024_bn": -value("aidc_ebita_fy2024") / 1000,
        "dec_loss_fy2023_bn": -value("aidc_ebita_fy2023") / 1000,
        "dec_loss_q3": -value("aidc_ebita_q3_fy2024"),
        "dec_loss_q4": -value("aidc_ebita_q4_fy2024"),
        "dec_margin_fy2024": 100 * value("aidc_ebita_fy2024") / rev24,
        "dec_ae_orders_growth": value("aliexpress_orders_growth_q3_fy2024"),
        "dec_lazada_total_bn": sum(value(f) for f in lazada) / 1000,
        "dec_lazada_n": fmt.count_text(len(lazada)),
        "dec_trendyol_bn": value("trendyol_pledge") / 1000,
        "dec_d_trendyol": public_day("trendyol_pledge"),
        "dec_korea_bn": value("korea_plan") / 1000,
        "dec_pdd_growth": value("pdd_rev_growth_q1_2024"),
        "dec_amazon_price": value("amazon_discount_plan"),
        "dec_d_amazon": fmt.date_text(str(fact("amazon_discount_plan")["period"]), "day"),
        "dec_us_threshold": value("us_de_minimis"),
        "dec_d_hr7979": public_day("us_hr7979"),
        "dec_eu_threshold": value("eu_150_proposal"),
        "dec_d_eu_proposal": public_day("eu_150_proposal"),
        "dec_d_dsa": public_day("aliexpress_dsa_proceedings"),
        "dec_dsa_cap": value("dsa_fine_cap"),
        "dec_d_tiktok": public_day("tiktok_us_launch"),
        **{
            f"dec_margin_text_{y.lower()}": f"{100 * value(f'aidc_ebita_{y.lower()}') / value(f'aidc_rev_{y.lower()}'):.1f}".replace("-", fmt.MINUS)
            for y in ANNUAL
        },
        **order_facts(),
    }


def _usd(v: float) -> str:
    """'USD +1.00' / 'USD −4.38': signed, and never a bare number (the glue would read '+1.00'
    back as the number 1.0 and drop its sign and decimals)."""
    return f"USD {v:+.2f}".replace("-", fmt.MINUS)


def order_facts() -> dict[str, object]:
    """The one-order what-if's readings the teaching note quotes (Exhibit D.6,
    dualwheel/order_economics.py): the base case, each route's case, the parcel's case without
    de minimis, and how many of the what-if's frames each conclusion covers."""
    from collections import Counter

    from .. import order_economics as oe
    from ..page.whatif import grid

    out: dict[str, object] = {}
    base = oe.base_case()
    for r in oe.ROUTES:
        out[f"dec_oe_base_{r}"] = _usd(base.routes[r].contribution)
        case = oe.reading(r)
        out[f"dec_oe_case_{r}"] = _usd(case.routes[r].contribution)
        out[f"dec_oe_case_{r}_text"] = oe.reading_text(r)
    base_off = oe.three_routes(base.values["coupon_rate"], base.values["parcel_freight"], "off")  # the rule alone
    out["dec_oe_base_parcel_off"] = _usd(base_off.routes["parcel"].contribution)
    v = oe.reading_values("parcel")
    off = oe.three_routes(v["coupon_rate"], v["parcel_freight"], "off")
    out["dec_oe_parcel_case_off"] = _usd(off.routes["parcel"].contribution)
    out["dec_oe_parcel_case_off_best"] = oe.SHORT[off.best].lower()
    w = oe.order_whatif()
    counts = Counter(oe.order_conclusion(w.compute(**x), x).split(";")[0] for x in grid(w.params))
    out["dec_oe_frames"] = sum(counts.values())
    for r in oe.ROUTES:
        out[f"dec_oe_leads_{r}"] = counts[f"{oe.SHORT[r]} contributes most"]
    out["dec_oe_all_lose"] = counts["Every route loses money on this order"]
    out["dec_oe_duty"] = oe.order_input("duty_rate")
    out["dec_oe_fee"] = oe.order_input("handling_fee", "warehouse")
    return out


#: The course map on the instructors' page: sessions, the pages read before each, what happens.
SESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The decision and its context", ("decision", "ch01-introduction")),
    ("The dual-wheel argument", ("ch02-dual-wheel",)),
    ("The company and its numbers", ("ch03-company-overview",)),
    ("Why Alibaba went abroad", ("ch04-drivers",)),
    ("How the strategy evolved", ("ch05-evolution",)),
    ("What the strategy delivered", ("ch06-results",)),
    ("Lessons, and the memo drafted", ("ch07-lessons",)),
    ("The decision class", ("decision",)),
)


def student_words(page: str, book: Path | None = None) -> int:
    """Words a student reads on one page: the text before its "For instructors" label, without
    code cells, directives' option lines or glue roles (a glued figure counts as one word)."""
    from ..publish.sphinxext import _before_instructors

    book = book or Path(__file__).resolve().parents[2] / "book"
    text = (book / f"{page}.md").read_text(encoding="utf-8")
    text = text.split("---", 2)[2] if text.startswith("---") else text
    text = _before_instructors(text) or text
    text = re.sub(r"```\{code-cell\}.*?```", " ", text, flags=re.S)
    text = re.sub(r"^:[a-z-]+:.*$", " ", text, flags=re.M)
    text = re.sub(r"\{glue:(text|md)\}`[^`]+`", "N", text)
    return len(re.findall(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff'’.,%-]*", text))


def reading_load(book: Path | None = None) -> list[int]:
    """Words to read before each session of :data:`SESSIONS` (the decision class re-reads the
    opener)."""
    return [sum(student_words(p, book) for p in pages) for _, pages in SESSIONS]
