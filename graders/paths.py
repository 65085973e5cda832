"""Where dlgrade finds its assignments, references, templates and default outputs.

Everything is relative to the project root (the folder holding `assignments/`), which is
the parent of this package in a source checkout, or `$DLGRADE_HOME` when set.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("DLGRADE_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[1]


def assignments_dir() -> Path:
    return project_root() / "assignments"


def templates_dir() -> Path:
    return project_root() / "templates"


def reports_dir() -> Path:
    return project_root() / "reports"


def reference_package(assignment_id: str) -> str:
    """`hw5-rnn` -> `reference_solutions.hw5_rnn` (ids use dashes, packages underscores)."""
    return "reference_solutions." + assignment_id.replace("-", "_")


def golden_dir(assignment_id: str) -> Path:
    return project_root() / "reference_solutions" / assignment_id.replace("-", "_") / "golden"
