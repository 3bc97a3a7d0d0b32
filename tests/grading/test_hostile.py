"""Any class folder grades (issue 25): every submission isolated, whatever its name, bytes or
output; finished notebooks never a timeout; limits that name themselves; no control character in
any output; scrubbing of secrets only; a sandbox that shows no host path and forbids user
namespaces; what a killed grader leaves is cleaned by the next run.

The cases are in ``fixtures/make_submissions.py`` (``CASES`` and ``write_tricks``); the whole
class folder is graded in one run (``graded_corpus``, ``conftest.py``) with one row per entry.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from graded import FAST, _outputs, _q, corpus

from dualwheel.grading import batch, files, sandbox, submission

pytestmark = pytest.mark.sandbox

CLI = [sys.executable, "-m", "dualwheel.grading.cli"]


def test_a_finished_notebook_is_not_a_timeout(graded_corpus):
    """A thread that never ends and an exit handler that never returns: every cell ran, so the
    notebook is graded at once, and the message says what the grader ended."""
    r = graded_corpus["report"].results["lingers"]
    assert (r["status"], r["auto_total"]) == ("graded", 11)
    assert "1 thread(s) still running" in r["message"] and "1 exit handler(s)" in r["message"]
    assert r["seconds"] < FAST.timeout / 2


def test_names_that_are_not_utf8_are_kept_escaped_and_reversible(graded_corpus):
    r = graded_corpus["report"].results
    assert r[corpus.GBK_SHOWN]["status"] == "graded" and r[corpus.GBK_SHOWN]["auto_total"] == 11
    assert submission.name_bytes(corpus.GBK_SHOWN) == corpus.GBK_NAME  # the file's own bytes
    assert submission.name_bytes(corpus.GBK_SHOWN).decode("gbk") == "张三"
    assert batch.result_path(graded_corpus["out"], corpus.GBK_SHOWN).exists()
    rows = list(csv.DictReader(open(graded_corpus["out"] / "gradebook.csv", encoding="utf-8")))
    assert corpus.GBK_SHOWN in [row["student"] for row in rows]


def test_lone_surrogates_in_memos_and_errors_never_crash(graded_corpus):
    r = graded_corpus["report"].results
    memo = _q(r["surrogate_memo"], "q6")["answer"]
    assert memo == "My memo \\ud800 on finance \\udcd5\\udcc5 ends here."
    assert r["surrogate_error"]["status"] == "graded_with_errors"
    assert "ValueError: bad name \\udcd5\\udcc5\\ud800" in r["surrogate_error"]["message"]


#: What no output may hold raw: control characters (but tab and line breaks), bidirectional
#: overrides, lone surrogates (a file holding one would not even be UTF-8).
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_no_control_character_reaches_any_output(graded_corpus):
    """Terminal escapes in file names, error messages and memos are shown escaped in every CSV
    and JSON file (which all read back as strict UTF-8)."""
    for path in _outputs(graded_corpus["out"]):
        text = path.read_text(encoding="utf-8", errors="strict")
        assert not RAW.search(text), (path.name, RAW.search(text))
    r = graded_corpus["report"].results
    assert "\\x1b[2Jclears_screen" in r and r["\\x1b[2Jclears_screen"]["status"] == "graded"
    assert "RuntimeError: \\x1b]52;c;SGVsbG8=\\x07\\x1b[2J" in r["terminal_escapes"]["message"]
    assert _q(r["terminal_escapes"], "q6")["answer"].startswith("\\x1b[31mred memo\\x1b[0m")
    book = (graded_corpus["out"] / "gradebook.csv").read_text(encoding="utf-8")
    assert "\\x1b[2Jclears_screen" in book and "\\x1b]52" in book


def test_check_prints_no_terminal_escape(tmp_path):
    """`casebook check` prints a student's escapes as text: no clear screen, title or clipboard."""
    path = tmp_path / "\x1b[2Jescape.ipynb"
    shutil.copy(corpus.CORPUS / "terminal_escapes.ipynb", path)
    done = subprocess.run(CLI + ["check", str(path)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout + done.stderr and b"\x07" not in done.stdout
    assert b"\\x1b]52;c;SGVsbG8=" in done.stdout


def test_limits_are_generous_and_name_themselves(graded_corpus):
    r = graded_corpus["report"].results
    assert (r["long_cell"]["status"], r["long_cell"]["auto_total"]) == (
        "graded",
        11,
    )  # a 210,000-character cell
    assert (r["many_cells"]["status"], r["many_cells"]["auto_total"]) == ("graded", 11)  # 600 cells
    assert "the limit is 5,000 cells (limit 'cells')" in r["too_many_cells"]["message"]
    assert "deleted" not in r["too_many_cells"]["message"]
    assert "not searched: deeper than 3 folders" in r["deep"]["message"]


def test_a_chapter_written_as_text_is_that_chapter(graded_corpus):
    r = graded_corpus["report"].results["chapter_as_text"]
    assert (r["status"], r["message"], r["auto_total"]) == ("graded", "", 11)


def test_student_code_cannot_make_a_user_namespace(graded_corpus):
    found = _q(graded_corpus["report"].results["makes_user_namespace"], "q6")["answer"]
    assert found.startswith("unshare(CLONE_NEWUSER): refused")
    assert "unshare --user: allowed" not in found


def test_student_code_sees_no_host_path(graded_corpus):
    """The checkout, its virtual environment, the Python installation and the grader's temporary
    folder are nowhere in what the sandbox shows; /etc/passwd is made up; there is no /proc."""
    seen = _q(graded_corpus["report"].results["probes_host_paths"], "q6")["answer"]
    checkout = str(Path(submission.__file__).resolve().parents[2])
    for host in (
        checkout,
        sys.prefix,
        os.path.realpath(sys.base_prefix),
        "casebook-grade-",
        str(graded_corpus["out"]),
    ):
        if not sandbox._under_system(host):
            assert host not in seen, host
    assert "/proc/self/mountinfo: FileNotFoundError" in seen and "/proc/1/cmdline: FileNotFoundError" in seen
    passwd = seen.split("/etc/passwd=")[1].split(" | ")[0]
    assert {line.split(":")[0] for line in passwd.split()} <= {"root", "nobody", "student"}
    assert "/grader/dualwheel/__init__.py" in seen and "/submission/casebook_scoring.py" in seen
    assert "host=sandbox" in seen


def test_scrubbing_keeps_names_and_words_that_are_not_secrets(graded_corpus):
    """The corpus was graded with USERNAME=zhang_wei and CONDA_DEFAULT_ENV=finance: the student
    zhang_wei keeps their name (and is not regraded on a resume), memos keep the word."""
    r = graded_corpus["report"].results
    assert "zhang_wei" in r and r["zhang_wei"]["student"] == "zhang_wei"
    assert _q(r["zhang_wei"], "q6")["answer"] == "The finance team of zhang_wei reads the AIDC figures."
    text = "\n".join(p.read_text(encoding="utf-8") for p in _outputs(graded_corpus["out"]))
    assert "[redacted]" not in text


def test_the_next_run_cleans_what_a_killed_grader_left(tmp_path):
    """Temporary folders and cgroups are named with their grader's pid, pid namespace and start
    time; those whose grader is gone (dead, or its pid reused by a later process) are removed,
    those of a live grader, of a grader in another pid namespace, or with an older name kept."""
    from dualwheel.grading import cgroups

    dead = subprocess.Popen(["true"])
    dead.wait()
    ns, parent = cgroups.pid_namespace(), os.getppid()
    started = cgroups.start_time(parent)
    names = {
        "stale": f"casebook-grade-{dead.pid}.{ns}.123-x1",
        "reused": f"casebook-check-{parent}.{ns}.{started + 1}-x3",
        "live": f"casebook-grade-{parent}.{ns}.{started}-x2",
        "other_namespace": f"casebook-grade-{dead.pid}.{ns + 1}.123-x4",
        "older_name": f"casebook-grade-{dead.pid}-x5",
    }
    for name in names.values():
        (tmp_path / name / "public").mkdir(parents=True)
    removed = files.clean_stale_temp(tmp_path)
    assert sorted(p.name for p in removed) == sorted([names["stale"], names["reused"]])
    assert all((tmp_path / names[k]).exists() for k in ("live", "other_namespace", "older_name"))
    with files.temp_folder("grade") as mine:
        assert cgroups.owner_token() in mine and not cgroups.owner_gone(cgroups.owner_token())
    parents = sandbox._parents()
    if parents is None:
        pytest.skip("no cgroup can be created here")
    gone, other = (
        f"casebook-{dead.pid}.{ns}.123-abcdef012345",
        f"casebook-{dead.pid}.{ns + 1}.123-abcdef012345",
    )
    made = [p / n for p in dict.fromkeys(parents.values()) for n in (gone, other)]
    for d in made:
        d.mkdir()
    try:
        assert gone in sandbox.clean_stale_groups()
        assert all(d.exists() == (d.name == other) for d in made)
    finally:
        for d in made:
            if d.exists():
                d.rmdir()
