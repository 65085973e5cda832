"""Intake: turn a submission (a folder or a zip) into a typed `Submission`, safely.

Student identity comes from the name `HW5_Lastname_StudentNo[_Lastname_StudentNo]`, or from
the answer sheet's `student:` section. A zip is unpacked with no path traversal and no links.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graders.answers.sheet import read_answer_sheet
from graders.errors import SubmissionError
from graders.spec.models import AssignmentSpec

MAX_UNPACKED_BYTES = 500_000_000
MAX_FILES = 2000
_NAME = re.compile(r"^HW\d+_(?P<rest>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Student:
    name: str
    number: str


@dataclass(frozen=True)
class Submission:
    key: str
    folder: Path
    students: tuple[Student, ...]
    notebook: Path | None
    answer_sheet: Path | None
    answers: dict[str, str]
    content_hash: str
    problems: tuple[tuple[str, str], ...] = field(default=())


def students_from_name(name: str) -> tuple[Student, ...]:
    match = _NAME.match(name)
    if not match:
        return ()
    tokens = match.group("rest").split("_")
    out = []
    for i in range(0, len(tokens) - 1, 2):
        if tokens[i + 1].isdigit():
            out.append(Student(tokens[i], tokens[i + 1]))
    return tuple(out)


def safe_extract(archive: Path, dest: Path) -> Path:
    """Unpack `archive` into `dest`, refusing absolute paths, `..`, links and zip bombs."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise SubmissionError(
            f"{archive.name} is not a valid zip file",
            f"فایل {archive.name} یک فایل zip معتبر نیست.",
        ) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise SubmissionError(
                f"{archive.name} is too large when unpacked",
                f"فایل {archive.name} پس از باز شدن بیش از حد بزرگ است.",
            )
        for info in infos:
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            mode = info.external_attr >> 16
            if info.filename.startswith("/") or ".." in parts or stat.S_ISLNK(mode):
                raise SubmissionError(
                    f"{archive.name} contains an unsafe path: {info.filename!r}",
                    f"فایل {archive.name} مسیر ناامن «{info.filename}» دارد.",
                )
        zf.extractall(dest)
    return dest


def _content_hash(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def _visible(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    return not any(p.startswith(".") or p == "__MACOSX" for p in rel)


def intake(path: Path, spec: AssignmentSpec, scratch: Path) -> Submission:
    if not path.exists():
        raise SubmissionError(f"submission not found: {path}", f"ارسال پیدا نشد: {path}")
    if path.is_file() and path.suffix.lower() == ".zip":
        folder = safe_extract(path, scratch / path.stem)
        key = path.stem
    elif path.is_dir():
        folder, key = path, path.name
    elif path.suffix == ".ipynb":
        folder, key = path.parent, path.stem
    else:
        raise SubmissionError(
            f"unsupported submission {path.name}: give a folder, a .zip or an .ipynb",
            f"ارسال {path.name} پشتیبانی نمی‌شود: پوشه، zip یا ipynb بدهید.",
        )
    problems: list[tuple[str, str]] = []
    notebook = None
    if spec.notebook is not None:
        if path.suffix == ".ipynb":
            notebooks = [path]
        else:
            notebooks = sorted(
                p
                for p in folder.rglob(spec.notebook.glob)
                if _visible(p, folder) and ".ipynb_checkpoints" not in p.parts
            )
        if not notebooks:
            problems.append(
                (
                    "نوت‌بوکی در ارسال پیدا نشد.",
                    f"no notebook matching {spec.notebook.glob} in the submission.",
                )
            )
        else:
            notebook = notebooks[0]
            if len(notebooks) > 1:
                problems.append(
                    (
                        f"چند نوت‌بوک پیدا شد؛ {notebook.name} اجرا شد.",
                        f"several notebooks found; graded {notebook.name}.",
                    )
                )
    sheet_path = next(
        (p for p in sorted(folder.rglob(spec.answer_sheet)) if _visible(p, folder)), None
    )
    answers: dict[str, str] = {}
    students = students_from_name(key)
    if sheet_path is not None:
        try:
            answers, student_info = read_answer_sheet(sheet_path)
            if student_info.get("name"):
                number = str(student_info.get("number", students[0].number if students else ""))
                students = (Student(str(student_info["name"]), number), *students[1:])
        except SubmissionError as exc:
            problems.append((exc.message_fa, exc.message_en))
    if not students:
        problems.append(
            (
                "نام فایل با الگوی HW5_نام‌خانوادگی_شماره‌دانشجویی نمی‌خواند.",
                f"the name {key!r} does not follow HW5_Lastname_StudentNo.",
            )
        )
        students = (Student(key, ""),)
    return Submission(
        key, folder, students, notebook, sheet_path, answers, _content_hash(folder), tuple(problems)
    )
