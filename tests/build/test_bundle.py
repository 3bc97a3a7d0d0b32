"""The bundle writer (make bundle) on small inputs: reproducible zips, the guard against
instructor material in the student zip, the pages at the top. Fast: part of ``make unit``.
The real bundles are opened in Chromium by tests/book/test_bundles.py."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dualwheel.grading.questions import all_banks
from dualwheel.publish import ROOT, bundle


def _files(tmp: Path) -> dict[str, Path]:
    (tmp / "a").mkdir()
    (tmp / "a" / "page.html").write_text("<p>page</p>", encoding="utf-8")
    (tmp / "chart.png").write_bytes(b"\x89PNG fake")
    (tmp / "z.txt").write_text("last", encoding="utf-8")
    return {
        "book/a/page.html": tmp / "a" / "page.html",
        "book/chart.png": tmp / "chart.png",
        "z.txt": tmp / "z.txt",
    }


def test_a_zip_has_the_same_bytes_whatever_the_order_and_the_clock(tmp_path):
    files = _files(tmp_path)
    first = tmp_path / "one.zip"
    bundle.write_zip(files, first)
    for path in files.values():  # new modification times, reversed order: same bytes
        path.touch()
    second = tmp_path / "two.zip"
    bundle.write_zip(dict(reversed(list(files.items()))) | {"extra.txt": b"x"}, second)
    third = tmp_path / "three.zip"
    bundle.write_zip(dict(reversed(list(files.items()))), third)
    assert first.read_bytes() == third.read_bytes()
    assert first.read_bytes() != second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(files)
        assert {i.date_time for i in infos} == {bundle.ZIP_TIME}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        kinds = {i.filename: i.compress_type for i in infos}
        assert kinds["book/chart.png"] == zipfile.ZIP_STORED  # already compressed
        assert kinds["book/a/page.html"] == zipfile.ZIP_DEFLATED
        assert zf.read("z.txt") == b"last"


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b", "a\\b", ""])
def test_an_unsafe_name_is_refused_and_the_previous_zip_is_kept(tmp_path, name):
    out = tmp_path / "kept.zip"
    bundle.write_zip({"ok.txt": b"ok"}, out)
    before = out.read_bytes()
    with pytest.raises(bundle.BundleError, match="unsafe name"):
        bundle.write_zip({"ok.txt": b"new", name: b"x"}, out)
    assert out.read_bytes() == before


def test_a_failure_while_writing_leaves_the_previous_zip(tmp_path):
    out = tmp_path / "kept.zip"
    bundle.write_zip({"ok.txt": b"ok"}, out)
    before = out.read_bytes()
    with pytest.raises(FileNotFoundError):
        bundle.write_zip({"ok.txt": b"new", "gone.txt": tmp_path / "missing"}, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.zip"]  # no half-written .part


def test_repacking_an_autograder_fixes_order_and_time_and_keeps_the_executable_bit(tmp_path):
    def made(path: Path, names: list[str], when: tuple) -> Path:
        with zipfile.ZipFile(path, "w") as zf:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=when)
                info.external_attr = (0o100755 if name == "run_autograder" else 0o100644) << 16
                zf.writestr(info, f"content of {name}")
        return path

    one = made(
        tmp_path / "one.zip", ["run_autograder", "tests/q1.py", "otter_config.json"], (2026, 1, 2, 3, 4, 6)
    )
    two = made(
        tmp_path / "two.zip", ["tests/q1.py", "otter_config.json", "run_autograder"], (2027, 5, 6, 7, 8, 10)
    )
    assert one.read_bytes() != two.read_bytes()
    assert bundle.repack_zip(one) == bundle.repack_zip(two)
    (tmp_path / "re.zip").write_bytes(bundle.repack_zip(one))
    with zipfile.ZipFile(tmp_path / "re.zip") as zf:
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        assert modes["run_autograder"] == 0o100755 and modes["tests/q1.py"] == 0o100644
        assert zf.read("tests/q1.py") == b"content of tests/q1.py"


def test_instructor_material_is_found_by_text_and_by_name():
    answer = next(q.model_answer for b in all_banks() for q in b.graded_questions if q.model_answer)
    entries = {
        "book/clean.html": b"<p>Key takeaways</p>",
        "book/ch03.html": b"<h2>For  instructors</h2>",  # whitespace differs: still found
        "exercises/ch03/notes.md": ("Model: " + " ".join(answer.split()[:12])).encode(),
        "exercises/ch03/ch03-solutions.md": b"nothing",
        "book/_static/picture.png": b"For instructors",  # not text: not searched
    }
    problems = bundle.instructor_leaks(entries)
    assert any(p.startswith("book/ch03.html: contains 'For instructors'") for p in problems)
    assert any(p.startswith("exercises/ch03/notes.md: contains") for p in problems)
    assert "exercises/ch03/ch03-solutions.md: an instructor file name" in problems
    assert not any(p.startswith(("book/clean.html", "book/_static")) for p in problems)
    assert bundle.instructor_leaks({"book/clean.html": b"<p>Key takeaways</p>"}) == []


def test_the_leak_guard_looks_inside_a_pages_kit():
    def kit(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buffer.getvalue()

    leaky = kit(
        {"ch03/book/ch03.ipynb": b'{"source": "Timing plan"}', "ch03/exercises/ch03-solutions.md": b""}
    )
    problems = bundle.instructor_leaks({"book/_kits/ch03.zip": leaky})
    assert "book/_kits/ch03.zip/ch03/book/ch03.ipynb: contains 'Timing plan'" in problems
    assert "book/_kits/ch03.zip/ch03/exercises/ch03-solutions.md: an instructor file name" in problems
    # the helper package's own source is the same public code in both editions
    clean = kit({"ch03/dualwheel/grading/text.py": b"HEADING = 'Feedback students see for wrong answers'"})
    assert bundle.instructor_leaks({"book/_kits/ch03.zip": clean}) == []


def _fake_book(folder: Path, title: str) -> Path:
    (folder / "book").mkdir(parents=True)
    (folder / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/index.html" />')
    (folder / "book" / "index.html").write_text(f"<title>{title} &#8212; The book</title>", encoding="utf-8")
    return folder


def test_the_start_here_page_escapes_titles_and_links_into_the_book(tmp_path):
    book = _fake_book(tmp_path / "html", "A &lt;script&gt;alert(1)&lt;/script&gt; title")
    release = tmp_path / "release"
    release.mkdir()
    (release / "ch03-exercises.ipynb").write_text("{}")
    entries = bundle.student_entries(book, {3: {"student": release}})
    page = entries["index.html"].decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="book/book/index.html"' in page and 'href="exercises/ch03/"' in page
    assert "Hand in" in page and "ch03-exercises.ipynb" in page
    assert set(entries) == {
        "index.html",
        "book/index.html",
        "book/book/index.html",
        "exercises/ch03/ch03-exercises.ipynb",
    }


def test_a_missing_edition_is_named_with_the_command_that_builds_it(tmp_path):
    student = _fake_book(tmp_path / "student", "Book")
    with pytest.raises(bundle.BundleError, match=r"instructor edition is missing .*make html"):
        bundle.build_bundles(out=tmp_path / "out", student_book=student, instructor_book=tmp_path / "none")
    assert not (tmp_path / "out").exists()


def test_bundle_command_has_help():
    done = subprocess.run(
        [sys.executable, "-m", "dualwheel.publish", "bundle", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "--no-build" in done.stdout and "index.html" in done.stdout


def test_an_otter_failure_is_reported_with_its_chapter_and_no_autograder_is_cached(tmp_path, monkeypatch):
    import types

    def broken(master: str, result: str, **_kw) -> None:
        print("otter: the master notebook is broken")
        raise ValueError("boom")

    fake = types.ModuleType("otter.assign")
    fake.main = broken
    monkeypatch.setitem(sys.modules, "otter", types.ModuleType("otter"))
    monkeypatch.setitem(sys.modules, "otter.assign", fake)
    with pytest.raises(
        bundle.BundleError, match=r"otter assign failed for .*ch01-otter-master.ipynb: ValueError: boom"
    ):
        bundle.exercises(tmp_path, say=lambda _line: None)
    assert list((tmp_path / "otter-cache").iterdir()) == []
