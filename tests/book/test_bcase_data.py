"""The B-case's data in the built artefacts: the student edition's kits, its "Data and sources"
page and the student bundle hold neither a B-case table (``bcase: true``) nor a source that
only the B-case needs; the after-class bundle and the instructor edition keep them.

(``make lab``'s student folder is checked in tests/build/test_lab.py.)
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dualwheel import cutoff, data
from dualwheel.publish import ROOT, STUDENT_HTML
from dualwheel.publish.bundle import AFTER_CLASS_ZIP, BUNDLES, STUDENT_ZIP
from dualwheel.publish.student_data import left_out

pytestmark = pytest.mark.built

TABLES, LATE = left_out()
BCASE_FILES = {data.table_meta(t).file for t in TABLES}
#: A late source's title the issue names: the FY2026 20-F, cited only by later_results.csv.
FY2026_TITLE = data.sources()["sec_20f_fy2026_income"]["document"]


def _need(path: Path, how: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)
    return path


def _leaks(files: dict[str, bytes]) -> list[str]:
    """What in ``files`` (path -> bytes) is the B-case's: its tables, or a late source it alone
    needs (by id in a metadata file, or by its title anywhere)."""
    found = [n for n in files if Path(n).name in BCASE_FILES]
    for name, payload in files.items():
        if not name.endswith((".yml", ".html", ".ipynb", ".md", ".json", ".txt", ".csv", ".js")):
            continue
        text = payload.decode("utf-8", errors="replace")
        if name.endswith(".yml"):
            found += [f"{name}: {sid}" for sid in (*TABLES, *LATE) if f"\n  {sid}:" in text]
        found += [f"{name}: title of {sid}" for sid in LATE if data.sources()[sid]["document"] in text]
    return found


def _zip_files(zf: zipfile.ZipFile) -> dict[str, bytes]:
    files = {}
    for name in zf.namelist():
        payload = zf.read(name)
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(payload)) as inner:
                files |= {f"{name}!{k}": v for k, v in _zip_files(inner).items()}
        else:
            files[name] = payload
    return files


def _kits(html: Path) -> list[Path]:
    kits = sorted((html / "_kits").glob("*.zip"))
    assert kits, f"no kits in {html / '_kits'}"
    return kits


def test_the_student_kits_hold_no_bcase_table_nor_its_late_sources():
    for kit in _kits(_need(STUDENT_HTML, "build the student edition (make student)")):
        with zipfile.ZipFile(kit) as zf:
            files = _zip_files(zf)
        assert any(n.endswith("/data/segment_revenue.csv") for n in files), kit.name  # still a data folder
        assert _leaks(files) == [], kit.name
        assert not [n for n in files if FY2026_TITLE in files[n].decode("utf-8", errors="replace")], kit.name


def test_the_student_data_page_lists_only_sources_public_by_the_decision_date():
    page = _need(STUDENT_HTML / "book" / "data-sources.html", "build the student edition (make student)")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("article.bd-article") or soup.find("main")
    text = body.get_text(" ", strip=True)
    codes = {c.get_text(strip=True) for c in body.find_all("code")}
    assert "segment_revenue.csv" in codes and "sec_20f_fy2019" in codes  # the tables and early sources
    assert not BCASE_FILES & codes
    late = {sid for sid, s in data.sources().items() if s.get("kind") != "paper" and cutoff.after_cutoff(sid)}
    assert late and not late & codes, sorted(late & codes)
    assert "paper" in codes  # the case paper, the assigned reading, stays
    assert "after-class case" in text
    assert "Form 20-F for FY2026" not in text


def test_the_student_bundle_holds_no_bcase_table_nor_its_late_sources():
    path = _need(BUNDLES / STUDENT_ZIP, "build the bundles (make bundle)")
    with zipfile.ZipFile(path) as zf:
        files = _zip_files(zf)
    assert any("/data/segment_revenue.csv" in n for n in files)  # kits and releases carry data
    assert _leaks(files) == []


def test_the_after_class_bundle_and_the_instructor_edition_keep_them():
    path = _need(BUNDLES / AFTER_CLASS_ZIP, "build the bundles (make bundle)")
    with zipfile.ZipFile(path) as zf:
        files = _zip_files(zf)
    assert {n.rsplit("/", 1)[-1] for n in files} >= BCASE_FILES
    assert any(FY2026_TITLE in v.decode("utf-8", errors="replace") for n, v in files.items() if n.endswith(".yml"))
    page = _need(ROOT / "_build" / "html" / "book" / "data-sources.html", "build the book (make html)")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    codes = {c.get_text(strip=True) for c in soup.find_all("code")}
    assert BCASE_FILES <= codes and "sec_20f_fy2026_income" in codes
