"""The epilogue's facts (``book/epilogue.md``): what happened after the paper's FY2024.

Every date and figure the epilogue quotes is read here from ``data/later_events.csv`` (the
reorganisation, the spin-offs, Cainiao's listing), ``data/rules.csv`` (the rule changes) and
``data/later_results.csv`` (AIDC's results), with the source line of each section built from
the rows' own source ids.
"""

from __future__ import annotations

import pandas as pd

from .. import data, fmt


def event(rid: str) -> pd.Series:
    """One row of ``later_events.csv``."""
    return data.row("later_events", rid)


def rule(rid: str) -> pd.Series:
    """One row of ``rules.csv``."""
    return data.row("rules", rid, "rule")


def event_date(rid: str) -> str:
    row = event(rid)
    return fmt.date_text(row["date"], row["precision"])


def rule_date(rid: str) -> str:
    return fmt.date_text(rule(rid)["date"], "day")


#: The rows behind each section of the epilogue, for its source line.
SECTION_EVENTS = {
    "groups": [
        "six_groups",
        "cloud_spinoff_plan",
        "cloud_spinoff_dropped",
        "ecommerce_group_merger",
        "china_ecommerce_group",
    ],
    "cainiao": ["cainiao_files", "cainiao_withdrawn_price", "cainiao_stake"],
    "rules": ["eu_duty_relief_end"],
}
SECTION_RULES = {
    "rules": [
        "us_dm_china_end",
        "us_dm_all_end",
        "aliexpress_vlop",
        "aliexpress_proceedings",
        "aliexpress_commitments",
        "eu_3eur_duty_adopted",
        "eu_3eur_duty_applies",
    ],
}


#: Documents a section cites beyond its rows' own sources.
SECTION_EXTRA = {"groups": ["sec_20f_fy2026_segments"]}


def later_result(metric: str, fiscal_year: int, period: str = "FY") -> float:
    """One figure of ``later_results.csv`` (RMB million).

    Raises:
        KeyError: no such metric, period and year.
    """
    t = data.load("later_results").set_index(["metric", "period", "fiscal_year"])["value_rmb_m"]
    key = (metric, period, fiscal_year)
    if key not in t.index:
        raise KeyError(f"later_results.csv has no {metric} for {period} {fiscal_year}")
    return float(t.loc[key])


def aidc_one_basis() -> pd.DataFrame:
    """AIDC's revenue and adjusted EBITA, FY2024-FY2026, from the FY2026 20-F's segment table:
    one basis for all three years, so year-on-year comparisons inside it are like with like."""
    t = data.load("later_results")
    t = t[(t["period"] == "FY") & (t["basis"] == "fy2026_20f_recast") & t["metric"].str.startswith("aidc_")]
    wide = t.pivot(index="fiscal_year", columns="metric", values="value_rmb_m").sort_index()
    wide["margin_pct"] = 100 * wide["aidc_adj_ebita"] / wide["aidc_revenue"]
    return wide


def section_sources(section: str) -> str:
    """The source line of one section, from its rows' source ids."""
    ids = [event(r)["source"] for r in SECTION_EVENTS.get(section, [])]
    ids += SECTION_EXTRA.get(section, [])
    ids += [rule(r)["source"] for r in SECTION_RULES.get(section, [])]
    if section == "aidc":
        ids += list(data.load("later_results")["source"])
    return data.source_line(*ids)


def entry_modes() -> dict[str, str]:
    """How AIDC's three local marketplaces were entered, from the book's record of moves
    (moves.csv): the decision point's wording, checked against the table rather than typed."""
    ev = data.load("moves").set_index("move_id")
    rows = {"Lazada": "lazada_control", "Trendyol": "trendyol", "Miravia": "miravia"}
    mode = {name: ev.loc[rid, "mode"] for name, rid in rows.items()}
    if (mode["Lazada"], mode["Trendyol"], mode["Miravia"]) != ("acquisition", "acquisition", "organic"):
        raise ValueError(
            f"moves.csv no longer says Lazada and Trendyol were bought and Miravia built: {mode}"
        )
    year = {name: fmt.date_text(ev.loc[rid, "date"], "year") for name, rid in rows.items()}
    return {
        "ep_mode_bought": f"bought (Lazada in {year['Lazada']}, Trendyol in {year['Trendyol']})",
        "ep_mode_built": f"built in-house and launched in {year['Miravia']}",
    }


def facts() -> dict[str, object]:
    """Every date, figure and source line the epilogue's prose quotes (glue name -> value)."""
    out: dict[str, object] = {
        "ep_groups_n": fmt.count_text(int(event("six_groups")["value"])),
        "ep_cloud_months": int(event("cloud_spinoff_plan")["value"]),
        "ep_cainiao_lo": int(event("cainiao_listing_plan_low")["value"]),
        "ep_cainiao_hi": int(event("cainiao_listing_plan_high")["value"]),
        "ep_price": float(event("cainiao_withdrawn_price")["value"]),
        "ep_cap_bn": float(event("cainiao_withdrawn_cap")["value"]) / 1000,
        "ep_stake": float(event("cainiao_stake")["value"]),
        "ep_us_threshold": float(rule("us_dm_china_end")["figure"]),
        "ep_eu_threshold": float(event("eu_duty_relief_end")["value"]),
        "ep_eu_duty": float(rule("eu_3eur_duty_applies")["figure"]),
    }
    for rid in (
        "six_groups",
        "cloud_spinoff_plan",
        "cloud_spinoff_dropped",
        "ecommerce_group_merger",
        "china_ecommerce_group",
        "cainiao_files",
        "cainiao_withdrawn_price",
    ):
        out[f"ep_d_{rid}"] = event_date(rid)
    for rid in SECTION_RULES["rules"]:
        out[f"ep_d_{rid}"] = rule_date(rid)
    out |= entry_modes()
    for section in dict.fromkeys([*SECTION_EVENTS, *SECTION_RULES, "aidc"]):
        out[f"ep_src_{section}"] = section_sources(section)
    return out
