"""A CSV for the LMS grade import: one row per student (both members of a group get the
group's grade), final scores (manual scores applied), per question; absent students from the
roster get an empty grade and status `missing`; a run the batch marked `grader-problem` (the
whole class failed the same way) gets an empty grade and that status."""

from __future__ import annotations

import csv
import io
from typing import Any

from graders.batch.roster import RosterStudent
from graders.scoring import GradeResult


def lms_rows(
    finals: list[GradeResult],
    question_ids: list[str],
    intake: list[dict[str, Any]] | None = None,
    roster: list[RosterStudent] | None = None,
) -> list[dict[str, Any]]:
    status = {r["key"]: r.get("status", "graded") for r in intake or []}
    upload = {r["key"]: r for r in intake or []}
    rows: dict[str, dict[str, Any]] = {}
    for final in finals:
        key = final.submission
        if status.get(key) == "duplicate":
            continue
        scores = {q.id: round(q.score, 4) for q in final.questions}  # as its JSON records them
        for student in final.students:
            number = str(student.get("number") or "")
            row_key = number or f"?{key}"
            row = {
                "student_number": number,
                "name": student.get("name", ""),
                "total": round(round(final.total, 4), 2),
                "max": final.possible,
                "late_penalty_percent": final.late_penalty_percent,
                **{q: round(scores.get(q, 0.0), 2) for q in question_ids},
                "submitted_at": _iso(upload.get(key, {}).get("submitted_at")),
                "time_source": upload.get(key, {}).get("time_source") or "",
                "submission": key,
                "status": "ta-scored" if _ta_scored(final) else "graded",
            }
            if status.get(key) == "grader-problem":  # not the student's grade
                row |= {"total": "", **dict.fromkeys(question_ids, ""), "status": "grader-problem"}
            if row_key in rows:  # a student in two groups: keep both visible, flag it
                row["status"] = "conflict"
                rows[row_key]["status"] = "conflict"
                row_key = f"{row_key}#{key}"
            rows[row_key] = row
    for s in roster or []:
        if s.number not in rows:
            rows[s.number] = {
                "student_number": s.number,
                "name": s.name,
                "total": "",
                "max": "",
                "late_penalty_percent": "",
                **dict.fromkeys(question_ids, ""),
                "submitted_at": "",
                "time_source": "",
                "submission": "",
                "status": "missing",
            }
    return sorted(rows.values(), key=lambda r: (r["student_number"] == "", r["student_number"]))


def lms_csv(rows: list[dict[str, Any]], question_ids: list[str]) -> str:
    fields = [
        "student_number",
        "name",
        "total",
        "max",
        "late_penalty_percent",
        *question_ids,
        "submitted_at",
        "time_source",  # lms, file, file-confirmed, file-untrusted (graders/batch/times.py)
        "submission",
        "status",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _ta_scored(final: GradeResult) -> bool:
    return any(
        "ta" in c.result.evidence for q in final.questions for p in q.parts for c in p.checks
    )
