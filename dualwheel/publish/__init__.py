"""Build the casebook: execute the chapters in parallel, then run a strict Jupyter Book build.

Jupyter Book 1 executes notebooks one after another. This module first runs every chapter
that is not yet in the execution cache through jupyter-cache's parallel executor (one
process per core), then hands over to ``jupyter-book build``, which finds every notebook
already cached and only renders. The build is strict: a failing cell, a Sphinx warning or
anything a chapter prints to stderr fails it.

    python -m dualwheel.publish html        # the HTML book in _build/html
    python -m dualwheel.publish pdf         # both PDFs: instructor (_build/latex) and student
    python -m dualwheel.publish student     # the student edition's HTML in _build/student (no B-case)
    python -m dualwheel.publish student --with-bcase   # ...with the B-case, after class
    python -m dualwheel.publish after-class # the B-case alone, for the after-class bundle
    python -m dualwheel.publish lab         # the chapters as notebooks for JupyterLab (make lab)
    python -m dualwheel.publish bundle      # the offline course bundles (zips) in _build/bundles
    python -m dualwheel.publish execute     # only (re-)execute changed chapters
    python -m dualwheel.publish all         # every edition and the bundles, two builds at a time
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "_build" / ".jupyter_cache"
PDF_NAME = "alibaba-dual-wheel-casebook.pdf"
READER = {"name": "myst_nb_md", "type": "plugin"}


def toc_files(root: Path = ROOT) -> list[Path]:
    """Every page listed in ``_toc.yml``, root first, as paths to existing files."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]
    for part in toc.get("parts", []):
        names += [c["file"] for c in part.get("chapters", [])]
    names += [c["file"] for c in toc.get("chapters", [])]
    out = []
    for name in names:
        for suffix in (".md", ".ipynb"):
            p = root / f"{name}{suffix}"
            if p.exists():
                out.append(p)
                break
        else:
            raise FileNotFoundError(f"_toc.yml lists {name!r}, but neither {name}.md nor .ipynb exists")
    return out


def notebooks(root: Path = ROOT, pages: list[Path] | None = None) -> list[Path]:
    """The pages that are executable notebooks (MyST Markdown with a kernelspec header): of the
    whole book, or of ``pages`` (an edition's, e.g. ``STUDENT.files()``)."""
    pages = toc_files(root) if pages is None else pages
    return [p for p in pages if p.suffix == ".ipynb" or "kernelspec:" in p.read_text("utf-8")[:600]]


DEPS_STAMP = ROOT / "_build" / ".casebook-deps"


def write_stamp(path: Path, text: str) -> None:
    """Write a stamp whole or not at all, and only when it changes: two builds running side by
    side (``python -m dualwheel.publish all``) may read it while the other writes it, and a
    half-written stamp would look like a changed input (and re-execute every chapter)."""
    try:
        if path.read_text() == text:
            return
    except OSError:
        pass
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_text(text)
    os.replace(part, path)


def dependency_hash(root: Path = ROOT) -> str:
    """Hash of what chapters depend on besides their own code: the package, data/, exercises/.

    jupyter-cache keys a notebook on its own code cells only, so a changed chart function or
    CSV would otherwise leave stale outputs in the book. The build package itself
    (``dualwheel/publish``) is left out: no chapter imports it, and an edit to the build must not
    re-execute every chapter.
    """
    h = hashlib.sha256()
    for folder, pattern in (
        ("dualwheel", "*.py"),
        ("dualwheel", "*.mplstyle"),
        ("data", "*"),
        ("exercises", "*.yml"),
    ):
        for path in sorted((root / folder).rglob(pattern)):  # subpackages and data/meta too
            rel = path.relative_to(root)
            if "__pycache__" in rel.parts or rel.parts[:2] == ("dualwheel", "publish"):
                continue
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def execute(timeout: int = 600, force: bool = False) -> int:
    """Execute uncached chapters in parallel (one process per core) into the build cache.

    Returns the number of notebooks that failed.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    deps = dependency_hash()
    if not force and DEPS_STAMP.exists() and DEPS_STAMP.read_text() != deps:
        print("execute: the package, data/ or exercises/ changed; re-executing every chapter")
        force = True
    cache = get_cache(str(CACHE))
    uris = []
    for path in notebooks():
        record = cache.add_nb_to_project(str(path), read_data=READER)
        uris.append(record.uri)
    stale = [u for u in uris if force or not DEPS_STAMP.exists() or _needs_run(cache, u)]
    if not stale:
        print(f"execute: all {len(uris)} notebooks are cached")
        write_stamp(DEPS_STAMP, deps)
        return 0
    for uri in stale:  # the parallel executor skips cached notebooks, so drop stale outputs first
        record = cache.get_cached_project_nb(uri)
        if record is not None:
            cache.remove_cache(record.pk)
    print(f"execute: running {len(stale)} of {len(uris)} notebooks in parallel")
    # the kernels started here are ours: let them render what-if frames on every core too, so
    # the longest chapter does not hold up the build (dualwheel.page.whatif.frame_workers)
    os.environ.setdefault("CASEBOOK_FRAME_WORKERS", str(os.cpu_count() or 1))
    start = time.perf_counter()
    executor = load_executor("local-parallel", cache=cache)
    result = executor.run_and_cache(filter_uris=stale, timeout=timeout, allow_errors=False)
    import logging
    import multiprocessing

    multiprocessing.get_logger().setLevel(logging.WARNING)  # jupyter-cache turned on its INFO chatter
    failed = [*result.excepted, *result.errored]
    for uri in failed:
        record = cache.get_project_record(uri)
        print(f"\nexecute: FAILED {Path(uri).relative_to(ROOT)}\n{record.traceback or ''}", file=sys.stderr)
    if not failed:
        write_stamp(DEPS_STAMP, deps)
    for uri in stale:  # make Sphinx re-read the pages whose outputs changed
        os.utime(uri)
    print(
        f"execute: done in {time.perf_counter() - start:.1f} s "
        f"({len(result.succeeded)} ok, {len(failed)} failed)"
    )
    return len(failed)


def _needs_run(cache, uri: str) -> bool:
    try:
        return cache.get_cached_project_nb(uri) is None
    except KeyError:
        return True


#: Everything a build reads. If none of it changed since the last successful build, the output
#: is up to date and the build is skipped, as make would.
INPUTS = ("book", "_assets", "dualwheel", "data", "exercises", "_config.yml", "_toc.yml", "requirements.lock")
#: The inputs Sphinx copies without noticing that they changed; and the build's own code, whose
#: Sphinx extension writes every page's downloads (notebook, kit) but is no input Sphinx watches.
ASSETS = ("_assets",)
BUILD_CODE = ("dualwheel/publish",)


def inputs_hash(root: Path = ROOT, names: tuple[str, ...] = INPUTS) -> str:
    """Hash of the names, sizes and modification times of build inputs (fast: no reads)."""
    h = hashlib.sha256()
    for name in names:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for p in paths:
            if "__pycache__" in p.parts:
                continue
            st = p.stat()
            h.update(f"{p.relative_to(root).as_posix()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _stamp(builder: str) -> Path:
    return ROOT / "_build" / f".casebook-{builder}-inputs"


def _stamped(builder: str) -> dict[str, str]:
    """What the last successful build of ``builder`` saw: {"inputs": hash, "assets": hash}."""
    try:
        return json.loads(_stamp(builder).read_text())
    except (OSError, ValueError):
        return {}


def up_to_date(builder: str, output: Path) -> bool:
    """True when ``output`` exists and no input changed since it was built successfully."""
    return output.exists() and _stamped(builder).get("inputs") == inputs_hash()


def jupyter_book(
    builder: str, extra: list[str] | None = None, env: dict[str, str] | None = None, root: Path = ROOT
) -> int:
    """Run a strict ``jupyter-book build`` with the given builder; return its exit status.

    It runs in this process (Jupyter Book's own command, called as a function): the
    execution step has already imported most of what it needs, which saves a second or
    two of start-up on every build. ``env`` is set for the build and restored after it.
    """
    from jupyter_book.cli.main import build

    args = [str(root), "--builder", builder, "-W", "-n", "--keep-going", *(extra or [])]
    print("build: jupyter-book build", " ".join(args), flush=True)
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    cwd = os.getcwd()
    os.chdir(root)
    try:
        build.main(args=args, prog_name="jupyter-book build", standalone_mode=False)
        return 0
    except SystemExit as exc:  # Jupyter Book exits with Sphinx's status
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # Jupyter Book raises RuntimeError with a message box on failure
        print(f"build: jupyter-book failed: {exc}", file=sys.stderr)
        return 1
    finally:
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _build(
    name: str,
    output: Path,
    parallel: bool,
    force: bool,
    builder: str | None = None,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> int:
    """Execute what changed (in parallel), then run the strict Jupyter Book build, unless no
    input changed since the last successful build of ``name``."""
    if not force and up_to_date(name, output):
        print(f"build: {output.relative_to(ROOT)} is up to date (no input changed since the last build)")
        return 0
    if parallel and execute():
        return 1
    # hashed after execution, which touches the chapters it re-ran (so Sphinx re-reads them);
    # an edit made while Sphinx runs still triggers the next build
    seen = {
        "inputs": inputs_hash(),
        "assets": inputs_hash(names=ASSETS),
        "build": inputs_hash(names=BUILD_CODE),
    }
    # Sphinx writes nothing, static files included, when no page changed: a new stylesheet or
    # script alone needs every page written again
    # ... and so does a change to the build's code (a page's kit is written with the page)
    before = _stamped(name)
    everything = (
        ["--all"] if seen["assets"] != before.get("assets") or seen["build"] != before.get("build") else []
    )
    code = jupyter_book(builder or name, [*(extra or []), *everything], env=env)
    if code == 0 and output.exists():
        write_stamp(_stamp(name), json.dumps(seen))
    return code


# The student-side editions (student, student with the B-case, after class) build through
# _build above, so they are imported once it exists.
from .editions import (  # noqa: E402
    AFTER_CLASS_PART,
    STUDENT,
    STUDENT_WITH_BCASE,
    build_after_class,
    build_student,
    edition_args,
)
from .editions import INSTRUCTOR_PAGE as INSTRUCTOR_PAGE  # noqa: E402
from .editions import STUDENT_HTML as STUDENT_HTML  # noqa: E402
from .editions import STUDENT_PDF as STUDENT_PDF  # noqa: E402
from .editions import STUDENT_PDF_NAME as STUDENT_PDF_NAME  # noqa: E402


def build_html(parallel: bool = True, force: bool = False) -> int:
    return _build("html", ROOT / "_build" / "html" / "index.html", parallel, force)


def missing_glyphs(log: Path) -> list[str]:
    """The characters XeLaTeX left out of a PDF because its font has no glyph for them, each as
    "ρ (U+03C1)", from the run's log (XeTeX says "Missing character: There is no ρ (U+03C1) in
    font ..." and goes on, so the PDF silently lacks the character). None if the log is absent."""
    if not log.exists():
        return []
    text = log.read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"Missing character: There is no (.+?) \((U\+[0-9A-F]{4,6})\)", text)
    return sorted({f"{ch} ({code})" for ch, code in found})


def build_pdf(
    parallel: bool = True,
    force: bool = False,
    editions: tuple[str, ...] = ("instructor", "student"),
    with_bcase: bool = False,
) -> int:
    """The PDFs: the instructor edition in ``_build/latex`` and the student edition (no
    instructor notes, no solutions, no B-case) in ``_build/student/_build/latex``; with
    ``with_bcase``, the student edition with the B-case in ``_build/student-with-bcase``."""
    code = 0
    for edition in editions:
        if edition == "instructor":
            pdf = ROOT / "_build" / "latex" / PDF_NAME
            code = _build("pdflatex", pdf, parallel, force)
        else:
            student = STUDENT_WITH_BCASE if with_bcase else STUDENT
            pdf, extra = student.pdf, edition_args(student)
            code = _build(f"{student.name}-pdf", pdf, parallel, force, builder="pdflatex", extra=extra)
        if code == 0 and not pdf.exists():
            print(f"build: the PDF builder finished but {pdf} is missing", file=sys.stderr)
            return 1
        lost = missing_glyphs(pdf.with_suffix(".log")) if code == 0 else []
        if lost:
            print(
                f"build: {pdf.name} drops {len(lost)} character(s) its fonts lack: {', '.join(lost)} "
                f"(see {pdf.with_suffix('.log').relative_to(ROOT)}; set a font that has them in "
                "_config.yml's latex_elements)",
                file=sys.stderr,
            )
            return 1
        if code:
            return code
        print(
            f"build: {edition}{' (with the B-case)' if with_bcase and edition == 'student' else ''} "
            f"PDF written to {pdf.relative_to(ROOT)}"
        )
    return code


BCASE_HELP = (
    "include the B-case (what happened after the decision date), to release it after the decision "
    "class; built in _build/student-with-bcase, so the default student edition never holds it"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dualwheel.publish",
        description="Build the casebook strictly (failing cells and Sphinx warnings are errors).",
    )
    sub = parser.add_subparsers(dest="target", required=True)
    for name, help_text in (
        ("html", "HTML book in _build/html"),
        ("pdf", f"both PDFs: _build/latex/{PDF_NAME} and the student edition's {STUDENT_PDF_NAME}"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "--serial", action="store_true", help="skip the parallel pre-execution (plain jupyter-book build)"
        )
        p.add_argument("--force", action="store_true", help="build even if no input changed")
        if name == "pdf":
            p.add_argument(
                "--edition", choices=("instructor", "student"), help="build only this edition's PDF"
            )
            p.add_argument(
                "--with-bcase", action="store_true", help=f"the student PDF with the B-case: {BCASE_HELP}"
            )
    lab = sub.add_parser(
        "lab", help="the chapters as notebooks for JupyterLab, numbers filled in: _build/lab/EDITION"
    )
    lab.add_argument("--edition", choices=("student", "instructor"), default="student")
    lab.add_argument(
        "--with-bcase", action="store_true", help="the student notebooks with the B-case (after class)"
    )
    st = sub.add_parser(
        "student",
        help="student edition (no instructor notes or solutions, no B-case) in _build/student/_build/html",
        description="Build the student edition: no instructor pages, notes or solutions, and no B-case "
        f"(the part of _toc.yml captioned {AFTER_CLASS_PART!r}, what happened after the decision date). "
        "After the decision class, --with-bcase builds it with the B-case.",
    )
    st.add_argument("--force", action="store_true", help="build even if no input changed")
    st.add_argument("--with-bcase", action="store_true", help=BCASE_HELP)
    ac = sub.add_parser(
        "after-class",
        help="the B-case alone, student edition, for the after-class bundle: _build/after-class/_build/html",
    )
    ac.add_argument("--force", action="store_true", help="build even if no input changed")
    bd = sub.add_parser(
        "bundle",
        help="offline course bundles for students, instructors and after class: _build/bundles/*.zip",
        description="Build the instructor, student and after-class editions if they are out of date, "
        "then write three zips that open offline by double-clicking index.html: the student bundle "
        "(student edition without the B-case, exercise releases, a start-here page), the instructor "
        "bundle (instructor edition, releases, solutions, otter autograders, a guide to the grading "
        "tool) and the after-class bundle (the B-case alone, with its notebook and kit, for after the "
        "decision class).",
    )
    bd.add_argument("--out", type=Path, help="output folder (default: _build/bundles)")
    bd.add_argument(
        "--no-build", action="store_true", help="package the editions as built; do not rebuild them"
    )
    ex = sub.add_parser("execute", help="execute changed chapters into the cache, in parallel")
    ex.add_argument("--force", action="store_true", help="re-execute every chapter")
    sub.add_parser(
        "all",
        help="every edition make test reads (HTML, both PDFs, student, after-class) and the bundles",
        description="Execute the chapters once, then build the editions in two lanes side by side "
        "(html and the instructor PDF; student, after-class and the student PDF), each step the same "
        "command as when run alone, then pack the bundles (make test).",
    )
    args = parser.parse_args(argv)
    if args.target == "execute":
        return 1 if execute(force=args.force) else 0
    if args.target == "all":
        from .lanes import build_all

        return build_all()
    if args.target == "student":
        return build_student(force=args.force, with_bcase=args.with_bcase)
    if args.target == "after-class":
        return build_after_class(force=args.force)
    if args.target == "bundle":
        from .bundle import BUNDLES
        from .bundle import main as bundle

        return bundle(args.out or BUNDLES, build_books=not args.no_build)
    if args.target == "lab":
        from .lab import LabError, write_lab

        try:
            write_lab(args.edition, with_bcase=args.with_bcase)
        except LabError as exc:
            print(f"lab: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.target == "html":
        return build_html(parallel=not args.serial, force=args.force)
    editions = (args.edition,) if args.edition else ("instructor", "student")
    return build_pdf(
        parallel=not args.serial, force=args.force, editions=editions, with_bcase=args.with_bcase
    )
