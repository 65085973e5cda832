"""Record a `dlgrade.results/1` document (what `dlgrade grade --json` prints) in a gradebook,
as if each submission had just been graded: for tests, benchmarks, and moving grades between
gradebooks without running notebooks again."""

from __future__ import annotations

from typing import Any

from graders.gradebook.models import CheckRow, RunRow, SubmissionRow
from graders.gradebook.store import Gradebook


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
        for q in sub["questions"]:
            for p in q["parts"]:
                for c in p["checks"]:
                    run.checks.append(
                        CheckRow(
                            question=q["id"],
                            part=p["id"],
                            check_id=c["id"],
                            check=c["check"],
                            status=c["status"],
                            score=c["score"],
                            weight=c["weight"],
                            hidden=c["hidden"],
                            message_fa=c["message_fa"],
                            message_en=c["message_en"],
                            evidence=c["evidence"],
                        )
                    )
        session.add(run)
        session.flush()
        return run.id


def record_document(gb: Gradebook, doc: dict[str, Any]) -> list[int]:
    return [record_json(gb, doc["assignment"], s) for s in doc["submissions"]]
