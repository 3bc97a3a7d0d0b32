"""Shared fixtures: the built book, the executed notebooks, and a headless Chromium with no network."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    """Executed chapters as MyST-NB wrote them for the build (page name -> notebook JSON)."""
    folder = ROOT / "_build" / "jupyter_execute"
    books = {p.relative_to(folder).with_suffix("").as_posix(): json.loads(p.read_text()) for p in folder.rglob("*.ipynb")}
    if not books:
        pytest.fail("no executed notebooks in _build/jupyter_execute: build the book first", pytrace=False)
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
        return [f"blocked: {u}" for u in self.blocked] + [f"failed: {u}" for u in self.failed] + [
            f"console: {e}" for e in self.errors
        ]

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def offline_page(browser: object) -> Iterator[OfflinePage]:
    page = OfflinePage(browser)
    yield page
    page.close()
