"""How a question reads: its prompt, its answer in words, and the solutions sheet.

One renderer for every place a question appears: the exercise notebook, the in-page
self-check's answer key, the solutions file and the instructor edition.
"""

from __future__ import annotations

from .questions import Bank, Question
from .rubric import level_lines

FORMAT_HINT = {
    "numeric": "a number",
    "choice": 'one letter as a string, such as "a"',
    "multi": 'a list of every right letter, such as ["a", "c"]',
    "order": 'a list of all the letters in order, such as ["c", "a", "b"]',
    "match": 'a dictionary from each number to a letter, such as {"1": "b", ...}',
    "rubric": "your text between the triple quotes",
}


def prompt_markdown(q: Question, number: int) -> str:
    """The question as a student reads it (notebook, solutions): heading, prompt, choices."""
    title = f" — {q.title}" if q.title else ""
    lines = [f"### Question {number}{title} ({q.points:g} points)", "", q.prompt.strip(), ""]
    if q.type == "match":
        lines += ["| Item | Text |", "|---|---|"] + [f"| {k} | {v} |" for k, v in q.items.items()]
        lines += ["", "Options:", ""]
    if q.options:
        lines += [f"- **{k}.** {v}" for k, v in q.options.items()]
        lines.append("")
    if q.type == "numeric" and q.unit:
        lines.append(f'Give the number in {q.unit} (write `12.3`, not `"12.3%"`).')
    if q.type == "rubric":
        lines += ["Scored by your instructor against these criteria:", ""]
        for c in q.criteria:  # the criteria and their quality levels; never look_for
            lines.append(f"- ({float(c['points']):g} points) {c['text']}")
            lines += level_lines(c)
    lines += ["", f"Answer in `{q.var}`: {FORMAT_HINT[q.type]}."]
    return "\n".join(lines).strip() + "\n"


def solutions_markdown(bank: Bank) -> str:
    """Model answers with rubrics and the feedback students see: the instructor's key."""
    out = [
        f"# Chapter {bank.chapter} exercises: solutions",
        "",
        f"Generated from `exercises/{bank.path.name}`. {bank.total_points:g} points in total.",
        "",
    ]
    for n, q in enumerate(bank.graded_questions, start=1):
        out.append(prompt_markdown(q, n).replace("### Question", "## Question", 1))
        out.append(f"**Answer.** {answer_text(q)}")
        out.append("")
        if q.variants:
            out += variants_markdown(q) + [""]
        if q.explanation:
            out += [q.explanation, ""]
        hints = {k: v for k, v in q.feedback.items() if k != "right"}
        if hints:
            out.append("**Feedback students see for wrong answers.**")
            out += [f"- {k}: {v}" for k, v in hints.items()] + [""]
    return "\n".join(out)


def answer_text(q: Question) -> str:
    """The right answer in words: for the solutions and the instructor edition."""
    if q.type == "numeric":
        tol = f" (accepted within ±{q.tolerance:g})" if q.tolerance else ""
        return f"{float(q.answer):,.2f}{' ' + q.unit if q.unit else ''}{tol}"
    if q.type == "choice":
        return f"({q.answer}) {q.options[q.answer]}"
    if q.type in ("multi", "order"):
        return ", ".join(f"({a}) {q.options[a]}" for a in q.answer)
    if q.type == "match":
        return "; ".join(f"{k} {q.items[k]} → ({v}) {q.options[v]}" for k, v in q.answer.items())
    crit = []
    for c in q.criteria:
        mark = " (recommendation)" if c.get("recommendation") else ""
        crit.append(f"- {float(c['points']):g} points{mark}: {c['text']}")
        crit += level_lines(c)
        if c.get("look_for"):
            crit.append(f"    - *Look for:* {c['look_for']}")
    extra = []
    if q.interprets:
        extra.append(f"Grades the interpretation of `{q.interprets}`.")
    if q.figures:
        extra.append(f"A full answer quotes at least {q.figures} figure{'s' if q.figures != 1 else ''}.")
    extra_text = (" ".join(extra) + "\n\n") if extra else ""
    crit_text = "\n".join(crit)
    return f"scored by rubric.\n\n{crit_text}\n\n{extra_text}**Model answer.** {q.model_answer}"


def variants_markdown(q: Question) -> list[str]:
    """Every variant of a question with per-student inputs, and its answer: the instructor's key."""
    names = list(q.variants[0][0])
    unit = f" {q.unit}" if q.unit else ""
    lines = [
        f"**Every variant** ({len(q.variants)}; a student's is chosen from the roster and the course "
        "secret; the first is the default, used without a roster and in the book's self-check).",
        "",
        "| " + " | ".join(names) + " | answer |",
        "|" + "---|" * (len(names) + 1),
    ]
    for inputs, key in q.variants:
        lines.append("| " + " | ".join(str(inputs[n]) for n in names) + f" | {key:,.2f}{unit} |")
    return lines


def answer_brief(q: Question) -> str:
    """The right answer in a few words: for the in-page self-check answer key."""
    if q.type == "numeric":
        return (
            f"{q.answer:,.1f}"
            + (f" {q.unit}" if q.unit else "")
            + (f" (within ±{q.tolerance:g})" if q.tolerance else "")
        )
    if q.type == "choice":
        return f"({q.answer}) {q.options[q.answer]}"
    if q.type in ("multi", "order"):
        return ", ".join(f"({a})" for a in q.answer)
    return ""
