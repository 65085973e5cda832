"""Find the submissions in an LMS export (Moodle/Elearn): a folder or a zip holding one zip,
folder or notebook per submission, possibly each inside a per-student wrapper folder.

Nothing is dropped: files that are not submissions are returned as `ignored` for the TA.
The upload time is the file's modification time (kept from the export zip's entries).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from graders.intake import safe_extract

EXPORT_MAX_BYTES = 50_000_000_000
EXPORT_MAX_FILES = 200_000


@dataclass(frozen=True)
class FoundSubmission:
    path: Path  # the submission: a zip, a folder or a notebook
    key: str  # unique within the export: the file's stem
    origin: str  # where it was in the export (wrapper folder included)
    submitted_at: dt.datetime | None  # aware (UTC)


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name == "__MACOSX"


def _mtime(path: Path) -> dt.datetime:
    if path.is_dir():
        times = [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
        stamp = max(times) if times else path.stat().st_mtime
    else:
        stamp = path.stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, dt.UTC)


def _is_submission_folder(folder: Path) -> bool:
    return any(p.suffix == ".ipynb" for p in folder.rglob("*.ipynb")) or any(
        p.name.lower().startswith("answers") for p in folder.iterdir()
    )


def unpack_export(path: Path, workdir: Path) -> Path:
    """A zip export is unpacked once into `workdir/export` (times kept); a folder is used as is."""
    if path.is_dir():
        return path
    dest = workdir / "export"
    stamp = dest / ".dlgrade-unpacked"
    info = path.stat()
    identity = f"{path.resolve()}|{info.st_size}|{info.st_mtime_ns}"
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != identity:
        shutil.rmtree(dest, ignore_errors=True)
        safe_extract(
            path,
            dest,
            max_bytes=EXPORT_MAX_BYTES,
            max_files=EXPORT_MAX_FILES,
            nested=False,
            keep_times=True,
        )
        stamp.write_text(identity, encoding="utf-8")
    return dest


def discover(path: Path, workdir: Path) -> tuple[list[FoundSubmission], list[str]]:
    """Return the submissions found in `path` and the names of anything else there."""
    root = unpack_export(path, workdir)
    found: list[FoundSubmission] = []
    ignored: list[str] = []
    for entry in sorted(root.iterdir()):
        if _hidden(entry):
            continue
        candidates: list[Path] = []
        if entry.is_file() and entry.suffix.lower() in {".zip", ".ipynb"}:
            candidates = [entry]
        elif entry.is_dir():
            inner = [p for p in sorted(entry.iterdir()) if not _hidden(p)]
            zips = [p for p in inner if p.is_file() and p.suffix.lower() == ".zip"]
            if zips and len(zips) == len(inner):  # a wrapper folder holding the upload(s)
                candidates = zips
            elif inner:
                candidates = [entry]
        if not candidates:
            ignored.append(str(entry.relative_to(root)))
            continue
        for cand in candidates:
            found.append(
                FoundSubmission(cand, cand.stem, str(cand.relative_to(root)), _mtime(cand))
            )
    return _unique_keys(found), ignored


def _unique_keys(found: list[FoundSubmission]) -> list[FoundSubmission]:
    seen: dict[str, int] = {}
    out = []
    for f in found:
        n = seen.get(f.key, 0)
        seen[f.key] = n + 1
        out.append(
            f if n == 0 else FoundSubmission(f.path, f"{f.key}~{n + 1}", f.origin, f.submitted_at)
        )
    return out
