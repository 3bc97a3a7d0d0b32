"""Accessibility (WCAG 2.1 AA) of the built book, in headless Chromium with no network.

axe-core runs on every page of both editions; the keyboard tests press real keys. axe-core is
pinned in package.json (the newest release; package-lock.json) and installed by
scripts/setup.sh with npm into node_modules, never shipped in the book's assets;
axe-playwright-python runs it (tests/browser.py), not the older copy that binding carries.
No axe rule is switched off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import (
    BLOCKING,
    CONTRAST_JS,
    axe_violations,
    describe_violations,
    open_whatif,
    visible_frame,
    wait_for_widgets,
)

from dualwheel.publish import toc_files
from dualwheel.publish.editions import STUDENT

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"
CH3 = "book/ch03-company-overview"
CH2 = "book/ch02-dual-wheel"  # its first what-if is the funnel (Chapter 3 has none since issue 23)
CH6 = "book/ch06-results"
RN = "book/reading-numbers"  # the CAGR explorer (toggle buttons) moved here from Chapter 6
#: The instructors' front matter and the B-case are left out of the student edition.
INSTRUCTOR_ONLY = set(STUDENT.left_out())
#: How a chart's alt text starts: its kind ("Bar chart:", "Bar and line chart:", "Diagram:" ...).
KIND = re.compile(r"^((Bar|Line|Scatter)( and (bar|line|scatter|table))* chart|Diagram|Table): ")
PAGES = [p.relative_to(ROOT).with_suffix("").as_posix() for p in toc_files()] + ["search", "genindex"]


@pytest.fixture(scope="session")
def student_dir() -> Path:
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail(f"{STUDENT_HTML} is missing: build it first (make student)", pytrace=False)
    return STUDENT_HTML


@pytest.mark.parametrize("edition", ["instructor", "student"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation_and_charts_have_alt_text(
    edition, name, html_dir, request, offline_page
):
    if edition == "student" and name in INSTRUCTOR_ONLY:
        pytest.skip("not in the student edition")
    root = html_dir if edition == "instructor" else request.getfixturevalue("student_dir")
    path = root / f"{name}.html"
    assert path.exists(), f"{path} was not built"
    page = offline_page.page  # no wait for network idle: nothing loads after the widgets
    page.goto(path.as_uri(), wait_until="load")
    wait_for_widgets(page)
    violations = axe_violations(page)
    assert violations is not None
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{edition} {name}:\n{describe_violations(blocking)}"
    # on the same page load: every chart says what it shows (axe checks that an alt exists)
    charts = check_chart_alt_texts(page, f"{edition} {name}")
    if name.startswith("book/ch"):
        assert charts >= 1, f"{edition} {name} shows no chart"


def test_axe_catches_an_unnamed_slider(html_dir, offline_page):
    """The check above can fail: a slider with no name is a serious violation for axe."""
    page, box = open_whatif(offline_page, html_dir / f"{CH2}.html")
    wait_for_widgets(page)
    box.evaluate(
        "b => { const h = document.createElement('div'); h.setAttribute('role', 'slider');"
        " h.tabIndex = 0; h.setAttribute('aria-valuenow', '1'); b.appendChild(h); }"
    )
    ids = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert ids.get("aria-input-field-name") in BLOCKING


# ---- alt text ------------------------------------------------------------------------------


def _visible_alt(page, index: int = 0) -> str:
    box = page.locator(".casebook-whatif").nth(index)
    imgs = [i for i in box.locator("img.casebook-frame").all() if i.is_visible()]
    assert len(imgs) == 1
    return imgs[0].get_attribute("alt")


def check_chart_alt_texts(page, where: str) -> int:
    """Every chart on the open page (static charts and the what-if frames on show) has alt text
    read from the chart: its kind, then its title and data, never a file name. Returns how many."""
    charts = page.eval_on_selector_all(
        ".cell_output img, img.casebook-frame", "imgs => imgs.map(i => i.getAttribute('alt'))"
    )
    for alt in charts:
        alt = alt or ""
        assert KIND.match(alt), f"{where}: alt text {alt[:120]!r}"
        assert not alt.endswith((".png", ".webp")) and len(alt) > 40, f"{where}: {alt!r}"
    return len(charts)


def test_a_static_chart_reads_its_numbers_from_the_data(html_dir, offline_page):
    """Exhibit 2.2 (technology spending): the alt text names product development for each year
    the chart draws, recomputed here from data/ by the package. (Chapter 3's revenue-structure
    chart was cut: the denominators lesson is taught once, in the reading-numbers appendix.)"""
    from dualwheel.chapters import ch02_dual_wheel as c2

    page = offline_page.open(html_dir / "book/ch02-dual-wheel.html")
    alts = [i.get_attribute("alt") for i in page.locator(".cell_output img").all()]
    spending = [a for a in alts if a.startswith("Bar and line chart: Alibaba's technology spending")]
    assert len(spending) == 1, alts
    for year in (2016, 2019, 2024):
        assert f"FY{year} {c2.tech_value('product_development', year) / 1000:.1f}" in spending[0]


def test_moving_a_slider_changes_the_visible_charts_description(html_dir, offline_page):
    """Chapter 2's funnel: one step left on the first slider (visit to order) halves the orders
    placed, and the visible frame's alt text reads the new count, recomputed here by the package."""
    from dualwheel.chapters import ch02_dual_wheel as c2

    base = {k: c2.slider_default(k) for k in c2.FUNNEL_PARAMS}
    lower = dict(base, conversion_pct=c2.slider_values("conversion_pct")[-2])
    assert lower["conversion_pct"] < base["conversion_pct"]
    placed_before = f"Orders placed {c2.funnel(**base).orders_placed:,.0f}"
    placed_after = f"Orders placed {c2.funnel(**lower).orders_placed:,.0f}"
    page, box = open_whatif(offline_page, html_dir / f"{CH2}.html")
    wait_for_widgets(page)
    before = _visible_alt(page)
    assert before.startswith("Bar chart: Orders left after each link"), before
    assert placed_before in before, before
    box.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    after = _visible_alt(page)
    assert placed_after in after, after
    assert after != before
    # the new readout is announced in the what-if's live region
    status = box.locator(".casebook-whatif-status")
    assert status.get_attribute("aria-live") == "polite"
    paid = c2.funnel_summary(c2.funnel(**lower), lower)["Paid orders / 10,000 visitors"]
    assert paid in status.inner_text(), status.inner_text()


def test_every_chart_has_a_cue_besides_colour(executed_notebooks):
    """Each chart the chapters draw (static exhibits, and each what-if's base chart) reports the
    series that only colour tells apart (dualwheel.page.alttext.colour_only): none may."""
    checked, unchecked, bad = 0, [], []
    for name, nb in executed_notebooks.items():
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                if "image/png" not in out.get("data", {}):
                    continue
                meta = out.get("metadata", {}).get("image/png", {})
                if "colour_only" not in meta:  # a chart drawn by another route escapes the check
                    unchecked.append(f"{name}: {str(meta.get('alt', 'a chart'))[:80]}")
                    continue
                checked += 1
                assert KIND.match(meta.get("alt", "")), f"{name}: {meta.get('alt')!r}"
                if meta["colour_only"]:
                    bad.append(f"{name}: {meta['alt'][:80]}: {meta['colour_only']}")
    assert checked >= 15, f"only {checked} charts carry the check"
    assert unchecked == [], "charts without the colour check:\n" + "\n".join(unchecked)
    assert not bad, "\n".join(bad)


# ---- keyboard ------------------------------------------------------------------------------


def _tab_until(page, selector: str, limit: int = 12) -> bool:
    """Press Tab up to ``limit`` times; True once the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return True
    return False


def _focus_before(page, locator) -> None:
    """Put the keyboard focus just before ``locator`` (a focusable marker inserted there)."""
    locator.evaluate(
        "el => { const m = document.createElement('span'); m.tabIndex = 0; m.id = 'kbd-start';"
        " el.parentNode.insertBefore(m, el); m.focus(); }"
    )


def test_sliders_have_names_and_move_with_the_arrow_keys(html_dir, offline_page):
    """Chapter 2's funnel what-if: a named slider per lever, its value spoken as the readout
    shows it, moved by the arrow keys and Home/End, and Tab reaching the next slider."""
    from dualwheel.chapters import ch02_dual_wheel as c2

    page, box = open_whatif(offline_page, html_dir / f"{CH2}.html")
    wait_for_widgets(page)
    # the browser's own accessible names: a slider per parameter, named by its label
    for label in ("Visit to order", "Payment success", "On-time delivery", "Repeat after good delivery"):
        assert page.get_by_role("slider", name=label, exact=True).count() == 1
    values = c2.slider_values("conversion_pct")
    text = lambda v: f"{v:g} %"  # noqa: E731 - what the readout shows, not the slider's index
    slider = page.get_by_role("slider", name="Visit to order", exact=True)
    assert slider.get_attribute("aria-valuetext") == text(c2.slider_default("conversion_pct"))
    _focus_before(page, box)
    assert _tab_until(page, ".noUi-handle"), "Tab never reached the first slider"
    before_alt, before_text = _visible_alt(page), visible_frame(page)[1]
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert slider.get_attribute("aria-valuetext") == text(values[-2])
    assert _visible_alt(page) != before_alt and visible_frame(page)[1] != before_text
    page.keyboard.press("End")  # noUiSlider's keys: Home/End jump to the ends
    page.wait_for_timeout(300)
    assert slider.get_attribute("aria-valuetext") == text(values[-1])
    page.keyboard.press("Home")
    page.wait_for_timeout(300)
    assert slider.get_attribute("aria-valuetext") == text(values[0])
    # Tab moves on to the next slider
    nxt = text(c2.slider_default("payment_pct"))
    assert _tab_until(page, f".noUi-handle[aria-valuetext='{nxt}']", limit=3)
    assert offline_page.problems() == []


def test_toggle_buttons_switch_the_chart_from_the_keyboard(html_dir, offline_page):
    page, box = open_whatif(offline_page, html_dir / f"{RN}.html")
    wait_for_widgets(page)
    group = page.get_by_role("group", name="Reporting basis (口径)")
    assert group.count() == 1
    restated = group.get_by_role("button", name="Restated basis (新口径)")
    assert restated.get_attribute("aria-pressed") == "false"
    before = _visible_alt(page)
    _focus_before(page, group)
    assert _tab_until(page, "button.widget-toggle-button")
    while not page.evaluate("() => document.activeElement.textContent.startsWith('Restated')"):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert restated.get_attribute("aria-pressed") == "true"
    assert _visible_alt(page) != before
    mixed = group.get_by_role("button", name="Mixed, as in the published figure")
    assert mixed.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert mixed.get_attribute("aria-pressed") == "true" and _visible_alt(page) == before


def test_show_code_toggles_open_from_the_keyboard(html_dir, offline_page):
    page = offline_page.open(html_dir / f"{CH3}.html")
    details = page.locator("details.hide.above-input").first
    summary = details.locator("summary")
    summary.scroll_into_view_if_needed()
    assert summary.get_attribute("aria-label") is None  # named by what it shows
    assert summary.inner_text().strip() == "Show code cell source"
    summary.focus()
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") is True
    assert summary.inner_text().strip() == "Hide code cell source"
    page.keyboard.press("Space")
    assert details.evaluate("d => d.open") is False


def test_self_checks_work_from_the_keyboard_and_announce_feedback(html_dir, offline_page):
    page = offline_page.open(html_dir / f"{CH3}.html")
    box = page.get_by_role("group", name="Self-check 3.1")
    assert box.count() == 1
    box.scroll_into_view_if_needed()
    feedback = box.locator(".casebook-sc-feedback")
    assert feedback.get_attribute("role") == "status" and feedback.get_attribute("aria-live") == "polite"
    check = box.get_by_role("button", name="Check self-check 3.1")
    _focus_before(page, box)
    assert _tab_until(page, "input[type=radio]")  # the first option
    page.keyboard.press("Space")  # choose option a (wrong)
    assert _tab_until(page, ".casebook-sc-check", limit=3)
    page.keyboard.press("Enter")
    assert "is-wrong" in feedback.get_attribute("class") and feedback.inner_text().strip()
    first = feedback.inner_text()
    page.keyboard.press("Enter")  # the same answer again: the live region still changes
    assert feedback.evaluate("f => f.textContent") != first or "\u00a0" in first
    page.keyboard.press("Shift+Tab")  # back to the options: arrows move the choice
    page.keyboard.press("ArrowDown")
    assert box.locator("input[value=b]").is_checked()
    assert check.count() == 1
    check.focus()
    page.keyboard.press("Enter")
    assert "is-right" in feedback.get_attribute("class")

    assert offline_page.problems() == []

    # a numeric self-check: Chapter 2's first (product development per yuan of capex, FY2023)
    from dualwheel.grading.questions import bank_for

    key = bank_for(2).get("ch02-sc-intensity").answer
    page = offline_page.open(html_dir / f"{CH2}.html")
    num = page.get_by_role("group", name="Self-check 2.1")
    num.scroll_into_view_if_needed()
    answer = num.get_by_role("textbox", name="Your answer to self-check 2.1")
    answer.focus()
    page.keyboard.type(f"{key:.2f}")
    page.keyboard.press("Enter")  # Enter in the box checks it
    assert "is-right" in num.locator(".casebook-sc-feedback").get_attribute("class")
    assert offline_page.problems() == []


# ---- colour --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_what_if_and_self_check_text_keeps_its_contrast_in_both_themes(mode, html_dir, offline_page):
    """Text of the book's own controls against its background, at least 4.5:1 (WCAG 1.4.3), in
    the theme's light and dark modes. axe checks the light page; it leaves these as "needs
    review" when the theme switches, so the ratio is computed here (WCAG's formula)."""
    page, _box = open_whatif(offline_page, html_dir / f"{CH6}.html")
    wait_for_widgets(page)
    page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{mode}'; }}")
    selectors = (
        ".casebook-whatif .widget-label, .casebook-whatif .widget-readout, .casebook-readout, "
        ".casebook-whatif button, .casebook-selfcheck p, .casebook-sc-title, .casebook-sc-option, "
        ".casebook-sc-check"
    )
    ratios = page.eval_on_selector_all(selectors, CONTRAST_JS)
    assert len(ratios) >= 10
    low = [(name, round(r, 2)) for name, r in ratios if r < 4.5]
    assert not low, f"{mode}: {low[:5]}"


def test_axe_is_the_pinned_newest_release():
    """The accessibility tests run the axe-core that package.json pins (4.14 or later, where
    label-content-name-mismatch is no longer experimental), not the binding's older copy."""
    from browser import AXE_JS, pinned_axe_version

    pinned = pinned_axe_version()
    assert tuple(int(x) for x in pinned.split(".")[:2]) >= (4, 14), pinned
    assert AXE_JS.read_text(encoding="utf-8")[:40].startswith(f"/*! axe v{pinned}\n"), (
        "node_modules is stale: npm ci"
    )
