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
    "smallest_takeoff_seed": "Chapter 2's page glues the take-off seed of its platform what-if with it",
    "kogut_singh": "Chapter 4's distance table and ranking (distances.py, ranking.py) compute it",
    "fine_cap": "Chapter 7's page and its compliance what-if read the fine caps with it",
}


def _called(expr: str) -> set[str]:
    return {n.func.id for n in ast.walk(ast.parse(expr)) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


@functools.cache
def _graded_expr_functions() -> dict[str, set[str]]:
    """Function name -> the graded question ids whose expr calls it (shared calculators left out).
    Read once for the module's tests (nothing here writes the banks)."""
    found: dict[str, set[str]] = {}
    for path in sorted(EXERCISES_DIR.glob("ch*.yml")):
        for q in safe_load_yaml(path.read_text(encoding="utf-8"))["questions"]:
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
