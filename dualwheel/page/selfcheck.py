"""In-page self-check questions with immediate feedback, offline.

A chapter calls ``selfcheck.show(3, "ch03-sc-denominator")``. The question comes from the
chapter's bank in ``exercises/``. The output carries two forms:

* ``text/html``: a small form that ``_assets/casebook.js`` wires up in the browser (no
  kernel, no network). The right answer travels in the page, so only questions marked
  ``use: [self_check]`` *without* ``graded`` may carry one; a graded question shown in the
  page gets a format check only.
* ``text/markdown``: the question and its options, for the PDF; the answers are printed at
  the end of the chapter by :func:`answer_key`.
"""

from __future__ import annotations

import base64
import html
import json
import re

from IPython.display import display

from ..grading.questions import Bank, Question, bank_for
from ..grading.text import answer_brief, solutions_markdown


def _encode(obj: object) -> str:
    """Base64 JSON: keeps answers out of plain view in the page source (it is practice)."""
    return base64.b64encode(json.dumps(obj, ensure_ascii=False).encode()).decode()


def _md_inline(text: str) -> str:
    """Very small Markdown-to-HTML for prompts: paragraphs, **bold**, *italic*, `code`."""
    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"\*(.+?)\*", r"<i>\1</i>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
    return "".join(f"<p>{p.strip()}</p>" for p in out.split("\n\n") if p.strip())


def question_html(q: Question, number: str) -> str:
    """The interactive form of one question."""
    reveal = q.self_check and not q.graded
    payload = {
        "type": q.type,
        "answer": q.answer if reveal else None,
        "tolerance": q.tolerance,
        "feedback": q.feedback if reveal else {},
        "explanation": q.explanation if reveal else "",
        "options": list(q.options),
    }
    name = html.escape(q.id)
    title = f"selfcheck-{name}-title"
    # a named group: a screen reader says "Self-check 3.1, group" on entering it, and the
    # answer box and the Check button carry the question's number in their names
    parts = [
        f'<div class="casebook-selfcheck" data-q="{_encode(payload)}" id="selfcheck-{name}" '
        f'role="group" aria-labelledby="{title}">',
        f'<div class="casebook-sc-title" id="{title}">Self-check {html.escape(number)}</div>',
        _md_inline(q.prompt),
    ]
    if q.type in ("choice", "multi"):
        kind = "radio" if q.type == "choice" else "checkbox"
        for key, text in q.options.items():
            parts.append(
                f'<label class="casebook-sc-option"><input type="{kind}" name="{name}" '
                f'value="{html.escape(key)}"> <b>{html.escape(key)}.</b> {html.escape(text)}</label>'
            )
    elif q.type == "numeric":
        unit = f" {html.escape(q.unit)}" if q.unit else ""
        parts.append(
            f'<input class="casebook-sc-number" type="text" inputmode="decimal" '
            f'aria-label="Your answer to self-check {html.escape(number)}">{unit}'
        )
    elif q.type == "order":
        parts.append(
            "<ol type='a'>" + "".join(f"<li>{html.escape(t)}</li>" for t in q.options.values()) + "</ol>"
        )
        parts.append(
            '<input class="casebook-sc-order" type="text" placeholder="e.g. b a c" '
            f'aria-label="Letters in order, self-check {html.escape(number)}">'
        )
    else:
        raise ValueError(f"{q.id}: type {q.type} cannot be a self-check")
    parts.append(
        f'<button type="button" class="casebook-sc-check" aria-label="Check self-check {html.escape(number)}">'
        "Check</button>"
    )
    # a polite live region: the feedback is read out when it appears (casebook.js writes it)
    parts.append('<div class="casebook-sc-feedback" role="status" aria-live="polite"></div></div>')
    return "\n".join(parts)


def question_markdown(q: Question, number: str) -> str:
    """The printable form of one question (PDF)."""
    lines = [f"**Self-check {number}.** {q.prompt}", ""]
    if q.type in ("choice", "multi", "order"):
        lines += [f"- ({k}) {v}" for k, v in q.options.items()]
    if q.type == "numeric":
        lines.append(f"Answer in {q.unit}." if q.unit else "Answer with a number.")
    return "\n".join(lines)


def _number(bank: Bank, q: Question) -> str:
    checks = bank.uses("self_check")
    return f"{bank.chapter}.{checks.index(q) + 1}"


def show(chapter: int, qid: str) -> None:
    """Display one self-check question from the chapter's bank."""
    bank = bank_for(chapter)
    q = bank.get(qid)
    if not q.self_check:
        raise ValueError(f"{qid} is not marked use: [self_check] in {bank.path.name}")
    n = _number(bank, q)
    md = question_markdown(q, n)
    display({"text/html": question_html(q, n), "text/markdown": md, "text/plain": md}, raw=True)


def answer_key(chapter: int) -> None:
    """Answers to the practice self-checks, shown in the PDF only (the HTML gives feedback live)."""
    bank = bank_for(chapter)
    lines = ["**Self-check answers.**", ""]
    for q in bank.uses("self_check"):
        if q.graded:
            continue
        expl = f" {q.explanation}" if q.explanation else ""
        lines.append(f"- {_number(bank, q)}: {answer_brief(q)}.{expl}")
    md = "\n".join(lines)
    # empty HTML: the HTML builder picks text/html and shows nothing; LaTeX picks Markdown
    display(
        {"text/html": "<span class='casebook-pdf-only'></span>", "text/markdown": md, "text/plain": md},
        raw=True,
    )


def solutions(chapter: int) -> None:
    """The graded exercises' answers, rubrics and model answers: for the instructor edition.

    Same text as the release's ``chNN-solutions.md`` (one generator), with the question
    headings set in bold so they do not enter the page's table of contents.
    """
    md = solutions_markdown(bank_for(chapter)).split("\n", 2)[2]  # drop the file's own title
    md = re.sub(r"^## (Question .*)$", r"**\1**", md, flags=re.M)
    display({"text/markdown": md, "text/plain": md}, raw=True)
