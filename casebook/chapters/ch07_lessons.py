"""Chapter 7, Lessons for cross-border firms (战略启示): the numbers, models and charts.

The paper's section 7 draws five lessons from Alibaba's expansion abroad. This module tests
them against dated evidence (``data/lessons.csv``, ``data/lesson_evidence.csv``), lays out the
rules that bind a cross-border platform (``data/rules.csv``), sets two Chinese brands beside
Alibaba (``data/transfer_cases.csv``), and holds the chapter's two what-ifs:

* :func:`compliance_model` prices a compliance risk: the expected yearly fine against the
  yearly cost of avoiding it, with fine caps read from the rules table (GDPR 4%, DSA 6%).
* :func:`plan_model` shows which lessons bind first for a firm that is not Alibaba. It ranks
  nothing by hidden weights: each lesson's flag comes from one stated test on the firm's data.

Everything here is a pure function of the tables; charts are drawn at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .. import data, segments, style
from ..claims import check
from ..fmt import fy

#: The five lessons in the paper's order, with their Chinese names.
LESSON_ORDER = ["entry", "technology", "localisation", "compliance", "ecosystem"]

VERDICT_LABELS = {
    "holds": "Holds",
    "holds_with_caveat": "Holds, with a caveat",
    "partly_contradicted": "Partly contradicted by the chronology",
    "contradicted_at_the_top": "Contradicted at the top; no figure found",
    "untested": "Untested",
}

#: Where each chapter of the casebook lives, for links from the evidence matrix.
CHAPTER_NAMES = {
    "ch01-introduction": "Chapter 1",
    "ch02-dual-wheel": "Chapter 2",
    "ch03-company-overview": "Chapter 3",
    "ch04-drivers": "Chapter 4",
    "ch05-evolution": "Chapter 5",
    "ch06-results": "Chapter 6",
}


# --------------------------------------------------------------------------- lessons


def lessons() -> pd.DataFrame:
    """The paper's five lessons, in the paper's order, with the casebook's verdict."""
    t = data.load("lessons").sort_values("order").reset_index(drop=True)
    t["verdict_label"] = t["verdict"].map(VERDICT_LABELS)
    return t


def evidence(lesson_id: str | None = None) -> pd.DataFrame:
    """Dated evidence rows, for one lesson or all, in the paper's lesson order then by date.

    Raises:
        KeyError: ``lesson_id`` is not one of the five lessons.
    """
    t = data.load("lesson_evidence")
    if lesson_id is not None:
        if lesson_id not in LESSON_ORDER:
            raise KeyError(f"no lesson {lesson_id!r}; choose one of {', '.join(LESSON_ORDER)}")
        t = t[t["lesson_id"] == lesson_id]
    t = t.assign(_o=t["lesson_id"].map(LESSON_ORDER.index), _d=t["date"].fillna("9999"))
    return t.sort_values(["_o", "_d"]).drop(columns=["_o", "_d"]).reset_index(drop=True)


def _bullet_list(rows: pd.DataFrame) -> str:
    """Evidence rows as short dated phrases joined by semicolons (one table cell)."""
    parts = []
    for r in rows.itertuples():
        date = f"{r.date}: " if isinstance(r.date, str) and r.date else ""
        see = (
            f" ([{CHAPTER_NAMES[r.chapter]}]({r.chapter}))"
            if isinstance(r.chapter, str) and r.chapter
            else ""
        )
        parts.append(f"{date}{r.evidence}{see}")
    return "; ".join(parts) if parts else "—"


def evidence_matrix() -> pd.DataFrame:
    """Exhibit: each lesson with the paper's claim, the evidence for and against, and a verdict.

    Long format (four rows a lesson: claim, for, against, verdict, each labelled in bold), so
    the table stays two columns wide and each row is short enough to fit a PDF page.

    Evidence rows that carry only a figure (the AIDC EBITA series) are summarised in one line,
    so the matrix stays readable; the full rows are in ``data/lesson_evidence.csv``.
    """
    ev = evidence()
    ebita = ev["evidence_id"].str.startswith("aidc_ebita_")
    rows = []
    for les in lessons().itertuples():
        mine = ev[(ev["lesson_id"] == les.lesson_id) & ~ebita]
        against = _bullet_list(mine[mine["stance"] == "against"])
        if les.lesson_id == "technology":
            loss = aidc_ebita()
            years = ", ".join(f"{fy(y)} {v:,.0f}" for y, v in loss.items())
            against = f"AIDC adjusted EBITA, RMB million: {years} ([Chapter 6](ch06-results)); " + against
        name = f"**{les.order}. {les.lesson}**"
        for aspect, text in (
            ("The paper's claim", f"({les.lesson_zh}) {les.paper_claim}"),
            ("Evidence for", _bullet_list(mine[mine["stance"] == "for"])),
            ("Evidence against", against),
            ("Verdict", les.verdict_label),
        ):
            rows.append(
                {
                    "Lesson": name if aspect == "The paper's claim" else "",
                    "Claim, evidence and verdict": f"**{aspect}:** {text}",
                }
            )
    return pd.DataFrame(rows)


def aidc_ebita() -> pd.Series:
    """AIDC adjusted EBITA by fiscal year (RMB million), from the FY2024 20-F rows."""
    ev = data.load("lesson_evidence")
    rows = ev[ev["evidence_id"].str.startswith("aidc_ebita_fy")]
    years = rows["evidence_id"].str[-4:].astype(int)
    return pd.Series(rows["figure"].to_numpy(), index=years.to_numpy(), name="aidc_ebita").sort_index()


def aidc_ebita_margin(year: int) -> float:
    """AIDC adjusted EBITA as a share of AIDC revenue (a fraction), same FY2024 segment basis."""
    ebita = aidc_ebita()
    if year not in ebita.index:
        raise KeyError(f"no AIDC adjusted EBITA for {fy(year)}; have {list(ebita.index)}")
    return float(ebita[year]) / segments.value("aidc_total", year)


def _evidence_figure(evidence_id: str) -> float:
    """The figure on one evidence row."""
    ev = data.load("lesson_evidence").set_index("evidence_id")
    if evidence_id not in ev.index:
        raise KeyError(f"no evidence {evidence_id!r} in data/lesson_evidence.csv")
    return float(ev.loc[evidence_id, "figure"])


@check("lesson_entry_lazada")
def lazada_stake_2016() -> float:
    """Alibaba's stake in Lazada after the April 2016 purchase, percent."""
    return _evidence_figure("lazada_control")


@check("lesson_tech_competitiveness")
def aidc_ebita_margin_fy2024() -> float:
    """AIDC's adjusted EBITA margin in FY2024, percent (negative: a loss)."""
    return 100 * aidc_ebita_margin(2024)


@check("lesson_ecosystem_payments")
def ant_ascend_stake() -> float:
    """Ant Financial's stake in Ascend Money (TrueMoney), percent."""
    return _evidence_figure("ant_ascend")


def lazada_ceo_changes() -> pd.DataFrame:
    """Lazada's chief executives from 2018 on, with where each came from."""
    ev = evidence("localisation")
    ceo = ev[ev["evidence_id"].str.startswith("lazada_ceo_")].copy()
    ceo["from_alibaba_china"] = ceo["stance"] == "against"
    return ceo[["date", "evidence", "from_alibaba_china", "source"]].reset_index(drop=True)


def entry_chronology() -> pd.DataFrame:
    """Alibaba's first moves abroad by date, to test 'Southeast Asia first'.

    Each row says whether the move was into Southeast Asia, a Western market, or another.
    """
    ev = evidence("entry")
    region = {
        "aliexpress_launch": "Worldwide (cross-border selling)",
        "aliexpress_russia_first": "Russia",
        "aliexpress_top_markets": "Russia, United States, Spain",
        "cloud_silicon_valley": "United States",
        "lazada_control": "Southeast Asia",
        "lazada_83": "Southeast Asia",
        "trendyol_majority": "Turkey",
        "miravia_launch": "Spain",
    }
    mode = {
        "aliexpress_launch": "own cross-border platform",
        "aliexpress_russia_first": "own cross-border platform",
        "aliexpress_top_markets": "own cross-border platform",
        "cloud_silicon_valley": "own data centre",
        "lazada_control": "acquisition",
        "lazada_83": "acquisition",
        "trendyol_majority": "acquisition",
        "miravia_launch": "new local marketplace",
    }
    t = ev[ev["evidence_id"].isin(region)].copy()
    t["market"] = t["evidence_id"].map(region)
    t["mode"] = t["evidence_id"].map(mode)
    t["southeast_asia"] = t["market"] == "Southeast Asia"
    return t[["date", "market", "mode", "evidence", "stance", "source"]].reset_index(drop=True)


def years_before_lazada() -> int:
    """Whole years between AliExpress's launch and the Lazada stake: how late 'first' came."""
    ch = entry_chronology()
    first = int(ch["date"].str[:4].astype(int).min())
    lazada = int(ch.loc[ch["market"] == "Southeast Asia", "date"].str[:4].astype(int).min())
    return lazada - first


# --------------------------------------------------------------------------- rules


def rules() -> pd.DataFrame:
    """The dated rules table, oldest first, with a proper date column."""
    t = data.load("rules")
    t["when"] = pd.to_datetime(t["date"], format="%Y-%m-%d")
    return t.sort_values("when").reset_index(drop=True)


def fine_cap(rule_id: str) -> float:
    """A fine cap as a fraction of worldwide turnover, read from the rules table.

    Raises:
        KeyError: no such rule, or the rule is not a cap on turnover.
    """
    t = data.load("rules").set_index("rule_id")
    if rule_id not in t.index:
        raise KeyError(f"no rule {rule_id!r} in data/rules.csv")
    row = t.loc[rule_id]
    if row["figure_unit"] != "pct_of_turnover":
        raise KeyError(f"rule {rule_id!r} is not a fine cap on turnover (unit {row['figure_unit']!r})")
    return float(row["figure"]) / 100


@check("lesson_compliance_gdpr")
def dsa_cap_pct() -> float:
    """The DSA's cap on fines for very large platforms, percent of worldwide turnover."""
    return 100 * fine_cap("dsa_in_force")


#: GDPR's fixed alternative cap (Art. 83(5)): EUR 20 million, when higher than 4% of turnover.
GDPR_FLOOR_EUR_M = 20.0

#: The two caps the what-if offers, by the rule ids that carry them.
CAPS = {"GDPR (4%)": "gdpr_applies", "DSA (6%)": "dsa_in_force"}


# --------------------------------------------------------------------------- transfer cases


def transfer_value(firm: str, indicator: str, period: str) -> float:
    """One figure from the transfer-case table.

    Raises:
        KeyError: the firm, indicator or period is not in ``data/transfer_cases.csv``.
    """
    t = data.load("transfer_cases")
    hit = t[(t["firm"] == firm) & (t["indicator"] == indicator) & (t["period"] == str(period))]
    if hit.empty:
        raise KeyError(f"no {indicator!r} for {firm} in {period} in data/transfer_cases.csv")
    return float(hit["value"].iloc[0])


def pop_mart_outside_share() -> pd.DataFrame:
    """Pop Mart's revenue outside mainland China as a share of revenue, 2021-2024.

    2021 and 2022 are shares as reported (2022 rounded by the source); 2023 and 2024 are
    computed here from revenue figures, so the two kinds are labelled.
    """
    rows = []
    for year in ("2021", "2022"):
        rows.append(
            {
                "year": int(year),
                "share_pct": transfer_value("Pop Mart", "share_outside_mainland", year),
                "how": "reported",
            }
        )
    for year in ("2023", "2024"):
        outside = transfer_value("Pop Mart", "revenue_outside_mainland", year)
        total = transfer_value("Pop Mart", "revenue", year)
        rows.append({"year": int(year), "share_pct": 100 * outside / total, "how": "computed"})
    return pd.DataFrame(rows)


def pop_mart_outside_2022() -> float:
    """Pop Mart's 2022 revenue outside the mainland (RMB bn), derived from 2023 and its growth."""
    return transfer_value("Pop Mart", "revenue_outside_mainland", "2023") / (
        1 + transfer_value("Pop Mart", "growth_outside_mainland", "2023") / 100
    )


def anker_regions() -> pd.DataFrame:
    """Anker's H1 2024 revenue by region (percent), largest first."""
    t = data.load("transfer_cases")
    t = t[(t["firm"] == "Anker") & t["indicator"].str.startswith("region_")]
    t = t.assign(region=t["indicator"].str.removeprefix("region_").str.replace("_", " "))
    return (
        t[["region", "value"]]
        .rename(columns={"value": "share_pct"})
        .sort_values("share_pct", ascending=False)
    )


def three_firms() -> pd.DataFrame:
    """Exhibit: Alibaba, Pop Mart and Anker side by side on the share of revenue earned abroad.

    Alibaba's figure is AIDC's share of consolidated revenue (FY, ends 31 March); it leaves out
    Cloud's overseas revenue, which is not reported separately. Pop Mart counts Hong Kong,
    Macao and Taiwan as outside the mainland. Anker's is 100 minus its mainland-China share.
    """
    pm = pop_mart_outside_share().set_index("year")["share_pct"]
    anker_abroad = 100 - transfer_value("Anker", "region_mainland_china", "H1 2024")
    return pd.DataFrame(
        [
            {
                "firm": "Alibaba (AIDC)",
                "early": f"{100 * segments.share('aidc_total', 2022):.1f}% ({fy(2022)})",
                "latest": f"{100 * segments.share('aidc_total', 2024):.1f}% ({fy(2024)})",
                "abroad_pct": 100 * segments.share("aidc_total", 2024),
                "how it went abroad": "own platforms and acquisitions; own logistics, payments (affiliate) and cloud",
            },
            {
                "firm": "Pop Mart",
                "early": f"{pm[2021]:.1f}% (2021)",
                "latest": f"{pm[2024]:.1f}% (2024)",
                "abroad_pct": pm[2024],
                "how it went abroad": "own stores and vending robots, online platforms; IP-led products",
            },
            {
                "firm": "Anker",
                "early": "below 4% in China over 2020-2024 (source's words)",
                "latest": f"{anker_abroad:.1f}% (H1 2024)",
                "abroad_pct": anker_abroad,
                "how it went abroad": (
                    f"sold abroad from the start; {transfer_value('Anker', 'amazon_share', 'H1 2024'):.1f}% of sales via Amazon"
                ),
            },
        ]
    )


def transfer_chart() -> Figure:
    """Share of revenue earned outside mainland China: Pop Mart's path and two fixed points."""
    pm = pop_mart_outside_share()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    ax.plot(
        pm["year"],
        pm["share_pct"],
        marker="o",
        color=style.COLOURS["scenario"],
        label="Pop Mart (calendar years)",
    )
    for r in pm.itertuples():
        ax.annotate(
            f"{r.share_pct:.1f}%" + (" (rounded)" if r.year == 2022 else ""),
            (r.year, r.share_pct),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    aidc = 100 * segments.share("aidc_total", 2024)
    anker = 100 - transfer_value("Anker", "region_mainland_china", "H1 2024")
    ax.axhline(aidc, color=style.COLOURS["aidc_total"], ls="--", lw=1.2)
    ax.text(
        2022.45,
        aidc - 6,
        f"Alibaba: AIDC share of revenue, FY2024: {aidc:.1f}%",
        fontsize=8,
        color=style.COLOURS["aidc_total"],
    )
    ax.axhline(anker, color=style.COLOURS["cloud"], ls="--", lw=1.2)
    ax.text(
        2021.0,
        anker - 7,
        f"Anker: outside mainland China, H1 2024: {anker:.1f}%",
        fontsize=8,
        color=style.COLOURS["cloud"],
    )
    ax.set_ylim(0, 105)
    ax.set_xticks(pm["year"])
    ax.set_ylabel("% of revenue outside mainland China")
    ax.set_title("How much of the business is abroad?")
    ax.legend(loc="center right")
    return fig


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
    """Worldwide turnover options for the what-if, RMB million, each from data/."""
    return {
        "Pop Mart, 2024": 1000 * transfer_value("Pop Mart", "revenue", "2024"),
        "Alibaba AIDC, FY2024": float(segments.value("aidc_total", 2024)),
    }


def compliance_model(firm: str, cap: str, probability: float, cost: float) -> ComplianceRisk:
    """What-if model: ``probability`` in % a year, ``cost`` in RMB million a year.

    Raises:
        KeyError: an unknown firm or cap name.
        ValueError: a probability outside 0-100 or a negative cost.
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
    return ComplianceRisk(turnovers[firm], fine_cap(CAPS[cap]), probability / 100, float(cost))


def compliance_summary(r: ComplianceRisk, values: Mapping[str, Any]) -> dict[str, str]:
    """Readout: maximum fine, expected fine, cost, break-even chance and the call."""
    return {
        "Maximum fine": f"RMB {r.max_fine_m:,.0f} m",
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
    ps = [i / 100 for i in range(0, 21)]
    ax.plot(
        [100 * p for p in ps],
        [p * r.max_fine_m for p in ps],
        color=style.COLOURS["aidc_total"],
        label="expected fine (chance × maximum fine)",
    )
    ax.axhline(r.cost_m, color=style.COLOURS["cloud"], ls="--", label="yearly compliance cost (assumed)")
    if r.break_even <= 0.20:
        ax.axvline(100 * r.break_even, color="#444444", ls=":", lw=1)
        ax.text(
            100 * r.break_even + 0.3, r.cost_m * 1.05 + 1, f"break-even {100 * r.break_even:.1f}%", fontsize=8
        )
    ax.plot([100 * r.probability], [r.expected_fine_m], "o", color=style.COLOURS["highlight"])
    ax.set_xlim(0, 20)
    ax.set_ylim(0, max(0.2 * r.max_fine_m, r.cost_m) * 1.15)
    ax.set_xlabel("yearly chance of a maximum fine, %")
    ax.set_ylabel("RMB million a year")
    ax.set_title(f"{values['firm']}: {values['cap']} cap")
    ax.legend(loc="upper left", fontsize=8)
    return fig


# --------------------------------------------------------------------------- what-if 2


#: The described mid-sized exporter: every figure is an assumption of the case, not data.
MIDSIZE_EXPORTER = {
    "revenue_rmb_bn": 0.5,
    "share_by_market": {"United States": 60.0, "European Union": 25.0, "Southeast Asia": 5.0},
    "home_share": 10.0,
    "ships_direct_parcels": True,
}

#: Our assumption: a market at or above this share of revenue (%) counts as established.
ESTABLISHED_SHARE = 10.0

MARKETS = ["United States", "European Union", "Southeast Asia"]
FIRMS = ["Pop Mart", "Anker", "A mid-sized exporter (described)"]


def market_exposure(firm: str, market: str) -> tuple[float | None, str]:
    """The firm's share of revenue in a market (percent) and a note on where it comes from.

    Returns ``(None, note)`` when the sources do not split the market out.

    Raises:
        KeyError: unknown firm or market.
    """
    if market not in MARKETS:
        raise KeyError(f"unknown market {market!r}; choose one of {', '.join(MARKETS)}")
    if firm == "Pop Mart":
        total = transfer_value("Pop Mart", "revenue", "2024")
        key = {
            "United States": "region_north_america",
            "European Union": "region_europe_other",
            "Southeast Asia": "region_southeast_asia",
        }[market]
        share = 100 * transfer_value("Pop Mart", key, "2024") / total
        scope = {
            "United States": "North America",
            "European Union": "Europe, Australia and other",
            "Southeast Asia": "Southeast Asia",
        }[market]
        return share, f"2024, {scope} (data)"
    if firm == "Anker":
        if market == "Southeast Asia":
            return None, "not split out by the source (inside 'other')"
        key = {"United States": "region_north_america", "European Union": "region_europe"}[market]
        scope = {"United States": "North America", "European Union": "Europe"}[market]
        return transfer_value("Anker", key, "H1 2024"), f"H1 2024, {scope} (data)"
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["share_by_market"][market], "assumption of the case"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def market_rules(market: str) -> pd.DataFrame:
    """Rules in our table that bind sellers into a market (empty for Southeast Asia)."""
    t = rules()
    j = {"United States": "US", "European Union": "EU"}.get(market)
    return t[t["jurisdiction"] == j] if j else t.iloc[0:0]


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


def plan_model(firm: str, market: str, budget: str) -> PlanResult:
    """Which lessons bind first for a firm entering or growing in one market.

    Each lesson has one stated test on the firm's figures (see the ``test`` column); there are
    no weights. ``budget`` is "can build own logistics and payments" or "must rent them".

    Raises:
        KeyError: unknown firm, market or budget.
    """
    budgets = ["must rent them", "can build own logistics and payments"]
    if budget not in budgets:
        raise KeyError(f"unknown budget {budget!r}; choose one of {', '.join(budgets)}")
    share, where = market_exposure(firm, market)
    rl = market_rules(market)
    rule_count = len(rl)
    latest = rl.iloc[-1] if rule_count else None
    amazon = transfer_value("Anker", "amazon_share", "H1 2024") if firm == "Anker" else None
    small = share is None or share < ESTABLISHED_SHARE
    rows = [
        {
            "lesson": "1. Gradual entry",
            "test": f"market is under {ESTABLISHED_SHARE:.0f}% of revenue (still an entry question)",
            "figure": "not reported" if share is None else f"{share:.1f}% of revenue ({where})",
            "binds first": "yes" if small else "no",
        },
        {
            "lesson": "2. Technology",
            "test": "none that the data can run: no firm-level technology figure",
            "figure": "—",
            "binds first": "open",
        },
        {
            "lesson": "3. Localisation",
            "test": f"market is at least {ESTABLISHED_SHARE:.0f}% of revenue (a local team is worth its cost)",
            "figure": "not reported" if share is None else f"{share:.1f}% ({where})",
            "binds first": "yes" if not small else "no",
        },
        {
            "lesson": "4. Compliance",
            "test": "our rules table has a dated rule for this market",
            "figure": (
                f"{rule_count} rules; latest {latest['date']}: {latest['rule']}"
                if latest is not None
                else "none in our table (not searched)"
            ),
            "binds first": "yes" if rule_count else "open",
        },
        {
            "lesson": "5. Ecosystem",
            "test": "the firm must rent logistics and payments",
            "figure": (
                f"Amazon {amazon:.1f}% of sales (H1 2024)"
                if amazon is not None
                else "own stores and robots abroad"
                if firm == "Pop Mart"
                else "assumption of the case"
            ),
            "binds first": "yes" if budget == budgets[0] else "no",
        },
    ]
    return PlanResult(firm, market, budget, pd.DataFrame(rows))


def plan_tests() -> pd.DataFrame:
    """The one stated test behind each lesson's flag in the plan what-if (same for every firm)."""
    t = plan_model("Anker", "United States", "must rent them").table
    return t[["lesson", "test"]]


def home_share(firm: str) -> tuple[float, str]:
    """The firm's home market (mainland China) as a share of revenue, percent, and its basis.

    Raises:
        KeyError: unknown firm.
    """
    if firm == "Pop Mart":
        total = transfer_value("Pop Mart", "revenue", "2024")
        outside = transfer_value("Pop Mart", "revenue_outside_mainland", "2024")
        return 100 * (total - outside) / total, "2024"
    if firm == "Anker":
        return transfer_value("Anker", "region_mainland_china", "H1 2024"), "H1 2024"
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["home_share"], "assumption"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def plan_summary(p: PlanResult, values: Mapping[str, Any]) -> dict[str, str]:
    """Readout: the firm's home-market strength, and the lessons that bind first."""
    home, basis = home_share(p.firm)
    return {
        "Home market (mainland China)": f"{home:.1f}% of revenue ({basis})",
        "Binds first": ", ".join(x.split(". ", 1)[1] for x in p.binding) or "none by these tests",
    }


def plan_chart(p: PlanResult, values: Mapping[str, Any]) -> Figure:
    """The plan as a five-row table drawn in a figure, binding lessons shaded."""
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.axis("off")
    shown = p.table[["lesson", "figure", "binds first"]].copy()
    shown["figure"] = shown["figure"].str.slice(0, 62)
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
