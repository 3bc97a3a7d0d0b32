"""Generate what students and instructors get from one chapter's question bank.

From ``exercises/chNN.yml`` (the one source of every question) this module writes:

student release, ``<out>/chNN/``
    ``chNN-exercises.ipynb``  prompts and answer cells; no answers, no hidden tests
    ``chNN_checks.py``        the public checks: ``check("q1")`` says whether an answer has
                              the right *form*; the file holds no answers
    ``casebook_scoring.py``   the scoring rules (a copy of :mod:`dualwheel.grading.scoring`)
    ``data/``                 the casebook's CSV files, for the numeric questions

instructor material, ``<out>/instructor/chNN/``
    ``chNN-solutions.md``           model answers, rubrics and feedback
    ``chNN-otter-master.ipynb``     an otter-grader master notebook; ``otter assign`` turns
                                    it into an autograder for otter or Gradescope

Every answer cell carries ``metadata.casebook = {"question": "q1", "role": "answer"}`` so
the grader can tell a student which cell went missing.
"""

from __future__ import annotations

import json
import pprint
import shutil
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from . import scoring
from .questions import Bank, Question
from .text import prompt_markdown, solutions_markdown

SCORING_SOURCE = Path(scoring.__file__)
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def slug(bank: Bank) -> str:
    return f"ch{bank.chapter:02d}"


def checks_module(bank: Bank) -> str:
    """Module name of the chapter's public checks: ``ch03_checks``."""
    return f"{slug(bank)}_checks"


def public_specs(bank: Bank) -> dict[str, dict[str, Any]]:
    """The graded questions' public specs, keyed by answer variable: no answers, no feedback."""
    return {q.var: q.public_spec() for q in bank.graded_questions}


# ------------------------------------------------------------------ shared prompt text
def _blank(q: Question) -> str:
    if q.type == "numeric":
        return f"{q.var} = None  # replace None with your number; you may compute it above this line"
    if q.type == "choice":
        return f'{q.var} = ""  # one letter'
    if q.type in ("multi", "order"):
        return f"{q.var} = []  # letters"
    if q.type == "match":
        pairs = ", ".join(f'"{k}": ""' for k in q.items)
        return f"{q.var} = {{{pairs}}}"
    return f'{q.var} = """\n\n"""'


def _answer_literal(q: Question) -> str:
    if q.type == "numeric":
        return f"{round(float(q.answer), 4)!r}"
    if q.type == "rubric":
        return '"""' + " ".join(q.model_answer.split()).replace('"""', "'''") + '"""'
    return repr(q.answer)


def stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Number the cells ``cell-01``, ``cell-02``...: the same bank gives byte-identical files."""
    for i, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{i:02d}"
    return nb


def _cell(kind: str, source: str, metadata: dict[str, Any] | None = None) -> nbformat.NotebookNode:
    """The cell ``new_code_cell`` / ``new_markdown_cell`` make, without checking each cell on its
    own against the notebook schema (milliseconds each, and a roster release writes thousands):
    :func:`nbformat.write` checks the whole notebook when it is written."""
    from nbformat.corpus.words import generate_corpus_id

    cell = nbformat.NotebookNode(
        id=generate_corpus_id(), cell_type=kind, metadata=nbformat.NotebookNode(), source=source
    )
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    if metadata is not None:
        cell.update(metadata=metadata)
    return cell


def _meta(q: Question, role: str) -> dict[str, Any]:
    return {"casebook": {"question": q.var, "role": role}}


# ------------------------------------------------------------------ student notebook
def student_notebook(bank: Bank) -> nbformat.NotebookNode:
    """The exercise notebook students fill in and hand back."""
    mod = checks_module(bank)
    intro = (
        f"# Chapter {bank.chapter} exercises: {bank.title}\n\n"
        f"{len(bank.graded_questions)} questions, {bank.total_points:g} points. For each question, "
        "put your answer in the variable the cell names (`q1`, `q2`, ...) and run the cell: the "
        'line `check("q1")` tells you whether your answer has the right form. It does not tell '
        "you whether it is right; that happens when your instructor grades the notebook.\n\n"
        "- Keep the variable names and do not delete cells.\n"
        "- Numeric answers: compute them from the tables in `data/` with pandas if you like.\n"
        "- Before you hand in: *Kernel → Restart & Run All*, then read the summary at the end."
    )
    setup = (
        "import pandas as pd\n"
        f"from {mod} import check, check_all\n\n"
        '# the casebook\'s tables, e.g. segments = pd.read_csv("data/segment_revenue.csv")'
    )
    cells = [_cell("markdown", intro), _cell("code", setup, metadata={"casebook": {"role": "setup"}})]
    for n, q in enumerate(bank.graded_questions, start=1):
        cells.append(_cell("markdown", prompt_markdown(q, n), metadata=_meta(q, "prompt")))
        cells.append(_cell("code", f'{_blank(q)}\n\ncheck("{q.var}")', metadata=_meta(q, "answer")))
    cells.append(_cell("markdown", "## Before you hand in"))
    cells.append(_cell("code", "check_all()", metadata={"casebook": {"role": "summary"}}))
    meta = {
        "kernelspec": KERNEL,
        "casebook": {"chapter": bank.chapter},
        "otter": {"assignment_name": f"{slug(bank)}-exercises"},
    }  # otter run checks this name
    return stable_ids(new_notebook(cells=cells, metadata=meta))


def checks_source(bank: Bank) -> str:
    """``chNN_checks.py``: the public checks. Only public specs: no answers, no feedback."""
    specs = pprint.pformat(public_specs(bank), width=96, sort_dicts=False)
    return f'''"""Public checks for the Chapter {bank.chapter} exercises ({bank.title}).

``check("q1")`` says whether your answer to question 1 has the right form (a number, a
letter, a list...). It does not say whether the answer is right: this file holds no answers.
``check_all()`` lists every question. Generated from exercises/{bank.path.name}; do not edit.
"""

import sys as _sys

import casebook_scoring as _scoring

CHAPTER = {bank.chapter}
QUESTIONS = {specs}


def _status(name, namespace):
    spec = QUESTIONS[name]
    problem = _scoring.validate(spec, namespace.get(name))
    if problem:
        return False, problem
    if spec["type"] == "rubric":
        words = len(str(namespace[name]).split())
        lines = [f"{{words}} words recorded; your instructor scores this answer against these criteria:"]
        for c in spec.get("criteria", []):
            lines.append(f"    ({{c['points']:g}} points) {{c['text']}}")
            lines += [f"        {{mark}}: {{text}}" for mark, text in c.get("levels", {{}}).items()]
        return True, "\\n".join(lines)
    return True, "answer recorded in the right form; it is graded after you hand in."


def check(name):
    """Check the form of one answer, e.g. ``check("q1")``."""
    if name not in QUESTIONS:
        print(f"There is no question {{name!r}}; the questions are {{', '.join(QUESTIONS)}}.")
        return
    ok, message = _status(name, _sys._getframe(1).f_globals)
    print(("✓ " if ok else "✗ ") + f"{{name}}: {{message}}")


def check_all():
    """Check the form of every answer and print a summary."""
    namespace = _sys._getframe(1).f_globals
    ready = 0
    for name in QUESTIONS:
        ok, message = _status(name, namespace)
        ready += ok
        print(("✓ " if ok else "✗ ") + f"{{name}}: {{message}}")
    print(f"{{ready}} of {{len(QUESTIONS)}} answers are in the right form.")
'''


# ------------------------------------------------------------------ instructor material
def otter_master(bank: Bank) -> nbformat.NotebookNode:
    """An otter-grader master notebook (format v1) with the same rules as ``casebook grade``.

    Each auto-scored question has one hidden test that calls ``casebook_scoring.score`` with
    the full spec, so otter and the casebook grader give the same points.
    """
    config = {
        "name": f"{slug(bank)}-exercises",
        "files": [f"{checks_module(bank)}.py", "casebook_scoring.py", "data"],
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": False,
        "run_tests": False,
        "solutions_pdf": False,
        "generate": {"seed": 0, "pdf": False},
    }
    cells = [
        new_raw_cell("# ASSIGNMENT CONFIG\n" + _yaml(config)),
        new_markdown_cell(f"# Chapter {bank.chapter} exercises: {bank.title}"),
        new_code_cell(f"import pandas as pd\nfrom {checks_module(bank)} import check, check_all"),
    ]
    for n, q in enumerate(bank.graded_questions, start=1):
        head = f"# BEGIN QUESTION\nname: {q.var}\npoints: {q.points:g}"
        cells += [
            new_raw_cell(head + ("\nmanual: true" if q.manual else "")),
            new_markdown_cell(prompt_markdown(q, n)),
            new_raw_cell("# BEGIN SOLUTION"),
            new_code_cell(f"{q.var} = {_answer_literal(q)}  # SOLUTION"),
            new_raw_cell("# END SOLUTION"),
        ]
        if not q.manual:
            spec = json.dumps(q.spec(), ensure_ascii=True)
            test = (
                '""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n'
                f"__import__('casebook_scoring').score({spec}, {q.var})[0] == 1.0"
            )
            cells += [
                new_raw_cell("# BEGIN TESTS"),
                new_code_cell(test, outputs=[]),
                new_raw_cell("# END TESTS"),
            ]
        cells.append(new_raw_cell("# END QUESTION"))
    nb = stable_ids(new_notebook(cells=cells, metadata={"kernelspec": KERNEL}))
    for cell in nb.cells:  # otter matches the expected output of a test cell
        if cell.cell_type == "code" and "BEGIN TEST CONFIG" in cell.source:
            cell.outputs = [
                nbformat.v4.new_output("execute_result", data={"text/plain": "True"}, execution_count=1)
            ]
    return nb


def _yaml(obj: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(obj, sort_keys=False)


# ------------------------------------------------------------------ writing
def write_support(bank: Bank, folder: Path) -> None:
    """The files a student notebook needs beside it: checks, scoring rules, data."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{checks_module(bank)}.py").write_text(checks_source(bank), encoding="utf-8")
    shutil.copyfile(SCORING_SOURCE, folder / "casebook_scoring.py")
    # the student's copy of data/: a release goes out before the decision class, so without the
    # B-case's tables and the late sources only they need (dualwheel.publish.student_data)
    from ..publish.student_data import write_student_data

    write_student_data(folder / "data")


def write_release(bank: Bank, out: Path) -> dict[str, Path]:
    """Write the student release and the instructor material of one chapter; return the paths."""
    student = out / slug(bank)
    write_support(bank, student)
    notebook = student / f"{slug(bank)}-exercises.ipynb"
    nbformat.write(student_notebook(bank), notebook)
    teacher = out / "instructor" / slug(bank)
    teacher.mkdir(parents=True, exist_ok=True)
    solutions = teacher / f"{slug(bank)}-solutions.md"
    solutions.write_text(solutions_markdown(bank), encoding="utf-8")
    master = teacher / f"{slug(bank)}-otter-master.ipynb"
    nbformat.write(otter_master(bank), master)
    write_support(bank, teacher)  # otter assign copies the files: keep them beside the master
    return {"student": student, "notebook": notebook, "solutions": solutions, "master": master}


def build_otter(bank: Bank, out: Path) -> Path:
    """Run ``otter assign`` on the chapter's master notebook; return the autograder zip."""
    return build_otters([bank], out)[bank.chapter]


def build_otters(banks: list[Bank], out: Path) -> dict[int, Path]:
    """Write each chapter's release and run ``otter assign`` on its master notebook, all in this
    process; return {chapter: autograder zip}.

    Nearly all the time of the ``otter assign`` command (about 5 s a chapter) is otter starting
    up. Called here, otter starts once (about 3 s) and then takes a few hundredths of a second
    a chapter, with the same output as the command.
    """
    import contextlib
    import io
    import warnings

    with warnings.catch_warnings():  # otter's dependencies warn of their own deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        from otter.assign import main as assign

    zips = {}
    for bank in banks:
        paths = write_release(bank, out)
        dist = paths["master"].parent / "otter"
        if dist.exists():
            shutil.rmtree(dist)
        said = io.StringIO()
        try:
            with (
                contextlib.redirect_stdout(said),
                contextlib.redirect_stderr(said),
                warnings.catch_warnings(),
            ):
                warnings.simplefilter("ignore", DeprecationWarning)
                assign(str(paths["master"]), str(dist))
        except Exception as exc:  # noqa: BLE001 - otter raises many kinds; report any with its chapter
            raise RuntimeError(
                f"otter assign failed for {paths['master']}: {type(exc).__name__}: {exc}\n{said.getvalue()[-2000:]}"
            ) from None
        found = sorted((dist / "autograder").glob("*.zip"))
        if not found:
            raise RuntimeError(f"otter assign wrote no autograder zip in {dist / 'autograder'}")
        zips[bank.chapter] = found[0]
    return zips
