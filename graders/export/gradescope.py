"""Gradescope autograder `results.json` for one submission (final scores, TA scores applied).

Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ — top-level `score`,
`output`, `tests` (each `score`, `max_score`, `name`, `number`, `output`, `status`,
`visibility`). A hidden check becomes a test with visibility `after_published`.
"""

from __future__ import annotations

from typing import Any

from graders.checks.result import Status
from graders.scoring import GradeResult


def gradescope_results(final: GradeResult) -> dict[str, Any]:
    """Scores as the result's JSON records them (4 places), a check's points from those."""
    tests = []
    for q in final.questions:
        for p in q.parts:
            for c in p.checks:
                top = round(p.check_max(c), 4)
                tests.append(
                    {
                        "name": f"{q.id}.{p.id}.{c.id}",
                        "number": f"{q.id}.{p.id}",
                        "score": round(round(c.result.score, 4) * top, 4),
                        "max_score": top,
                        "status": "passed" if c.result.status == Status.PASS else "failed",
                        "output": f"{c.result.message_fa}\n{c.result.message_en}",
                        "visibility": "after_published" if c.hidden else "visible",
                    }
                )
    return {
        "score": round(final.total, 4),
        "output": "\n".join(f"{fa}\n{en}" for fa, en in final.problems),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "dlgrade_submission": final.submission,
            "students": list(final.students),
            "late_penalty_percent": final.late_penalty_percent,
            "submitted_at": final.extra.get("submitted_at"),
            "time_source": final.extra.get("time_source", ""),
            "signature": final.signature,
        },
    }
