"""The real question banks test judgement, not copying (issue 24 §2; conventions §5).

One test per bank and check, so a failure names the file, then each problem names the question
id and what to fix. The checks live in :mod:`dualwheel.grading.quality` (their own behaviour is
tested on small fixture banks in ``tests/grading/test_bank_format.py``).
"""

from __future__ import annotations

import pytest

from dualwheel.grading import quality
from dualwheel.grading.questions import EXERCISES_DIR, all_banks, load_bank

BANK_FILES = sorted(p.name for p in EXERCISES_DIR.glob("ch*.yml"))


@pytest.fixture(scope="module")
def banks():
    return {b.path.name: b for b in all_banks()}


@pytest.mark.parametrize("check", sorted(quality.BANK_CHECKS))
@pytest.mark.parametrize("bank_file", BANK_FILES)
def test_bank_quality(banks, bank_file, check):
    found = quality.BANK_CHECKS[check](banks[bank_file])
    assert not found, f"exercises/{bank_file}, check {check!r}:\n  " + "\n  ".join(found)


def test_the_key_is_the_longest_option_no_more_often_than_chance(banks):
    found = quality.longest_key(banks.values())
    assert not found, "across the book:\n  " + "\n  ".join(found)


def test_every_bank_loads_with_the_rubric_rules():
    # levels, look_for, recommendation, memo, figures, interprets and lesson are checked at load
    for name in BANK_FILES:
        load_bank(EXERCISES_DIR / name)
