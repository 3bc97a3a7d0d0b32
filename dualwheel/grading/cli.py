"""``casebook``: the instructor's command-line tool for the exercises.

    casebook release 3            student notebook + public checks, solutions, otter master
    casebook release 3 --roster roster.csv --secret-file course.secret   one notebook per student
    casebook release --all
    casebook check alice.ipynb    the feedback a student would get for one notebook
    casebook grade submissions/   grade a folder in parallel -> gradebook.csv
    casebook review submissions-graded/   an offline page to mark the rubric answers
    casebook merge grading/gradebook.csv grading/manual_scores.csv
    casebook otter 3              build an otter-grader autograder zip (for otter/Gradescope)
    casebook export grading/gradebook-with-manual.csv --roster roster.csv --format canvas

Every command has ``--help``. Exit status: 0 on success, 1 on a problem with the input (the
message says what and where), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import batch, export, grade, release, sandbox, submission
from . import limits as table
from . import variants as var
from .files import clean_stale_temp, scrub, temp_folder, visible
from .questions import Bank, BankError, all_banks, bank_for


def _shown(path: Path) -> str:
    """A path for the terminal: its escapes, control characters and undecodable bytes shown escaped."""
    return visible(submission.shown_name(str(path)))


def _bank(chapter: int | None) -> Bank:
    if chapter is None:
        raise SystemExit("say which chapter with --chapter (e.g. --chapter 3)")
    try:
        return bank_for(chapter)
    except FileNotFoundError:
        raise SystemExit(f"no question bank for chapter {chapter} (exercises/ch{chapter:02d}.yml)") from None
    except BankError as exc:
        raise SystemExit(f"the question bank is broken: {exc}") from None


def _chapter_of(raw: bytes | None) -> int | None:
    """The chapter a release notebook names in its metadata, or None if it names none."""
    if raw is None:
        return None
    try:
        meta = json.loads(raw).get("metadata", {})
        return submission.chapter_number(meta["casebook"]["chapter"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
        return None


def _read(folder: Path, entry: submission.Entry) -> bytes | None:
    try:
        return submission.read_entry(folder, entry)
    except OSError:  # NotebookFileError included: a link, not a file, too big
        return None


def _class_chapter(folder: Path) -> tuple[int | None, str]:
    """The chapter a clear majority of the submissions in ``folder`` name, and how it was chosen.

    Each submission (a notebook, a zip, a student folder) is ONE vote, however many notebooks it
    holds; a submission whose notebooks disagree does not vote. The chapter must be named by
    more than half of the submissions that name one; otherwise (a tie, no majority, none named)
    the chapter is None and the text says why. A notebook for another chapter is that student's
    problem (flagged in its row), not the batch's."""
    per_entry: dict[str, set[int | None]] = {}
    for entry in submission.find_submissions(folder):
        top = entry.parts[0] if entry.parts else entry.source
        per_entry.setdefault(top, set()).add(_chapter_of(_read(folder, entry)))
    votes: dict[int, int] = {}
    for chapters in per_entry.values():
        named = chapters - {None}
        if len(named) == 1:
            (chapter,) = named
            votes[chapter] = votes.get(chapter, 0) + 1
    voters = sum(votes.values())
    if not votes:
        return None, "no notebook names its chapter"
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    tally = ", ".join(f"{n} for chapter {c}" for c, n in ranked[:4])
    chapter, count = ranked[0]
    if 2 * count <= voters:
        return None, f"no clear majority of the submissions ({tally})"
    return chapter, f"named by {count} of the {voters} submissions that name a chapter ({tally})"


def _graded_chapter(gradebook: Path) -> int | None:
    """The chapter the graded results beside ``gradebook`` (its ``results/`` folder) name, or None
    (no results, an unreadable first result, or none named): what merge and export default to."""
    results = gradebook.parent / "results"
    first = next(iter(sorted(results.glob("*.json"))), None) if results.is_dir() else None
    chapter = (batch.load_result(first) or {}).get("chapter") if first else None
    return chapter if isinstance(chapter, int) else None


def cmd_release(args: argparse.Namespace) -> int:
    try:
        banks = all_banks() if args.all or not args.chapters else [bank_for(c) for c in args.chapters]
    except (BankError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        students = export.read_roster(args.roster) if args.roster else None
        secret = var.read_secret(args.secret_file)
    except (export.ExportError, var.VariantError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if students is None and secret is not None and args.secret_file:
        print("error: --secret-file is for per-student releases: give --roster too", file=sys.stderr)
        return 1
    if students is not None:
        refused = [b for b in banks if var.varying(b) and secret is None]
        if refused:
            print(f"error: {var.need_secret_message(refused[0], 'casebook release')}", file=sys.stderr)
            return 1
    for bank in banks:
        paths = release.write_release(bank, args.out)
        print(f"Chapter {bank.chapter}: {len(bank.graded_questions)} questions, {bank.total_points:g} points")
        varying = ", ".join(q.var for q in var.varying(bank))
        if students is None:
            print(f"  for students:    {paths['student']}/  (hand out this folder)")
            if varying:
                print(f"  no --roster: every student gets the default variant of {varying}")
        else:
            handouts = var.write_student_releases(bank, args.out, students, secret)
            root = handouts[0].folder.parent
            print(f"  for students:    {root}/<student>/  ({len(handouts)} folders, one per roster student)")
            if varying:
                print(f"  per-student variants of {varying}, from the roster's lms_id and the course secret")
        print(f"  solutions:       {paths['solutions']}")
        print(f"  otter master:    {paths['master']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    path: Path = args.notebook
    if not path.is_file():
        print(f"error: {_shown(path)} is not a file", file=sys.stderr)
        return 1
    chapter = args.chapter
    if chapter is None:
        chapter = _chapter_of(_read(path.parent, submission.Entry(path.stem, path.name, parts=(path.name,))))
    bank = _bank(chapter)
    limits = sandbox.Limits(timeout=args.timeout, memory_mb=args.memory)
    clean_stale_temp()
    with temp_folder("check") as tmp:
        support = Path(tmp)
        release.write_support(bank, support)
        result = grade.grade_one(path, submission.shown_name(path.stem), bank, support, limits)
    for line in grade.iter_feedback(result, bank):  # one line each: no \r or \n can fake a line
        print(visible(scrub(line), one_line=True))
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"error: {_shown(folder)} is not a folder", file=sys.stderr)
        return 1
    chapter = args.chapter
    if chapter is None:
        chapter, why = _class_chapter(folder)
        if chapter is None:
            print(f"error: cannot tell the chapter ({why}); give --chapter", file=sys.stderr)
            return 1
        print(f"chapter {chapter}: {why}; give --chapter to choose another")  # even with --quiet
    else:
        print(f"chapter {chapter}: given with --chapter")
    bank = _bank(chapter)
    out = args.out or folder.parent / f"{folder.name}-graded"
    limits = sandbox.Limits(timeout=args.timeout, memory_mb=args.memory)
    try:
        students = export.read_roster(args.roster) if args.roster else None
        keys = var.Keys.from_roster(bank, students, var.read_secret(args.secret_file))
    except (export.ExportError, var.VariantError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if var.varying(bank) and students is None:
        print(
            f"no --roster: every student is graded on the default variant of "
            f"{', '.join(q.var for q in var.varying(bank))}"
        )
    try:
        report = batch.grade_folder(
            folder,
            bank,
            out,
            limits=limits,
            jobs=args.jobs,
            resume=not args.no_resume,
            progress=not args.quiet,
            keys=keys,
        )
    except submission.GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(sandbox.limit_mode(), file=sys.stderr)
    counts: dict[str, int] = {}
    for r in report.results.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"{len(report.results)} submissions ({report.graded} graded now, {report.skipped} already graded)")
    for status in submission.STATUSES:
        if status in counts:
            print(f"  {status:20} {counts[status]}")
    print(f"gradebook:          {_shown(report.gradebook)}")
    if any(q.manual for q in bank.graded_questions):
        print(f"rubric scores:      {_shown(report.manual_template)}  (fill 'points', then `casebook merge`)")
    print(f"one result each:    {_shown(out / 'results')}/")
    if report.interrupted:
        print(
            "interrupted: finished results are saved; run the same command again to grade the rest",
            file=sys.stderr,
        )
        return 130
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from . import gradebook

    book: Path = args.gradebook
    chapter = args.chapter if args.chapter is not None else _graded_chapter(book)
    bank = _bank(chapter)
    out = args.out or book.with_name(f"{book.stem}-with-manual.csv")
    try:
        merged = gradebook.merge_manual(book, args.manual, bank, out)
    except gradebook.MergeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"merged {merged} rubric scores -> {out}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from . import review

    folder: Path = args.folder
    try:
        if not folder.is_dir():
            raise review.ReviewError(f"{folder} is not a folder")
        results = review.load_results(folder)
        chapter = args.chapter if args.chapter is not None else review.chapter_of(results)
        if chapter is None:
            raise review.ReviewError("the results do not name their chapter: give --chapter")
        report = review.write_review(
            folder, _bank(chapter), args.out, step=args.step, force=args.force, results=results
        )
    except review.ReviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"marking page:       {report.page}  ({report.students} students, {report.questions} rubric "
        f"question{'s' if report.questions != 1 else ''}, {report.answers} answers"
        + (f", {report.prefilled} already scored in manual_scores.csv" if report.prefilled else "")
        + ")"
    )
    print("open it in a browser (no network needed); marks are kept in that browser as you type;")
    print("its Export button downloads manual_scores.csv for `casebook merge`")
    return 0


def cmd_otter(args: argparse.Namespace) -> int:
    bank = _bank(args.chapter)
    if var.varying(bank) and not args.default_variant:
        print(
            f"error: chapter {bank.chapter} has per-student variants "
            f"({', '.join(q.var for q in var.varying(bank))}); an otter autograder has one key per "
            "question, so it would mark every student who got another variant wrong. Grade with "
            "`casebook grade FOLDER --roster roster.csv --secret-file FILE` (per-student keys), or "
            "give --default-variant to build an autograder for a release made without --roster.",
            file=sys.stderr,
        )
        return 1
    try:
        zip_path = release.build_otter(bank, args.out)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"otter autograder: {zip_path}")
    print(f"otter student notebook: {zip_path.parent.parent / 'student'}/")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    assignment = args.assignment
    if assignment is None:  # the chapter, as `casebook merge` finds it: from the graded results
        chapter = _graded_chapter(args.gradebook)
        assignment = f"Chapter {chapter} exercises" if chapter is not None else "Casebook exercises"
    try:
        done, out, report = export.write_export(
            args.gradebook,
            args.roster,
            args.format,
            args.out,
            assignment=assignment,
            points_possible=args.points_possible,
            zero_missing=args.zero_missing,
            skip_unmatched=args.skip_unmatched,
            allow_pending=args.allow_pending,
            moodle_field=args.moodle_field,
            force=args.force,
        )
    except export.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in export.summary(done, args.format, args.moodle_field):
        print(line, file=sys.stderr)
    print(f"{args.format} import file: {out}")
    print(f"report (every student, problems first): {report}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="casebook",
        description="Exercises for the Alibaba casebook: release, check, grade, review, merge, export.",
        epilog="Run `casebook COMMAND --help` for each command's options.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "release",
        help="write student notebooks, solutions and otter masters",
        description="Generate, from exercises/chNN.yml, the student release (notebook "
        "without answers, public checks, data), the solutions and an otter master notebook.",
    )
    p.add_argument("chapters", nargs="*", type=int, metavar="CHAPTER", help="chapter numbers (default: all)")
    p.add_argument("--all", action="store_true", help="every chapter that has a question bank")
    p.add_argument(
        "--out", type=Path, default=Path("_build/exercises"), help="output folder (default: %(default)s)"
    )
    _roster_args(
        p,
        "also write one folder per roster student, OUT/chNN-students/<submission>/, "
        "with that student's variants",
    )
    p.set_defaults(func=cmd_release)

    p = sub.add_parser(
        "check",
        help="grade one notebook and print the student's feedback",
        description="Grade one submission in the sandbox and print what the student would see.",
        epilog=table.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("notebook", type=Path, help="a filled-in exercise notebook (.ipynb)")
    p.add_argument("--chapter", type=int, help="chapter number (default: read from the notebook)")
    _limits(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "grade",
        help="grade a folder of submissions into a gradebook",
        description="Grade every .ipynb in FOLDER (or FOLDER/<student>/*.ipynb), each in its "
        "own sandboxed process. Results are saved as each finishes; run again to resume.\n"
        "Temporary folders and cgroups left by a killed grader are removed when their grader "
        "is gone;\nthose of a grader in another pid namespace are left alone (remove them by hand).",
        epilog=table.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "folder", type=Path, help="folder of submissions; the file (or sub-folder) name is the student"
    )
    p.add_argument(
        "--chapter",
        type=int,
        help="chapter number (default: the one a clear majority of submissions name, one vote each)",
    )
    p.add_argument("--out", type=Path, help="output folder (default: FOLDER-graded next to FOLDER)")
    p.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default: %(default)s)")
    p.add_argument("--no-resume", action="store_true", help="regrade everything, even finished results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _roster_args(
        p,
        "grade each student on their own variants (the file or folder name is the roster's "
        "submission); without it, everyone on the default variant",
    )
    _limits(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "merge",
        help="merge rubric scores into the gradebook",
        description="Merge the instructor's rubric scores (manual_scores.csv, column "
        "'points') into the gradebook. Every row is checked; on any problem nothing is written.",
    )
    p.add_argument("gradebook", type=Path, help="gradebook.csv written by `casebook grade`")
    p.add_argument("manual", type=Path, help="the filled-in manual_scores.csv")
    p.add_argument("--chapter", type=int, help="chapter number (default: from the graded results)")
    p.add_argument("--out", type=Path, help="merged gradebook (default: GRADEBOOK-with-manual.csv)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser(
        "review",
        help="write an offline page to mark the rubric answers of a graded folder",
        description="Write one offline HTML page (FOLDER/review.html) that shows, per rubric "
        "question, every student's answer beside the criteria with a points box per criterion. "
        "Marks are kept in the browser; its Export button downloads the manual_scores.csv that "
        "`casebook merge` reads. Scores already in FOLDER/manual_scores.csv are shown.",
    )
    p.add_argument("folder", type=Path, help="the folder `casebook grade` wrote (it holds results/)")
    p.add_argument("--out", type=Path, help="the page (default: FOLDER/review.html)")
    p.add_argument("--chapter", type=int, help="chapter number (default: from the graded results)")
    p.add_argument(
        "--step", type=_positive, default=0.5, help="smallest mark a criterion takes (default: %(default)s)"
    )
    p.add_argument(
        "--force", action="store_true", help="replace --out even if it is not a page this command wrote"
    )
    p.set_defaults(func=cmd_review)

    p = sub.add_parser(
        "otter",
        help="build an otter-grader autograder for one chapter",
        description="Write the otter master notebook and run `otter assign` on it: the "
        "autograder zip works with `otter grade`, `otter run` and Gradescope.",
    )
    p.add_argument("chapter", type=int, help="chapter number")
    p.add_argument(
        "--out", type=Path, default=Path("_build/exercises"), help="output folder (default: %(default)s)"
    )
    p.add_argument(
        "--default-variant",
        action="store_true",
        help="for a chapter with per-student variants: key every question on its default variant "
        "(only for a release made without --roster)",
    )
    p.set_defaults(func=cmd_otter)

    p = sub.add_parser(
        "export",
        help="turn the merged gradebook into a Canvas, Moodle or plain CSV to upload",
        description="Write the gradebook in a learning platform's import format, using a roster "
        "that maps each submission name to the student's user id on the platform, and a report "
        "beside it that lists every student once. A student on the roster with no submission gets "
        "an empty grade (not 0); a graded student not on the roster stops the export (nothing is "
        "written) until the roster has them or --skip-unmatched is given. Roster columns: "
        + export.ROSTER_HELP,
    )
    p.add_argument("gradebook", type=Path, help="the merged gradebook (`casebook merge`), or gradebook.csv")
    p.add_argument("--roster", type=Path, required=True, help="roster CSV: submission, lms_id, name, ...")
    p.add_argument("--format", choices=export.FORMATS, required=True, help="the platform's format")
    p.add_argument(
        "--out", type=Path, help="file to write (default: GRADEBOOK-FORMAT.csv next to the gradebook)"
    )
    p.add_argument(
        "--assignment",
        help="the assignment's column; for Canvas, 'Title (ID)' as in Canvas's export updates that "
        "assignment, a bare title matches one of that title or makes a new one "
        "(default: 'Chapter N exercises')",
    )
    p.add_argument(
        "--points-possible",
        type=_positive,
        help="the assignment's points on the platform; scores are scaled to it (default: the gradebook's max_points)",
    )
    p.add_argument(
        "--zero-missing",
        action="store_true",
        help="give 0, not an empty grade, to students with no submission",
    )
    p.add_argument(
        "--skip-unmatched",
        action="store_true",
        help="export even if graded students are not on the roster (they stay in the report and the plain file)",
    )
    p.add_argument(
        "--allow-pending",
        action="store_true",
        help="export even if rubric answers are not scored yet (their grade is left empty)",
    )
    p.add_argument(
        "--moodle-field",
        choices=list(export.MOODLE_FIELDS),
        default="idnumber",
        help="Moodle user field the roster's lms_id holds ('email' uses the roster's email column) "
        "(default: %(default)s)",
    )
    p.add_argument("--force", action="store_true", help="replace the output file and report if they exist")
    p.set_defaults(func=cmd_export)
    return top


def _roster_args(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--roster", type=Path, help=f"roster CSV (submission, lms_id, name, ...): {what}")
    p.add_argument(
        "--secret-file",
        type=Path,
        help=f"the course secret that picks each student's variants (default: ${var.SECRET_ENV}); "
        "the same for release and grade, never handed out",
    )


def _limits(p: argparse.ArgumentParser) -> None:
    d = sandbox.Limits()
    p.add_argument(
        "--timeout",
        type=_positive,
        default=d.timeout,
        help="seconds each notebook may run (default: %(default)s)",
    )
    p.add_argument(
        "--memory", type=int, default=d.memory_mb, help="memory per notebook, in MB (default: %(default)s)"
    )


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
