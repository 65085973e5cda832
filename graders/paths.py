"""Where dlgrade finds its assignments, references, templates and default outputs.

Everything is relative to the project root (the folder holding `assignments/`): `$DLGRADE_HOME`
when set; else the parent of this package in a source checkout (the TA's side, hidden checks
included); else, in an installed wheel (the student distribution), `graders/_data`, which the
build hook (`graders/student_build.py`) fills with the public specs, the golden values public
checks use, and the report templates.

The gradebook every command opens is decided by `gradebook_location` alone.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

from graders.errors import ReferencesNotInstalled

PACKAGED_DATA = Path(__file__).resolve().parent / "_data"


def project_root() -> Path:
    env = os.environ.get("DLGRADE_HOME")
    if env:
        return Path(env).resolve()
    source = Path(__file__).resolve().parents[1]
    if not (source / "assignments").is_dir() and PACKAGED_DATA.is_dir():
        return PACKAGED_DATA
    return source


def is_packaged() -> bool:
    """True in an installed student wheel (no source checkout, no hidden checks)."""
    return project_root() == PACKAGED_DATA


def assignments_dir() -> Path:
    return project_root() / "assignments"


def templates_dir() -> Path:
    return project_root() / "templates"


def reports_dir() -> Path:
    return Path.cwd() / "reports" if is_packaged() else project_root() / "reports"


GRADEBOOK_ENV = "DLGRADE_GRADEBOOK"
GRADEBOOK_NAME = "gradebook.db"


def gradebook_location(
    gradebook: Path | str | None = None, reports: Path | None = None
) -> Path | str:
    """The gradebook a command opens (a SQLite path or a SQLAlchemy URL), for every command.

    The first that is set wins: `gradebook` (`--gradebook`), `$DLGRADE_GRADEBOOK`,
    `<reports>/gradebook.db` (`--reports`), `reports_dir()/gradebook.db`. So after
    `dlgrade batch --reports X`, `dlgrade report --reports X` opens the same database.
    """
    if gradebook:
        return gradebook
    env = os.environ.get(GRADEBOOK_ENV)
    if env:
        return env
    return (reports or reports_dir()) / GRADEBOOK_NAME


def reference_package(assignment_id: str) -> str:
    """`hw5-rnn` -> `reference_solutions.hw5_rnn` (ids use dashes, packages underscores)."""
    return "reference_solutions." + assignment_id.replace("-", "_")


def import_reference(module: str = "build") -> ModuleType:
    """`reference_solutions.<module>`, imported only when needed: the engine never imports the
    reference solutions at import time, and in an install without them (the student wheel)
    this raises `ReferencesNotInstalled`, in Persian and English."""
    name = f"reference_solutions.{module}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing != name and not name.startswith(missing + "."):
            raise  # a dependency of the references is missing, not the references
        raise ReferencesNotInstalled(
            f"reference solutions are not part of this install (no module {name})",
            "راه‌حل‌های مرجع در این نصب نیستند؛ ساخت مقادیر مرجع فقط در مخزن دستیاران آموزشی ممکن است.",
        ) from exc


def golden_dir(assignment_id: str, profile: str = "smoke") -> Path:
    """`reference_solutions/<pkg>/golden/<profile>/`: each profile's golden files apart (a full
    build never overwrites the committed smoke files)."""
    return golden_root(assignment_id) / profile


def golden_root(assignment_id: str) -> Path:
    return project_root() / "reference_solutions" / assignment_id.replace("-", "_") / "golden"
