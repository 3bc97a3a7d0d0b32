"""Checks that a bank's graded items test judgement, not copying (issue 24 §2).

The loader (:mod:`dualwheel.grading.questions`) rejects what breaks the format; these checks
report what is well formed but weak: a choice whose key gives itself away by its length, too
few distractors, a numeric item that asks for a sentence, criteria without quality levels, a
memo that rewards little recommendation, a model answer that breaks its own rules, a bank
that is mostly about reading numbers, variants whose keys accept each other, a match item keyed
in the options' order. Each problem is one line that names the file, the
question id and what to fix. ``tests/unit/test_bank_quality.py`` runs them on the real banks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from .questions import Bank, Question

KEY_LENGTH_RATIO = 1.2  # a choice key at most this many times the mean length of the others
MIN_DISTRACTORS = 3
MIN_VARIANTS = 3
MEMO_RECOMMENDATION_SHARE = 0.5
NOT_MEASUREMENT_SHARE = 0.5

#: A numeric prompt that asks for words: it needs a rubric item that ``interprets`` it.
INTERPRETATION = re.compile(
    r"\b(explain|interpret|in (a|one|two) sentences?|what does (it|this|that|the \w+) (mean|tell|say|show)|"
    r"what (it|this|that) means|why|comment on|justify|discuss)\b",
    re.I,
)
#: A rubric that asks for a recommendation should be a ``memo``.
RECOMMENDS = re.compile(r"\brecommend", re.I)
#: A figure quoted in an answer: a number with a decimal, a unit or a thousands separator, or
#: any number that is not a bare year (FY2024 and 2019 name periods, not figures).
NUMBER = re.compile(
    r"(?<![\w.])(?:US\$|RMB|\$|¥)?\d+(?:,\d{3})*(?:\.\d+)?\s*(?:%|pp|x|×|bn|billion|million|m\b)?", re.I
)
YEAR = re.compile(r"^(?:19|20)\d\d$")


def _at(bank: Bank, q: Question) -> str:
    return f"{bank.path.name}, {q.id}"


def words(text: str) -> int:
    return len(text.split())


def figures_quoted(text: str) -> list[str]:
    """The numbers an answer quotes, bare years left out."""
    found = []
    for m in NUMBER.finditer(text):
        token = m.group(0).strip()
        if YEAR.match(token) or re.match(r"^FY", text[max(0, m.start() - 2) : m.start()], re.I):
            continue
        found.append(token)
    return found


# ------------------------------------------------------------------ one bank
def choice_key_length(bank: Bank) -> list[str]:
    """Choice keys much longer than their distractors, graded or self-check (a self-check on the
    page teaches the same cue)."""
    out = []
    for q in bank.questions:
        if q.type != "choice" or len(q.options) < 2:
            continue
        others = [len(v) for k, v in q.options.items() if k != q.answer]
        mean = sum(others) / len(others)
        key = len(q.options[q.answer])
        if key > KEY_LENGTH_RATIO * mean:
            out.append(
                f"{_at(bank, q)}: the key ({q.answer}) is {key} characters, {key / mean:.2f} × the mean of the "
                f"other options ({mean:.0f}); at most {KEY_LENGTH_RATIO} ×: shorten the key or make the "
                "distractors as full"
            )
    return out


def distractors(bank: Bank) -> list[str]:
    out = []
    for q in bank.graded_questions:
        if q.type == "choice" and len(q.options) - 1 < MIN_DISTRACTORS:
            out.append(
                f"{_at(bank, q)}: {len(q.options) - 1} distractor(s); give at least {MIN_DISTRACTORS} wrong "
                "options a half-understanding student would pick"
            )
        if q.type == "multi" and len(q.options) - len(q.answer) < MIN_DISTRACTORS:
            out.append(
                f"{_at(bank, q)}: {len(q.options) - len(q.answer)} wrong option(s); give at least "
                f"{MIN_DISTRACTORS} plausible ones"
            )
    return out


def interpretation(bank: Bank) -> list[str]:
    interpreted = {q.interprets for q in bank.graded_questions if q.interprets}
    out = []
    for q in bank.graded_questions:
        if q.type == "numeric" and q.id not in interpreted:
            asked = INTERPRETATION.search(" ".join([q.prompt, str(q.template.get("prompt", ""))]))
            if asked:
                out.append(
                    f"{_at(bank, q)}: a numeric item asks for words ({asked.group(0)!r}); keep the number "
                    f"here and add a small rubric item with `interprets: {q.id}` to grade the sentence"
                )
    return out


def levels(bank: Bank) -> list[str]:
    out = []
    for q in bank.questions:
        if q.type != "rubric":
            continue
        bare = [str(c["text"])[:40] for c in q.criteria if not c.get("levels")]
        if bare:
            out.append(
                f"{_at(bank, q)}: criteria without quality levels ({'; '.join(bare)}); give `levels` for "
                "every whole mark 0..points, each describing quality, and move content to `look_for`"
            )
    return out


def memos(bank: Bank) -> list[str]:
    out = []
    for q in bank.questions:
        if q.type != "rubric":
            continue
        if not q.memo and RECOMMENDS.search(q.prompt):
            out.append(f"{_at(bank, q)}: the prompt asks for a recommendation; mark it `memo: true`")
        if q.memo:
            rec = sum(float(c["points"]) for c in q.criteria if c.get("recommendation"))
            if rec < MEMO_RECOMMENDATION_SHARE * q.points - 1e-9:
                out.append(
                    f"{_at(bank, q)}: a memo with {rec:g} of {q.points:g} points on `recommendation: true` "
                    f"criteria; put at least half its points there"
                )
    return out


def model_answers(bank: Bank) -> list[str]:
    out = []
    for q in bank.questions:
        if q.type != "rubric":
            continue
        n = words(q.model_answer)
        if q.words and not q.words[0] <= n <= q.words[1]:
            out.append(
                f"{_at(bank, q)}: the model answer has {n} words, outside the {q.words[0]}-{q.words[1]} asked "
                "of students; make it fit"
            )
        quoted = figures_quoted(q.model_answer)
        if q.figures and len(quoted) < q.figures:
            out.append(
                f"{_at(bank, q)}: the model answer quotes {len(quoted)} figure(s) ({', '.join(quoted) or 'none'}); "
                f"the rubric asks for {q.figures}"
            )
    return out


def lessons(bank: Bank) -> list[str]:
    missing = [q.id for q in bank.questions if not q.lesson]
    if not missing:
        return []
    return [
        f"{bank.path.name}, {qid}: no lesson; add `lesson:` (entry, mode, localisation, competition, "
        "regulation, unit_economics, platform, funding, measurement)"
        for qid in missing
    ]


def strategic_share(bank: Bank) -> list[str]:
    total = bank.total_points
    if not total:
        return []
    measuring = sum(q.points for q in bank.graded_questions if q.lesson in ("measurement", ""))
    share = 1 - measuring / total
    if share < NOT_MEASUREMENT_SHARE - 1e-9:
        ids = ", ".join(q.id for q in bank.graded_questions if q.lesson in ("measurement", ""))
        return [
            f"{bank.path.name}: {share:.0%} of graded points are on lessons other than measurement "
            f"({total - measuring:g} of {total:g}); at least half must be. Measurement or untagged: {ids}"
        ]
    return []


def variant_counts(bank: Bank) -> list[str]:
    return [
        f"{_at(bank, q)}: {len(q.variants)} variants; aim for at least {MIN_VARIANTS} (add values to `vary`)"
        for q in bank.graded_questions
        if q.variants and len(q.variants) < MIN_VARIANTS
    ]


def variant_spread(bank: Bank) -> list[str]:
    """Swapped answers fail: any two variants' keys of a varying item differ by more than its
    tolerance, so a classmate's number is never accepted."""
    out = []
    for q in bank.graded_questions:
        close = [
            (a, b)
            for i, (a, ka) in enumerate(q.variants)
            for b, kb in q.variants[i + 1 :]
            if abs(ka - kb) <= q.tolerance
        ]
        if close:
            pairs = "; ".join(f"{a} and {b}" for a, b in close[:3])
            out.append(
                f"{_at(bank, q)}: {len(close)} pair(s) of variants whose keys are within the tolerance "
                f"({q.tolerance:g}) of each other ({pairs}): a classmate's answer would be accepted; "
                "change a value of `vary` or tighten the tolerance"
            )
    return out


def match_order(bank: Bank) -> list[str]:
    """A match item's key is not the options in order (1→a, 2→b, 3→c...), the pattern a student
    who has not worked it out fills in."""
    out = []
    for q in bank.graded_questions:
        if q.type != "match" or len(q.items) < 2:
            continue
        items = sorted(q.answer, key=lambda k: (len(k), k))
        letters = sorted(q.options)[: len(items)]
        if [q.answer[k] for k in items] == letters:
            out.append(
                f"{_at(bank, q)}: the key runs {', '.join(f'{k}→{q.answer[k]}' for k in items)}, the options in "
                "order; reorder the options so the key is not the diagonal"
            )
    return out


STOP = frozenset(
    "which about their there these those would could should where while other share total "
    "first second three alibaba chapter figure figures answer option options between after before".split()
)


def _stems(text: str) -> set[str]:
    """Content words of five letters or more, cut to their first five (a crude stem)."""
    return {w[:5] for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in STOP}


def keyword_match(bank: Bank) -> list[str]:
    """A word of the stem repeated in the key and in no distractor gives the key away."""
    out = []
    for q in bank.graded_questions:
        if q.type != "choice":
            continue
        others = set().union(*(_stems(v) for k, v in q.options.items() if k != q.answer))
        shared = sorted((_stems(q.prompt) & _stems(q.options[q.answer])) - others)
        if shared:
            out.append(
                f"{_at(bank, q)}: the key ({q.answer}) repeats the stem's word(s) {', '.join(s + '...' for s in shared)} "
                "and no distractor does; reword the key or use the word in a distractor"
            )
    return out


def key_letters(bank: Bank) -> list[str]:
    keys = [q.answer for q in bank.graded_questions if q.type == "choice"]
    if len(keys) >= 3 and len(set(keys)) == 1:
        return [
            f"{bank.path.name}: every graded choice item is keyed ({keys[0]}); vary which letter is right"
        ]
    return []


BANK_CHECKS: dict[str, Callable[[Bank], list[str]]] = {
    "choice_key_length": choice_key_length,
    "distractors": distractors,
    "key_letters": key_letters,
    "keyword_match": keyword_match,
    "interpretation": interpretation,
    "levels": levels,
    "memos": memos,
    "model_answers": model_answers,
    "lessons": lessons,
    "strategic_share": strategic_share,
    "variant_counts": variant_counts,
    "variant_spread": variant_spread,
    "match_order": match_order,
}


# ------------------------------------------------------------------ across the book
def longest_key(banks: Iterable[Bank]) -> list[str]:
    """The key is the (strictly) longest option no more often than chance: sum of 1/n_options."""
    chance = 0.0
    longest = []
    for bank in banks:
        for q in bank.graded_questions:
            if q.type != "choice" or len(q.options) < 2:
                continue
            chance += 1 / len(q.options)
            key = len(q.options[q.answer])
            if all(key > len(v) for k, v in q.options.items() if k != q.answer):
                longest.append(_at(bank, q))
    if len(longest) > math.floor(chance + 1e-9):
        return [
            f"the key is the longest option in {len(longest)} choice items; chance is {chance:.1f}: "
            f"make a distractor the longest in some of {', '.join(longest)}"
        ]
    return []


def problems(bank: Bank) -> list[str]:
    """Every problem of one bank, each check in turn."""
    return [p for check in BANK_CHECKS.values() for p in check(bank)]
