"""The built HTML book, driven in headless Chromium with every network request refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from browser import open_whatif, visible_frame

from dualwheel.publish import notebooks, toc_files

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]
CH3 = "book/ch03-company-overview"
CH6 = "book/ch06-results"
RN = "book/reading-numbers"  # the CAGR explorer moved here from Chapter 6 (issue 23)


def _pages(html_dir: Path) -> list[Path]:
    return [html_dir / p.relative_to(ROOT).with_suffix(".html") for p in toc_files()]


def test_every_page_loads_with_no_network(html_dir, offline_page):
    pages = _pages(html_dir) + [html_dir / "search.html", html_dir / "genindex.html"]
    assert len(pages) >= 9
    for page_path in pages:
        assert page_path.exists(), f"{page_path} was not built"
        page = offline_page.open(page_path)
        page.wait_for_timeout(300)
        assert offline_page.problems() == [], f"{page_path.name}: {offline_page.problems()}"
        text = page.inner_text("body")
        for junk in ("interactive(children", "<IPython.core", "Stack(children", "VBox(children"):
            assert junk not in text, f"{page_path.name} shows widget text {junk!r}"


def test_no_page_references_a_cdn(html_dir):
    for path in html_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for host in ("jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
            assert host not in text, f"{path.relative_to(html_dir)} references {host}"


def test_moving_a_slider_changes_the_chart_without_a_kernel(html_dir, offline_page):
    """Chapter 2's funnel what-if (four two-step sliders, nested stacks): each slider moved in the
    static page switches the visible frame, with no kernel behind it."""
    from dualwheel.chapters import ch02_dual_wheel as c2

    base = {k: c2.slider_default(k) for k in c2.FUNNEL_PARAMS}
    lower = dict(base, conversion_pct=c2.slider_values("conversion_pct")[-2])
    page = offline_page.open(html_dir / "book/ch02-dual-wheel.html")
    box = page.locator(".casebook-whatif").first
    box.scroll_into_view_if_needed()
    page.wait_for_selector(".casebook-whatif .noUi-handle")
    before_src, before_text = visible_frame(page)
    handles = box.locator(".noUi-handle")
    assert handles.count() == len(c2.FUNNEL_PARAMS)
    handles.nth(0).focus()
    page.keyboard.press("ArrowLeft")  # visit to order: one step down
    page.wait_for_timeout(300)
    after_src, after_text = visible_frame(page)
    assert after_src != before_src, "the chart did not change when the slider moved"
    assert after_text != before_text
    paid = c2.funnel_summary(c2.funnel(**lower), lower)["Paid orders / 10,000 visitors"]
    assert paid in after_text, after_text
    # a second parameter drives a nested stack
    handles.nth(1).focus()
    page.keyboard.press("ArrowLeft")  # payment success: one step down
    page.wait_for_timeout(300)
    third_src, third_text = visible_frame(page)
    assert third_src not in (before_src, after_src)
    assert offline_page.problems() == []


def test_kernel_only_controls_are_hidden_in_the_static_book(html_dir, offline_page):
    page = offline_page.open(html_dir / "book/ch02-dual-wheel.html")
    live = page.locator(".casebook-live-only")
    assert live.count() >= 1
    assert not any(el.is_visible() for el in live.all())


def test_self_check_gives_immediate_feedback(html_dir, offline_page):
    page = offline_page.open(html_dir / f"{CH3}.html")
    box = page.locator("#selfcheck-ch03-sc-denominator")
    box.scroll_into_view_if_needed()
    feedback = box.locator(".casebook-sc-feedback")
    box.locator(".casebook-sc-check").click()
    assert "Choose an option" in feedback.inner_text()
    box.locator("input[value=a]").check()
    box.locator(".casebook-sc-check").click()
    assert "is-wrong" in feedback.get_attribute("class")
    box.locator("input[value=b]").check()
    box.locator(".casebook-sc-check").click()
    assert "is-right" in feedback.get_attribute("class")

    # a numeric self-check: Chapter 2's (Chapter 3 keeps one choice self-check on denominators)
    assert offline_page.problems() == []
    page = offline_page.open(html_dir / "book/ch02-dual-wheel.html")
    num = page.locator("#selfcheck-ch02-sc-intensity")
    num.scroll_into_view_if_needed()
    num.locator("input").fill("abc")
    num.locator(".casebook-sc-check").click()
    assert "Type a number" in num.locator(".casebook-sc-feedback").inner_text()
    num.locator("input").fill("13.6")  # FY2016's R&D share of revenue: another ratio
    num.locator(".casebook-sc-check").click()
    assert "is-wrong" in num.locator(".casebook-sc-feedback").get_attribute("class")
    from dualwheel.grading.questions import bank_for

    num.locator("input").fill(f"{bank_for(2).get('ch02-sc-intensity').answer:.2f}")
    num.locator(".casebook-sc-check").click()
    assert "is-right" in num.locator(".casebook-sc-feedback").get_attribute("class")
    assert offline_page.problems() == []


def test_every_chapter_notebook_downloads_as_ipynb(html_dir):
    for source in notebooks():
        page = source.relative_to(ROOT).with_suffix("")
        html = (html_dir / f"{page}.html").read_text(encoding="utf-8")
        assert f"_sources/{page}.ipynb" in html, f"{page}: no .ipynb download link"
        ipynb = html_dir / "_sources" / f"{page}.ipynb"
        nb = nbformat.read(ipynb, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(code) == source.read_text(encoding="utf-8").count("```{code-cell}"), page
        if page.name.startswith("ch"):  # a chapter runs the book's code ("Working with the data": pandas)
            assert any("dualwheel" in c.source for c in code), page
        # executed, numbers filled in, and a first cell that says how to run it
        assert any(c.get("outputs") for c in code), f"{page}: the download has no outputs"
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "{glue" not in prose, f"{page}: raw glue roles in the download"
        assert ".zip (runs alone)" in nb.cells[0].source and "make lab" in nb.cells[0].source


def test_no_page_shows_a_raw_glue_role(html_dir):
    """A role left unfilled (say, swallowed by a $...$ maths pair) shows as raw text."""
    for page in html_dir.rglob("*.html"):
        text = re.sub(r"<script.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S)
        assert "{glue" not in text, f"{page.relative_to(html_dir)}: a raw glue role"


def test_every_exhibit_has_a_caption_and_a_source(html_dir):
    for source in notebooks():
        page = source.relative_to(ROOT).with_suffix("")
        text = re.sub(r"\s+", " ", (html_dir / f"{page}.html").read_text(encoding="utf-8"))
        captions = re.findall(r"<strong>Exhibit (\d+)\.(\d+)", text)
        if not captions:
            continue
        numbers = [int(n) for _, n in captions]
        assert numbers == list(range(1, len(numbers) + 1)), f"{page}: exhibits not numbered in order"
        sources = re.findall(r"<em>Source:</em>", text)
        assert len(sources) == len(captions), f"{page}: {len(captions)} exhibits but {len(sources)} sources"


def test_chapter_stubs_say_they_are_not_written(html_dir):
    for source in toc_files():
        text = source.read_text(encoding="utf-8")
        if "kernelspec:" in text[:600] or not source.name.startswith("ch"):
            continue  # a written chapter, or front and back matter (index, instructors, glossary)
        html = (html_dir / source.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
        assert "Not written yet" in html, f"{source.name} is neither a chapter nor a marked stub"


def test_executed_chapters_have_no_errors_or_stderr(executed_notebooks):
    for name, nb in executed_notebooks.items():
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error", f"{name}: a cell raised"
                assert out.get("name") != "stderr", f"{name}: stderr output {json.dumps(out)[:200]}"


def test_rn_cagr_explorer_follows_the_basis_and_the_years_offline(html_dir, offline_page):
    page, box = open_whatif(offline_page, html_dir / f"{RN}.html")
    src0, text0 = visible_frame(page, 0)
    assert "CAGR: 34.8%" in text0 and "this is the published 34.8%" in text0  # opens on the paper's choice
    box.locator("button", has_text="(correct)").click()  # periods: end − start
    page.wait_for_timeout(300)
    src1, text1 = visible_frame(page, 0)
    assert src1 != src0 and "CAGR: 45.3%" in text1 and "over 4 periods" in text1
    box.locator("button", has_text="Restated basis").click()  # no FY2020 on the restated basis
    page.wait_for_timeout(300)
    src2, text2 = visible_frame(page, 0)
    assert "CAGR: no rate" in text2 and "No FY2020 figure" in text2
    handles = box.locator(".noUi-handle")
    assert handles.count() == 2
    handles.nth(0).focus()
    page.keyboard.press("ArrowRight")  # start FY2020 -> FY2021
    page.keyboard.press("ArrowRight")  # -> FY2022
    page.wait_for_timeout(300)
    src3, text3 = visible_frame(page, 0)
    assert "CAGR: 21.7%" in text3 and "consistent basis and period count" in text3
    assert len({src0, src1, src2, src3}) == 4, "each choice should show its own chart"
    assert offline_page.problems() == []


def test_ch06_breakeven_moves_with_its_sliders_offline(html_dir, offline_page):
    # Chapter 6's one what-if: the growth and margin path to break-even by the budget's end
    page, box = open_whatif(offline_page, html_dir / f"{CH6}.html", 0, count=1)
    src0, text0 = visible_frame(page, 0)
    assert "scenario, not a forecast" in text0 and "still loss-making when the budget ends" in text0
    handles = box.locator(".noUi-handle")
    assert handles.count() == 2
    handles.nth(0).focus()
    page.keyboard.press("ArrowRight")  # growth 30% -> 45%: a bigger bill, the same margin
    page.wait_for_timeout(300)
    src1, text1 = visible_frame(page, 0)
    assert src1 != src0 and "still loss-making when the budget ends" in text1
    handles.nth(1).focus()
    page.keyboard.press("ArrowRight")  # margin won back 2 -> 4 points a year
    page.wait_for_timeout(300)
    src2, text2 = visible_frame(page, 0)
    assert "breaks even within the budget" in text2 and src2 not in (src0, src1)
    assert offline_page.problems() == []


def test_english_text_is_not_set_in_the_cjk_font(html_dir, offline_page):
    # a curly apostrophe in the CJK face is full width ("paper’ s"); in a Latin face it is narrow
    page = offline_page.open(html_dir / "book/ch06-results.html")
    ratio = page.evaluate(
        """() => {
            const p = document.querySelector('main p');
            const probe = (text) => {
                const s = document.createElement('span');
                s.textContent = text;
                p.appendChild(s);
                const w = s.getBoundingClientRect().width;
                s.remove();
                return w;
            };
            return probe('\\u2019'.repeat(10)) / probe('M'.repeat(10));
        }"""
    )
    assert ratio < 0.5, f"an apostrophe is {ratio:.2f} of an M: English text falls into the CJK font"
    assert offline_page.problems() == []


#: Every page's budget: a chapter with a hundred what-if frames must still load fast offline.
PAGE_BUDGET_BYTES = 1_000_000


def test_every_page_is_within_its_size_budget(html_dir):
    sizes = {p.name: p.stat().st_size for p in (html_dir / "book").glob("*.html")}
    assert len(sizes) >= 9, f"expected every page of the book, found {sorted(sizes)}"
    over = {name: size for name, size in sizes.items() if size > PAGE_BUDGET_BYTES}
    assert not over, f"pages over {PAGE_BUDGET_BYTES:,} bytes: {over}"
