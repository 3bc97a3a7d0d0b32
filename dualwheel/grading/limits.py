"""Every limit of the grader, in one table: the code, ``casebook grade --help`` and the README
(its "Limits" section, checked by a test) all read it from here.

The limits are set so that an honest notebook never meets one (a 200,000-character cell or a
notebook of 500 cells is graded as any other); they are there so that one hostile submission
cannot stop or starve a batch. Going over one always gives a status and a message that name it
(``limit 'cells'``): nothing is ever skipped without a word.

    python -m dualwheel.grading.limits     prints the table as it appears in the README
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    key: str  # its name in messages: "limit 'cells'"
    value: int
    unit: str
    what: str  # what is limited
    over: str  # what happens to a submission that goes over it
    option: str = ""  # the command-line option that changes it, if any

    @property
    def shown(self) -> str:
        return f"{self.value:,} {self.unit}"


TABLE: tuple[Limit, ...] = (
    Limit("time", 30, "s", "wall-clock time of one notebook", "`timeout`; the answers reached are graded", "--timeout"),
    Limit(
        "memory", 2048, "MB", "memory of the notebook and every process it starts, together",
        "`memory_limit`; the answers reached are graded", "--memory",
    ),
    Limit(
        "processes", 64, "processes and threads", "processes and threads of the notebook, together",
        "starting one more raises an error in that cell (`graded_with_errors`)",
    ),
    Limit(
        "output", 1_000_000, "bytes", "raw output written by the notebook's processes",
        "`output_limit`: stopped; the answers reached are graded",
    ),
    Limit(
        "printed text", 65_536, "characters", "printed text kept (outputs are never graded)",
        "the rest is dropped; the message says so, the status is unchanged",
    ),
    Limit(
        "temporary files", 64, "MB", "the notebook's private /tmp, and any one file it writes",
        "writing more raises an error in that cell (`graded_with_errors`)",
    ),
    Limit(
        "open files", 256, "files", "files open at once",
        "opening one more raises an error in that cell (`graded_with_errors`)",
    ),
    Limit(
        "file size", 50_000_000, "bytes", "a notebook file, saved outputs included",
        "`invalid_submission`, not read",
    ),
    Limit(
        "code", 5_000_000, "characters", "the code of all cells together (saved outputs do not count)",
        "`invalid_submission`, not run",
    ),
    # 5,000: measured, 10,000 small cells that each show a DataFrame took 27 s of the 30 s time
    # limit on a shared 2-core machine; 5,000 took 16 s.
    Limit("cells", 5_000, "cells", "cells of one notebook", "`invalid_submission`, not run"),
    Limit(
        "folder depth", 3, "folders", "folders searched for a notebook inside a student's folder",
        "a notebook deeper down is listed as not searched (`needs_review`)",
    ),
    Limit(
        "archive entries", 10_000, "entries", "entries of a zip archive",
        "`invalid_submission`, not read",
    ),
)  # fmt: skip

VALUE = {limit.key: limit.value for limit in TABLE}
BY_KEY = {limit.key: limit for limit in TABLE}

TIMEOUT = float(VALUE["time"])
MEMORY_MB = VALUE["memory"]
PROCESSES = VALUE["processes"]
OUTPUT_BYTES = VALUE["output"]
PRINT_CHARS = VALUE["printed text"]
TMP_MB = VALUE["temporary files"]
OPEN_FILES = VALUE["open files"]
MAX_FILE_BYTES = VALUE["file size"]
MAX_CODE_CHARS = VALUE["code"]
MAX_CELLS = VALUE["cells"]
MAX_DEPTH = VALUE["folder depth"]
MAX_ZIP_MEMBERS = VALUE["archive entries"]


def named(key: str, value: float | None = None) -> str:
    """The limit as a message names it: ``the limit is 5,000 cells (limit 'cells')``."""
    limit = BY_KEY[key]
    if value is None:
        shown = limit.shown
    else:
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        shown = f"{number} {limit.unit}"
    option = f", {limit.option}" if limit.option else ""
    return f"the limit is {shown} (limit '{key}'{option})"


def markdown() -> str:
    """The README's table of limits."""
    rows = ["| limit | value | what it limits | over it |", "|---|---|---|---|"]
    for limit in TABLE:
        option = f" (`{limit.option}`)" if limit.option else ""
        rows.append(f"| `{limit.key}` | {limit.shown}{option} | {limit.what} | {limit.over} |")
    return "\n".join(rows) + "\n"


def help_text() -> str:
    """The epilog of ``casebook grade --help`` and ``casebook check --help``."""
    lines = ["limits (each names itself in the message of a submission that goes over it):"]
    for limit in TABLE:
        option = f" [{limit.option}]" if limit.option else ""
        lines.append(f"  {limit.key + ':':17} {limit.shown}{option}: {limit.what}; over it: {limit.over}")
    return "\n".join(line.replace("`", "") for line in lines)


if __name__ == "__main__":
    print(markdown(), end="")
