"""No module of the package grows past 600 lines: one that does is split by job into a package
(as Chapters 1, 5 and 7 and ``page/whatif`` were), its ``__init__`` re-exporting every public name."""

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dualwheel"
LIMIT = 600


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_exceeds_600_lines(path):
    n = _lines(path)
    assert n <= LIMIT, f"dualwheel/{path.relative_to(PACKAGE)} has {n} lines (limit {LIMIT}): split it by job"


def test_the_package_has_modules():
    assert len(list(PACKAGE.rglob("*.py"))) > 20
