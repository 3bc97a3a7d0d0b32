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


def test_missing_glyphs_are_read_from_the_xelatex_log(tmp_path):
    """XeLaTeX drops a character its font lacks and only says so in the log; the PDF build reads
    the log and fails on any (dualwheel.publish.build_pdf)."""
    from dualwheel.publish import missing_glyphs

    log = tmp_path / "book.log"
    assert missing_glyphs(log) == []  # no run yet: nothing to report
    log.write_text(
        "Overfull \\hbox (1.2pt too wide) in paragraph at lines 3--4\n"
        "Missing character: There is no ρ (U+03C1) in font [lmroman10-regular]:mapping=t\n"
        "ex-text;!\n"
        "Missing character: There is no ρ (U+03C1) in font [lmsans10-regular]:mapping=tex-text;!\n"
        "Missing character: There is no т (U+0442) in font [lmroman10-regular]:mapping=tex-text;!\n",
        encoding="utf-8",
    )
    assert missing_glyphs(log) == ["ρ (U+03C1)", "т (U+0442)"]
    log.write_text("Output written on book.xdv (3 pages).\n", encoding="utf-8")
    assert missing_glyphs(log) == []
