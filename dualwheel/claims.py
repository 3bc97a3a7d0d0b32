"""The paper's quantitative claims, recomputed from ``data/``.

``paper_claims.csv`` holds what the paper says and the verdict of checking it. A claim that
the tables can test has a check: a function in its chapter's module (``dualwheel.chapters``,
chosen by the claim's ``section``) registered with :func:`check`. Chapters show the paper's
value and the recomputed one side by side; a figure that is only context for a claim (a stake, a
margin, a cap) is not registered as its check, so the Check column shows "—" and the note gives
the figure; the tests assert that the recomputed numbers support
the recorded verdicts. Question banks reach the same functions (see ``dualwheel.figures``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from . import data
from .fmt import quantity

#: claim id -> function returning the recomputed value in the claim's unit (filled by the
#: chapter modules' ``@check`` decorators, loaded on first use).
CHECKS: dict[str, Callable[[], float]] = {}


def check(claim_id: str) -> Callable[[Callable[[], float]], Callable[[], float]]:
    """Register ``fn`` as the recomputation of ``claim_id`` (one function per claim)."""

    def register(fn: Callable[[], float]) -> Callable[[], float]:
        if claim_id in CHECKS and CHECKS[claim_id] is not fn:
            raise ValueError(f"claim {claim_id!r} already has a check ({CHECKS[claim_id].__qualname__})")
        CHECKS[claim_id] = fn
        return fn

    return register


VERDICT_LABELS = {
    "holds": "Holds",
    "holds_with_caveat": "Holds, with a caveat",
    "does_not_hold": "Does not hold",
    "outdated": "Outdated",
    "unsourced": "Unsourced",
    "not_checked": "Not checked",
    "untested": "Untested",
}

#: Verdicts whose Check column stays empty ("—"): nobody could source the figure, or no figure
#: in data/ tests the claim (a number shown beside it would read as a test it is not).
NO_CHECK_VALUE = frozenset({"unsourced", "untested"})


def claim(claim_id: str) -> dict:
    """One row of ``paper_claims.csv`` as a dict."""
    t = data.load("paper_claims").set_index("claim_id")
    if claim_id not in t.index:
        raise KeyError(f"no claim {claim_id!r} in paper_claims.csv")
    row = t.loc[claim_id].to_dict()
    row["claim_id"] = claim_id
    return row


def recompute(claim_id: str) -> float | None:
    """The claim's quantity recomputed from data/, or None when data/ cannot reproduce it."""
    from .chapters import load_all

    load_all()
    fn = CHECKS.get(claim_id)
    return None if fn is None else float(fn())


def claims_table(claim_ids: Sequence[str]) -> pd.DataFrame:
    """Paper value, recomputed or checked value, verdict and note for the given claims."""
    t = data.load("paper_claims").set_index("claim_id")
    rows = []
    for cid in claim_ids:
        if cid not in t.index:
            raise KeyError(f"no claim {cid!r} in data/paper_claims.csv")
        r = t.loc[cid]
        again = recompute(cid)
        checked = again if again is not None else r["checked_value"]
        if r["verdict"] in NO_CHECK_VALUE:
            checked = None  # no figure that tests the claim: the note says why
        rows.append(
            {
                "The study says": r["claim"]
                if pd.isna(r["paper_value"])
                else f"{r['claim']} ({quantity(r['paper_value'], r['unit'])})",
                "Check": quantity(checked, r["unit"])
                if checked is not None and not pd.isna(checked)
                else "—",
                "Verdict": VERDICT_LABELS[r["verdict"]],
                "Why": r["check"],
            }
        )
    return pd.DataFrame(rows)
