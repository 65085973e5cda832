"""A lone notebook is a submission of that notebook (plus the spec-named files beside it), never
the folder it sits in; folder submissions are guarded by size and file count."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from graders.answers.sources import gather_answers
from graders.errors import SubmissionError
from graders.intake import intake
from graders.spec import load_spec
from graders.spec.models import AssignmentSpec

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "files" / "tiny-batch" / "assignment.yaml"


@pytest.fixture(scope="module")
def spec() -> AssignmentSpec:
    return load_spec(TINY)


def _notebook(path: Path, text: str = "x = 1") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])
    nbformat.write(nb, path)
    return path


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_unrelated_sheet_and_large_pdf_in_subfolders_are_not_read(
    tmp_path: Path, spec: AssignmentSpec
) -> None:
    home = tmp_path / "Downloads"
    nb = _notebook(home / "my_hw5.ipynb")
    (home / "other_student").mkdir(parents=True)
    (home / "other_student" / "answers.yaml").write_text("Q2:\n  a: '42'\n", encoding="utf-8")
    (home / "books").mkdir()
    (home / "books" / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    sub = intake(nb, spec, tmp_path / "scratch")
    assert sub.answer_sheet is None and sub.answers == {}
    assert _files(sub.folder) == ["my_hw5.ipynb"]
    assert sub.notebook == sub.folder / "my_hw5.ipynb"
    assert not sub.folder.is_relative_to(home)  # the runner copies only this folder
    assert sub.files == ("my_hw5.ipynb",)
    assert any("read only: my_hw5.ipynb " in en for _, en in sub.problems)
    answers = gather_answers(sub.folder, sub.answers, notebook=sub.notebook)
    assert not any(k.startswith("@pdf:") for k in answers) and "Q2.a" not in answers
    # the content hash covers the notebook only: the rest of the tree does not move it
    (home / "other_student" / "answers.yaml").write_text("Q2:\n  a: '7'\n", encoding="utf-8")
    (home / "books" / "new.pdf").write_bytes(b"%PDF-1.4\n")
    again = intake(nb, spec, tmp_path / "scratch2")
    assert again.content_hash == sub.content_hash
    _notebook(nb, "x = 2")
    assert intake(nb, spec, tmp_path / "scratch3").content_hash != sub.content_hash


def test_spec_named_files_directly_beside_are_read_listed_and_hashed(
    tmp_path: Path, spec: AssignmentSpec
) -> None:
    home = tmp_path / "hw"
    nb = _notebook(home / "HW5_Ahmadi_810199101.ipynb")
    (home / "answers.yaml").write_text("Q2:\n  a: '42'\n", encoding="utf-8")
    (home / "HW5_Ahmadi_810199101.pdf").write_bytes(b"%PDF-1.4\n")
    (home / "slides.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 100_000)  # larger, not named
    (home / "data.csv").write_text("1,2\n", encoding="utf-8")
    sub = intake(nb, spec, tmp_path / "scratch")
    assert sub.files == ("HW5_Ahmadi_810199101.ipynb", "answers.yaml", "HW5_Ahmadi_810199101.pdf")
    assert _files(sub.folder) == sorted(sub.files)
    assert sub.answers == {"Q2.a": "42"} and sub.answer_sheet == sub.folder / "answers.yaml"
    assert sub.students[0].number == "810199101"
    read = [en for _, en in sub.problems if en.startswith("read only:")]
    assert read == [
        "read only: HW5_Ahmadi_810199101.ipynb, answers.yaml, HW5_Ahmadi_810199101.pdf "
        "(beside a lone notebook only answers.yaml, answers.md and the report "
        "HW5_Ahmadi_810199101.pdf or report.pdf are read)."
    ]
    before = sub.content_hash
    (home / "slides.pdf").write_bytes(b"%PDF-1.4\nchanged")
    (home / "data.csv").write_text("3,4\n", encoding="utf-8")
    assert intake(nb, spec, tmp_path / "s2").content_hash == before
    (home / "answers.yaml").write_text("Q2:\n  a: '41'\n", encoding="utf-8")
    assert intake(nb, spec, tmp_path / "s3").content_hash != before


def test_an_unnamed_pdf_beside_is_not_read_but_named_in_a_note(
    tmp_path: Path, spec: AssignmentSpec
) -> None:
    nb = _notebook(tmp_path / "hw" / "q6.ipynb")
    (tmp_path / "hw" / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    sub = intake(nb, spec, tmp_path / "scratch")
    assert _files(sub.folder) == ["q6.ipynb"]
    notes = [(fa, en) for fa, en in sub.problems if "scan.pdf" in en]
    assert len(notes) == 1 and "q6.pdf" in notes[0][0] and "q6.pdf" in notes[0][1]


def test_notebooks_sharing_a_folder_do_not_take_its_answer_sheet(
    tmp_path: Path, spec: AssignmentSpec
) -> None:
    a = _notebook(tmp_path / "all" / "HW5_A_810199201.ipynb")
    _notebook(tmp_path / "all" / "HW5_B_810199202.ipynb")
    (tmp_path / "all" / "answers.yaml").write_text("Q2:\n  a: '42'\n", encoding="utf-8")
    (tmp_path / "all" / "HW5_A_810199201.pdf").write_bytes(b"%PDF-1.4\n")
    sub = intake(a, spec, tmp_path / "scratch")
    assert sub.answers == {} and sub.answer_sheet is None
    assert sub.files == ("HW5_A_810199201.ipynb", "HW5_A_810199201.pdf")
    assert any("answers.yaml may be another's" in en for _, en in sub.problems)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder of 20,000 small files (20 subfolders) with a notebook at its top."""
    home = tmp_path_factory.mktemp("crowded") / "home"
    for d in range(20):
        sub = home / f"dir{d}"
        sub.mkdir(parents=True)
        for i in range(1000):
            (sub / f"f{i}.txt").write_bytes(b"x")
    _notebook(home / "my_hw5.ipynb")
    return home


def test_a_parent_of_20000_files_costs_nothing(
    tmp_path: Path, spec: AssignmentSpec, crowded: Path
) -> None:
    started = time.monotonic()
    sub = intake(crowded / "my_hw5.ipynb", spec, tmp_path / "scratch")
    elapsed = time.monotonic() - started
    assert _files(sub.folder) == ["my_hw5.ipynb"]
    assert elapsed < 2.0, elapsed  # one folder listing, one small copy, one small hash


def test_a_folder_of_20000_files_is_refused_fast_with_a_bilingual_message(
    tmp_path: Path, spec: AssignmentSpec, crowded: Path
) -> None:
    started = time.monotonic()
    with pytest.raises(SubmissionError) as exc:
        intake(crowded, spec, tmp_path / "scratch")
    assert time.monotonic() - started < 2.0
    assert "not a submission" in exc.value.message_en and "2000 files" in exc.value.message_en
    assert "یک ارسال نیست" in exc.value.message_fa
    assert not (tmp_path / "scratch").exists()  # refused before anything was copied


def test_folder_guard_counts_bytes_too(tmp_path: Path, spec: AssignmentSpec) -> None:
    from graders.intake import _ignored
    from graders.submission_files import guard_folder

    folder = tmp_path / "HW5_A_810199101"
    _notebook(folder / "hw.ipynb")
    (folder / "big.bin").write_bytes(b"0" * 5000)
    with pytest.raises(SubmissionError, match="not a submission"):
        guard_folder(folder, _ignored, max_bytes=4000)
    ok = intake(folder, spec, tmp_path / "scratch")  # the default limit: a normal folder
    assert _files(ok.folder) == ["big.bin", "hw.ipynb"] and ok.files == ()


def test_a_slow_copy_says_what_it_is_doing(
    tmp_path: Path, spec: AssignmentSpec, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import graders.submission_files as files

    monkeypatch.setattr(files, "SLOW_S", 0.0)  # as if every step were already slow
    folder = tmp_path / "HW5_A_810199101"
    _notebook(folder / "hw.ipynb")
    intake(folder, spec, tmp_path / "scratch")
    err = capsys.readouterr().err
    assert "کپی ارسال HW5_A_810199101: 1 فایل / copying submission HW5_A_810199101: 1 files" in err
    assert "hashing the submission: 1/1 files" in err
    monkeypatch.setattr(files, "SLOW_S", 60.0)
    intake(folder, spec, tmp_path / "scratch2")
    assert capsys.readouterr().err == ""  # a quick step is silent
