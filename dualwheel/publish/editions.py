"""The book's editions besides the instructor edition (``_build/html``), and which pages each holds.

``student``
    The student edition, ``_build/student``: no instructor pages, notes or solutions, and no
    B-case. The B-case is the part of ``_toc.yml`` captioned ``After the case`` ("what happened
    next"): it reports results and events after the decision date, so students must not read it
    before the decision class.
``student-with-bcase``
    The same edition with the B-case (``python -m dualwheel.publish student --with-bcase``,
    ``make student BCASE=1``), in a folder of its own, ``_build/student-with-bcase``, so the
    default student edition and its bundle can never pick it up by accident.
``after-class``
    The B-case alone, as a small student-edition book whose first page is the B-case
    (``_build/after-class``); ``make bundle`` packs it as the after-class bundle.

Each edition is the same book root built with a generated ``_config.yml`` and ``_toc.yml``
(written under ``_build/``). The config tells the Sphinx extension which pages the edition
leaves out (``casebook_left_out``: references to them become plain text, stale outputs of
them are deleted) and whether it shows the B-case (``casebook_bcase``: the ``{bcase}`` role and
``bcase-only`` blocks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import ROOT, _build, toc_files

#: The part of ``_toc.yml`` that is the B-case: the student edition leaves its pages out.
AFTER_CLASS_PART = "After the case"

#: A page whose first line is a label ending in "-instructors" (e.g. ``(book-instructors)=``)
#: belongs to the instructor edition only: the student edition's table of contents leaves it out.
INSTRUCTOR_PAGE = re.compile(r"\A(?:---\n.*?\n---\n)?\s*\([\w-]+-instructors\)=", re.S)


def _toc(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))


def docname(path: Path, root: Path = ROOT) -> str:
    """A page's name as Sphinx and ``_toc.yml`` write it: ``book/epilogue``."""
    return path.relative_to(root).with_suffix("").as_posix()


def bcase_files(root: Path = ROOT) -> list[Path]:
    """The B-case's pages: those of the ``_toc.yml`` part captioned :data:`AFTER_CLASS_PART`."""
    names = {
        c["file"]
        for part in _toc(root).get("parts", [])
        if part.get("caption") == AFTER_CLASS_PART
        for c in part.get("chapters", [])
    }
    return [p for p in toc_files(root) if docname(p, root) in names]


def is_instructor_page(path: Path) -> bool:
    return path.suffix == ".md" and bool(INSTRUCTOR_PAGE.match(path.read_text(encoding="utf-8")))


def student_files(root: Path = ROOT, with_bcase: bool = False) -> list[Path]:
    """The pages of the student edition, in table-of-contents order: no instructor pages, and
    no B-case unless ``with_bcase``."""
    bcase = set(bcase_files(root))
    return [p for p in toc_files(root) if not is_instructor_page(p) and (with_bcase or p not in bcase)]


def bcase_title(path: Path) -> str:
    """A page's title: its first ``# `` heading, as written."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


@dataclass(frozen=True)
class Edition:
    """One student-side edition: where it is built and what it holds."""

    name: str
    with_bcase: bool
    only_bcase: bool = False

    @property
    def root(self) -> Path:
        return ROOT / "_build" / self.name

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def pdf_name(self) -> str:
        return f"alibaba-dual-wheel-casebook-{self.name}.pdf"

    @property
    def pdf(self) -> Path:
        return self.root / "_build" / "latex" / self.pdf_name

    def files(self, root: Path = ROOT) -> list[Path]:
        """The pages this edition holds, in table-of-contents order."""
        if self.only_bcase:
            return bcase_files(root)
        return student_files(root, with_bcase=self.with_bcase)

    def left_out(self, root: Path = ROOT) -> list[str]:
        """The book's pages this edition leaves out, as docnames."""
        kept = set(self.files(root))
        return [docname(p, root) for p in toc_files(root) if p not in kept]


STUDENT = Edition("student", with_bcase=False)
STUDENT_WITH_BCASE = Edition("student-with-bcase", with_bcase=True)
AFTER_CLASS = Edition("after-class", with_bcase=True, only_bcase=True)
EDITIONS = {e.name: e for e in (STUDENT, STUDENT_WITH_BCASE, AFTER_CLASS)}

STUDENT_ROOT = STUDENT.root
STUDENT_HTML = STUDENT.html
STUDENT_PDF_NAME = STUDENT.pdf_name
STUDENT_PDF = STUDENT.pdf


def _write_yaml(source: str, edition: Edition, data: dict) -> Path:
    """Write the edition's copy of ``source`` (e.g. ``_build/_config-student.yml``); left
    untouched when unchanged, so its timestamp stays."""
    path = ROOT / "_build" / f"{source[:-4]}-{edition.name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# Generated by dualwheel.publish for the {edition.name} edition; edit {source} instead.\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def edition_config(edition: Edition = STUDENT) -> Path:
    """``_config.yml`` with the Sphinx config values of the edition (``casebook_edition:
    student``, the pages left out, whether the B-case shows), written beside the book (Jupyter
    Book resolves the config's paths from the book's root)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["casebook_edition"] = "student"
    sphinx["casebook_bcase"] = edition.with_bcase
    sphinx["casebook_bcase_pages"] = [docname(p) for p in bcase_files()]
    sphinx["casebook_left_out"] = edition.left_out()
    # each edition's PDF has a name of its own, so they are never mixed up
    config.setdefault("latex", {}).setdefault("latex_documents", {})["targetname"] = edition.pdf_name.replace(
        ".pdf", ".tex"
    )
    return _write_yaml("_config.yml", edition, config)


def edition_toc(edition: Edition = STUDENT) -> Path:
    """``_toc.yml`` with only the edition's pages (and no part left empty), written beside the
    book; with ``only_build_toc_files`` the edition then never reads the others. The
    after-class edition's first page is the B-case's first page."""
    toc = _toc()
    keep = {docname(p) for p in edition.files()}
    if edition.only_bcase:
        first, *rest = [docname(p) for p in edition.files()]
        toc = {"format": toc["format"], "root": first}
        if rest:
            toc["chapters"] = [{"file": name} for name in rest]
        return _write_yaml("_toc.yml", edition, toc)
    parts = []
    for part in toc.get("parts", []):
        chapters = [c for c in part.get("chapters", []) if c["file"] in keep]
        if chapters:
            parts.append({**part, "chapters": chapters})
    if "parts" in toc:
        toc["parts"] = parts
    return _write_yaml("_toc.yml", edition, toc)


def edition_args(edition: Edition = STUDENT) -> list[str]:
    """Jupyter Book options of every build of the edition: its own output folder, config and
    table of contents."""
    return [
        "--path-output",
        str(edition.root),
        "--config",
        str(edition_config(edition)),
        "--toc",
        str(edition_toc(edition)),
    ]


def student_config() -> Path:
    return edition_config(STUDENT)


def student_toc() -> Path:
    return edition_toc(STUDENT)


def student_args() -> list[str]:
    return edition_args(STUDENT)


def build_edition(edition: Edition, force: bool = False) -> int:
    """Build the edition's HTML (strict, parallel execution first), unless no input changed."""
    if edition.only_bcase and not edition.files():
        print(f"build: _toc.yml has no part captioned {AFTER_CLASS_PART!r}: no B-case to build")
        return 1
    code = _build(
        edition.name,
        edition.html / "index.html",
        parallel=True,
        force=force,
        builder="html",
        extra=edition_args(edition),
    )
    if code == 0:
        print(f"build: {edition.name} edition in {edition.html.relative_to(ROOT)}")
    return code


def build_student(force: bool = False, with_bcase: bool = False) -> int:
    """The student edition: the same book without the instructor sections and solutions
    (Sphinx config value ``casebook_edition = "student"``, see :mod:`dualwheel.publish.sphinxext`)
    and, unless ``with_bcase``, without the B-case."""
    return build_edition(STUDENT_WITH_BCASE if with_bcase else STUDENT, force=force)


def build_after_class(force: bool = False) -> int:
    """The B-case alone, as a student-edition book (``_build/after-class``)."""
    return build_edition(AFTER_CLASS, force=force)
