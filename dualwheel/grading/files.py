"""What the grader writes: files that a crash never leaves half-written, with no secret and no
control character in them.

Student code runs in a sandbox that cannot see the grader's environment (see
:mod:`dualwheel.grading.sandbox`). As a second wall, every string that leaves the grader
(feedback, ``results/*.json``, ``gradebook.csv``, ``manual_scores.csv``, what ``casebook
check`` prints) goes through :func:`scrub`, which

* replaces the grader's **secrets** with ``[redacted]``: the value of every environment
  variable whose *name* says it is secret (``*TOKEN*``, ``*SECRET*``, ``*KEY*``,
  ``*PASSWORD*``...), and every value that *looks random* (a run of hex digits, or a long mix
  of letters and digits, as tokens and keys are). Ordinary values are kept: with
  ``USERNAME=zhang_wei`` the student ``zhang_wei`` keeps their name, with
  ``CONDA_DEFAULT_ENV=finance`` a memo keeps the word "finance";
* shows student text **escaped** (:func:`visible`): a control character (an ANSI or OSC
  terminal sequence, a bell, a NUL), a Unicode bidirectional override and a lone surrogate
  (what a file name that is not UTF-8, or a broken string, decodes to) become visible text such
  as ``\\x1b`` or ``\\udcd5``, so no terminal, CSV, JSON or HTML reader acts on them and no
  writer crashes on them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

REDACTED = "[redacted]"
#: Variables whose values are ordinary words or paths, not secrets (scrubbing them would
#: mangle honest answers that happen to contain them).
PLAIN = {
    "HOME", "PATH", "PWD", "OLDPWD", "SHELL", "TERM", "LANG", "LANGUAGE", "USER", "LOGNAME",
    "SHLVL", "HOSTNAME", "TZ", "COLUMNS", "LINES", "_", "COLORTERM", "TERM_PROGRAM",
    "PYTEST_CURRENT_TEST", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHASHSEED", "TMPDIR", "EDITOR",
    "PAGER", "MPLBACKEND", "MPLCONFIGDIR", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "LS_COLORS",
}  # fmt: skip
#: A variable whose name says it holds a secret: its value is redacted whatever it looks like.
SECRET_NAME = re.compile(r"TOKEN|SECRET|KEY|PASSW|PASSPHRASE|CREDENTIAL|PRIVATE|AUTH|COOKIE|SESSION", re.I)
MIN_SECRET = 6  # shorter values ("1", "yes", "true") are not secrets and would mangle text
#: A value that looks random (a token, a key, a hash) is a secret whatever its variable is named:
#: a run of 8 or more hex digits with at least 3 digits and a letter, or a run of 16 or more
#: letters and digits (base64 too) with at least 4 digits, or of 24 or more mixing digits and
#: both cases.
_HEX_RUN = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[0-9][0-9a-fA-F]*[0-9][0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}(?![0-9A-Za-z])"
)
_ALNUM_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}")


def looks_random(value: str) -> bool:
    """Whether an environment value looks like a token or a key rather than a word or a path."""
    if len(value) < 8 or any(c.isspace() for c in value) or value.startswith(("/", "~", ".")):
        return False
    if _HEX_RUN.search(value):
        return True
    for run in _ALNUM_RUN.findall(value):
        digits = sum(c.isdigit() for c in run)
        if digits >= 4 and any(c.isalpha() for c in run):
            return True
        if len(run) >= 24 and digits and any(c.islower() for c in run) and any(c.isupper() for c in run):
            return True
    return False


def is_secret(name: str, value: str) -> bool:
    """Whether the grader's environment variable ``name=value`` is a secret to keep out of outputs."""
    if name in PLAIN or name.startswith("LC_") or len(value) < MIN_SECRET:
        return False
    return bool(SECRET_NAME.search(name)) or looks_random(value)


@lru_cache(maxsize=4)
def _pattern(items: frozenset[tuple[str, str]]) -> re.Pattern[str] | None:
    values = {v for k, v in items if is_secret(k, v)}
    if not values:
        return None
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))


#: What :func:`visible` escapes: C0 and C1 control characters (but tab, line feed and carriage
#: return), DEL, the bidirectional overrides and isolates, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BREAKS = re.compile(r"[\t\r\n]+")
#: A carriage return that does not end a line (``\r\n``): a CSV reader and a terminal both act
#: on it (a new row; a line written over), so it is shown escaped.
_LONE_CR = re.compile(r"\r(?!\n)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with nothing a terminal, a CSV, JSON or HTML reader could act on: every control
    character, bidirectional override and lone surrogate shown escaped (``\\x1b``, ``\\u202e``,
    ``\\udcd5``). Tabs and line breaks are kept (a lone carriage return, which a CSV reader
    takes for a new row, is shown as ``\\x0d``), or with ``one_line`` each run of them becomes a
    space. The one function for this: the grader's files, ``casebook check`` and ``casebook
    export`` all use it."""
    text = _UNSAFE.sub(_escape, text)
    return _BREAKS.sub(" ", text) if one_line else _LONE_CR.sub(r"\\x0d", text)


def redact(text: str) -> str:
    """``text`` with the grader's secrets replaced by ``[redacted]`` (and nothing else changed)."""
    pattern = _pattern(frozenset(os.environ.items()))
    return pattern.sub(REDACTED, text) if pattern is not None else text


def scrub(data: Any) -> Any:
    """``data`` (text, or lists and dictionaries of it) with the grader's secrets redacted and
    every string made :func:`visible`."""
    return _scrub(data, _pattern(frozenset(os.environ.items())))


def _scrub(data: Any, pattern: re.Pattern[str] | None) -> Any:
    if isinstance(data, str):
        text = visible(data)
        return pattern.sub(REDACTED, text) if pattern is not None else text
    if isinstance(data, list | tuple):
        return [_scrub(x, pattern) for x in data]
    if isinstance(data, dict):
        return {_scrub(k, pattern): _scrub(v, pattern) for k, v in data.items()}
    return data


#: The grader's temporary folders are named ``casebook-<job>-<owner token>-<random>`` (the token
#: is the grader's pid, pid namespace and start time, see ``cgroups.owner_token``): after a
#: grader is killed (SIGKILL leaves it no time to clean up), the next one removes those whose
#: grader is gone. A folder of a grader in another pid namespace (a container sharing /tmp), or
#: with an older name, is left alone.
TEMP_PREFIX = "casebook-"


def temp_folder(job: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for one ``casebook`` command, marked with this grader's owner token."""
    from .cgroups import owner_token

    return tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{job}-{owner_token()}-")


def clean_stale_temp(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of graders that were killed (``cgroups.owner_gone``)."""
    from .cgroups import owner_gone

    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        match = re.fullmatch(rf"{TEMP_PREFIX}(?:grade|check)-([0-9.]+)-\w+", name)
        if not match or not owner_gone(match.group(1)):
            continue
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
    return removed


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(scrub(text))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
