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

from .. import data, fmt, segments, style
from ..claims import check
from ..fmt import fy

#: The five lessons in the paper's order, with their Chinese names.
LESSON_ORDER = ["entry", "technology", "localisation", "compliance", "ecosystem"]

VERDICT_LABELS = {
    "holds": "Holds",
    "holds_with_caveat": "Holds, with a caveat",
    "partly_contradicted": "Partly contradicted by the chronology",
    "contradicted_at_the_top": "Contradicted at the top; no figure found",
    "unsourced": "Unsourced: no figure found for the claim",
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
            against = f"AIDC adjusted EBITA, RMB million: {years} ([Chapter 2](ch02-dual-wheel)); " + against
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


def verdict_counts() -> dict[str, int]:
    """How many of the five lessons carry each verdict (for the takeaways)."""
    return {k: int(v) for k, v in lessons()["verdict"].value_counts().items()}


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


@check("lesson_entry_sea_first")
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


def gdpr_fixed_cap_eur_m() -> float:
    """GDPR's fixed alternative cap (Art. 83(5)), EUR million, read from the rules table."""
    t = data.load("rules").set_index("rule_id")
    return float(t.loc["gdpr_fixed_cap", "figure"])


def rule_month(rule_id: str) -> str:
    """A rule's date as prose, e.g. 'May 2025', from the rules table."""
    t = data.load("rules").set_index("rule_id")
    if rule_id not in t.index:
        raise KeyError(f"no rule {rule_id!r} in data/rules.csv")
    return fmt.date_text(str(t.loc[rule_id, "date"])[:7], "month")


def evidence_year(evidence_id: str) -> int:
    """The year of one evidence row (its date starts with the year)."""
    ev = data.load("lesson_evidence").set_index("evidence_id")
    if evidence_id not in ev.index:
        raise KeyError(f"no evidence {evidence_id!r} in data/lesson_evidence.csv")
    return int(str(ev.loc[evidence_id, "date"])[:4])


#: The two caps the what-if offers, by the rule ids that carry them.
CAPS = {"GDPR (4%)": "gdpr_applies", "DSA (6%)": "dsa_in_force"}

#: Turnovers that belong to an online platform (the DSA's cap applies only to platforms).
PLATFORMS = {"Alibaba AIDC, FY2024", "Alibaba Group, FY2024"}


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
                "how it went abroad": "own stores and online sales abroad; no marketplace of its own",
            },
            {
                "firm": "Anker",
                "early": "not found",
                "latest": f"{anker_abroad:.1f}% (H1 2024)",
                "abroad_pct": anker_abroad,
                "how it went abroad": (
                    f"brand sold through others' marketplaces: {transfer_value('Anker', 'amazon_share', 'H1 2024'):.1f}% of sales via Amazon"
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

#: Rule ids in data/rules.csv that tax or end duty relief on low-value parcels, by market.
PARCEL_RULES = {
    "United States": ["us_dm_china_end", "us_postal_54", "us_dm_all_end"],
    "Europe": ["eu_handling_fee_proposal", "eu_3eur_duty_adopted", "eu_3eur_duty_applies"],
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
    if firm == "Pop Mart":
        total = transfer_value("Pop Mart", "revenue", "2024")
        key = {
            "United States": "region_north_america",
            "Europe": "region_europe_other",
            "Southeast Asia": "region_southeast_asia",
        }[market]
        share = 100 * transfer_value("Pop Mart", key, "2024") / total
        scope = {
            "United States": "North America",
            "Europe": "Europe, Australia and other",
            "Southeast Asia": "Southeast Asia",
        }[market]
        return share, f"2024, {scope}"
    if firm == "Anker":
        if market == "Southeast Asia":
            return None, "not split out by the source"
        key = {"United States": "region_north_america", "Europe": "region_europe"}[market]
        scope = {"United States": "North America", "Europe": "Europe"}[market]
        return transfer_value("Anker", key, "H1 2024"), f"H1 2024, {scope}"
    if firm == FIRMS[2]:
        return MIDSIZE_EXPORTER["share_by_market"][market], "assumption"
    raise KeyError(f"unknown firm {firm!r}; choose one of {', '.join(FIRMS)}")


def channel_dependence(firm: str) -> tuple[float | None, str]:
    """Share of sales (percent) through the firm's largest rented channel, or None if not found."""
    if firm == "Anker":
        return transfer_value("Anker", "amazon_share", "H1 2024"), "Amazon, H1 2024"
    if firm == "Pop Mart":
        return None, "not found"
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
    local = None if share is None else (share >= threshold and home < HOME_MINORITY)
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
            "test": "none the data can run: no figure isolates what technology adds",
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
            "test": "the firm posts parcels direct into a market with a parcel rule in our table",
            "figure": (
                "no parcel rule in our table (not searched)"
                if rl.empty
                else f"{len(rl)} parcel rules; direct parcels: "
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


def plan_tests() -> pd.DataFrame:
    """The one stated test behind each lesson's flag in the plan what-if (same for every firm)."""
    t = plan_model("Anker", "United States", BUDGETS[0]).table
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
