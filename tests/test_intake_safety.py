"""Safe unpacking and name parsing of submissions (intake)."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from graders.errors import SubmissionError
from graders.intake import parse_name, safe_copy, safe_extract


def _zip(path: Path, entries: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


@pytest.mark.parametrize("bad", ["../evil.py", "/etc/evil", "a/../../evil", "C:/evil"])
def test_path_traversal_is_refused(tmp_path: Path, bad: str) -> None:
    archive = _zip(tmp_path / "s.zip", {"ok.txt": b"1", bad: b"x"})
    with pytest.raises(SubmissionError, match="unsafe path"):
        safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "evil.py").exists()


def test_links_hidden_files_and_macosx_are_left_out(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "s.zip",
        {"hw/nb.ipynb": b"{}", "__MACOSX/hw/._nb.ipynb": b"x", "hw/.secret": b"x", ".git/c": b"x"},
        links={"hw/passwd": "/etc/passwd"},
    )
    problems: list = []
    out = safe_extract(archive, tmp_path / "out", problems=problems)
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == ["hw/nb.ipynb"]
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert any("passwd" in en for _, en in problems)


def test_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * 20_000_000})
    assert archive.stat().st_size < 100_000  # highly compressed
    with pytest.raises(SubmissionError, match="too large"):
        safe_extract(archive, tmp_path / "out")


def test_size_and_file_count_limits(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"12345" for i in range(30)})
    with pytest.raises(SubmissionError, match="too large"):
        safe_extract(archive, tmp_path / "a", max_files=10)
    with pytest.raises(SubmissionError, match="too large"):
        safe_extract(archive, tmp_path / "b", max_bytes=100)
    assert len(list(safe_extract(archive, tmp_path / "c").iterdir())) == 30


def test_nested_zips_are_unpacked_one_level(tmp_path: Path) -> None:
    deepest = io.BytesIO()
    with zipfile.ZipFile(deepest, "w") as zf:
        zf.writestr("deep.txt", "3")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("code/nb.ipynb", "{}")
        zf.writestr("deeper.zip", deepest.getvalue())
    archive = _zip(tmp_path / "outer.zip", {"HW5_A_810199101/inner.zip": inner.getvalue()})
    problems: list = []
    out = safe_extract(archive, tmp_path / "out", problems=problems)
    assert (out / "HW5_A_810199101" / "inner" / "code" / "nb.ipynb").is_file()
    assert (out / "HW5_A_810199101" / "inner" / "deeper.zip").is_file()  # not unpacked
    assert not (out / "HW5_A_810199101" / "inner.zip").exists()
    assert any("deeper.zip" in en for _, en in problems)


def test_folder_copy_leaves_out_links_pointing_outside(tmp_path: Path) -> None:
    sub = tmp_path / "HW5_A_810199101"
    sub.mkdir()
    (sub / "nb.ipynb").write_text("{}")
    (sub / "data.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", sub / "leak.txt")
    os.symlink(sub / "data.txt", sub / "alias.txt")
    (sub / ".ipynb_checkpoints").mkdir()
    problems: list = []
    out = safe_copy(sub, tmp_path / "copy", problems)
    assert sorted(p.name for p in out.iterdir()) == ["alias.txt", "data.txt", "nb.ipynb"]
    assert (out / "alias.txt").read_text() == "inside" and not (out / "alias.txt").is_symlink()
    assert any("leak.txt" in en for _, en in problems)


@pytest.mark.parametrize(
    ("name", "homework", "students", "well_formed"),
    [
        (
            "HW1_Ahmadi_810199101_Bagheri_810199102.zip",
            1,
            [("Ahmadi", "810199101"), ("Bagheri", "810199102")],
            True,
        ),
        ("hw5_احمدی_۸۱۰۱۹۹۱۰۱", 5, [("احمدی", "810199101")], True),
        ("HW05-ahmadi-810199101", 5, [("ahmadi", "810199101")], True),
        ("hW5_عبدالله‌زاده_810199101", 5, [("عبدالله‌زاده", "810199101")], True),
        ("HW5Ahmadi_810199101", 5, [("Ahmadi", "810199101")], False),
        ("ahmadi 810199101", None, [("ahmadi", "810199101")], False),
        ("HW5_Ahmadi", 5, [], False),
        (
            "HW5_A_810199101_B_810199102_C_810199103",
            5,
            [("A", "810199101"), ("B", "810199102"), ("C", "810199103")],
            False,
        ),
    ],
)
def test_parse_name(name: str, homework: int | None, students: list, well_formed: bool) -> None:
    parsed = parse_name(name)
    assert parsed.homework == homework
    assert [(s.name, s.number) for s in parsed.students] == students
    assert parsed.well_formed is well_formed
