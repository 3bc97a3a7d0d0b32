"""Per-student variants: each student's inputs of a varying question, derived from the roster and
a course secret, never read from the student's notebook.

A numeric question with ``vary`` has several variants (``Question.variants``: every combination
of its inputs, with its key; the first is the default). With a roster and a course secret,
``casebook release N --roster roster.csv`` writes one notebook per student with that student's
prompts, and ``casebook grade ... --roster roster.csv`` computes each student's key the same
way. The variant of a question for a student is

    HMAC-SHA256(secret, JSON [roster lms_id, question id]) -> first 8 bytes, mod the number of variants

The student is found as for the export: the submission's file or folder name is the roster's
``submission`` column, whose row gives the ``lms_id``. Nothing of the notebook (prompt, inputs,
metadata) takes part, so editing it changes nothing. Without a roster, everyone gets the default
variant. The secret comes from ``--secret-file`` or the ``CASEBOOK_SECRET`` environment variable
(whose value the grader's scrubbing redacts from anything it writes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import nbformat

from . import scoring
from .questions import Bank, Question, _fill

SECRET_ENV = "CASEBOOK_SECRET"
MIN_SECRET = 16  # bytes: a short secret could be guessed, and every student's key with it


class VariantError(ValueError):
    """A release or grading that cannot give each student their variant; the message says why."""


def read_secret(secret_file: Path | None, environ: dict[str, str] | None = None) -> bytes | None:
    """The course secret: the file's content (stripped), else ``$CASEBOOK_SECRET``, else None."""
    environ = os.environ if environ is None else environ
    if secret_file is not None:
        try:
            secret = Path(secret_file).read_bytes().strip()
        except OSError as exc:
            raise VariantError(f"cannot read the secret file {secret_file}: {exc.strerror}") from None
        where = f"the secret file {secret_file}"
    elif environ.get(SECRET_ENV):
        secret = environ[SECRET_ENV].strip().encode("utf-8", "surrogateescape")
        where = f"${SECRET_ENV}"
    else:
        return None
    if len(secret) < MIN_SECRET:
        raise VariantError(
            f"{where} holds {len(secret)} bytes; a course secret needs at least {MIN_SECRET} "
            "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))' > course.secret`)"
        )
    return secret


def varying(bank: Bank) -> list[Question]:
    return [q for q in bank.graded_questions if q.variants]


def need_secret_message(bank: Bank, command: str) -> str:
    names = ", ".join(q.var for q in varying(bank))
    return (
        f"chapter {bank.chapter} has per-student variants ({names}): {command} with --roster needs the "
        f"course secret, in a file (--secret-file FILE) or in ${SECRET_ENV}; use the same secret to "
        "release and to grade. Without --roster every student gets the default variant."
    )


def variant_index(secret: bytes, roster_id: str, q: Question) -> int:
    """The variant of question ``q`` for the student with this roster id (0 when it does not vary)."""
    if not q.variants:
        return 0
    message = json.dumps([roster_id, q.id], ensure_ascii=True).encode()  # unambiguous, any id
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % len(q.variants)


def assignment(bank: Bank, roster_id: str | None, secret: bytes | None) -> dict[str, int]:
    """{question id: variant index} for every varying graded question; defaults without an id."""
    if roster_id is None or secret is None:
        return {q.id: 0 for q in varying(bank)}
    return {q.id: variant_index(secret, roster_id, q) for q in varying(bank)}


def variant_question(q: Question, index: int) -> Question:
    """Question ``q`` as variant ``index`` reads and is keyed: its prompt, title, feedback, answer."""
    if not q.variants or index == 0 and not q.template:
        return q
    inputs, key = q.variants[index]
    texts = _fill(q.template, inputs)
    feedback = texts.get("feedback", q.feedback)
    return replace(
        q,
        prompt=str(texts.get("prompt", q.prompt)).strip(),
        title=str(texts.get("title", q.title)),
        feedback={str(k): str(v) for k, v in feedback.items()},
        answer=key,
    )


def student_bank(bank: Bank, indices: dict[str, int]) -> Bank:
    """The bank as one student sees and is graded on it."""
    if not indices:
        return bank
    qs = tuple(variant_question(q, indices[q.id]) if q.id in indices else q for q in bank.questions)
    return replace(bank, questions=qs)


def describe(q: Question, index: int) -> str:
    """``year=2023``: a variant's inputs in a few characters."""
    return ", ".join(f"{k}={v}" for k, v in q.variants[index][0].items())


def recorded(bank: Bank, indices: dict[str, int]) -> dict[str, dict[str, Any]]:
    """What a result records of the student's variants, per answer variable."""
    out = {}
    for q in varying(bank):
        i = indices.get(q.id, 0)
        out[q.var] = {"index": i, "inputs": dict(q.variants[i][0]), "default": i == 0}
    return out


def other_matches(q: Question, index: int, value: Any) -> list[int]:
    """The other variants whose key this answer matches while it misses its own: a classmate's number."""
    if not q.variants or value is None:
        return []
    spec = q.spec()
    own, _ = scoring.score({**spec, "answer": q.variants[index][1]}, value)
    if own == 1.0:
        return []
    return [
        j
        for j, (_, key) in enumerate(q.variants)
        if j != index and scoring.score({**spec, "answer": key}, value)[0] == 1.0
    ]


def flag_matches(
    bank: Bank, indices: dict[str, int], answers: dict[str, Any], rows: list[dict[str, Any]]
) -> list[str]:
    """Mark each answer that is another variant's key; return the notes for the status message."""
    notes = []
    by_var = {r["question"]: r for r in rows}
    for q in varying(bank):
        if q.var not in answers or q.var not in by_var:
            continue
        i = indices.get(q.id, 0)
        hits = other_matches(q, i, answers[q.var])
        if not hits:
            continue
        others = "; ".join(describe(q, j) for j in hits)
        note = (
            f"{q.var} matches the key of another variant ({others}), not this student's ({describe(q, i)}): "
            "a classmate's number?"
        )
        by_var[q.var]["other_variant"] = [describe(q, j) for j in hits]
        notes.append(note)
    return notes


# ------------------------------------------------------------------ one notebook per student
@dataclass(frozen=True)
class Handout:
    """One student's release: the roster row it was made for, its folder, its variants."""

    submission: str
    roster_id: str
    folder: Path
    notebook: Path
    indices: dict[str, int]


def folder_name(submission: str) -> str:
    """A student's folder name, safe for any roster name (slashes, dots, control characters,
    unicode, very long names): percent-encoded as the grader's ``results/`` files are."""
    from .batch import result_path

    return result_path(Path("."), submission).name[: -len(".json")]


def _link_tree(source: Path, target: Path) -> None:
    """The shared support files beside a student's notebook: hard links where possible."""
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copyfile(path, dest)


def write_student_releases(bank: Bank, out: Path, students: list[Any], secret: bytes | None) -> list[Handout]:
    """One folder per roster student, ``<out>/chNN-students/<name>/``: the student's notebook
    (their own prompts) with the chapter's public files. ``students`` are roster rows
    (``submission`` and ``lms_id``). Raises :class:`VariantError` if the bank varies and there is
    no secret."""
    from .release import slug, student_notebook, write_support

    if varying(bank) and secret is None:
        raise VariantError(need_secret_message(bank, "casebook release"))
    root = Path(out) / f"{slug(bank)}-students"
    marker = root / ".casebook-students"
    if root.exists():
        if not marker.is_file():  # never delete a folder this function did not write
            raise VariantError(
                f"{root} exists and was not written by `casebook release --roster`; move it away"
            )
        shutil.rmtree(root)
    root.mkdir(parents=True)
    marker.write_text("written by casebook release --roster; replaced by the next one\n", encoding="utf-8")
    shared = root / ".support"
    write_support(bank, shared)  # the checks hold no answers and no variant: the same for all
    done = []
    for student in students:
        indices = assignment(bank, student.lms_id, secret)
        folder = root / folder_name(student.submission)
        _link_tree(shared, folder)
        notebook = folder / f"{slug(bank)}-exercises.ipynb"
        nbformat.write(student_notebook(student_bank(bank, indices)), notebook)
        done.append(Handout(student.submission, student.lms_id, folder, notebook, indices))
    shutil.rmtree(shared)
    return done


# ------------------------------------------------------------------ grading
@dataclass(frozen=True)
class Keys:
    """Who gets which variant when grading: the roster (``submission`` -> ``lms_id``) and the secret."""

    bank: Bank
    roster: dict[str, str]
    secret: bytes | None

    @classmethod
    def from_roster(cls, bank: Bank, students: list[Any] | None, secret: bytes | None) -> Keys:
        if students is not None and varying(bank) and secret is None:
            raise VariantError(need_secret_message(bank, "casebook grade"))
        return cls(bank, {s.submission: s.lms_id for s in students or []}, secret)

    def for_student(self, name: str) -> tuple[dict[str, int], str]:
        """The student's variants and a note for the status (empty when all is in order)."""
        if not varying(self.bank) or not self.roster:
            return assignment(self.bank, None, None), ""
        roster_id = self.roster.get(name)
        if roster_id is None:
            return assignment(self.bank, None, None), (
                "not on the roster: graded against the default variant of "
                + ", ".join(q.var for q in varying(self.bank))
            )
        return assignment(self.bank, roster_id, self.secret), ""

    def held(self) -> dict[str, dict[int, int]]:
        """{question var: {variant index: how many roster students hold it}}."""
        out: dict[str, dict[int, int]] = {}
        for roster_id in self.roster.values():
            for q in varying(self.bank):
                i = variant_index(self.secret, roster_id, q) if self.secret else 0
                out.setdefault(q.var, {}).setdefault(i, 0)
                out[q.var][i] += 1
        return out
