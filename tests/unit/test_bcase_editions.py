"""Which pages each edition holds (the B-case is the part of _toc.yml captioned "After the
case"), the generated tables of contents and configs, and the bundle's B-case guard."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import yaml

from dualwheel.publish import ROOT, dependency_hash, notebooks, toc_files
from dualwheel.publish import bundle as bd
from dualwheel.publish import editions as ed


def _names(paths) -> list[str]:
    return [ed.docname(p) for p in paths]


def test_the_bcase_is_the_after_the_case_part_of_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    (part,) = [p for p in toc["parts"] if p["caption"] == ed.AFTER_CLASS_PART]
    assert _names(ed.bcase_files()) == [c["file"] for c in part["chapters"]] != []


def test_the_student_edition_leaves_out_the_bcase_and_the_instructor_pages():
    bcase = set(_names(ed.bcase_files()))
    student = _names(ed.STUDENT.files())
    assert not bcase & set(student)
    assert "book/instructors" not in student and "book/ch03-company-overview" in student
    assert set(ed.STUDENT.left_out()) == bcase | {"book/instructors"}
    # with the B-case, after class: every student page and the B-case, in the book's order
    assert _names(ed.STUDENT_WITH_BCASE.files()) == [
        n for n in _names(toc_files()) if n in set(student) | bcase
    ]
    assert ed.STUDENT_WITH_BCASE.left_out() == ["book/instructors"]
    assert _names(ed.AFTER_CLASS.files()) == _names(ed.bcase_files())
    # the student edition's notebooks (lab, downloads, kits) are the book's less the B-case's
    assert set(notebooks(pages=ed.STUDENT.files())) == set(notebooks()) - set(ed.bcase_files())


def test_the_generated_tocs_and_configs_say_what_each_edition_holds():
    bcase = _names(ed.bcase_files())
    for edition, holds in ((ed.STUDENT, False), (ed.STUDENT_WITH_BCASE, True)):
        toc = ed.edition_toc(edition).read_text(encoding="utf-8")
        assert all((f"file: {n}" in toc) is holds for n in bcase), edition.name
        assert (ed.AFTER_CLASS_PART in toc) is holds and "book/instructors" not in toc
        config = yaml.safe_load(ed.edition_config(edition).read_text(encoding="utf-8"))
        sphinx = config["sphinx"]["config"]
        assert sphinx["casebook_edition"] == "student" and sphinx["casebook_bcase"] is holds
        assert sphinx["casebook_bcase_pages"] == bcase
        assert sphinx["casebook_left_out"] == edition.left_out()
        assert config["latex"]["latex_documents"]["targetname"] == edition.pdf_name.replace(".pdf", ".tex")
    after = yaml.safe_load(ed.edition_toc(ed.AFTER_CLASS).read_text(encoding="utf-8"))
    assert after["root"] == bcase[0] and "parts" not in after
    assert ed.STUDENT.html == ROOT / "_build" / "student" / "_build" / "html"  # where it always was
    assert ed.STUDENT_WITH_BCASE.root != ed.STUDENT.root  # never mixed into the default edition


def test_the_bcase_option_is_documented():
    done = subprocess.run(
        [sys.executable, "-m", "dualwheel.publish", "student", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0 and "--with-bcase" in done.stdout and "B-case" in done.stdout
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "BCASE" in make and "--with-bcase" in make and "after-class" in make
    assert "BCASE=1" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "BCASE=1" in (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")


def _kit(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def test_the_bundle_guard_finds_the_bcase_by_title_and_by_file_name():
    titles, stems = bd.bcase_markers()
    assert titles and stems == [p.stem for p in ed.bcase_files()]
    title, stem = titles[0], stems[0]
    clean = {"book/book/ch03.html": b"<p>Chapter text</p>", "index.html": b"<h1>Start here</h1>"}
    assert bd.bcase_leaks(clean) == []
    found = bd.bcase_leaks(
        {
            **clean,
            "book/searchindex.js": f"x {title} y".encode(),
            f"book/book/{stem}.html": b"<p>page</p>",
            "book/_kits/ch03.zip": _kit({f"ch03/book/{stem}.ipynb": "{}", "ch03/README.md": title}),
        }
    )
    assert any("searchindex.js" in f for f in found)
    assert any(f.startswith(f"book/book/{stem}.html") for f in found)
    assert any(f"ch03.zip/ch03/book/{stem}.ipynb" in f for f in found)
    assert any("ch03.zip/ch03/README.md" in f for f in found)


def test_the_build_package_does_not_re_execute_the_chapters(tmp_path):
    for folder in ("dualwheel/publish", "data", "exercises"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "dualwheel" / "publish" / "m.py").write_text("x = 1\n")
    (tmp_path / "dualwheel" / "m.py").write_text("y = 1\n")
    before = dependency_hash(tmp_path)
    (tmp_path / "dualwheel" / "publish" / "m.py").write_text("x = 2\n")
    assert dependency_hash(tmp_path) == before
    (tmp_path / "dualwheel" / "m.py").write_text("y = 2\n")  # the rest of the package still counts
    assert dependency_hash(tmp_path) != before


def test_a_kit_without_the_bcase_leaves_its_module_home():
    from dualwheel.publish import kit

    modules = kit.bcase_modules()  # the B-case's pages' modules, and the chapter packages' B-case parts
    assert modules == tuple(sorted({kit.BCASE_PART, *(p.stem.replace("-", "_") for p in ed.bcase_files())}))
    every, student = set(kit._package_files()), set(kit._package_files(modules))
    gone = {p.relative_to(ROOT).as_posix() for p in every - student}
    assert gone == {
        f"dualwheel/chapters/{m}.py" for m in modules if (ROOT / "dualwheel/chapters" / f"{m}.py").exists()
    } | {p.relative_to(ROOT).as_posix() for p in (ROOT / "dualwheel/chapters").glob(f"*/{kit.BCASE_PART}.py")}
    assert "dualwheel/chapters/ch07_lessons/bcase.py" in gone
    assert gone, "the B-case's module should stay out of a student kit"
    # nothing a student page runs needs it: no module that goes imports it
    modules = [p for p in student if p.suffix == ".py"]
    assert all(not (kit._imports(p, ROOT / "dualwheel") & (every - student)) for p in modules)
