"""Helpers for the browser tests of the built book (imported by tests/book and tests/chapters)."""

from __future__ import annotations


def visible_frame(page, index: int = 0) -> tuple[str, str]:
    """The src of the chart image and the readout text that the ``index``-th what-if shows now."""
    box = page.locator(".casebook-whatif").nth(index)
    imgs = [i for i in box.locator("img").all() if i.is_visible()]
    readouts = [r for r in box.locator(".casebook-readout").all() if r.is_visible()]
    assert len(imgs) == 1, f"expected one visible chart, found {len(imgs)}"
    assert len(readouts) == 1, f"expected one visible readout, found {len(readouts)}"
    return imgs[0].get_attribute("src"), readouts[0].inner_text()


def open_whatif(offline_page, path, index: int = 0, count: int | None = None):
    """Open a built page offline, wait for its sliders, and scroll to its ``index``-th what-if;
    with ``count``, first check the page holds that many. Returns (page, the what-if's box)."""
    page = offline_page.open(path)
    page.wait_for_selector(".casebook-whatif .noUi-handle")
    if count is not None:
        assert page.locator(".casebook-whatif").count() == count
    box = page.locator(".casebook-whatif").nth(index)
    box.scroll_into_view_if_needed()
    return page, box
