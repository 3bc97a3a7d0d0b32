"""Question banks: one YAML file per chapter under ``exercises/``, read and checked here.

A lettered book page that is not a numbered chapter may have a bank of its own, named like its
page (``exercises/reading-numbers.yml``, ``chapter: R``; :data:`PAGE_BANKS`). Such a bank holds
self-checks only: :func:`all_banks`, which releases, grading, kits and bundles walk, lists the
chapters' banks; :func:`page_banks` lists the pages'.

The bank is the one source of every question: the in-page self-checks, the student
exercise notebook, the solutions and the autograders are all generated from it. The
format is meant to be edited by an instructor who does not program (see
``exercises/README.md``). Types:

``numeric``  a number, with a tolerance; ``answer.expr`` computes it from ``data/``
``choice``   one of lettered options
``multi``    several of lettered options (all and only the right ones)
``order``    put lettered items in order
``match``    pair each numbered item with a lettered option
``rubric``   a written answer, scored by the instructor against criteria
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..data import data_dir, register_cache, safe_load_yaml
from . import rubric, scoring

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"

TYPES = ("numeric", "choice", "multi", "order", "match", "rubric")
USES = ("self_check", "graded")

#: Lettered pages with a bank of self-checks: the letter their exhibits and self-checks are
#: numbered by ("Self-check R.1") -> the bank's file under ``exercises/``.
PAGE_BANKS: dict[str, str] = {"R": "reading-numbers.yml"}


class BankError(ValueError):
    """A question bank that breaks the format; names the file and the question."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    points: float
    uses: tuple[str, ...]
    options: dict[str, str] = field(default_factory=dict)  # choice/multi/order/match (right side)
    items: dict[str, str] = field(default_factory=dict)  # match (left side)
    answer: Any = None
    tolerance: float = 0.0
    unit: str = ""
    feedback: dict[str, str] = field(default_factory=dict)
    criteria: tuple[dict[str, Any], ...] = ()
    model_answer: str = ""
    explanation: str = ""
    title: str = ""
    words: tuple[int, int] | None = None  # rubric: the length asked for, (low, high) words
    lesson: str = ""  # the strategic lesson the question serves (``page.exhibits.LESSONS``)
    # per-student variants of a numeric question: every combination of the ``vary`` inputs, in
    # order, with its key; the first is the default (the book's page and solutions lead with it).
    # ``prompt``/``title``/``feedback`` above are the default's; ``template`` holds the raw texts.
    variants: tuple[tuple[dict[str, Any], float], ...] = ()
    template: dict[str, Any] = field(default_factory=dict)
    memo: bool = False  # rubric: asks for a recommendation (half its points on such criteria)
    figures: int = 0  # rubric: how many numbers an answer must quote
    interprets: str = ""  # rubric: the id of the numeric question whose meaning it grades

    @property
    def graded(self) -> bool:
        return "graded" in self.uses

    @property
    def self_check(self) -> bool:
        return "self_check" in self.uses

    @property
    def manual(self) -> bool:
        return self.type == "rubric"

    @property
    def var(self) -> str:
        """The variable a student assigns the answer to: ``q3`` for ``ch03-q3-growth``."""
        found = re.search(r"-(q\d+)(?:-|$)", self.id)
        return found.group(1) if found else re.sub(r"\W", "_", self.id)

    def spec(self) -> dict[str, Any]:
        """Everything :func:`dualwheel.grading.scoring.score` needs, answer included (instructor side)."""
        return {
            **self.public_spec(),
            "answer": self.answer,
            "tolerance": self.tolerance,
            "feedback": dict(self.feedback),
        }

    def public_spec(self) -> dict[str, Any]:
        """The form of the question without its answer or feedback: safe to hand to students."""
        return {
            "type": self.type,
            "options": dict(self.options),
            "items": dict(self.items),
            "unit": self.unit,
            "points": self.points,
            "title": self.title or self.id,
            **({"words": list(self.words)} if self.words else {}),
            # students see the criteria and their levels, never look_for or the model answer
            **({"criteria": rubric.public_criteria(self.criteria)} if self.criteria else {}),
        }


@dataclass(frozen=True)
class Bank:
    chapter: int | str  # a chapter's number, or a lettered page's letter (PAGE_BANKS)
    title: str
    path: Path
    questions: tuple[Question, ...]

    def get(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(f"{self.path.name}: no question {qid!r}")

    def uses(self, use: str) -> list[Question]:
        return [q for q in self.questions if use in q.uses]

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.graded_questions)

    @property
    def graded_questions(self) -> list[Question]:
        return self.uses("graded")


def _evaluate(
    expr: str, where: str, chapter: int | str, inputs: dict[str, Any] | None = None, known: dict | None = None
) -> float:
    """Evaluate a numeric answer expression against the named figures of ``dualwheel.figures``
    (and a variant's ``inputs``, which shadow them). ``known`` caches ``figures.scope(chapter)``
    for one bank: it is filled on the first expression, and the bank's other ones reuse it."""
    from .. import figures

    if known is None:
        known = {}
    if not known:
        known.update(figures.scope(chapter))
        known.update(_key_calculators(chapter))
    scope = {**known, **(inputs or {})}
    try:
        result = eval(expr, {"__builtins__": {}}, scope)  # noqa: S307 - instructor-authored bank
    except Exception as exc:  # noqa: BLE001 - report any failure with its place
        raise BankError(f"{where}: answer.expr {expr!r} failed: {exc}") from None
    return float(result)


def _key_calculators(chapter: int) -> dict[str, Any]:
    """The grader's key-only functions (:mod:`dualwheel.grading.keys`); none in a student kit,
    which ships this module without them (its bank holds self-checks only, which never call them)."""
    try:
        from . import keys
    except ImportError:  # a student kit (dualwheel.publish.kit.GRADING_ONLY)
        return {}
    return keys.scope(chapter)


def _req(raw: dict, key: str, where: str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise BankError(f"{where}: missing '{key}'")
    return raw[key]


def _parse_question(raw: Any, where: str, chapter: int | str, known: dict | None = None) -> Question:
    if not isinstance(raw, dict):
        raise BankError(f"{where}: each question must be a mapping of fields")
    qid = str(_req(raw, "id", where))
    where = f"{where} ({qid})"
    qtype = _req(raw, "type", where)
    if qtype not in TYPES:
        raise BankError(f"{where}: type {qtype!r} is not one of {', '.join(TYPES)}")
    uses = raw.get("use", ["graded"])
    uses = (uses,) if isinstance(uses, str) else tuple(uses)
    bad = [u for u in uses if u not in USES]
    if bad:
        raise BankError(f"{where}: use {bad} not in {USES}")
    points = float(_req(raw, "points", where))
    if points <= 0:
        raise BankError(f"{where}: points must be positive")
    options = {str(k): str(v) for k, v in (raw.get("options") or {}).items()}
    items = {str(k): str(v) for k, v in (raw.get("items") or {}).items()}
    feedback = {str(k): str(v) for k, v in (raw.get("feedback") or {}).items()}
    answer: Any = raw.get("answer")
    tolerance = 0.0
    criteria: tuple[dict[str, Any], ...] = ()
    variants: tuple[tuple[dict[str, Any], float], ...] = ()
    template: dict[str, Any] = {}
    if raw.get("vary") is not None:
        vary = raw["vary"]
        if qtype != "numeric" or not isinstance(vary, dict) or not vary:
            raise BankError(
                f"{where}: vary is for numeric questions: a mapping of input name to a list of values"
            )
        if any(not isinstance(v, list) or len(v) < 2 for v in vary.values()) or any(
            not str(k).isidentifier() for k in vary
        ):
            raise BankError(f"{where}: each vary input needs a name and a list of at least two values")
        if not isinstance(raw.get("answer"), dict) or "expr" not in raw["answer"]:
            raise BankError(f"{where}: a question with vary computes its key with answer.expr")
        names = list(vary)
        combos = [dict(zip(names, c, strict=True)) for c in itertools.product(*(vary[n] for n in names))]
        variants = tuple(
            (c, _evaluate(str(raw["answer"]["expr"]), f"{where} {c}", chapter, c, known)) for c in combos
        )
        template = {k: raw[k] for k in ("prompt", "title", "feedback") if raw.get(k) is not None}
        try:
            raw = {**raw, **_fill(template, combos[0])}
        except (KeyError, IndexError, ValueError) as exc:
            raise BankError(
                f"{where}: a {{name}} in the prompt, title or feedback is not a vary input: {exc}"
            ) from None
        feedback = {str(k): str(v) for k, v in (raw.get("feedback") or {}).items()}
    if qtype == "numeric":
        spec = _req(raw, "answer", where)
        if not isinstance(spec, dict) or ("expr" not in spec and "value" not in spec):
            raise BankError(f"{where}: numeric answer needs 'expr' (from data/) or 'value'")
        if variants:
            answer = variants[0][1]
        else:
            answer = (
                _evaluate(str(spec["expr"]), where, chapter, known=known) if "expr" in spec else float(spec["value"])
            )
        tolerance = float(spec.get("tolerance", 0))
        if tolerance < 0:
            raise BankError(f"{where}: tolerance must not be negative")
    elif qtype == "choice":
        answer = str(_req(raw, "answer", where))
        if answer not in options:
            raise BankError(f"{where}: answer {answer!r} is not one of the options {list(options)}")
    elif qtype in ("multi", "order"):
        answer = [str(a) for a in _req(raw, "answer", where)]
        missing = [a for a in answer if a not in options]
        if missing:
            raise BankError(f"{where}: answer names unknown options {missing}")
        if qtype == "order" and sorted(answer) != sorted(options):
            raise BankError(f"{where}: an order answer must list every option exactly once")
    elif qtype == "match":
        answer = {str(k): str(v) for k, v in _req(raw, "answer", where).items()}
        if set(answer) != set(items) or any(v not in options for v in answer.values()):
            raise BankError(f"{where}: match answer must pair every item with a known option")
    elif qtype == "rubric":
        try:
            criteria = rubric.parse_criteria(_req(raw, "criteria", where))
        except rubric.RubricError as exc:
            raise BankError(f"{where}: {exc}") from None
        total = sum(float(c.get("points", 0)) for c in criteria)
        if not math.isclose(total, points):
            raise BankError(f"{where}: rubric criteria add up to {total:g}, but points is {points:g}")
        if not raw.get("model_answer"):
            raise BankError(f"{where}: a rubric question needs a model_answer")
        if raw.get("words") is not None:
            words = raw["words"]
            if (
                not isinstance(words, list)
                or len(words) != 2
                or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in words)
                or words[0] > words[1]
            ):
                raise BankError(
                    f"{where}: words is the length asked for, two whole numbers such as [150, 250]"
                )
    if qtype != "rubric" and raw.get("words") is not None:
        raise BankError(f"{where}: only a rubric question takes words")
    if qtype != "rubric" and "wrong" not in feedback:
        raise BankError(f"{where}: give feedback.wrong, a hint for wrong answers")
    try:
        lesson = rubric.check_lesson(raw.get("lesson"))
        extras = rubric.parse_extras(raw, qtype)
    except rubric.RubricError as exc:
        raise BankError(f"{where}: {exc}") from None
    return Question(
        id=qid,
        type=qtype,
        prompt=str(_req(raw, "prompt", where)).strip(),
        points=points,
        uses=uses,
        options=options,
        items=items,
        answer=answer,
        tolerance=tolerance,
        unit=str(raw.get("unit", "")),
        feedback=feedback,
        criteria=criteria,
        model_answer=str(raw.get("model_answer", "")).strip(),
        explanation=str(raw.get("explanation", "")).strip(),
        title=str(raw.get("title", "")),
        words=tuple(raw["words"]) if raw.get("words") else None,
        lesson=lesson,
        variants=variants,
        template=template,
        **extras,
    )


def _fill(template: Any, inputs: dict[str, Any]) -> Any:
    """A variant's texts: ``{name}`` in a prompt, title or feedback replaced by its input."""
    if isinstance(template, str):
        return template.format(**inputs)
    if isinstance(template, dict):
        return {k: _fill(v, inputs) for k, v in template.items()}
    return template


def load_bank(path: Path | str) -> Bank:
    """Read and check one chapter's bank; raise :class:`BankError` naming file and question.

    A bank is read again only when its text, its path or the data folder changes (or when
    :func:`dualwheel.data.clear_cache` forgets the tables its keys are computed from): its
    numeric keys come from the tables, which stay loaded until then as well."""
    path = Path(path)
    return _load_bank(path, path.read_text(encoding="utf-8"), data_dir())


@register_cache
@functools.lru_cache(maxsize=128)
def _load_bank(path: Path, text: str, folder: Path) -> Bank:
    """:func:`load_bank` of ``path`` holding ``text``, its keys computed from ``folder``'s tables
    (the folder is part of the key only: :mod:`dualwheel.data` reads it)."""
    try:
        raw = safe_load_yaml(text)
    except yaml.YAMLError as exc:
        raise BankError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or "questions" not in raw:
        raise BankError(f"{path.name}: needs 'chapter', 'title' and a list of 'questions'")
    chapter: int | str
    if isinstance(raw.get("chapter"), str) and raw["chapter"] in PAGE_BANKS:  # a page's bank: self-checks only
        chapter = str(raw["chapter"])
        if PAGE_BANKS[chapter] != path.name:
            raise BankError(f"{path.name}: page {chapter}'s bank is exercises/{PAGE_BANKS[chapter]}")
        graded = [
            q.get("id")
            for q in raw["questions"] or []
            if isinstance(q, dict) and "graded" in (q.get("use") or ["graded"])
        ]
        if graded:
            raise BankError(
                f"{path.name}: a page's bank holds self-checks only (use: [self_check]); graded: {graded}"
            )
    else:
        try:
            chapter = int(raw["chapter"])
        except (KeyError, TypeError, ValueError):
            raise BankError(
                f"{path.name}: needs 'chapter' (a number, or a page letter of {sorted(PAGE_BANKS)})"
            ) from None
    known: dict[str, Any] = {}  # figures.scope(chapter), looked up once for the whole bank
    qs = tuple(
        _parse_question(q, f"{path.name}, question {i + 1}", chapter, known)
        for i, q in enumerate(raw["questions"])
    )
    ids = [q.id for q in qs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise BankError(f"{path.name}: duplicate question ids {dupes}")
    names = [q.var for q in qs if q.graded]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise BankError(
            f"{path.name}: graded questions share the answer variable(s) {clash}; "
            "give each an id with its own number, such as ch03-q7-..."
        )
    numeric = {q.id for q in qs if q.type == "numeric"}
    for i, q in enumerate(qs):
        if q.interprets and q.interprets not in numeric:
            raise BankError(
                f"{path.name}, question {i + 1} ({q.id}): interprets {q.interprets!r} is not the id of a "
                "numeric question in this bank"
            )
    return Bank(chapter=chapter, title=str(raw["title"]), path=path, questions=qs)


def bank_for(chapter: int | str) -> Bank:
    """The bank of one chapter, ``exercises/chNN.yml``, or of a lettered page (``"R"``: PAGE_BANKS)."""
    if isinstance(chapter, str):
        if chapter not in PAGE_BANKS:
            raise KeyError(f"no page {chapter!r} with a question bank (have {sorted(PAGE_BANKS)})")
        return load_bank(EXERCISES_DIR / PAGE_BANKS[chapter])
    return load_bank(EXERCISES_DIR / f"ch{chapter:02d}.yml")


def all_banks() -> list[Bank]:
    """The chapters' banks (``exercises/chNN.yml``): the ones with graded exercises to release."""
    return [load_bank(p) for p in sorted(EXERCISES_DIR.glob("ch*.yml"))]


def page_banks() -> list[Bank]:
    """The lettered pages' banks (:data:`PAGE_BANKS`): self-checks only, shown in their page."""
    return [bank_for(letter) for letter in PAGE_BANKS]


def check(q: Question, response: Any) -> tuple[float, str]:
    """Score one response to a question: (points earned, feedback for the student).

    The rules live in :mod:`dualwheel.grading.scoring`, shared with the autograder and the
    student's public checks. Rubric questions are never scored here: they return 0 and
    say so; the instructor's scores come in separately.
    """
    fraction, feedback = scoring.score(q.spec(), response)
    return fraction * q.points, feedback
