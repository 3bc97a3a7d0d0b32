"""Chapter 7: the five lessons, the evidence for and against each, and the claims checked."""

from __future__ import annotations

import pandas as pd

from ... import cutoff, data, moves, segments
from ...claims import check
from ...fmt import fy

#: The decision date (book/decision.md): the student page shows only what was public by then.
CUTOFF = cutoff.decision_date().isoformat()


def public_by_cutoff(date: object) -> bool:
    """Whether a row dated ``date`` was public on or before :data:`CUTOFF`.

    ISO dates (``2016-04``, ``2016-04-12``, ``2022``) compare as text; ``FYyyyy`` (a fiscal year
    to 31 March, reported in May) counts if ``yyyy`` <= 2024; ``H1 yyyy`` (half-year reports come
    out in August) counts only for a year before 2024. An empty date (an absence) counts."""
    if not isinstance(date, str) or not date:
        return True
    if date.startswith("FY"):
        return int(date[2:6]) <= int(CUTOFF[:4])
    if date.startswith("H1 "):
        return int(date[3:7]) < int(CUTOFF[:4])
    return date[: len(CUTOFF)] <= CUTOFF


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


def evidence(lesson_id: str | None = None, after_cutoff: bool = False) -> pd.DataFrame:
    """Dated evidence rows, for one lesson or all, in the paper's lesson order then by date.

    By default only rows public by :data:`CUTOFF` (the student page); ``after_cutoff=True``
    gives the rows made public later instead (none in a student's copy).

    Raises:
        KeyError: ``lesson_id`` is not one of the five lessons.
    """
    t = data.load("lesson_evidence")
    known = t["date"].map(public_by_cutoff)
    t = t[~known] if after_cutoff else t[known]
    if lesson_id is not None:
        if lesson_id not in LESSON_ORDER:
            raise KeyError(f"no lesson {lesson_id!r}; choose one of {', '.join(LESSON_ORDER)}")
        t = t[t["lesson_id"] == lesson_id]
    t = t.assign(_o=t["lesson_id"].map(LESSON_ORDER.index), _d=t["date"].fillna("9999"))
    return t.sort_values(["_o", "_d"]).drop(columns=["_o", "_d"]).reset_index(drop=True)


#: Evidence rows about the transfer firms (Pop Mart, Anker), not about Alibaba's own record. The
#: student matrix leaves them out: filed under a lesson's "against", a transfer firm's figure is
#: the answer to before-class question 3; Exhibit 7.6 shows them as figures, unfiled.
TRANSFER_FIRM_PREFIXES = ("anker_", "pop_mart_")


def _is_transfer_row(evidence_id: str) -> bool:
    return evidence_id.startswith(TRANSFER_FIRM_PREFIXES)


def evidence_sources(after_cutoff: bool = False, student: bool = False) -> list[str]:
    """Source ids behind :func:`evidence` (the lesson rows' own source first), in order of use;
    ``student=True``: those of the student matrix (without the transfer firms' rows)."""
    ids = ["c7_paper_s7", "c7_sec_20f_fy2024_r111"] if not after_cutoff else []
    ev = evidence(after_cutoff=after_cutoff)
    if student:
        ev = ev[~ev["evidence_id"].map(_is_transfer_row)]
    ids += [s for s in ev["source"] if s != "c7_not_found"]
    return list(dict.fromkeys(ids))


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
    return "; ".join(parts) if parts else "none recorded in the chapter's data"


def evidence_matrix(verdict: bool = True) -> pd.DataFrame:
    """Exhibit: each lesson with the paper's claim, the evidence for and against, and a verdict.

    Long format (four rows a lesson: claim, for, against, verdict, each labelled in bold), so
    the table stays two columns wide and each row is short enough to fit a PDF page. The student
    page passes ``verdict=False``: the verdict is what the class is meant to reach, so it lives
    in the teaching note (three rows a lesson, and the column is "Claim and evidence"), and the
    transfer firms' rows (:data:`TRANSFER_FIRM_PREFIXES`) are left out for the same reason.

    Evidence rows that carry only a figure (the AIDC EBITA series) are summarised in one line,
    so the matrix stays readable; the full rows are in ``data/lesson_evidence.csv``. That line is
    the technology lesson's "Context" row, not its evidence against: a loss does not isolate what
    technology did, and filing it "against" would plant the reading the class should test.
    """
    ev = evidence()
    ebita = ev["evidence_id"].str.startswith("aidc_ebita_")
    rows = []
    for les in lessons().itertuples():
        mine = ev[(ev["lesson_id"] == les.lesson_id) & ~ebita]
        if not verdict:
            mine = mine[~mine["evidence_id"].map(_is_transfer_row)]
        against = _bullet_list(mine[mine["stance"] == "against"])
        context = None
        if les.lesson_id == "technology":
            loss = aidc_ebita()
            years = ", ".join(f"{fy(y)} {v:,.0f}" for y, v in loss.items())
            context = (
                f"AIDC adjusted EBITA, RMB million: {years} ([Chapter 3](ch03-company-overview), "
                f"[Chapter 6](ch06-results))"
            )
        name = f"**{les.order}. {les.lesson}**"
        column = "Claim, evidence and verdict" if verdict else "Claim and evidence"
        aspects = [
            ("The claim", f"({les.lesson_zh}) {les.paper_claim}"),
            ("Evidence for", _bullet_list(mine[mine["stance"] == "for"])),
            ("Evidence against", against),
        ]
        if context is not None:
            aspects.append(("Context", context))
        if verdict:
            aspects.append(("Verdict", les.verdict_label))
        for aspect, text in aspects:
            rows.append({"Lesson": name if aspect == "The claim" else "", column: f"**{aspect}:** {text}"})
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
    return float(data.row("lesson_evidence", evidence_id, "evidence")["figure"])


def lazada_stake_2016() -> float:
    """Alibaba's stake in Lazada after the April 2016 purchase, percent.

    Context for ``lesson_entry_lazada``, not its check: a stake shows that access was bought,
    not how fast or how well it worked, so it is not registered with ``@check``."""
    return _evidence_figure("lazada_control")


def aidc_ebita_margin_fy2024() -> float:
    """AIDC's adjusted EBITA margin in FY2024, percent (negative: a loss).

    Context for ``lesson_tech_competitiveness`` (verdict "untested"), not its check: a loss
    does not isolate what technology did."""
    return 100 * aidc_ebita_margin(2024)


def ant_ascend_stake() -> float:
    """Ant Financial's stake in Ascend Money (TrueMoney), percent.

    Context for ``lesson_ecosystem_payments``, not its check: what Alibaba's side did does not
    test advice to other firms."""
    return _evidence_figure("ant_ascend")


def lazada_ceo_changes() -> pd.DataFrame:
    """Lazada's chief executives from 2018 on, with where each came from."""
    ev = evidence("localisation")
    ceo = ev[ev["evidence_id"].str.startswith("lazada_ceo_")].copy()
    ceo["from_alibaba_china"] = ceo["stance"] == "against"
    return ceo[["date", "evidence", "from_alibaba_china", "source"]].reset_index(drop=True)


def entry_chronology() -> pd.DataFrame:
    """Alibaba's first moves abroad by date, to test 'Southeast Asia first'.

    The rule is :func:`dualwheel.moves.first_moves`: every first move by an Alibaba Group business
    into a market abroad (a launch for buyers abroad, an entry bought, built or shared in a joint
    venture, a minority stake, or a market focus). Follow-on stakes, exits, listings, moves by
    Ant Financial alone and observations (such as a ranking of markets by spending) are not
    counted. ``market`` is the region of the move; ``southeast_asia`` marks moves into it.
    """
    f = moves.first_moves()
    f = f[f["date"].astype(str).map(public_by_cutoff)]
    return pd.DataFrame(
        {
            "move_id": f["move_id"],
            "date": f["date"],
            "market": f["region"],
            "markets": f["markets"].str.replace(";", ", "),
            "business": f["vehicle"],
            "mode": f["mode"].map(moves.MODE_LABELS),
            "evidence": f["label"],
            "southeast_asia": f["region"] == "Southeast Asia",
            "source": f["source"],
        }
    )


def entry_chronology_sources() -> list[str]:
    """Source ids behind :func:`entry_chronology` (each move's own source)."""
    f = moves.first_moves()
    return moves.sources(f[f["date"].astype(str).map(public_by_cutoff)])


def years_before_lazada() -> int:
    """Whole years between AliExpress's launch and the Lazada stake (both in moves.csv): how
    late the paper's 'first' Southeast Asian step came."""
    return int(moves.move("lazada_control")["year"]) - int(moves.move("aliexpress")["year"])


@check("lesson_entry_sea_first")
def years_first_commitment_before_sea() -> int:
    """Whole years between Alibaba Group's first local commitment abroad and its first in
    Southeast Asia, by the rule Chapter 4 tests theories with (``moves.first_local_commitments``
    to the end of 2022, the paper's period): one rule of entry for the claim in both chapters."""
    first = moves.first_local_commitments(2022)
    sea = int(first.loc[first["region"] == "Southeast Asia", "year"].min())
    return sea - int(first["year"].min())
