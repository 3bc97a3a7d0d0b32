"""A chapter to take away: one zip that runs on a student's own machine (issue 17).

A chapter's ``.ipynb`` alone cannot run: its first code cell imports this package and its
exhibits read ``data/``. So each executable page (the chapters, the epilogue, "Working with the
data") also offers a *kit*, a zip with everything the notebook needs and nothing else:

    ch03-company-overview/
        README.md                       how to run it, in four commands
        requirements.txt                the runtime packages, pinned as in requirements.lock
        book/ch03-company-overview.ipynb  executed, numbers filled in, a set-up cell first
        data/                           every table and its metadata
        exercises/ch03.yml              the chapter's question bank (student kit: self-checks only;
                                        a page with a bank named like it takes that one)
        dualwheel/                      the helper package: the modules a page imports, no build or grader code

The notebook sits in ``book/`` as in the repository, so its ``pd.read_csv("../data/...")``
lines work unchanged; its set-up cell puts the kit's folder on ``sys.path``. The student kit's
question bank keeps only the self-checks, whose answers the page carries anyway: no graded
answer leaves in it. ``data/`` holds only the files the metadata names. ``tests/book/test_kit.py``
runs every kit in a fresh virtual environment that has only ``requirements.txt``.

Written with the standard library's ``zipfile``, entries sorted and dated 1980-01-01, so the
same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path

import nbformat
import yaml

from . import ROOT

#: What a kit's notebook imports, directly or through the package. Versions come from
#: requirements.lock, the one place pins live.
RUNTIME = ("pandas", "numpy", "matplotlib", "pillow", "PyYAML", "ipywidgets", "ipykernel", "nbclient")
#: Never shipped: the publishing package (dualwheel/publish) (it needs Sphinx and the execution cache) and the grader's own code.
SKIP_PARTS = {"__pycache__", "publish"}
#: Never in a student kit, even though the bank loader a page uses imports it: the functions
#: only the graded answer keys call (``dualwheel/grading/keys.py``). An instructor kit ships it,
#: since its page prints the solutions.
GRADING_ONLY = ("grading/keys.py",)
EPOCH = (1980, 1, 1, 0, 0, 0)

SETUP_CELL = """\
# Set-up for the downloaded kit: find the folder that holds the helper package `dualwheel`
# (one folder up from this notebook) and let Python import from it.
import os
import sys
from pathlib import Path

os.environ.setdefault("CASEBOOK_LIVE_ONLY", "1")  # this kernel redraws each chart as you move a slider
kit = next((p for p in (Path.cwd(), *Path.cwd().parents) if (p / "dualwheel").is_dir()), Path.cwd().parent)
sys.path.insert(0, str(kit))"""

README = """\
# {title}: {chapter}

This folder runs the page on your own computer, without the book's repository. It was tested
with Python 3.11.

1. In this folder, make a virtual environment and install the requirements:

       python3 -m venv .venv                     # Windows: py -3.11 -m venv .venv
       .venv/bin/pip install -r requirements.txt  # Windows: .venv\\Scripts\\pip install -r requirements.txt

2. Open `book/{stem}.ipynb` in JupyterLab, Jupyter Notebook or VS Code and run all cells with
   the `.venv` Python. If you have no Jupyter yet: `.venv/bin/pip install jupyterlab`, then
   `.venv/bin/jupyter lab` (Windows: `.venv\\Scripts\\jupyter lab`). If you use a Jupyter
   installed elsewhere, first make the `.venv` Python one of its kernels:
   `.venv/bin/python -m ipykernel install --user --name dualwheel-kit`, then pick
   "dualwheel-kit". The sliders and exact-value boxes of each what-if redraw its chart.
3. Or run it without a browser, keeping the results in the notebook:
   `.venv/bin/jupyter execute --inplace book/{stem}.ipynb`.

The notebook already holds its outputs, so it also reads without running. Keep the folders
together: the notebook's first code cell finds the helper package `dualwheel` one folder up,
and its "Do it yourself" cells read `../data/*.csv`. The helper package is not on the Python
package index: it comes in this folder.

Every table in `data/` names its source in `data/metadata.yml` and `data/meta/`.
"""


class KitError(RuntimeError):
    """A kit that cannot be made (a pin missing from requirements.lock, a bad bank)."""


@functools.cache  # per process: a build asks once a page, and these inputs do not change meanwhile
def requirements() -> str:
    """``requirements.txt`` of a kit: the runtime packages with requirements.lock's pins."""
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = f"{m.group(1)}=={m.group(2)}"
    missing = [n for n in RUNTIME if n.lower() not in pins]
    if missing:
        raise KitError(f"requirements.lock pins no version of {', '.join(missing)}")
    return "\n".join(pins[n.lower()] for n in RUNTIME) + "\n"


def student_bank(text: str, where: str) -> str:
    """A question bank with only its self-checks (their answers travel in the page anyway)."""
    from ..data import safe_load_yaml

    try:
        bank = safe_load_yaml(text)
        bank["questions"] = [q for q in bank["questions"] if "self_check" in q.get("use", [])]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise KitError(f"{where}: not a question bank ({exc})") from None
    head = "# The chapter's self-checks (graded exercises come from your instructor).\n"
    return head + yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=100)


def kit_notebook(notebook: str) -> str:
    """The download notebook with the kit's set-up cell before its first code cell."""
    nb = nbformat.reads(notebook, as_version=4)
    first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    cell = nbformat.v4.new_code_cell(SETUP_CELL, id="kit-setup")
    cell.metadata["tags"] = ["kit-setup"]
    nb.cells.insert(first, cell)
    nbformat.validate(nb)
    return nbformat.writes(nb)


def _imports(path: Path, package: Path) -> set[Path]:
    """The package modules one module imports (relative or ``dualwheel.`` imports)."""
    import ast

    found: set[Path] = set()
    here = path.parent
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
                parts = (node.module or "").split(".") if node.module else []
            elif (node.module or "").split(".")[0] == package.name:
                base, parts = package.parent, node.module.split(".")
            else:
                continue
            target = base.joinpath(*parts)
            names = [target / f"{a.name}.py" for a in node.names] + [
                target.with_suffix(".py"),
                target / "__init__.py",
            ]
            found |= {n for n in names if n.is_file()}
    return found


#: A chapter package's own part of the B-case (``dualwheel/chapters/ch07_lessons/bcase.py``):
#: only the B-case's page imports it, and its names tell what happened after the decision date.
BCASE_PART = "bcase"


def bcase_modules() -> tuple[str, ...]:
    """The chapter modules of the B-case's pages (``dualwheel/chapters/epilogue.py`` for
    ``book/epilogue.md``) and the chapter packages' B-case parts (:data:`BCASE_PART`): a kit of
    an edition without the B-case leaves them out."""
    from .editions import bcase_files

    return tuple(sorted({BCASE_PART, *(p.stem.replace("-", "_") for p in bcase_files())}))


@functools.cache
def _package_files(without: tuple[str, ...] = (), keys: bool = False) -> tuple[Path, ...]:
    """The package as a page needs it: every module outside ``build/`` and ``grading/``, plus
    the grading modules they import (the question bank, its text and the number parser), and
    the chart style. The grader itself (sandbox, runner, batch...) stays home, and so do the
    key-only functions (:data:`GRADING_ONLY`) unless ``keys`` (an instructor kit). The chapter
    modules named in ``without`` (the B-case's, :func:`bcase_modules`) stay home too, unless
    a module that goes imports them."""
    package = ROOT / "dualwheel"
    grading_only = {package / p for p in GRADING_ONLY}

    def left_out(p: Path) -> bool:
        parts = p.relative_to(package).parts
        return len(parts) >= 2 and parts[0] == "chapters" and any(Path(q).stem in without for q in parts[1:])

    wanted = {
        p
        for p in package.rglob("*.py")
        if not SKIP_PARTS & set(p.relative_to(package).parts)
        and "grading" not in p.relative_to(package).parts
        and not left_out(p)
    }
    todo = list(wanted)
    while todo:
        for module in _imports(todo.pop(), package):
            if module in grading_only and not keys:
                continue
            if module not in wanted and not SKIP_PARTS & set(module.relative_to(package).parts):
                wanted.add(module)
                todo.append(module)
    wanted |= set(package.rglob("*.mplstyle"))
    grading_init = package / "grading" / "__init__.py"
    if any("grading" in p.relative_to(package).parts for p in wanted) and grading_init.exists():
        wanted.add(grading_init)
    return tuple(sorted(wanted))


@functools.cache
def _data_files() -> tuple[Path, ...]:
    """``data/``: the metadata and the tables it names, nothing else that may lie in the folder."""
    from .. import data

    folder = ROOT / "data"
    files = [folder / "metadata.yml", *sorted((folder / "meta").glob("*.yml"))]
    files += [folder / data.table_meta(name).file for name in data.table_names()]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise KitError(f"data files named by the metadata are missing: {', '.join(map(str, missing))}")
    return tuple(sorted(set(files)))


def kit_files(source: Path, notebook: str, edition: str, bcase: bool = True) -> dict[str, bytes]:
    """Every file of a chapter's kit, by its path inside the zip (``stem/...``); without the
    B-case's modules when the edition leaves the B-case out (``bcase=False``)."""
    stem = source.stem
    # a chapter also takes its question bank, and so does a lettered page whose bank is named
    # like it (book/reading-numbers.md: exercises/reading-numbers.yml, self-checks only)
    number = re.match(r"ch(\d+)", stem)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    chapter = nbformat.reads(notebook, as_version=4).cells
    heading = next(
        (
            c.source.lstrip("# ").splitlines()[0]
            for c in chapter
            if c.cell_type == "markdown" and c.source.startswith("# ")
        ),
        stem,
    )
    files: dict[str, bytes] = {
        "README.md": README.format(title=config["title"], chapter=heading, stem=stem).encode(),
        "requirements.txt": requirements().encode(),
        f"book/{stem}.ipynb": kit_notebook(notebook).encode(),
    }
    if bcase:
        for path in _data_files():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    else:  # before the decision class: no B-case table, no source only it needs
        from .student_data import student_files

        for rel, payload in student_files().items():
            files[f"data/{rel}"] = payload
    bank = ROOT / "exercises" / (f"ch{int(number.group(1)):02d}.yml" if number else f"{stem}.yml")
    if bank.exists():
        text = bank.read_text(encoding="utf-8")
        if edition == "student":
            text = student_bank(text, str(bank.relative_to(ROOT)))
        files[bank.relative_to(ROOT).as_posix()] = text.encode()
    for path in _package_files(() if bcase else bcase_modules(), keys=edition != "student"):
        files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    return {f"{stem}/{name}": data for name, data in sorted(files.items())}


def write_kit(source: Path, notebook: str, edition: str, target: Path, bcase: bool = True) -> Path:
    """Write a chapter's kit to ``target`` (a .zip), only if its bytes changed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in kit_files(source, notebook, edition, bcase).items():
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    payload = buffer.getvalue()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != payload:
        tmp = target.with_suffix(".zip.tmp")
        tmp.write_bytes(payload)
        tmp.replace(target)
    return target


def manifest(path: Path) -> list[str]:
    """The names inside a kit (for tests and the curious)."""
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()
