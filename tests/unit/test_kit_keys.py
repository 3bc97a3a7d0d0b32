"""A student kit ships no function that returns a graded key (issue 24, the item review's kit leak).

A chapter's kit (``dualwheel.publish.kit``) carries the helper package a page imports. A
function there that a graded ``expr`` calls and no page calls would hand a student the answer
(``c4.mean_ks_by_mode(...)``): such functions live in ``dualwheel/grading/keys.py``, which the
grader imports and a student kit leaves out. The only graded-``expr`` functions a student kit
may ship are the shared calculators and those a student page itself calls, listed below with
the reason.
"""

from __future__ import annotations

import ast
import collections
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dualwheel import figures
from dualwheel.data import safe_load_yaml
from dualwheel.grading import keys
from dualwheel.grading.questions import EXERCISES_DIR, all_banks
from dualwheel.publish import ROOT, kit

#: Functions a graded ``expr`` calls that a student kit may ship, each because a student page
#: (or the exhibit code it runs) calls it: the item asks students to use the page's own tool.
PAGE_CALLS = {
    "cbec_row": "Chapter 1's customs series (market.py) reads its rows through it",
    "cbec_value": "Chapter 1's page and its Exhibit 1.2 call it (c1.cbec_value)",
    "published_growth": "Chapter 1's page glues the published growth rates with it",
    "implied_previous": "Chapter 1's exhibit code (market.py) computes Exhibit 1.2's implied bases with it",
    "landed_cost": "Chapter 1's landed-cost what-if and its exhibit call it (c1.landed_cost)",
    "tech_value": "Chapter 2's page reads the technology-investment table with it",
    "funnel": "Chapter 2's funnel what-if runs it (c2.funnel)",
    "fine_cap": "Chapter 7's page and its compliance what-if read the fine caps with it",
}


def _called(expr: str) -> set[str]:
    return {n.func.id for n in ast.walk(ast.parse(expr)) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


@functools.cache
def _raw_questions(pattern: str = "ch*.yml") -> tuple[dict, ...]:
    """The questions of the banks ``exercises/<pattern>`` as written (before any key is computed),
    read once for the module's tests (nothing here writes the banks)."""
    return tuple(
        q
        for path in sorted(EXERCISES_DIR.glob(pattern))
        for q in safe_load_yaml(path.read_text(encoding="utf-8"))["questions"]
    )


@functools.cache
def _graded_expr_functions() -> dict[str, set[str]]:
    """Function name -> the graded question ids whose expr calls it (shared calculators left out)."""
    found: dict[str, set[str]] = {}
    for q in _raw_questions():
        answer = q.get("answer")
        if "graded" not in q.get("use", ["graded"]) or not isinstance(answer, dict) or "expr" not in answer:
            continue
        for name in _called(str(answer["expr"])) - set(figures.SHARED):
            found.setdefault(name, set()).add(q["id"])
    return found


def _defined(files: dict[str, bytes]) -> dict[str, str]:
    """Top-level names (functions, classes, assignments) defined by the kit's Python files."""
    out: dict[str, str] = {}
    for name, payload in files.items():
        if not name.endswith(".py"):
            continue
        for node in ast.parse(payload.decode("utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                out[node.name] = name
            elif isinstance(node, ast.Assign):
                out.update({t.id: name for t in node.targets if isinstance(t, ast.Name)})
    return out


def _chapter_pages() -> list[Path]:
    return sorted(p for p in (ROOT / "book").glob("ch0*.md") if (EXERCISES_DIR / f"{p.name[:4]}.yml").exists())


NB = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def test_every_graded_expr_function_is_a_page_tool_or_a_grading_key():
    used = _graded_expr_functions()
    assert used, "no graded expr found"
    stray = {n: sorted(q) for n, q in used.items() if n not in PAGE_CALLS and n not in keys.names()}
    assert not stray, f"graded expr functions that are neither page tools nor in dualwheel/grading/keys.py: {stray}"
    # the list above stays honest: each is still named by a graded expr, and still called by a
    # page or by package code other than its own definition
    assert set(PAGE_CALLS) <= set(used), f"no graded expr calls {sorted(set(PAGE_CALLS) - set(used))}"
    pages = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md"))
    code = {p: p.read_text(encoding="utf-8") for p in (ROOT / "dualwheel").rglob("*.py") if "grading" not in p.parts}
    for name in PAGE_CALLS:
        on_page = re.search(rf"\b{name}\(", pages)
        in_code = any(len(re.findall(rf"\b{name}\(", text)) > len(re.findall(rf"def {name}\(", text)) for text in code.values())
        assert on_page or in_code, f"{name} is listed as a page tool, but no page or exhibit code calls it"


@pytest.mark.parametrize("page", _chapter_pages(), ids=lambda p: p.stem[:4])
def test_a_student_kit_ships_no_key_only_function(page):
    files = kit.kit_files(page, NB, "student", bcase=False)
    shipped = {name.split("/", 1)[1]: payload for name, payload in files.items()}
    assert "dualwheel/grading/keys.py" not in shipped
    assert "dualwheel/grading/questions.py" in shipped  # the page's self-checks still load
    defined = _defined(shipped)
    leaked = {n: defined[n] for n in _graded_expr_functions() if n in defined and n not in PAGE_CALLS}
    assert not leaked, f"{page.stem}'s student kit ships key-only functions: {leaked}"
    # and the kit's bank holds self-checks only
    bank = shipped[f"exercises/{page.name[:4]}.yml"].decode()
    assert "graded" not in re.findall(r"use: \[([^\]]*)\]", bank) and "use: [graded" not in bank


def test_an_instructor_kit_ships_the_keys_its_solutions_need():
    files = kit.kit_files(_chapter_pages()[0], NB, "instructor", bcase=True)
    assert any(n.endswith("/dualwheel/grading/keys.py") for n in files)


def test_a_student_kit_runs_its_self_checks_without_the_keys(tmp_path):
    """Unzipped alone, a student kit's package loads its bank (self-checks only) and cannot
    import the key-only functions; with the repository's package every graded key computes."""
    page = next(p for p in _chapter_pages() if p.name.startswith("ch05"))  # its self-check once used intl_value
    for name, payload in kit.kit_files(page, NB, "student", bcase=False).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    folder = tmp_path / page.stem
    probe = (
        "import sys; sys.path.insert(0, '.');"
        "import dualwheel, importlib.util as u;"
        "assert dualwheel.__file__.startswith(sys.argv[1]), dualwheel.__file__;"
        "assert u.find_spec('dualwheel.grading.keys') is None;"
        "from dualwheel.grading.questions import load_bank;"
        "b = load_bank('exercises/ch05.yml');"
        "assert b.questions and all(q.self_check and not q.graded for q in b.questions);"
        "import dualwheel.chapters.ch05_evolution as c5;"
        "assert not hasattr(c5, 'intl_value') and not hasattr(c5, 'implied_value_usd_m')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(folder)], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for bank in all_banks():  # the grader (and the otter and solutions outputs, from the same keys)
        for q in bank.graded_questions:
            if q.type == "numeric":
                assert all(v == v for _, v in q.variants) and q.answer == q.answer  # not NaN


def test_every_shared_calculator_is_used_outside_the_banks():
    """The shared calculators (``figures.SHARED``) ship in every kit and every bank may call them,
    so each must be one a page or the exhibit code uses: a calculator that only a graded ``expr``
    calls returns keys from the kit (the session-5 review found ``contribution()`` there) and
    belongs in dualwheel/grading/keys.py."""
    import inspect

    pages = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md"))
    called_in_code: set[str] = set()  # calls in the package's code (not docstrings), the grader left out
    for path in (ROOT / "dualwheel").rglob("*.py"):
        if "grading" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called_in_code.add(f.id if isinstance(f, ast.Name) else getattr(f, "attr", ""))
    in_banks: set[str] = set()
    for q in _raw_questions():
        answer = q.get("answer")
        if isinstance(answer, dict) and "expr" in answer:
            in_banks |= _called(str(answer["expr"]))
    for name, fn in figures.SHARED.items():
        if name not in in_banks or inspect.isbuiltin(fn) or not inspect.isfunction(fn):
            continue
        short = fn.__name__
        on_page = re.search(rf"\b{short}\(", pages)
        assert on_page or short in called_in_code, f"figures.SHARED[{name!r}] is called only by the banks: move it to dualwheel/grading/keys.py"


# --------------------------------------------------------------- any shipped function, by use and by value
#: The instructor part of a chapter page starts at its ``(chNN-instructors)=`` label.
INSTRUCTOR_LABEL = re.compile(r"^\([\w-]+-instructors\)=", re.M)


REMOVED_CELL = re.compile(r"```\{code-cell\}[^\n]*\n:tags: \[[^\]]*remove-cell[^\]]*\]\n.*?```", re.S)


@functools.cache
def _page_text() -> tuple[str, str]:
    """(what the student pages show and run, what only the instructor parts run), over book/*.md."""
    from dualwheel.publish.editions import is_instructor_page

    student, instructor = [], []
    for p in sorted((ROOT / "book").glob("*.md")):
        text = p.read_text(encoding="utf-8")
        if is_instructor_page(p):
            instructor.append(text)
            continue
        m = INSTRUCTOR_LABEL.search(text)
        student.append(text[: m.start()] if m else text)
        instructor.append(text[m.start() :] if m else "")
    return "\n".join(student), "\n".join(instructor)


@functools.cache
def _shipped_modules(page: Path) -> dict[str, bytes]:
    """The chapter modules a student kit of ``page`` ships: dotted module name -> source."""
    files = kit.kit_files(page, NB, "student", bcase=False)
    out = {}
    for name, payload in files.items():
        rel = name.split("/", 1)[1]
        if rel.startswith("dualwheel/chapters/") and rel.endswith(".py"):
            mod = rel[:-3].replace("/", ".").removesuffix(".__init__")
            out[mod] = payload
    return out


CALL = re.compile(r"(?<![\w.])(?:\w+\.)?(\w+)\(")
DEF = re.compile(r"def (\w+)\(")


@functools.cache
def _call_counts(text: str) -> collections.Counter:
    """Name -> how often ``text`` calls it (``name(`` or ``module.name(``), less its ``def`` lines:
    counted once per text, as the tests below ask for hundreds of names against the same pages."""
    counts = collections.Counter(CALL.findall(text))
    counts.subtract(DEF.findall(text))
    return counts


def _calls(name: str, text: str) -> int:
    return _call_counts(text)[name]


def _graded_keys() -> set[float]:
    found = set()
    for bank in all_banks():
        for q in bank.graded_questions:
            if q.type == "numeric":
                found |= {float(v) for _, v in q.variants} | ({float(q.answer)} if q.answer is not None else set())
    return {k for k in found if k == k}


def _numbers(value) -> list[float]:
    """The numbers a return value holds: a scalar, or the numeric cells of a table, series or dict."""
    import numbers

    import pandas as pd

    if isinstance(value, bool):
        return []
    if isinstance(value, numbers.Real):
        return [float(value)]
    if isinstance(value, pd.DataFrame):
        return [float(x) for x in value.select_dtypes("number").to_numpy(dtype=float, na_value=float("nan")).ravel()]
    if isinstance(value, pd.Series):
        return [float(x) for x in value.to_numpy() if isinstance(x, numbers.Real) and not isinstance(x, bool | type(pd.NA))]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers(v)]
    return []


@pytest.mark.parametrize("page", _chapter_pages(), ids=lambda p: p.stem[:4])
def test_no_shipped_function_only_the_instructor_part_or_the_bank_calls(page):
    """A function a student kit ships, that the instructor part of a page or a graded ``expr``
    calls, must be called by a student page or by other shipped code; otherwise it is a key
    calculator in the student's hands (``c2.smallest_takeoff_seed``, ``c3.ebita_change_per_revenue``
    were) and belongs in dualwheel/grading/keys.py."""
    student, instructor = _page_text()
    shipped = _shipped_modules(page)
    code = "\n".join(p.decode("utf-8") for p in shipped.values())
    expr_names = set(_graded_expr_functions())
    leaked = {}
    for mod, payload in shipped.items():
        for node in ast.parse(payload.decode("utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            name = node.name
            key_use = _calls(name, instructor) > 0 or name in expr_names
            if key_use and not _calls(name, student) and not _calls(name, code):
                leaked[name] = mod
    assert not leaked, f"{page.stem}'s student kit ships functions only instructor cells or graded exprs call: {leaked}"


@functools.cache
def _data_values() -> frozenset[float]:
    """Every number typed in data/*.csv: a function that echoes one is reading the data, which
    students have anyway, not computing a key."""
    import pandas as pd

    out: set[float] = set()
    for path in (ROOT / "data").glob("*.csv"):
        t = pd.read_csv(path)
        out |= {float(x) for x in t.select_dtypes("number").to_numpy(dtype=float, na_value=float("nan")).ravel() if x == x}
    return frozenset(out)


@functools.cache
def _keys_not_in_data() -> tuple[frozenset[float], frozenset[float]]:
    """(graded keys that are not a number typed in data/*.csv, those of them that are fractional),
    worked out once for every module."""
    import math

    data_values = _data_values()
    graded = {k for k in _graded_keys() if not any(math.isclose(k, d, rel_tol=1e-9) for d in data_values)}
    return frozenset(graded), frozenset(k for k in graded if k != round(k))


@functools.cache
def _one_call_keys(mod: str) -> dict[str, float]:
    """Functions of ``mod`` that no student page calls where students see it, run without arguments, and return a graded
    key (as a number, or as a cell of a table): name -> the key."""
    import importlib
    import inspect
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # calls a student can see: a remove-cell (glue) runs on the page but shows no code
    student = REMOVED_CELL.sub("", _page_text()[0])
    graded, fractional = _keys_not_in_data()
    hits: dict[str, float] = {}
    module = importlib.import_module(mod)
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != mod or _calls(name, student):
            continue
        params = inspect.signature(fn).parameters.values()
        if any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            continue
        try:
            value = fn()
        except Exception:  # noqa: BLE001 - a function that needs set-up the page gives it elsewhere
            continue
        finally:
            plt.close("all")
        keys_here = graded if not hasattr(value, "__len__") else fractional
        for x in _numbers(value):
            if any(math.isclose(x, k, rel_tol=1e-9, abs_tol=1e-12) for k in keys_here):
                hits[name] = x
                break
    return hits


@pytest.mark.parametrize("page", _chapter_pages(), ids=lambda p: p.stem[:4])
def test_no_shipped_function_returns_a_graded_key_in_one_call(page):
    """A public function a student kit ships that no student page calls and that runs without
    arguments must not return a graded key (a number, or a cell of a table it returns): that is
    the answer in one call. Keys that are a number typed in data/*.csv are left out (reading the
    data is what students do), and integer keys are checked against scalars only (a table of
    counts holds small integers by chance)."""
    hits = {f"{mod}.{n}": v for mod in _shipped_modules(page) for n, v in _one_call_keys(mod).items()}
    assert not hits, f"{page.stem}'s student kit has functions that return a graded key in one call: {hits}"


def test_no_self_check_calls_a_key_only_function():
    """A self-check ships in the student kit with the page, whose package has no
    dualwheel/grading/keys.py: its ``expr`` may only call what the kit ships (Chapter 1's imports
    self-check once called ``goods_trade_row`` and broke the kit)."""
    bad = {}
    for q in _raw_questions("*.yml"):
        answer = q.get("answer")
        if "self_check" in (q.get("use") or []) and isinstance(answer, dict) and "expr" in answer:
            used = _called(str(answer["expr"])) & keys.names()
            if used:
                bad[q["id"]] = sorted(used)
    assert bad == {}
