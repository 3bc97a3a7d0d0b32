"""The PDF, read back with pdftotext and rendered with pdftoppm."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml

from dualwheel.publish import toc_files
from dualwheel.publish.editions import STUDENT

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pdf_text(pdf_path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _flat(text: str) -> str:
    """Collapse whitespace and hyphenation so captions broken across lines still match."""
    text = unicodedata.normalize("NFKC", text)  # ligatures: "aﬀiliate" is "affiliate"
    flat = re.sub(r"\s+", " ", text.replace("-\n", "")).replace("’", "'")
    flat = re.sub(r" ?— ?", "—", flat)  # pdftotext drops the space after an em dash
    return re.sub(r"– ", "–", flat)  # a line may break after an en dash (FY2016–/FY2025)


def test_pdf_has_a_proper_name_and_title(pdf_path: Path):
    assert pdf_path.name == "alibaba-dual-wheel-casebook.pdf"
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, check=True, text=True).stdout
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert f"Title:           {title}" in info


def test_every_chapter_title_is_in_the_pdf(pdf_text: str, student: bool = False):
    flat = _flat(pdf_text)
    for page in STUDENT.files() if student else toc_files():  # no instructor page, no B-case
        title = next(
            line[2:].strip()
            for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("# ")
        )
        assert _flat(title) in flat, f"chapter title {title!r} missing from the PDF"


def test_every_exhibit_caption_is_in_the_pdf(pdf_text: str, executed_notebooks):
    flat = _flat(pdf_text)
    captions = []
    for nb in executed_notebooks.values():
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown", "")
                md = "".join(md) if isinstance(md, list) else md
                m = re.match(r"\*\*(Exhibit \d+\.\d+)(?: \(what-if\))?\.\*\* (.+)", md)
                if m:
                    captions.append((m.group(1), m.group(2).splitlines()[0]))
    assert len(captions) >= 5, "expected the chapters' exhibits in the executed notebooks"
    for label, title in captions:
        assert f"{label}" in flat, f"{label} missing from the PDF"
        assert _flat(title) in flat, f"caption of {label} ({title!r}) missing from the PDF"


def test_no_widget_or_html_object_junk(pdf_text: str):
    for junk in (
        "interactive(children",
        "IPython.core",
        "<IPython",
        "Stack(children",
        "VBox(",
        "SelectionSlider(",
        "application/vnd.jupyter",
        "Output()",
    ):
        assert junk not in pdf_text, f"the PDF prints {junk!r}"


def test_chinese_terms_survive(pdf_text: str):
    for term in (
        "双轮驱动",
        "企业概况",
        "业务体系",
        "收入结构",
        "分部收入合计",
        "合并收入",
        "菜鸟",
        "淘天集团",
    ):
        assert term in pdf_text, f"{term} missing from the PDF text"


def test_cjk_fonts_are_embedded(pdf_path: Path):
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, check=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, "no CJK font in the PDF"
    assert all(" yes " in line for line in cjk), "a CJK font is not embedded"


def test_whatif_prints_a_static_figure_and_scenario_table(pdf_text: str):
    flat = _flat(pdf_text)
    assert "Scenarios at a glance" in flat
    for label in ("Low", "Base", "High"):
        assert re.search(rf"\b{label}\b", flat)


def test_rendered_pages_are_not_blank(pdf_path: Path, tmp_path: Path):
    from PIL import Image, ImageStat

    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout,
        ).group(1)
    )
    assert pages >= 10
    picks = sorted({1, 2, pages // 2, pages - 1, pages})
    for n in picks:
        prefix = tmp_path / f"p{n}"
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", str(n), "-l", str(n), str(pdf_path), str(prefix)],
            check=True,
        )
        png = next(tmp_path.glob(f"p{n}*.png"))
        img = Image.open(png).convert("L")
        stat = ImageStat.Stat(img)
        dark = sum(1 for v in img.tobytes() if v < 128)
        assert stat.stddev[0] > 5, f"page {n} is blank"
        assert dark > 200, f"page {n} has almost no ink"


def test_chart_pages_carry_images(pdf_path: Path):
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    images = [line for line in out.splitlines()[2:] if line.strip()]
    assert len(images) >= 3, "expected the chapter charts as images in the PDF"


# ------------------------------------------------------------------ the student PDF, and print wording
@pytest.fixture(scope="module")
def student_pdf_text() -> str:
    from dualwheel.publish import STUDENT_PDF

    if not STUDENT_PDF.exists():
        pytest.fail(f"{STUDENT_PDF} is missing: build both PDFs first (make pdf)", pytrace=False)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(STUDENT_PDF), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def test_student_pdf_has_no_instructor_text_and_no_solutions(student_pdf_text: str):
    from dualwheel.grading.questions import all_banks

    flat = _flat(student_pdf_text)
    for marker in (
        "For instructors",
        "Timing plan",
        "Solutions to the graded exercises",
        "Suggested answers",
    ):
        assert marker not in flat, f"the student PDF prints {marker!r}"
    for bank in all_banks():
        for q in bank.graded_questions:
            if q.model_answer:
                assert _flat(" ".join(q.model_answer.split())[:50]) not in flat, q.id
    # the rest of the book is there: every chapter, its exhibits, the takeaways
    test_every_chapter_title_is_in_the_pdf(student_pdf_text, student=True)
    assert "Exhibit 3.1" in flat and "Key takeaways" in flat


def test_instructor_pdf_keeps_its_solutions(pdf_text: str):
    flat = _flat(pdf_text)
    assert "For instructors" in flat and "Solutions to the graded exercises" in flat


@pytest.mark.parametrize("which", ["instructor", "student"])
def test_pdfs_do_not_tell_readers_to_move_sliders(which: str, request):
    text = request.getfixturevalue("pdf_text" if which == "instructor" else "student_pdf_text")
    flat = _flat(text)
    for html_only in ("Move the sliders", "sliders that work in this page", "download button"):
        assert html_only not in flat, f"the {which} PDF says {html_only!r}"
    assert "On paper, each what-if exhibit prints its base case" in flat


#: A word broken twice in a row, letter group by letter group ("Trans-" / "ac-" / "tion"): what a
#: table column narrower than its words prints.
CHOPPED = re.compile(r"(?m)\b([A-Za-z]{1,8})-\n\s*([a-z]{1,4})-\n\s*([a-z]+)\b")


def test_chopped_words_are_found():
    assert CHOPPED.findall("Trans-\nac-\ntion") == [("Trans", "ac", "tion")]
    assert not CHOPPED.findall("cross-\nborder trade") and not CHOPPED.findall("one-\nstop-shop")


@pytest.mark.parametrize("which", ["instructor", "student"])
def test_no_table_column_hyphenates_a_word_letter_by_letter(which: str, request):
    """PDF tables get column widths from their cells (dualwheel.publish.sphinxext.column_widths):
    no word is broken more than once."""
    text = request.getfixturevalue("pdf_text" if which == "instructor" else "student_pdf_text")
    chopped = ["-".join(m) for m in CHOPPED.findall(text)]
    assert not chopped, f"the {which} PDF chops words: {chopped[:10]}"


def test_the_student_pdf_answers_only_the_self_checks_it_shows(student_pdf_text: str):
    """The answer key of each chapter lists only self-checks the chapter prints (issue 24 §6:
    Chapter 5's hidden self-checks had their answers printed)."""
    flat = re.sub(r"\s+", " ", student_pdf_text)
    shown = set(re.findall(r"Self-check (\d+\.\d+)\. ", flat))
    answered = set()
    for block in re.findall(r"Self-check answers\.(.*?)(?:Exhibit \d|Self-check \d|Discussion questions|Key takeaways|$)", flat):
        answered |= set(re.findall(r"(?:^|[•\-–] )(\d+\.\d+): ", block.strip()))
    assert answered, "no self-check answers found in the student PDF"
    assert answered <= shown, f"answers to self-checks the student PDF never shows: {sorted(answered - shown)}"


def test_source_urls_print_as_footnotes(pdf_text: str, executed_notebooks):
    """HTML source lines link short titles; the PDF prints each cited URL (as a footnote,
    broken anywhere by xurl rather than run past the column)."""
    from dualwheel import data
    from dualwheel.page.exhibits import SOURCES_KEY

    squashed = re.sub(r"\s+", "", pdf_text)
    cited = set()
    for nb in executed_notebooks.values():
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                rec = out.get("metadata", {}).get(SOURCES_KEY)
                if rec:
                    cited |= set(rec["ids"])
    urls = {data.sources()[s]["url"] for s in cited if data.sources()[s].get("url")}
    assert len(urls) > 20
    missing = [u for u in urls if re.sub(r"\s+", "", u) not in squashed]
    assert len(missing) <= len(urls) // 20, f"{len(missing)} cited URLs not printed in the PDF, e.g. {missing[:3]}"


@pytest.mark.parametrize("which", ["instructor", "student"])
def test_no_character_is_dropped_for_want_of_a_glyph(which: str, pdf_path: Path):
    """Greek, Cyrillic and symbols print: XeLaTeX's log of each PDF names no missing character
    (it drops one silently otherwise; the build fails on it too)."""
    from dualwheel.publish import STUDENT_PDF, missing_glyphs

    pdf = pdf_path if which == "instructor" else STUDENT_PDF
    log = pdf.with_suffix(".log")
    assert log.exists(), f"{log} is missing: build both PDFs first (make pdf)"
    assert missing_glyphs(log) == []
