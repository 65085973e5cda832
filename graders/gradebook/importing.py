"""Record a `dlgrade.results/1` document (what `dlgrade grade --json` prints) in a gradebook,
as if each submission had just been graded: for tests, benchmarks, and moving grades between
gradebooks without running notebooks again."""

from __future__ import annotations

from typing import Any

from graders.gradebook.models import RunRow, SubmissionRow
from graders.gradebook.store import Gradebook, check_rows


def record_json(gb: Gradebook, assignment: str, sub: dict[str, Any]) -> int:
    """Store one submission of a results document as a new run; return the run id."""
    with gb._sessions.begin() as session:
        row = gb._submission(session, assignment, sub["submission"])
        if row is None:
            row = SubmissionRow(assignment=assignment, key=sub["submission"], students=[])
            session.add(row)
        row.students = list(sub.get("students", []))
        run = RunRow(
            submission=row,
            content_hash=sub.get("signature", {}).get("submission", ""),
            outcome=sub["outcome"],
            score=sub["score"],
            max=sub["max"],
            signature=sub.get("signature", {}),
            result=sub,
        )
        run.checks.extend(check_rows(sub))
        session.add(run)
        session.flush()
        return run.id


def record_document(gb: Gradebook, doc: dict[str, Any]) -> list[int]:
    return [record_json(gb, doc["assignment"], s) for s in doc["submissions"]]
