"""Where dlgrade finds its assignments, references, templates and default outputs.

Everything is relative to the project root (the folder holding `assignments/`): `$DLGRADE_HOME`
when set; else the parent of this package in a source checkout (the TA's side, hidden checks
included); else, in an installed wheel (the student distribution), `graders/_data`, which the
build hook (`graders/student_build.py`) fills with the public specs, the golden values public
checks use, and the report templates.
"""

from __future__ import annotations

import os
from pathlib import Path

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


def reference_package(assignment_id: str) -> str:
    """`hw5-rnn` -> `reference_solutions.hw5_rnn` (ids use dashes, packages underscores)."""
    return "reference_solutions." + assignment_id.replace("-", "_")


def golden_dir(assignment_id: str, profile: str = "smoke") -> Path:
    """`reference_solutions/<pkg>/golden/<profile>/`: each profile's golden files apart (a full
    build never overwrites the committed smoke files)."""
    return golden_root(assignment_id) / profile


def golden_root(assignment_id: str) -> Path:
    return project_root() / "reference_solutions" / assignment_id.replace("-", "_") / "golden"
