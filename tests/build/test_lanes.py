"""``python -m dualwheel.publish all`` (make test) builds two editions at a time: builds that share
a Sphinx environment stay in one lane, and the stamps the builds read are never seen half-written."""

from __future__ import annotations

import os
import subprocess
import sys

from dualwheel.publish import ROOT, lanes, write_stamp


def test_every_edition_is_built_once_and_builds_sharing_doctrees_share_a_lane():
    steps = [tuple(s) for lane in lanes.LANES.values() for s in lane]
    assert sorted(steps) == sorted(
        [
            ("html",),
            ("pdf", "--edition", "instructor"),
            ("student",),
            ("after-class",),
            ("pdf", "--edition", "student"),
        ]
    )
    where = {s: name for name, lane in lanes.LANES.items() for s in map(tuple, lane)}
    # _build/.doctrees: the instructor HTML and PDF; _build/student/_build/.doctrees: the student's
    assert where[("html",)] == where[("pdf", "--edition", "instructor")]
    assert where[("student",)] == where[("pdf", "--edition", "student")]
    assert len(lanes.LANES) == 2  # two cores


def test_a_stamp_is_rewritten_only_when_it_changes_and_never_left_half_written(tmp_path):
    stamp = tmp_path / ".casebook-deps"
    write_stamp(stamp, "abc")
    assert stamp.read_text() == "abc"
    os.utime(stamp, ns=(1, 1))
    write_stamp(stamp, "abc")  # unchanged: not touched, so a reader never meets an empty file
    assert stamp.stat().st_mtime_ns == 1
    write_stamp(stamp, "def")
    assert stamp.read_text() == "def"
    assert [p.name for p in tmp_path.iterdir()] == [".casebook-deps"]  # no .part left


def test_the_all_command_has_help():
    done = subprocess.run(
        [sys.executable, "-m", "dualwheel.publish", "all", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "two lanes" in done.stdout and "bundles" in done.stdout
