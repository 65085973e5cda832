"""Shared fixtures: the project root and the bundled hw5-rnn examples."""

from __future__ import annotations

from pathlib import Path

import pytest

# the review app's gradebook fixtures (SQLite, PostgreSQL); imported rather than named in
# `pytest_plugins`, which pytest refuses in a conftest below the rootdir (the self-check tests
# run pytester sessions whose rootdir is the repository)
from review_support import gradebook_url, pg_server  # noqa: E402, F401

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "assignments" / "hw5-rnn" / "examples"


@pytest.fixture(autouse=True)
def _no_course_gradebook(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TA's `DLGRADE_GRADEBOOK` (the course's real gradebook) is never written by a test."""
    monkeypatch.delenv("DLGRADE_GRADEBOOK", raising=False)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def examples() -> dict[str, Path]:
    return {
        p.name.split("_")[1].lower(): p
        for p in sorted(EXAMPLES.iterdir())
        if p.is_dir() and p.name.startswith("HW")
    }
