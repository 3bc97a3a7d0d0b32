"""The build's up-to-date checks read the right folders (a rename once left them hashing nothing)."""

from dualwheel.publish import INPUTS, ROOT, dependency_hash


def test_every_build_input_exists():
    missing = [name for name in INPUTS if not (ROOT / name).exists()]
    assert missing == []


def test_the_dependency_hash_changes_with_the_package(tmp_path):
    for folder in ("dualwheel", "data", "exercises"):
        (tmp_path / folder).mkdir()
    (tmp_path / "dualwheel" / "m.py").write_text("x = 1\n")
    before = dependency_hash(tmp_path)
    (tmp_path / "dualwheel" / "m.py").write_text("x = 2\n")
    assert dependency_hash(tmp_path) != before
