"""Per-student variants end to end (issue 24 §4): release one notebook per roster student, grade
each on their own key, flag a classmate's number; nothing in the notebook picks the variant."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest
from banks import bank_dict, write_bank

from dualwheel.grading import batch, cli, grade, gradebook, variants
from dualwheel.grading.export import read_roster
from dualwheel.grading.questions import load_bank
from dualwheel.grading.sandbox import RunOutcome
from dualwheel.grading.text import solutions_markdown

SECRET = b"course-secret-for-tests-0123456789"
HOSTILE = [
    "../../escape",
    "a/b\\c",
    "\x1b[2Jclear",
    "张三",
    ".hidden",
    "e\u0301",  # a decomposed é
    "\u202eevil",
    "x" * 300,
    "con",
]


@pytest.fixture
def bank(tmp_path):
    return load_bank(write_bank(tmp_path, bank_dict()))


def roster_file(folder: Path, names: list[str]) -> Path:
    path = folder / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "lms_id", "name"])
        for i, n in enumerate(names):
            w.writerow([n, str(1000 + i), f"Student {i}"])
    return path


def two_students_apart(bank) -> tuple[str, str]:
    """Two roster ids whose variants of q1 differ (the HMAC spreads them; find the first pair)."""
    q = bank.get("ch03-q1-aidc-share")
    ids = [str(1000 + i) for i in range(50)]
    first = ids[0]
    other = next(
        i for i in ids[1:] if variants.variant_index(SECRET, i, q) != variants.variant_index(SECRET, first, q)
    )
    return first, other


def test_variant_comes_from_secret_and_roster_id_only(bank):
    q = bank.get("ch03-q1-aidc-share")
    picks = [variants.variant_index(SECRET, str(i), q) for i in range(300)]
    assert set(picks) == {0, 1, 2}  # every variant is used
    assert all(p >= 0 for p in picks) and min(picks.count(i) for i in range(3)) > 60  # spread evenly
    assert picks == [variants.variant_index(SECRET, str(i), q) for i in range(300)]  # deterministic
    other = [variants.variant_index(b"another-course-secret-987654321", str(i), q) for i in range(300)]
    assert other != picks  # another secret, other variants
    assert variants.assignment(bank, "1000", None) == {"ch03-q1-aidc-share": 0}  # default


def test_two_students_get_different_numbers_in_their_own_notebooks(bank, tmp_path):
    names = [f"s{i}" for i in range(50)]
    students = read_roster(roster_file(tmp_path, names))
    handouts = variants.write_student_releases(bank, tmp_path / "out", students, SECRET)
    assert len(handouts) == 50
    a, b = two_students_apart(bank)
    ha = next(h for h in handouts if h.roster_id == a)
    hb = next(h for h in handouts if h.roster_id == b)
    q = bank.get("ch03-q1-aidc-share")
    ya, yb = (q.variants[h.indices[q.id]][0]["year"] for h in (ha, hb))
    assert ya != yb
    texta, textb = ha.notebook.read_text(encoding="utf-8"), hb.notebook.read_text(encoding="utf-8")
    assert f"FY{ya}" in texta and f"FY{yb}" not in texta.split("AIDC share")[1].split("Question 2")[0]
    assert f"FY{yb}" in textb
    for h in (ha, hb):  # the public files beside each notebook, and no answer key
        assert (h.folder / "ch03_checks.py").is_file() and (h.folder / "data").is_dir()
        assert "look_for" not in h.notebook.read_text(encoding="utf-8")
    assert not (tmp_path / "out" / "ch03-students" / ".support").exists()
    # releasing again replaces its own folder; a folder it did not write is never deleted
    assert len(variants.write_student_releases(bank, tmp_path / "out", students[:3], SECRET)) == 3
    assert len(list((tmp_path / "out" / "ch03-students").iterdir())) == 4  # 3 students + the marker
    foreign = tmp_path / "other" / "ch03-students"
    foreign.mkdir(parents=True)
    with pytest.raises(variants.VariantError, match="was not written by"):
        variants.write_student_releases(bank, tmp_path / "other", students, SECRET)
    assert foreign.is_dir()


def test_release_refuses_a_varying_bank_without_a_secret(bank, tmp_path, monkeypatch, capsys):
    students = read_roster(roster_file(tmp_path, ["s1"]))
    with pytest.raises(variants.VariantError, match="--secret-file"):
        variants.write_student_releases(bank, tmp_path / "out", students, None)
    monkeypatch.setattr(cli, "bank_for", lambda n: bank)
    monkeypatch.delenv(variants.SECRET_ENV, raising=False)
    code = cli.main(["release", "3", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1 and "per-student variants (q1)" in err and variants.SECRET_ENV in err
    short = tmp_path / "short.secret"
    short.write_text("abc")
    code = cli.main(["release", "3", "--roster", str(tmp_path / "roster.csv"), "--secret-file", str(short)])
    assert code == 1 and "at least 16" in capsys.readouterr().err
    monkeypatch.setenv(variants.SECRET_ENV, SECRET.decode())
    assert (
        cli.main(["release", "3", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "o")])
        == 0
    )
    said = capsys.readouterr().out
    assert "1 folders, one per roster student" in said and "per-student variants of q1" in said
    assert cli.main(["release", "3", "--out", str(tmp_path / "o2")]) == 0
    assert "no --roster: every student gets the default variant of q1" in capsys.readouterr().out


def test_hostile_roster_ids_stay_inside_the_release_folder(bank, tmp_path):
    students = read_roster(roster_file(tmp_path, HOSTILE))
    root = tmp_path / "out" / "ch03-students"
    handouts = variants.write_student_releases(bank, tmp_path / "out", students, SECRET)
    folders = [h.folder for h in handouts]
    assert len(set(folders)) == len(HOSTILE)
    for f in folders:
        assert f.parent == root and f.is_dir() and not f.name.startswith(".")
        assert all(ch.isprintable() and ch not in "/\\" for ch in f.name) and len(f.name) < 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ch03.yml", "out", "roster.csv"]


def fake_run(answers_by_file: dict[str, dict]):
    """Stands in for the sandbox: reports the answers a student's notebook would (by its file)."""

    def run(cells, names, support, limits):
        key = next(c["source"] for c in cells if "MARK" in c["source"]).split("MARK ")[1].split()[0]
        return RunOutcome(dict(answers_by_file[key]), [], True, None, None, False, 0.01)

    return run


def submit(
    folder: Path, name: str, answers: dict, prompt: str | None = None, meta: dict | None = None
) -> Path:
    from dualwheel.grading.release import _cell  # nbformat's cells; nbformat.write checks the notebook

    nb = nbformat.v4.new_notebook(metadata={"casebook": {"chapter": 3, **(meta or {})}})
    cells = [_cell("code", f"# MARK {len(list(folder.glob('*.ipynb')))}")]
    if prompt:
        cells.append(_cell("markdown", prompt))
    for var, value in {"q1": None, "q2": "", "q3": "", "q4": "", **answers}.items():
        cells.append(
            _cell("code", f"{var} = {value!r}", metadata={"casebook": {"question": var, "role": "answer"}})
        )
    nb.cells = cells
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_roster_of_300_releases_and_grades_each_on_their_own_key(bank, tmp_path, monkeypatch):
    names = [f"student{i:03d}" for i in range(300)]
    students = read_roster(roster_file(tmp_path, names))
    handouts = variants.write_student_releases(bank, tmp_path / "out", students, SECRET)
    keys = variants.Keys.from_roster(bank, students, SECRET)
    q = bank.get("ch03-q1-aidc-share")
    subs = tmp_path / "subs"
    by_file, own = {}, {}
    for n, h in enumerate(handouts):
        own[h.submission] = q.variants[h.indices[q.id]][1]
        submit(subs, h.submission, {"q1": 0.0})
        by_file[str(n)] = {"q1": round(own[h.submission], 1), "q2": "b"}
    # two classmates swap their q1 answers (students whose variants differ)
    a, b = (
        (h.submission for h in handouts[:2])
        if handouts[0].indices != handouts[1].indices
        else (
            handouts[0].submission,
            next(h.submission for h in handouts if h.indices != handouts[0].indices),
        )
    )
    ia, ib = names.index(a), names.index(b)
    by_file[str(ia)]["q1"], by_file[str(ib)]["q1"] = by_file[str(ib)]["q1"], by_file[str(ia)]["q1"]
    monkeypatch.setattr(grade, "run_cells", fake_run(by_file))
    report = batch.grade_folder(subs, bank, tmp_path / "graded", jobs=2, progress=False, keys=keys)
    assert len(report.results) == 300
    right = [s for s, r in report.results.items() if r["questions"][0]["points"] == 2]
    assert len(right) == 298 and a not in right and b not in right
    for s in (a, b):
        r = report.results[s]
        assert r["status"] == "needs_review" and "matches the key of another variant" in r["message"]
        assert r["questions"][0]["other_variant"]
    for s in right:
        assert report.results[s]["status"] == "graded"
        assert report.results[s]["variants"]["q1"]["inputs"]["year"] in (2022, 2023, 2024)
    rows = list(csv.DictReader(report.gradebook.open(encoding="utf-8")))
    assert rows[0].keys() >= {"variants", "q1", "status"}
    assert all(r["variants"].startswith("q1: year=20") for r in rows)
    # the default variant is only the default for students not on the roster
    assert {r["variants"].endswith("(default)") for r in rows} == {True, False}


def test_without_a_roster_everyone_is_graded_on_the_default_and_off_roster_is_flagged(
    bank, tmp_path, monkeypatch
):
    subs = tmp_path / "subs"
    default = bank.get("ch03-q1-aidc-share").answer
    submit(subs, "alice", {"q1": round(default, 1)})
    submit(subs, "mallory", {"q1": round(default, 1)})
    by_file = {"0": {"q1": round(default, 1)}, "1": {"q1": round(default, 1)}}
    monkeypatch.setattr(grade, "run_cells", fake_run(by_file))
    report = batch.grade_folder(subs, bank, tmp_path / "g1", progress=False)
    assert all(
        r["questions"][0]["points"] == 2 and r["variants"]["q1"]["default"] for r in report.results.values()
    )
    students = read_roster(roster_file(tmp_path, ["alice"]))
    keys = variants.Keys.from_roster(bank, students, SECRET)
    report = batch.grade_folder(subs, bank, tmp_path / "g2", progress=False, keys=keys)
    off = report.results["mallory"]
    assert (
        off["status"] == "needs_review"
        and "not on the roster: graded against the default variant of q1" in off["message"]
    )
    with pytest.raises(variants.VariantError, match="casebook grade with --roster needs the course secret"):
        variants.Keys.from_roster(bank, students, None)


def test_solutions_list_every_variant_and_the_gradebook_column(bank):
    md = solutions_markdown(bank)
    q = bank.get("ch03-q1-aidc-share")
    assert "**Every variant** (3;" in md
    for inputs, key in q.variants:
        assert f"| {inputs['year']} | {key:,.2f} % |" in md
    assert gradebook.gradebook_columns(bank)[-1] == "variants"
    assert (
        gradebook.variants_cell({"variants": {"q1": {"inputs": {"year": 2022}, "default": True}}})
        == "q1: year=2022 (default)"
    )


def test_otter_refuses_variants_and_says_what_to_use(bank, monkeypatch, capsys):
    monkeypatch.setattr(cli, "bank_for", lambda n: bank)
    assert cli.main(["otter", "3"]) == 1
    err = capsys.readouterr().err
    assert (
        "per-student variants (q1)" in err
        and "casebook grade FOLDER --roster" in err
        and "--default-variant" in err
    )


def test_the_review_page_shows_levels_and_flags_a_classmates_number(bank, tmp_path):
    from dualwheel.grading import review

    result = {
        "student": "alice",
        "status": "needs_review",
        "message": "",
        "questions": [
            {
                "question": "q1",
                "points": 0.0,
                "max": 2,
                "manual": False,
                "feedback": "",
                "other_variant": ["year=2022"],
            },
            {"question": "q3", "points": None, "max": 6, "manual": True, "feedback": "", "answer": "Rent."},
        ],
    }
    data = review.page_data(tmp_path, bank, {"alice": result}, {}, 0.5)
    memo = next(q for q in data["questions"] if q["var"] == "q3")
    assert memo["criteria"][0]["levels"][4] == ["4", bank.get("ch03-q3-memo").criteria[0]["levels"][4]]
    assert data["students"][0]["flags"] == ["q1: matches another variant's key (year=2022)"]
    page = review.render(data)
    assert "c.levels" in page and "s.flags" in page  # the script draws them beside the boxes
    assert json.dumps("year=2022")[1:-1] in page


def _fill(notebook: Path, value: float, edit: bool = False) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("casebook", {})
        if meta.get("question") == "q1" and meta.get("role") == "answer":
            cell.source = f"q1 = {value!r}"
        if edit and meta.get("question") == "q1" and meta.get("role") == "prompt":
            cell.source = cell.source.replace("FY20", "FY19")  # the student rewrites their inputs
    if edit:
        nb.metadata["casebook"].update(student="someone-else", variant=0, year=2022, roster_id="0")
        nb.cells.insert(2, nbformat.v4.new_code_cell("year = 2022\nCASEBOOK_VARIANT = 0"))
    return nb


@pytest.mark.sandbox
def test_in_the_sandbox_an_edited_notebook_changes_nothing_and_a_swap_fails(bank, tmp_path):
    names = [f"s{i}" for i in range(40)]
    students = read_roster(roster_file(tmp_path, names))
    handouts = variants.write_student_releases(bank, tmp_path / "out", students, SECRET)
    q = bank.get("ch03-q1-aidc-share")
    first = handouts[0]
    other = next(h for h in handouts if h.indices[q.id] != first.indices[q.id])
    key = {h.submission: round(q.variants[h.indices[q.id]][1], 1) for h in (first, other)}
    subs = tmp_path / "subs"
    subs.mkdir()
    # the first edits prompt, inputs and metadata but answers their own key: full marks
    nbformat.write(
        _fill(first.notebook, key[first.submission], edit=True), subs / f"{first.submission}.ipynb"
    )
    # the other hands in the first one's number: wrong, and flagged as a classmate's
    nbformat.write(_fill(other.notebook, key[first.submission]), subs / f"{other.submission}.ipynb")
    keys = variants.Keys.from_roster(bank, students, SECRET)
    report = batch.grade_folder(subs, bank, tmp_path / "graded", progress=False, keys=keys)
    mine, swapped = report.results[first.submission], report.results[other.submission]
    assert mine["questions"][0]["points"] == 2, mine
    assert mine["variants"]["q1"]["index"] == first.indices[q.id]
    assert swapped["questions"][0]["points"] == 0
    assert swapped["status"] == "needs_review" and "a classmate's number?" in swapped["message"]


def test_the_in_page_self_check_uses_the_default_variant(tmp_path):
    from banks import VARY

    from dualwheel.page.selfcheck import question_html

    practice = load_bank(write_bank(tmp_path, bank_dict({**VARY, "use": ["self_check"]})))
    q = practice.get("ch03-q1-aidc-share")
    page = question_html(q, "3.1")
    assert "FY2022" in page and "FY2023" not in page and "FY2024" not in page
    assert q.answer == q.variants[0][1]
