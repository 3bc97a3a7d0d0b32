"""The what-if API: validation, frames, scenarios, the three renderings."""

from __future__ import annotations

import base64
import re

import ipywidgets as widgets
import pytest

from dualwheel.chapters.ch03_overview import aidc_share_path, share_summary
from dualwheel.page.whatif import MAX_FRAMES, WIDGET_MIME, Choice, Param, WhatIf, WhatIfInputError, grid


def make(**kw) -> WhatIf:
    params = kw.pop(
        "params",
        [
            Param(name="aidc_growth", label="AIDC growth", min=0, max=40, step=20, default=20, unit="%/yr"),
            Param(
                name="rest_growth",
                label="Rest of group growth",
                min=0,
                max=10,
                step=5,
                default=5,
                unit="%/yr",
            ),
            Param(name="target_share", label="Target share", min=15, max=25, step=10, default=25, unit="%"),
        ],
    )
    return WhatIf("test", params, aidc_share_path, small_chart, share_summary, **kw)


def small_chart(s, values):
    """A small, fast chart of the same scenario: these tests check the what-if machinery, not
    the chapter's chart (tests/chapters cover that), so each frame costs milliseconds."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2.4, 1.4))
    ax.plot(s.path["fiscal_year"], s.path["aidc_share_pct"])
    ax.axhline(values["target_share"], ls="--")
    ax.set_title(f"AIDC +{values['aidc_growth']:g}%, rest +{values['rest_growth']:g}%", fontsize=7)
    ax.set_xticks([]), ax.set_yticks([])  # ticks and their labels are half of a frame's drawing time
    return fig


@pytest.fixture(scope="module")
def built():
    """One what-if of :func:`make` and its widget, drawn in this process: shared by the tests
    that only read a widget (the tests that type into one build their own)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEBOOK_FRAME_WORKERS", "1")
        w = make()
        return w, w.widget()


def _leaves(widget):
    if isinstance(widget, widgets.Stack):
        for child in widget.children:
            yield from _leaves(child)
    else:
        yield widget


def test_param_grid_and_validation():
    p = Param(name="g", label="Growth", min=0, max=1, step=0.1, default=0.3)
    assert p.values[:4] == [0.0, 0.1, 0.2, 0.3] and len(p.values) == 11
    with pytest.raises(ValueError, match="not on the slider's steps"):
        Param(name="g", label="Growth", min=0, max=1, step=0.25, default=0.3)
    with pytest.raises(ValueError, match="outside"):
        Param(name="g", label="Growth", min=0, max=1, step=0.5, default=2)
    with pytest.raises(ValueError, match="min"):
        Param(name="g", label="Growth", min=1, max=0, step=0.5, default=0.5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("", "please type a number"),
        (500, "must be between 0 %/yr and 40 %/yr; you entered 500"),
        ("-3", "must be between"),
        (float("nan"), "not a finite number"),
        (True, "expected a number"),
        ([1], "expected a number, got list"),
    ],
)
def test_bad_input_gets_a_sentence_not_a_traceback(raw, message):
    w = make()
    with pytest.raises(WhatIfInputError, match=message):
        w.compute(aidc_growth=raw)


def test_good_input_in_any_form_computes():
    w = make()
    for raw in (25, "25", " 25 % ", "25.0"):
        assert w.compute(aidc_growth=raw).crossing_year == w.compute(aidc_growth=25.0).crossing_year
    with pytest.raises(WhatIfInputError, match="unknown parameter"):
        w.compute(speed=3)


def test_choice_parameters_accept_value_or_label():
    c = Choice(name="basis", label="Basis", options={"old": "Old basis", "new": "New basis"}, default="old")
    assert c.parse("New basis") == "new" and c.parse("OLD") == "old"
    with pytest.raises(WhatIfInputError, match="not one of the options"):
        c.parse("restated")
    with pytest.raises(ValueError):
        Choice(name="basis", label="Basis", options={"old": "Old"}, default="new")


def test_the_stack_holds_one_frame_per_grid_point_and_links_every_level(built):
    w, box = built
    sliders, stack = box.children[:3], box.children[3]
    assert all(isinstance(s, widgets.SelectionSlider) for s in sliders)
    frames = list(_leaves(stack))
    assert len(frames) == len(grid(w.params)) == 3 * 3 * 2
    # each frame: one HTML widget with a readout and an inline lossless WebP chart with alt text
    readouts = {re.search(r'casebook-readout">(.*?)</div>', f.value).group(1) for f in frames}
    assert len(readouts) > 1
    alts = set()
    for f in frames:
        src = re.search(
            r'<img class="casebook-frame" src="data:image/webp;base64,([^"]+)" alt="([^"]+)"', f.value
        )
        assert src, f.value[:200]
        image = base64.b64decode(src.group(1))
        assert image[:4] == b"RIFF" and image[8:12] == b"WEBP"
        # the alt text is read from the frame's own chart: its kind, title and data
        assert src.group(2).startswith("Line chart: AIDC +"), src.group(2)
        alts.add(src.group(2))
    assert len(alts) == len(frames)  # every scenario's chart is described by its own numbers
    # every frame shares one layout and one style model (the page-size budget depends on it)
    assert len({f.layout.model_id for f in frames}) == 1 and len({f.style.model_id for f in frames}) == 1
    # defaults select the base frame
    assert stack.selected_index == w.params[0].values.index(20)
    base = stack.children[stack.selected_index].children[stack.children[0].selected_index]
    assert isinstance(base, widgets.Stack)


def test_jslinks_connect_sliders_to_stacks(built):
    _w, box = built
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    links = [m for m in _instances.values() if isinstance(m, Link)]
    slider_ids = {s.model_id for s in box.children[:3]}
    linked = {link.source[0].model_id for link in links if link.source[1] == "index"}
    assert slider_ids <= linked
    # outer stack + 3 inner + 3*3 innermost stacks, one link each
    mine = [link for link in links if link.source[0].model_id in slider_ids]
    assert len(mine) == 1 + 3 + 9


def _live(w: WhatIf):
    """A what-if's widget and its live row, driven in-process: setting a widget's value runs the
    same Python callbacks a kernel runs when a reader types or drags in JupyterLab."""
    box = w.widget()
    return box, box.children[-1]


def _chart_image(chart) -> bytes:
    found = re.search(r'<img class="casebook-frame" src="data:image/png;base64,([^"]+)"', chart.value)
    assert found, chart.value[:300]
    return base64.b64decode(found.group(1))


def test_live_row_recomputes_one_chart_that_matches_its_readout():
    w = make()
    box, row = _live(w)
    assert "casebook-live-only" in row._dom_classes
    boxes, message, chart = row._casebook_boxes, row._casebook_message, row._casebook_chart
    stack = box.children[-2]
    assert chart.layout.display == "none" and stack.layout.display != "none"  # before any change
    children = list(row.children)
    images = []
    for raw in ("12.5", "25", "33", "7.5"):  # off the slider grid: the kernel recomputes
        boxes["aidc_growth"].value = raw
        assert message.value == ""
        assert chart.layout.display != "none", "the live chart is hidden"
        assert stack.layout.display == "none", "the precomputed chart still shows beside the live one"
        expected = w.readout({"aidc_growth": raw})
        summary = re.search(r'casebook-readout">(.*?)</div>', chart.value).group(1)
        assert re.sub(r"<[^>]+>", "", summary).endswith(expected)  # the readout of these values
        assert f"AIDC growth {float(raw):g} %/yr" in summary
        images.append(_chart_image(chart))
    assert list(row.children) == children, "a recompute added a widget instead of replacing the chart"
    assert len(set(images)) == 4  # each value drew its own chart, in the one chart widget
    # only the layout of the outer stack changed: the frames still share one layout
    frames = list(_leaves(stack))
    assert len({f.layout.model_id for f in frames}) == 1 and frames[0].layout.display is None


def test_live_chart_is_the_size_of_the_static_frames():
    import io

    from PIL import Image as PILImage

    w = make()
    box, row = _live(w)
    row._casebook_boxes["aidc_growth"].value = "12.5"
    live = PILImage.open(io.BytesIO(_chart_image(row._casebook_chart))).size
    static = {PILImage.open(io.BytesIO(png)).size for png in _frame_images(box)}
    assert static == {live}


def test_boxes_and_sliders_follow_each_other(monkeypatch):
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "1")  # the live row alone: no frames to draw first
    w = make()
    _box, row = _live(w)
    boxes, sliders, chart = row._casebook_boxes, row._casebook_controls, row._casebook_chart
    sliders["aidc_growth"].value = 40  # the slider types its value into the box and recomputes
    assert boxes["aidc_growth"].value == "40"
    assert "AIDC growth 40 %/yr" in chart.value and chart.layout.display != "none"
    boxes["rest_growth"].value = "10"  # a value on the grid moves its slider there
    assert sliders["rest_growth"].value == 10
    boxes["aidc_growth"].value = "13"  # off the grid: the nearest step, the box keeps 13
    assert sliders["aidc_growth"].value == 20 and boxes["aidc_growth"].value == "13"
    assert "AIDC growth 13 %/yr" in chart.value
    sliders["target_share"].value = 15
    assert boxes["target_share"].value == "15" and "Target share 15 %" in chart.value
    assert boxes["aidc_growth"].value == "13"  # the other boxes keep their exact values


def test_every_invalid_field_is_reported_and_the_chart_hidden():
    w = make()
    box, row = _live(w)
    boxes, message, chart = row._casebook_boxes, row._casebook_message, row._casebook_chart
    boxes["aidc_growth"].value = "12.5"
    assert chart.layout.display != "none"
    boxes["aidc_growth"].value = "lots"
    boxes["rest_growth"].value = "99"
    assert message.value.count("casebook-error") == 2
    assert "not a number" in message.value and "must be between" in message.value
    assert "hidden" in message.value
    assert chart.layout.display == "none" and box.children[-2].layout.display == "none"  # no stale chart
    boxes["aidc_growth"].value = "20"
    assert message.value.count("casebook-error") == 1  # one problem left
    boxes["rest_growth"].value = "5"
    assert message.value == "" and chart.layout.display != "none"


def test_validate_reports_every_bad_field_at_once():
    w = make()
    with pytest.raises(WhatIfInputError) as caught:
        w.validate({"aidc_growth": "abc", "rest_growth": 99, "target_share": ""})
    problems = caught.value.problems
    assert len(problems) == 3
    assert (
        "AIDC growth" in problems[0]
        and "Rest of group growth" in problems[1]
        and "Target share" in problems[2]
    )


def _years() -> WhatIf:
    """Chapter 6's CAGR explorer on a small grid: years labelled "FY2020" and two choices."""
    from dualwheel.chapters import ch06_results as c6

    return WhatIf(
        "years",
        [
            Param(name="start", label="Start year", min=2020, max=2022, step=2, default=2020, fmt="FY{:.0f}"),
            Param(name="end", label="End year", min=2022, max=2024, step=2, default=2024, fmt="FY{:.0f}"),
            Choice(name="basis", label="Basis", options={"new": c6.CAGR_BASES["new"]}, default="new"),
            Choice(name="periods", label="Periods counted", options=c6.PERIOD_RULES, default="span"),
        ],
        c6.cainiao_cagr,
        _small_cagr_chart,
        c6.cagr_summary,
    )


def _small_cagr_chart(result, values):
    """A small chart of the explorer's result (tests/chapters/test_ch06.py draws the real one)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2.4, 1.4))
    ax.bar([0], [result.cagr_pct or 0])
    ax.set_title(f"FY{values['start']:.0f}-FY{values['end']:.0f}", fontsize=7)
    ax.set_xticks([]), ax.set_yticks([])
    return fig


@pytest.mark.parametrize("raw", ["FY2024", "fy2024", " FY2024 ", "2024", 2024, "2024.0"])
def test_years_are_accepted_as_they_are_shown(raw):
    p = Param(name="end", label="End year", min=2021, max=2024, step=1, default=2024, fmt="FY{:.0f}")
    assert p.whole and p.parse(raw) == 2024
    assert p.text_for(p.default) == "FY2024"


@pytest.mark.parametrize("raw", ["2020.5", "FY2020.5", 2020.5])
def test_a_fraction_of_a_year_is_reported_not_truncated(raw):
    p = Param(name="start", label="Start year", min=2019, max=2022, step=1, default=2020, fmt="FY{:.0f}")
    with pytest.raises(WhatIfInputError, match="Start year: '.*2020.5' is not a whole number"):
        p.parse(raw)
    assert not Param(name="g", label="Growth", min=0, max=40, step=5, default=20).whole  # 12.5 is fine


def test_year_boxes_recompute_as_prefilled_and_as_typed(monkeypatch):
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "1")  # the live row alone: no frames to draw first
    w = _years()
    _box, row = _live(w)
    boxes, sliders, message, chart = (
        row._casebook_boxes,
        row._casebook_controls,
        row._casebook_message,
        row._casebook_chart,
    )
    assert boxes["start"].value == "FY2020" and boxes["end"].value == "FY2024"
    assert set(boxes) == {"start", "end"}  # a choice's toggle buttons are exact already
    sliders["periods"].value = "paper"  # a toggle recomputes with the boxes' pre-filled years
    assert message.value == "" and chart.layout.display != "none"
    assert "Start year FY2020; End year FY2024" in chart.value
    boxes["start"].value = "2022"
    assert message.value == "" and "Start year FY2022" in chart.value
    assert sliders["start"].value == 2022
    boxes["start"].value = "2020.5"
    boxes["end"].value = "FY2030"
    assert "not a whole number" in message.value and "must be between" in message.value
    assert chart.layout.display == "none"


def test_mimebundle_offers_widget_png_and_plain_text(monkeypatch):
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "1")  # the bundle, not its frames, is under test
    bundle = make().mimebundle()
    assert WIDGET_MIME in bundle
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert "interactive(" not in bundle["text/plain"] and "What-if" in bundle["text/plain"]


def test_scenarios_table_low_base_high():
    table = make(
        params=[
            Param(
                name="aidc_growth",
                label="AIDC growth",
                min=0,
                max=40,
                step=5,
                default=20,
                unit="%/yr",
                low=10,
                high=30,
            ),
            Param(
                name="rest_growth",
                label="Rest",
                min=0,
                max=10,
                step=2.5,
                default=5,
                unit="%/yr",
                low=7.5,
                high=2.5,
            ),
            Param(name="target_share", label="Target", min=15, max=25, step=5, default=20, unit="%"),
        ]
    ).scenarios()
    assert list(table["Scenario"]) == ["Low", "Base", "High"]
    assert list(table["AIDC growth"]) == ["10 %/yr", "20 %/yr", "30 %/yr"]
    assert table.loc[1, "Target reached"].startswith("FY2030")
    assert table.loc[0, "Target reached"].startswith("not by")


def test_too_many_frames_is_refused():
    with pytest.raises(ValueError, match="too many"):
        make(
            params=[
                Param(name="aidc_growth", label="A", min=0, max=40, step=1, default=20),
                Param(name="rest_growth", label="R", min=0, max=10, step=1, default=5),
            ]
        )
    assert MAX_FRAMES >= 100


def _frame_images(box) -> list[bytes]:
    """The image of every frame in a what-if widget, in grid order."""
    stack = box.children[len(box.children) - 2]
    found = [re.search(r'src="data:image/webp;base64,([^"]+)"', f.value) for f in _leaves(stack)]
    return [base64.b64decode(m.group(1)) for m in found]


def test_every_frame_has_the_same_size_so_the_chart_does_not_jump(built):
    import io

    from PIL import Image as PILImage

    w, box = built
    sizes = {PILImage.open(io.BytesIO(png)).size for png in _frame_images(box)}
    assert len(sizes) == 1, sizes
    margins = w.frame_margins()
    assert 0 < margins["left"] < margins["right"] < 1 and 0 < margins["bottom"] < margins["top"] < 1


def test_frames_with_an_equal_key_are_drawn_once_and_shared(monkeypatch):
    monkeypatch.setenv("CASEBOOK_FRAME_WORKERS", "1")  # count the renders in this process
    calls = []

    def render(result, values):
        calls.append(dict(values))
        return small_chart(result, values)

    # every target share gives the same key: one frame per (aidc, rest) pair
    w = WhatIf(
        "t",
        make().params,
        aidc_share_path,
        render,
        share_summary,
        frame_key=lambda v, _result: (v["aidc_growth"], v["rest_growth"]),
    )
    box = w.widget()
    leaves = list(_leaves(box.children[len(box.children) - 2]))
    assert len(leaves) == len(grid(w.params)) == 18
    assert len({id(f) for f in leaves}) == 9  # 3 x 3 distinct frames, each shown for both targets
    assert len(calls) == 9 + 3  # the frames, plus the three layouts that fix the margins


def test_a_kits_kernel_draws_only_the_chart_on_screen(monkeypatch):
    """``CASEBOOK_LIVE_ONLY`` (a kit's set-up cell sets it): no precomputed frames; the live row
    shows the base case at once and redraws when a slider moves."""
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "yes")  # any value but "" or "0"
    calls = []

    def render(result, values):
        calls.append(dict(values))
        return small_chart(result, values)

    w = WhatIf("t", make().params, aidc_share_path, render, share_summary)
    box = w.widget()
    assert "casebook-whatif" in box._dom_classes
    assert not [c for c in box.children if isinstance(c, widgets.Stack)], "frames were precomputed"
    assert len(calls) == 3 + 1  # the three layouts that fix the margins, then the base case's chart
    row = box.children[-1]
    chart, sliders = row._casebook_chart, row._casebook_controls
    assert chart.layout.display != "none" and row._casebook_message.value == ""
    shown = re.sub(r"<[^>]+>", "", re.search(r'casebook-readout">(.*?)</div>', chart.value).group(1))
    assert shown.endswith(w.readout(w.defaults))
    base = _chart_image(chart)
    sliders["aidc_growth"].value = 40
    assert "AIDC growth 40 %/yr" in chart.value and _chart_image(chart) != base
    assert len(calls) == 5 and calls[-1]["aidc_growth"] == 40
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "0")  # "0" means off: the book's frames again
    assert [c for c in w.widget().children if isinstance(c, widgets.Stack)]


def test_worker_processes_render_the_same_frames_as_one_process(monkeypatch, built):
    alone = _frame_images(built[1])  # drawn in one process (CASEBOOK_FRAME_WORKERS=1)
    monkeypatch.setenv("CASEBOOK_FRAME_WORKERS", "2")
    pooled = _frame_images(make().widget())
    assert len(alone) == len(pooled) == 18
    assert alone == pooled


def test_a_failing_frame_in_a_worker_fails_loudly(monkeypatch):
    monkeypatch.setenv("CASEBOOK_FRAME_WORKERS", "2")

    def render(result, values):
        if values["aidc_growth"] == 20 and values["rest_growth"] == 0:  # not a layout frame
            raise RuntimeError("chart broke at 20/0")
        return small_chart(result, values)

    w = WhatIf(title="t", params=make().params, model=aidc_share_path, render=render, summary=share_summary)
    with pytest.raises(RuntimeError, match="chart broke at 20/0"):
        w.widget()


@pytest.mark.parametrize(("raw", "n"), [(None, 1), ("2", 2), ("0", 1), ("many", 1)])
def test_frame_workers_default_to_one(monkeypatch, raw, n):
    from dualwheel.page.whatif import frame_workers

    if raw is None:
        monkeypatch.delenv("CASEBOOK_FRAME_WORKERS", raising=False)
    else:
        monkeypatch.setenv("CASEBOOK_FRAME_WORKERS", raw)
    assert frame_workers() == n


# ---- conclusions a manager draws (issue 23 §5) -------------------------------------------------


def _reached(s, values) -> str:
    return "target reached" if s.path["aidc_share_pct"].iloc[-1] >= values["target_share"] else "target missed"


def test_outcomes_list_each_conclusion_the_grid_reaches_with_its_first_point():
    w = make(conclusion=_reached)
    found = w.outcomes()
    assert set(found) == {"target reached", "target missed"}
    for words, values in found.items():
        assert _reached(w.compute(**values), values) == words
    assert make().outcomes() == {}  # no conclusion given: nothing to list


def test_a_whatif_whose_ranges_fix_its_answer_reaches_one_conclusion():
    fixed = make(conclusion=lambda s, v: "target missed" if v["target_share"] > 90 else "any answer")
    assert list(fixed.outcomes()) == ["any answer"]


def test_a_shown_whatif_records_its_outcomes_in_the_output_metadata(monkeypatch):
    monkeypatch.setenv("CASEBOOK_LIVE_ONLY", "1")  # the bundle, not its frames, is under test
    from dualwheel.page.whatif import OUTCOMES_KEY

    _, meta = make(conclusion=_reached)._bundle()
    assert meta[OUTCOMES_KEY]["title"] == "test"
    assert sorted(meta[OUTCOMES_KEY]["outcomes"]) == ["target missed", "target reached"]
    assert meta["image/png"]["label_overlaps"] == []
    assert make()._bundle()[1][OUTCOMES_KEY]["outcomes"] == []
