"""Intake: turn a submission (a folder or a zip) into a typed `Submission`, safely.

Student identity comes from the name `HW{n}_{Lastname}_{StudentNo}[_{Lastname}_{StudentNo}]`
(Latin or Persian letters, any case, `-` or spaces also accepted, Persian digits too), or from
the answer sheet's `student:` section. Unpacking refuses path traversal, never creates links,
enforces size, file-count and compression-ratio limits (zip bombs), unpacks zips found inside
a submission one level deep, and skips `__MACOSX` and hidden files. A folder submission is
copied the same way (links pointing outside it are left out), after a size and file-count
guard. A lone `.ipynb` is a submission of that notebook plus only the spec-named files directly
beside it (`graders.submission_files`); the content hash covers exactly the copied files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graders.answers.numbers import normalize_digits
from graders.answers.sheet import read_answer_sheet
from graders.errors import SubmissionError
from graders.spec.models import AssignmentSpec
from graders.submission_files import (
    MAX_BYTES,
    MAX_FILES,
    SlowStep,
    folder_too_large,
    guard_folder,
    lone_notebook,
)

MAX_UNPACKED_BYTES = MAX_BYTES
MAX_RATIO = 200  # uncompressed/compressed size of one entry above 1 MB
_RATIO_MIN_BYTES = 1_000_000
_HW = re.compile(r"^hw0*(?P<n>\d+)$", re.IGNORECASE)
_HW_GLUED = re.compile(r"^hw0*(?P<n>\d+)[_\- ]*", re.IGNORECASE)
_NUMBER = re.compile(r"\d{6,12}")
_LETTERS = re.compile(r"^[^\W\d_]+$")


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
    files: tuple[str, ...] = field(default=())  # a lone notebook: exactly the files read


@dataclass(frozen=True)
class ParsedName:
    """What a file name says: the homework number and the (name, number) pairs."""

    homework: int | None
    students: tuple[Student, ...]
    well_formed: bool
    numbers: tuple[str, ...]  # every 6-12 digit run, for matching a misnamed file


def parse_name(name: str) -> ParsedName:
    """`HW5_Ahmadi_810199101_Bagheri_810199102` (or `hw5-احمدی-۸۱۰۱۹۹۱۰۱`) -> its parts."""
    text = normalize_digits(Path(name).stem if name.lower().endswith(".zip") else name)
    numbers = tuple(_NUMBER.findall(text))
    tokens = [t for t in re.split(r"[_\-\s]+", text) if t]
    homework, well_glued = None, True
    if tokens and _HW.match(tokens[0]):
        homework = int(_HW.match(tokens[0])["n"])
        tokens = tokens[1:]
    elif tokens and tokens[0].lower() == "hw" and len(tokens) > 1 and tokens[1].isdigit():
        homework, tokens = int(tokens[1]), tokens[2:]
    elif _HW_GLUED.match(text):  # "HW5Ahmadi_8101..." : the number glued to the name
        match = _HW_GLUED.match(text)
        homework, well_glued = int(match["n"]), False
        tokens = [t for t in re.split(r"[_\-\s]+", text[match.end() :]) if t]
    students: list[Student] = []
    pending: list[str] = []
    well_formed = homework is not None and well_glued
    for token in tokens:
        if token.isdigit():
            if not pending or not _NUMBER.fullmatch(token):
                well_formed = False
                continue
            students.append(Student(" ".join(pending), token))
            pending = []
        elif _LETTERS.match(token.replace("\u200c", "")):
            pending.append(token)
        else:
            well_formed = False
    if pending or not students or len(students) > 2:
        well_formed = False
    return ParsedName(homework, tuple(students), well_formed, numbers)


def students_from_name(name: str) -> tuple[Student, ...]:
    parsed = parse_name(name)
    return parsed.students if parsed.homework is not None else ()


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" or p == "" for p in parts)


class _Budget:
    """Bytes and files still allowed for one submission (shared by nested zips)."""

    def __init__(self, max_bytes: int, max_files: int, folder: bool = False) -> None:
        self.bytes, self.files = max_bytes, max_files
        self.max_bytes, self.max_files, self.folder = max_bytes, max_files, folder

    def _error(self, archive: Path) -> SubmissionError:
        if self.folder:
            used = self.max_files - self.files, self.max_bytes - self.bytes
            return folder_too_large(archive, *used)
        return _too_large(archive)

    def take(self, n_bytes: int, archive: Path) -> None:
        self.bytes -= n_bytes
        if self.bytes < 0:
            raise self._error(archive)

    def take_file(self, archive: Path) -> None:
        self.files -= 1
        if self.files < 0:
            raise self._error(archive)


def _too_large(archive: Path) -> SubmissionError:
    return SubmissionError(
        f"{archive.name} is too large when unpacked (a zip bomb?)",
        f"فایل {archive.name} پس از باز شدن بیش از حد بزرگ است.",
    )


def safe_extract(
    archive: Path,
    dest: Path,
    *,
    max_bytes: int = MAX_UNPACKED_BYTES,
    max_files: int = MAX_FILES,
    nested: bool = True,
    problems: list[tuple[str, str]] | None = None,
    keep_times: bool = False,
    _budget: _Budget | None = None,
) -> Path:
    """Unpack `archive` into `dest`, safely.

    Refuses absolute paths and `..`; skips links (noted in `problems`), `__MACOSX` and hidden
    entries; stops at `max_bytes`/`max_files` or an entry compressed more than `MAX_RATIO`
    times; counts the bytes actually written, not the sizes the archive claims. Zips found
    inside are unpacked one level deep (`x.zip` -> folder `x/`) when `nested`.
    `keep_times` sets each file's modification time from the archive.
    """
    budget = _budget or _Budget(max_bytes, max_files)
    problems = problems if problems is not None else []
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionError(
            f"{archive.name} is not a valid zip file",
            f"فایل {archive.name} یک فایل zip معتبر نیست.",
        ) from exc
    inner: list[Path] = []
    dest.mkdir(parents=True, exist_ok=True)
    with zf:
        infos = zf.infolist()
        if len(infos) > budget.files or sum(i.file_size for i in infos) > budget.bytes:
            raise _too_large(archive)
        progress = SlowStep(f"باز کردن {archive.name}", f"unpacking {archive.name}", len(infos))
        for done, info in enumerate(infos):
            progress.tick(done)
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise SubmissionError(
                    f"{archive.name} contains an unsafe path: {info.filename!r}",
                    f"فایل {archive.name} مسیر ناامن «{info.filename}» دارد.",
                )
            if _ignored(parts):
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                problems.append(
                    (
                        f"پیوند نمادین «{info.filename}» نادیده گرفته شد.",
                        f"symbolic link {info.filename!r} was left out.",
                    )
                )
                continue
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if info.file_size > _RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _too_large(archive)
            budget.take_file(archive)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                while chunk := src.read(1 << 20):
                    budget.take(len(chunk), archive)
                    out.write(chunk)
            if keep_times:
                stamp = _zip_time(info)
                os.utime(target, (stamp, stamp))
            if nested and target.suffix.lower() == ".zip":
                inner.append(target)
    for path in inner:
        folder = path.with_suffix("")
        if folder.exists():
            folder = path.with_name(path.stem + "_unzipped")
        safe_extract(
            path, folder, nested=False, problems=problems, keep_times=keep_times, _budget=budget
        )
        path.unlink()
        leftover = [p for p in folder.rglob("*") if p.suffix.lower() == ".zip"]
        for deeper in leftover:
            problems.append(
                (
                    f"فایل zip تودرتوی «{deeper.name}» باز نشد (فقط یک سطح باز می‌شود).",
                    f"nested zip {deeper.name} was not unpacked (only one level is).",
                )
            )
    return dest


def _zip_time(info: zipfile.ZipInfo) -> float:
    import datetime as dt

    return dt.datetime(*info.date_time).timestamp()


def safe_copy(folder: Path, dest: Path, problems: list[tuple[str, str]] | None = None) -> Path:
    """Copy a submission folder: hidden files and `__MACOSX` skipped, links never followed out."""
    problems = problems if problems is not None else []
    root = folder.resolve()
    budget = _Budget(MAX_UNPACKED_BYTES, MAX_FILES, folder=True)
    progress = SlowStep(f"کپی ارسال {folder.name}", f"copying submission {folder.name}")
    dest.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        dirnames[:] = [d for d in dirnames if not _ignored((d,))]
        for d in list(dirnames):
            if (Path(dirpath) / d).is_symlink():
                dirnames.remove(d)
                problems.append(
                    (f"پیوند «{rel / d}» نادیده گرفته شد.", f"link {rel / d} was left out.")
                )
        for name in filenames:
            if _ignored((name,)):
                continue
            src = Path(dirpath) / name
            if src.is_symlink():
                resolved = src.resolve()
                if not resolved.is_relative_to(root) or not resolved.is_file():
                    problems.append(
                        (
                            f"پیوند «{rel / name}» به بیرون از ارسال اشاره می‌کند و نادیده گرفته شد.",
                            f"link {rel / name} points outside the submission and was left out.",
                        )
                    )
                    continue
            budget.take_file(folder)
            budget.take(src.stat().st_size, folder)
            (dest / rel).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel / name)
            progress.tick(MAX_FILES - budget.files)
    return dest


def _content_hash(folder: Path) -> str:
    """Names and bytes of the files of the intake's own copy (bounded by the guards)."""
    sha = hashlib.sha256()
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    progress = SlowStep("محاسبهٔ شناسهٔ محتوا", "hashing the submission", len(paths))
    for i, path in enumerate(paths, 1):
        sha.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
        progress.tick(i)
    return sha.hexdigest()[:16]


def _visible(path: Path, root: Path) -> bool:
    return not _ignored(path.relative_to(root).parts)


def intake(path: Path, spec: AssignmentSpec, scratch: Path) -> Submission:
    if not path.exists():
        raise SubmissionError(f"submission not found: {path}", f"ارسال پیدا نشد: {path}")
    problems: list[tuple[str, str]] = []
    files: tuple[str, ...] = ()
    lone: Path | None = None
    if path.is_file() and path.suffix.lower() == ".zip":
        folder = safe_extract(path, scratch / path.stem, problems=problems)
        key = path.stem
    elif path.is_dir():
        guard_folder(path, _ignored)
        folder, key = safe_copy(path, scratch / path.name, problems), path.name
    elif path.suffix.lower() == ".ipynb":
        lone, files = lone_notebook(path, spec, scratch / path.stem, problems)
        folder, key = lone.parent, path.stem
    else:
        raise SubmissionError(
            f"unsupported submission {path.name}: give a folder, a .zip or an .ipynb",
            f"ارسال {path.name} پشتیبانی نمی‌شود: پوشه، zip یا ipynb بدهید.",
        )
    notebook = None
    if spec.notebook is not None:
        if lone is not None:
            notebooks = [lone]
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
        key,
        folder,
        students,
        notebook,
        sheet_path,
        answers,
        _content_hash(folder),
        tuple(problems),
        files,
    )
