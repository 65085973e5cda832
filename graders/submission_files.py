"""Which files a submission is: a lone notebook's companions, the folder guard, slow-step progress.

A lone `.ipynb` is a submission of that notebook plus only the files the spec names when they
sit directly beside it: the answer sheet (`answers.yaml`, or its Markdown form `answers.md`)
and the report PDF (`<notebook name>.pdf` or `report.pdf`); when several notebooks share the
folder, only `<notebook name>.pdf` (the others could be anyone's). Nothing else near it is listed
beyond that one folder, nothing below it is walked. A folder submission is its own tree, but
a folder of more than `MAX_FILES` files or `MAX_BYTES` bytes is refused before anything is
copied, with a message saying what a submission is.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graders.errors import SubmissionError
from graders.spec.models import AssignmentSpec

MAX_FILES = 2000
MAX_BYTES = 500_000_000
MARKDOWN_SHEET = "answers.md"
REPORT_NAMES = ("report.pdf",)
MAX_SHEET_BYTES = 1_000_000
Ignored = Callable[[tuple[str, ...]], bool]
SLOW_S = 2.0  # a step still running after this long says what it is doing


class SlowStep:
    """Progress of a step that may take long: silent for `SLOW_S`, then a line every few s."""

    def __init__(
        self,
        what_fa: str,
        what_en: str,
        total: int | None = None,
        unit: tuple[str, str] = ("فایل", "files"),
    ) -> None:
        self.what_fa, self.what_en, self.total, self.unit = what_fa, what_en, total, unit
        self.started = time.monotonic()
        self.next_at = self.started + SLOW_S
        self.shown = False

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if now < self.next_at:
            return
        self.next_at = now + 5.0
        self.shown = True
        of = f"/{self.total}" if self.total else ""
        print(
            f"{self.what_fa}: {done}{of} {self.unit[0]} / {self.what_en}: {done}{of} {self.unit[1]} "
            f"({now - self.started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )


def folder_too_large(folder: Path, files: int, n_bytes: int) -> SubmissionError:
    return SubmissionError(
        f"the folder {folder.name} is not a submission: it holds at least {files} files, "
        f"{n_bytes / 1e6:.0f} MB (at most {MAX_FILES} files and {MAX_BYTES / 1e6:.0f} MB). "
        "A submission folder holds the notebook, the answer sheet and the report; "
        "to grade a lone notebook, give the .ipynb file itself.",
        f"پوشهٔ {folder.name} یک ارسال نیست: دست‌کم {files} فایل و {n_bytes / 1e6:.0f} مگابایت "
        f"دارد (حداکثر {MAX_FILES} فایل و {MAX_BYTES / 1e6:.0f} مگابایت). پوشهٔ ارسال فقط "
        "نوت‌بوک، پاسخ‌نامه و گزارش را دارد؛ برای یک نوت‌بوک تنها، خود فایل ipynb را بدهید.",
    )


def visible_files(folder: Path, ignored: Ignored) -> Iterator[Path]:
    """Files below `folder`, hidden names and `__MACOSX` (per `ignored`) pruned, links not
    followed into folders."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [
            d for d in dirnames if not ignored((d,)) and not (Path(dirpath) / d).is_symlink()
        ]
        for name in filenames:
            if not ignored((name,)):
                yield Path(dirpath) / name


def guard_folder(
    folder: Path, ignored: Ignored, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES
) -> None:
    """Refuse a folder of too many files or bytes, stopping the count as soon as it is over."""
    files = n_bytes = 0
    for path in visible_files(folder, ignored):
        files += 1
        try:
            n_bytes += path.lstat().st_size
        except OSError:
            continue
        if files > max_files or n_bytes > max_bytes:
            raise folder_too_large(folder, files, n_bytes)


def _beside(notebook: Path) -> dict[str, Path]:
    """The regular files directly beside `notebook`, by lower-cased name (one folder listing)."""
    out: dict[str, Path] = {}
    with os.scandir(notebook.parent) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            out.setdefault(entry.name.lower(), Path(entry.path))
    return out


def companion_names(notebook: Path, spec: AssignmentSpec) -> list[str]:
    """The names, in order, of the files read beside a lone notebook (lower case)."""
    sheet = Path(spec.answer_sheet).name.lower()
    names = [sheet, MARKDOWN_SHEET] if sheet != MARKDOWN_SHEET else [sheet]
    return [*names, f"{notebook.stem.lower()}.pdf", *REPORT_NAMES]


def lone_notebook(
    notebook: Path, spec: AssignmentSpec, dest: Path, problems: list[tuple[str, str]]
) -> tuple[Path, tuple[str, ...]]:
    """Copy `notebook` and its spec-named companions into `dest`; return the copy and the
    names read. Every file read is listed in `problems` so the student and TA see it."""
    dest.mkdir(parents=True, exist_ok=True)
    beside = _beside(notebook)
    own = f"{notebook.stem.lower()}.pdf"
    shared = sum(k.endswith(".ipynb") for k in beside) > 1  # whose is `answers.yaml` then?
    picked: list[Path] = []
    left: list[str] = []
    pdf_taken = False
    for name in companion_names(notebook, spec):
        path = beside.get(name)
        if path is None or path.resolve() == notebook.resolve():
            continue
        if shared and name != own:
            left.append(path.name)
            continue
        is_pdf = name.endswith(".pdf")
        if is_pdf and pdf_taken:
            continue
        limit = MAX_BYTES if is_pdf else MAX_SHEET_BYTES
        if path.stat().st_size > limit:
            problems.append(
                (
                    f"فایل «{path.name}» کنار نوت‌بوک بیش از حد بزرگ است و خوانده نشد.",
                    f"{path.name} beside the notebook is too large and was not read.",
                )
            )
            continue
        picked.append(path)
        pdf_taken = pdf_taken or is_pdf
    if notebook.stat().st_size > MAX_BYTES:
        raise folder_too_large(notebook, 1, notebook.stat().st_size)
    copy = dest / notebook.name
    shutil.copyfile(notebook, copy)
    for path in picked:
        shutil.copyfile(path, dest / path.name)
    names = (notebook.name, *(p.name for p in picked))
    other_pdfs = sorted(p.name for k, p in beside.items() if k.endswith(".pdf") and p not in picked)
    expected = f"{notebook.stem}.pdf"
    problems.append(
        (
            f"فقط این فایل‌ها خوانده شد: {'، '.join(names)} (کنار یک نوت‌بوک تنها فقط "
            f"{spec.answer_sheet}، {MARKDOWN_SHEET} و گزارش {expected} یا report.pdf خوانده می‌شود).",
            f"read only: {', '.join(names)} (beside a lone notebook only {spec.answer_sheet}, "
            f"{MARKDOWN_SHEET} and the report {expected} or report.pdf are read).",
        )
    )
    if left:
        problems.append(
            (
                f"چند نوت‌بوک در یک پوشه‌اند، پس {'، '.join(left)} از آنِ کدام است معلوم نیست و "
                "خوانده نشد؛ پوشهٔ ارسال را بدهید.",
                f"several notebooks share this folder, so {', '.join(left)} may be another's "
                "and was not read; hand in the submission folder.",
            )
        )
    if other_pdfs and not pdf_taken:
        shown = ", ".join(other_pdfs[:5]) + (" ..." if len(other_pdfs) > 5 else "")
        problems.append(
            (
                f"فایل‌های PDF کنار نوت‌بوک خوانده نشدند: {shown}. اگر گزارش شماست، نامش را "
                f"{expected} بگذارید یا پوشهٔ ارسال را بدهید.",
                f"PDFs beside the notebook were not read: {shown}. If one is your report, "
                f"name it {expected} or hand in the submission folder.",
            )
        )
    return copy, names
