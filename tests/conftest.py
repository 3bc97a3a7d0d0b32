"""Shared fixtures: the built book, the executed notebooks, and a headless Chromium with no network."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import dualwheel  # noqa: F401 - first, so no test module pays for jsonschema's IRI grammar (dualwheel/__init__.py)

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "alibaba-dual-wheel-casebook.pdf"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


#: Tests that share something outside their own tmp_path, by the group that keeps them on one
#: pytest-xdist worker (``make test`` runs ``-n 2 --dist loadgroup``): every sandboxed test (the
#: class folder is graded once a session, and ``test_no_process_is_left_behind`` looks for any
#: process of the sandbox's user, so no other sandbox may run beside it), and the two tests that
#: write ``_build/lab/student`` (``write_lab``).
SHARED_LAB = {
    "tests/book/test_bcase.py::test_make_labs_student_notebooks_hold_none_of_the_bcase",
    "tests/build/test_lab.py::test_the_real_chapters_open_in_lab_with_numbers_and_no_instructor_answers",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)  # make unit leaves these to make test
        if item.get_closest_marker("sandbox"):
            item.add_marker(pytest.mark.xdist_group("sandbox"))
        elif item.nodeid in SHARED_LAB:
            item.add_marker(pytest.mark.xdist_group("lab"))


@pytest.fixture(scope="session")
def html_dir() -> Path:
    index = HTML / "index.html"
    if not index.exists():
        pytest.fail(f"{index} is missing: build the book first (make html)", pytrace=False)
    return HTML


@pytest.fixture(scope="session")
def pdf_path() -> Path:
    if not PDF.exists():
        pytest.fail(f"{PDF} is missing: build the PDF first (make pdf)", pytrace=False)
    return PDF


@pytest.fixture(scope="session")
def executed_notebooks() -> dict[str, dict]:
    """Every chapter's executed notebook, read back from the build's jupyter-cache.

    Page name (e.g. 'book/ch03-company-overview') -> notebook JSON with outputs. Reading the
    cache checks every chapter's outputs in well under a second, without re-executing.
    """
    from jupyter_cache import get_cache

    from dualwheel.publish import CACHE, READER, notebooks

    if not CACHE.exists():
        pytest.fail(f"{CACHE} is missing: build the book first (make html)", pytrace=False)
    cache = get_cache(str(CACHE))
    books = {}
    for path in notebooks():
        record = cache.get_cached_project_nb(cache.add_nb_to_project(str(path), read_data=READER).uri)
        if record is None:
            pytest.fail(f"{path.name} has no executed copy in the cache: rebuild the book", pytrace=False)
        nb = cache.get_cache_bundle(record.pk).nb
        books[path.relative_to(ROOT).with_suffix("").as_posix()] = json.loads(json.dumps(nb))
    return books


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield context
        context.close()


class OfflinePage:
    """A page that refuses every non-file request and records what went wrong."""

    def __init__(self, context: object) -> None:
        self.page = context.new_page()
        self.failed: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: object) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path: Path) -> object:
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def problems(self) -> list[str]:
        return (
            [f"blocked: {u}" for u in self.blocked]
            + [f"failed: {u}" for u in self.failed]
            + [f"console: {e}" for e in self.errors]
        )

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def offline_page(browser: object) -> Iterator[OfflinePage]:
    page = OfflinePage(browser)
    yield page
    page.close()


@pytest.fixture(autouse=True, scope="session")
def _house_style() -> None:
    """Charts drawn by tests use the house style, as a page's ``Chapter(N)`` sets it."""
    from dualwheel import style

    style.apply()


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of data/ that a test may corrupt or edit; the loader reads it via
    CASEBOOK_DATA, and its cache is cleared before and after."""
    from dualwheel import data

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setenv("CASEBOOK_DATA", str(folder))
    data.clear_cache()
    yield folder
    data.clear_cache()
