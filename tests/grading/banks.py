"""Small fixture banks for the bank-format, quality and variant tests (the real banks are being
rewritten; these pin the format itself)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

LEVELS4 = {
    0: "No recommendation, or one with no reason given",
    1: "A recommendation with one reason and no trade-off",
    2: "A recommendation that names a trade-off without weighing it",
    3: "A recommendation that weighs two trade-offs",
    4: "A clear recommendation that weighs two trade-offs and says what would change it",
}
LEVELS2 = {
    0: "No figure, or a wrong one",
    1: "One correct figure with its base",
    2: "Two correct figures, each with its base",
}

VARY = {
    "id": "ch03-q1-aidc-share",
    "type": "numeric",
    "lesson": "measurement",
    "points": 2,
    "unit": "%",
    "vary": {"year": [2022, 2023, 2024]},
    "prompt": "What share of consolidated revenue did AIDC earn in FY{year}? One decimal.",
    "title": "AIDC share, FY{year}",
    "answer": {"expr": "share('aidc_total', year, 'consolidated') * 100", "tolerance": 0.1},
    "feedback": {"wrong": "Divide AIDC's FY{year} revenue by consolidated revenue."},
}
CHOICE = {
    "id": "ch03-q2-entry",
    "type": "choice",
    "lesson": "entry",
    "points": 2,
    "prompt": "Which entry mode fits a seller that must keep control of the customer relationship?",
    "options": {
        "a": "A marketplace listing run by a local partner",
        "b": "A wholly owned local storefront and warehouse",
        "c": "An export agent who handles every local sale",
        "d": "A licensing deal with a local retail chain",
    },
    "answer": "b",
    "feedback": {"wrong": "Ask who owns the customer data in each mode."},
}
MEMO = {
    "id": "ch03-q3-memo",
    "type": "rubric",
    "lesson": "mode",
    "memo": True,
    "figures": 2,
    "points": 6,
    "words": [20, 80],
    "prompt": "Recommend whether a mid-sized seller should build its own warehouse abroad.",
    "criteria": [
        {
            "points": 4,
            "recommendation": True,
            "text": "Recommendation and trade-offs",
            "levels": LEVELS4,
            "look_for": "Owning the warehouse buys delivery control at a fixed cost; renting keeps cash free.",
        },
        {
            "points": 2,
            "text": "Evidence",
            "levels": LEVELS2,
            "look_for": "AIDC's 10.9% share of FY2024 revenue; logistics 7.3% growth.",
        },
    ],
    "model_answer": (
        "Rent first. AIDC reached 10.9% of consolidated revenue in FY2024 with rented and owned links "
        "mixed, and a seller at 2% of that scale cannot carry a fixed warehouse: renting keeps cash "
        "free, owning buys control. Build once volume fills 60% of a site."
    ),
}
INTERPRET = {
    "id": "ch03-q4-share-meaning",
    "type": "rubric",
    "lesson": "measurement",
    "interprets": "ch03-q1-aidc-share",
    "points": 2,
    "prompt": "In two sentences, say what your answer to question 1 means for the segment's weight.",
    "criteria": [
        {"points": 2, "text": "Interpretation", "levels": LEVELS2, "look_for": "A tenth of revenue."}
    ],
    "model_answer": "About a tenth of revenue: large enough to matter, small enough to be an option.",
}


def bank_dict(*questions: dict[str, Any], chapter: int = 3) -> dict[str, Any]:
    qs = list(questions) if questions else [VARY, CHOICE, MEMO, INTERPRET]
    return {"chapter": chapter, "title": "Fixture bank", "questions": copy.deepcopy(qs)}


def write_bank(folder: Path, data: dict[str, Any], name: str = "ch03.yml") -> Path:
    path = Path(folder) / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def with_changes(question: dict[str, Any], **changes: Any) -> dict[str, Any]:
    q = copy.deepcopy(question)
    for k, v in changes.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return q
