"""Helpers for the browser tests of the built book (imported by tests/book and tests/chapters)."""

from __future__ import annotations

import json
from pathlib import Path


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


#: Impacts that fail the accessibility tests (axe-core's two highest); lesser ones are counted in
#: BENCHMARKS.md by benchmarks/bench_a11y.py.
BLOCKING = ("serious", "critical")


def wait_for_widgets(page, timeout: float = 15_000) -> None:
    """Wait until every widget view on the page is drawn (sliders and toggle buttons), and the
    book's accessibility pass (``_assets/casebook.js``) has run over them."""
    page.wait_for_function(
        """() => {
            const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
            const drawn = document.querySelectorAll('.casebook-whatif').length;
            return drawn >= views && document.querySelectorAll('.casebook-whatif-status').length === drawn;
        }""",
        timeout=timeout,
    )


#: axe-core as pinned in package.json (package-lock.json), installed by scripts/setup.sh with
#: npm: the newest release, not the older copy axe-playwright-python carries.
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def pinned_axe_version() -> str:
    """The axe-core version package.json pins."""
    return json.loads((AXE_JS.parents[2] / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]


def axe_violations(page) -> list[dict]:
    """Run axe-core (the version package.json pins) on the open page: its violations, each
    with id, impact, help and the nodes (CSS targets) that fail."""
    from axe_playwright_python.sync_playwright import Axe

    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run scripts/setup.sh --node-only (npm ci)")
    axe = Axe(axe_script=AXE_JS.read_text(encoding="utf-8"))
    return axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    """A readable list of violations: rule, impact, help and up to three failing elements."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']} -> {targets}")
    return "\n".join(lines)


#: The WCAG contrast ratio of each element's text against the first opaque background behind it
#: (evaluated with page.eval_on_selector_all): [class or tag, ratio] per element.
CONTRAST_JS = """
els => els.map(el => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bg = null;
  for (let n = el; n && !bg; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c; }
  }
  bg = bg || [255, 255, 255];
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg);
  return [el.className || el.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
})
"""
