"""Chapter 7: the dated rules table and its fine caps."""

from __future__ import annotations

import pandas as pd

from ... import data, fmt

# --------------------------------------------------------------------------- rules


def rules(after_cutoff: bool = False) -> pd.DataFrame:
    """The dated rules table, oldest first, with a proper date column.

    By default the rules dated on or before the decision date (``lessons.CUTOFF``), the
    student page's timeline; ``after_cutoff=True`` gives the later ones (none in a student's copy)."""
    from .lessons import CUTOFF

    t = data.load("rules")
    t["when"] = pd.to_datetime(t["date"], format="%Y-%m-%d")
    known = t["when"] <= pd.Timestamp(CUTOFF)
    t = t[~known] if after_cutoff else t[known]
    return t.sort_values("when").reset_index(drop=True)


def rule_sources(after_cutoff: bool = False) -> list[str]:
    """The source ids behind :func:`rules`, in order of first use."""
    return list(dict.fromkeys(rules(after_cutoff)["source"]))


def fine_cap(rule_id: str) -> float:
    """A fine cap as a fraction of worldwide turnover, read from the rules table.

    Raises:
        KeyError: no such rule, or the rule is not a cap on turnover.
    """
    row = data.row("rules", rule_id, "rule")
    if row["figure_unit"] != "pct_of_turnover":
        raise KeyError(f"rule {rule_id!r} is not a fine cap on turnover (unit {row['figure_unit']!r})")
    return float(row["figure"]) / 100


def dsa_cap_pct() -> float:
    """The DSA's cap on fines for very large platforms, percent of worldwide turnover.

    Context for ``lesson_compliance_gdpr`` (verdict "untested"), not its check: a cap is
    neither the cost nor the benefit the lesson is about."""
    return 100 * fine_cap("dsa_in_force")


def gdpr_fixed_cap_eur_m() -> float:
    """GDPR's fixed alternative cap (Art. 83(5)), EUR million, read from the rules table."""
    t = data.load("rules").set_index("rule_id")
    return float(t.loc["gdpr_fixed_cap", "figure"])


def rule_month(rule_id: str) -> str:
    """A rule's date as prose, e.g. 'May 2023', from the rules table."""
    return fmt.date_text(str(data.row("rules", rule_id, "rule")["date"])[:7], "month")


def evidence_year(evidence_id: str) -> int:
    """The year of one evidence row (its date starts with the year)."""
    return int(str(data.row("lesson_evidence", evidence_id, "evidence")["date"])[:4])


#: The two caps the what-if offers, by the rule ids that carry them.
CAPS = {"GDPR (4%)": "gdpr_applies", "DSA (6%)": "dsa_in_force"}

#: Turnovers that belong to an online platform (the DSA's cap applies only to platforms).
PLATFORMS = {"Alibaba AIDC, FY2024", "Alibaba Group, FY2024"}
