"""Chapter 7's part of the B-case (book/epilogue.md, "From Chapter 7"): what became public
after the decision date (30 June 2024) about the chapter's evidence, computed from the same
tables the chapter reads, filtered the other way (``after_cutoff=True``)."""

from __future__ import annotations

import pandas as pd

from ... import data, fmt, moves
from .lessons import evidence, evidence_sources
from .rules import rule_sources, rules
from .transfer import transfer_value


def _day(date: str) -> str:
    return fmt.date_text(date, "day") if len(date) == 10 else fmt.date_text(date[:7], "month")


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


def bcase_facts() -> dict[str, object]:
    """Glue values (prefix ``ep7_``) for the epilogue's "From Chapter 7" subsection."""
    later = rules(after_cutoff=True).set_index("rule_id")
    ev = evidence(after_cutoff=True).set_index("evidence_id")
    pm_total = transfer_value("Pop Mart", "revenue", "2024")
    pm_out = transfer_value("Pop Mart", "revenue_outside_mainland", "2024")
    korea = moves.move("korea_jv")
    d = {f"ep7_d_{rid}": _day(str(r["date"])) for rid, r in later.iterrows()}
    d.update(
        ep7_us_postal_pct=later.loc["us_postal_54", "figure"],
        ep7_eu_fee=later.loc["eu_handling_fee_proposal", "figure"],
        ep7_eu_fee_wh=later.loc["eu_handling_fee_warehouse", "figure"],
        ep7_eu_duty=later.loc["eu_3eur_duty_applies", "figure"],
        ep7_eu_limit=float(data.row("rules", "eu_vat_ioss", "rule")["figure"]),
        ep7_alipayplus_m=ev.loc["alipayplus_merchants", "figure"],
        ep7_d_alipayplus=fmt.date_text(str(ev.loc["alipayplus_merchants", "date"]), "month"),
        ep7_pm_out_bn=pm_out,
        ep7_pm_share=100 * pm_out / pm_total,
        ep7_pm_sea_bn=transfer_value("Pop Mart", "region_southeast_asia", "2024"),
        ep7_anker_na=transfer_value("Anker", "region_north_america", "H1 2024"),
        ep7_anker_cn=transfer_value("Anker", "region_mainland_china", "H1 2024"),
        ep7_anker_amazon=transfer_value("Anker", "amazon_share", "H1 2024"),
        ep7_d_korea_announced=_day(str(korea["announced"])),
        ep7_d_korea_approved=_day(str(korea["date"])),
        ep7_src=data.source_line(
            *rule_sources(after_cutoff=True),
            *evidence_sources(after_cutoff=True),
            "c7_cjeu_ilva",
            "c7_popmart_2024_release",
            "c7_vstar_popmart_regions",
            "c7_reportify_anker_regions",
            str(korea["source"]),
        ),
    )
    return d
