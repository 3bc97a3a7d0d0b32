"""Page rules checked on the executed and built book (issue 23 §2, §5, §6; issue 24 §1, §6).

- every exhibit records its lesson, and in every chapter at least half are not "measurement";
- every what-if's sliders reach at least two conclusions (recorded when it is shown);
- no two text labels of a chart overlap (recorded with each chart);
- no raw URL is printed in the body text of a chapter page, and each source line still names
  every source it cites;
- no key phrase of a suggested answer appears in the student edition's page of its chapter;
- self-checks render in both editions, numbered in page order.

Run with ``-s`` to see the table of lesson shares the closing note quotes.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from page_rules import CHAPTERS, SELFCHECK_CALL, key_lines, student_part

from dualwheel.page.exhibits import LESSONS, SOURCES_KEY, short_title
from dualwheel.page.whatif import OUTCOMES_KEY

pytestmark = pytest.mark.built

ROOT = Path(__file__).resolve().parents[2]
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"
PAGES = [p.relative_to(ROOT).with_suffix("").as_posix() for p in CHAPTERS]
URL = re.compile(r"https?://|www\.\w")


def _outputs(nb: dict):
    for cell in nb["cells"]:
        yield from cell.get("outputs", [])


def lesson_shares(executed_notebooks: dict) -> dict[str, dict[str, int]]:
    """Chapter page -> lesson -> number of exhibits (``None`` for an exhibit with no lesson)."""
    table: dict[str, dict[str, int]] = {}
    for page in PAGES:
        counts: dict[str, int] = {}
        for out in _outputs(executed_notebooks[page]):
            rec = out.get("metadata", {}).get(SOURCES_KEY)
            if rec:
                key = str(rec.get("lesson"))
                counts[key] = counts.get(key, 0) + 1
        table[page] = counts
    return table


def _share_table(table: dict[str, dict[str, int]]) -> str:
    lines = ["| chapter | exhibits | not measurement | share | no lesson |", "| --- | ---: | ---: | ---: | ---: |"]
    for page, counts in table.items():
        n = sum(counts.values())
        strategic = sum(v for k, v in counts.items() if k not in ("measurement", "None"))
        share = f"{strategic / n:.0%}" if n else "-"
        lines.append(f"| {page.split('/')[-1][:4]} | {n} | {strategic} | {share} | {counts.get('None', 0)} |")
    return "\n".join(lines)


def test_every_exhibit_names_its_lesson_and_half_are_strategic(executed_notebooks):
    table = lesson_shares(executed_notebooks)
    report = _share_table(table)
    print("\nExhibits by lesson (issue 23 §2):\n" + report)
    bad = []
    for page, counts in table.items():
        n = sum(counts.values())
        assert n, f"{page}: no exhibit recorded"
        unknown = [k for k in counts if k not in LESSONS]
        if unknown:
            bad.append(f"{page}: {counts.get('None', 0)} exhibits without a lesson")
        strategic = sum(v for k, v in counts.items() if k in LESSONS and k != "measurement")
        if strategic * 2 < n:
            bad.append(f"{page}: {strategic} of {n} exhibits on a strategic lesson (< 50%)")
    assert not bad, "\n".join(bad) + "\n" + report


def test_every_whatif_reaches_at_least_two_conclusions(executed_notebooks):
    found, bad = 0, []
    for page, nb in executed_notebooks.items():
        for out in _outputs(nb):
            data, meta = out.get("data", {}), out.get("metadata", {})
            if "application/vnd.jupyter.widget-view+json" not in data:
                continue
            if "What-if:" not in str(data.get("text/plain", "")):
                continue
            found += 1
            rec = meta.get(OUTCOMES_KEY)
            if rec is None:
                bad.append(f"{page}: a what-if shown without its outcomes (rebuild)")
            elif len(rec["outcomes"]) < 2:
                bad.append(f"{page}: {rec['title']!r} reaches {rec['outcomes'] or 'no conclusion'}")
    assert found >= 7, f"only {found} what-ifs found"
    assert not bad, "what-ifs whose sliders cannot change the answer:\n" + "\n".join(bad)


def test_no_two_text_labels_of_a_chart_overlap(executed_notebooks):
    charts, checked, bad = 0, 0, []
    for page, nb in executed_notebooks.items():
        for out in _outputs(nb):
            if "image/png" not in out.get("data", {}):
                continue
            charts += 1
            meta = out.get("metadata", {}).get("image/png", {})
            if "label_overlaps" not in meta:
                continue
            checked += 1
            if meta["label_overlaps"]:
                bad.append(f"{page}: {str(meta.get('alt', ''))[:60]}: {meta['label_overlaps']}")
    assert checked >= 10, f"only {checked} charts carry the overlap check (rebuild)"
    assert checked == charts, f"{charts - checked} of {charts} charts were shown without the overlap check"
    assert not bad, "charts whose labels overlap:\n" + "\n".join(bad)


def _body_text(page_html: str) -> str:
    """The text a reader sees in the article body: no scripts, styles, attributes or folded
    widget state."""
    m = re.search(r'<article class="bd-article"[^>]*>(.*)</article>', page_html, re.S)
    body = m.group(1) if m else page_html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", htmllib.unescape(body))


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_url_in_the_body_text_and_source_lines_name_every_source(page, html_dir, executed_notebooks):
    text = _body_text((html_dir / f"{page}.html").read_text(encoding="utf-8"))
    urls = [text[max(0, m.start() - 40) : m.start() + 60] for m in URL.finditer(text)]
    assert not urls, f"{page}: {len(urls)} raw URLs in the body text, e.g. {urls[:3]}"
    for out in _outputs(executed_notebooks[page]):
        rec = out.get("metadata", {}).get(SOURCES_KEY)
        if rec:
            for sid in rec["ids"]:
                title = htmllib.unescape(short_title(sid)).rstrip("…")
                assert re.sub(r"\s+", " ", title) in text, f"{page}: {rec['exhibit']} does not name {sid!r}"


def _normalise(text: str) -> str:
    text = re.sub(r"[^\w\u4e00-\u9fff%.]+", " ", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)).strip()


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem[:4] for p in CHAPTERS])
def test_no_key_phrase_appears_in_the_student_page(path):
    page = STUDENT_HTML / "book" / f"{path.stem}.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: build the student edition (make student)", pytrace=False)
    text = _normalise(_body_text(page.read_text(encoding="utf-8")))
    keys = key_lines(path)
    assert keys, f"{path.name}: no '% key' lines in its teaching note"
    found = [f"{q}: {p!r}" for q, phrases in keys.items() for p in phrases if _normalise(p) in text]
    assert not found, f"{path.name}: the student page gives away suggested answers:\n" + "\n".join(found)


@pytest.mark.parametrize("edition", ["instructor", "student"])
def test_self_checks_render_in_both_editions_in_page_order(edition, html_dir):
    base = html_dir if edition == "instructor" else STUDENT_HTML
    bad = []
    for path, page in zip(CHAPTERS, PAGES, strict=True):
        built = base / f"{page}.html"
        if not built.exists():
            pytest.fail(f"{built} is missing: build the {edition} edition", pytrace=False)
        text = built.read_text(encoding="utf-8")
        rendered = re.findall(r'<div class="casebook-selfcheck"[^>]*\sid="selfcheck-([\w-]+)"', text)
        called = SELFCHECK_CALL.findall(student_part(path))
        if rendered != called:
            bad.append(f"{page}: the page calls {called}, the {edition} edition renders {rendered}")
        numbers = [int(n) for n in re.findall(r'casebook-sc-title"[^>]*>Self-check \d+\.(\d+)<', text)]
        if numbers != list(range(1, len(numbers) + 1)):
            bad.append(f"{page}: self-checks numbered {numbers} down the page")
    assert not bad, "\n".join(bad)


MATH_PAGES = [*PAGES, "book/decision"]


@pytest.mark.parametrize("page", MATH_PAGES, ids=[p.split("/")[-1][:8] for p in MATH_PAGES])
@pytest.mark.parametrize("edition", ["instructor", "student"])
def test_no_dollar_sign_is_read_as_maths(page, edition, html_dir):
    """No chapter or decision page has a maths span: the book has no formulas, so one is always
    a pair of dollar signs ("US$15 ... US$20") read as maths, which hides the text between them and
    breaks its links (table cells, source lines and notes escape "$")."""
    root = html_dir if edition == "instructor" else STUDENT_HTML
    path = root / f"{page}.html"
    if not path.exists():
        pytest.skip(f"{path} not built")
    page_html = path.read_text(encoding="utf-8")
    spans = [page_html[max(0, m.start() - 80) : m.start() + 120] for m in re.finditer(r'class="math[" ]', page_html)]
    assert not spans, f"{page} ({edition}): {len(spans)} maths spans, e.g. {spans[:2]}"
