"""Record a `dlgrade.results/1` document (what `dlgrade grade --json` prints) in a gradebook,
as if each submission had just been graded: for tests, benchmarks, and moving grades between
gradebooks without running notebooks again. Each submission is read into the typed model
(`GradeResult.from_json`, which refuses a malformed one) and recorded as a graded one is."""

from __future__ import annotations

from typing import Any

from graders.gradebook.store import Gradebook
from graders.scoring import GradeResult


def record_json(gb: Gradebook, assignment: str, sub: dict[str, Any]) -> int:
    """Store one submission of a results document as a new run; return the run id."""
    return gb.record(GradeResult.from_json(sub, assignment))


def record_document(gb: Gradebook, doc: dict[str, Any]) -> list[int]:
    return [record_json(gb, doc["assignment"], s) for s in doc["submissions"]]
