"""The real question banks test judgement, not copying (issue 24 §2; conventions §5).

One test per bank and check, so a failure names the file, then each problem names the question
id and what to fix. The checks live in :mod:`dualwheel.grading.quality` (their own behaviour is
tested on small fixture banks in ``tests/grading/test_bank_format.py``).
"""

from __future__ import annotations

import dataclasses

import pytest

from dualwheel.grading import quality
from dualwheel.grading.questions import EXERCISES_DIR, PAGE_BANKS, Bank, all_banks, load_bank

BANK_FILES = sorted(p.name for p in EXERCISES_DIR.glob("ch*.yml"))
#: Lettered pages' banks (exercises/reading-numbers.yml): self-checks only. Their items are held
#: to the graded items' bar, except the share of strategic lessons (such a page may teach one).
PAGE_BANK_FILES = sorted(PAGE_BANKS.values())
PAGE_CHECKS = sorted(set(quality.BANK_CHECKS) - {"strategic_share"})


@pytest.fixture(scope="module")
def banks():
    return {b.path.name: b for b in all_banks()}


@pytest.mark.parametrize("check", sorted(quality.BANK_CHECKS))
@pytest.mark.parametrize("bank_file", BANK_FILES)
def test_bank_quality(banks, bank_file, check):
    found = quality.BANK_CHECKS[check](banks[bank_file])
    assert not found, f"exercises/{bank_file}, check {check!r}:\n  " + "\n  ".join(found)


def _as_graded(bank: Bank) -> Bank:
    return dataclasses.replace(
        bank, questions=tuple(dataclasses.replace(q, uses=("graded",)) for q in bank.questions)
    )


@pytest.mark.parametrize("check", PAGE_CHECKS)
@pytest.mark.parametrize("bank_file", PAGE_BANK_FILES)
def test_page_bank_quality(bank_file, check):
    bank = load_bank(EXERCISES_DIR / bank_file)
    assert bank.questions and not bank.graded_questions, f"exercises/{bank_file}: self-checks only"
    found = quality.BANK_CHECKS[check](_as_graded(bank))
    assert not found, f"exercises/{bank_file}, check {check!r}:\n  " + "\n  ".join(found)


def test_the_key_is_the_longest_option_no_more_often_than_chance(banks):
    found = quality.longest_key(banks.values())
    assert not found, "across the book:\n  " + "\n  ".join(found)


def test_every_bank_loads_with_the_rubric_rules():
    # levels, look_for, recommendation, memo, figures, interprets and lesson are checked at load
    for name in BANK_FILES + PAGE_BANK_FILES:
        load_bank(EXERCISES_DIR / name)
