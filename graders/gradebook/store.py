"""The gradebook facade: record a grade, read the latest grades, keep the batch's intake
records, give final results (the TAs' scores of `graders.gradebook.ta_scores` applied), dump
everything; no SQLAlchemy leaks out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.errors import MissingEntry
from graders.gradebook.database import Database
from graders.gradebook.migrate import ensure_schema
from graders.gradebook.models import (
    Base,
    CheckRow,
    IntakeRow,
    RunRow,
    SubmissionRow,
)
from graders.scoring import GradeResult, as_recorded


def check_rows(result: GradeResult) -> list[CheckRow]:
    """One row per check of a result, with the values its JSON records (`GradeResult.to_json`:
    scores to 4 places, no evidence of a hidden check)."""
    return [
        CheckRow(
            question=q.id,
            part=p.id,
            check_id=c.id,
            check=c.check,
            status=str(c.result.status),
            score=as_recorded(c.result.score),
            weight=c.weight,
            hidden=c.hidden,
            message_fa=c.result.message_fa,
            message_en=c.result.message_en,
            evidence={} if c.hidden else c.result.evidence,
        )
        for q in result.questions
        for p in q.parts
        for c in p.checks
    ]


class Gradebook(Database):
    """`with Gradebook("reports/gradebook.db") as gb: gb.record(result)`."""

    def __init__(self, target: str | Path) -> None:
        # Alembic adopts and upgrades older gradebooks before the tables are created
        super().__init__(target, Base.metadata, prepare=ensure_schema)

    def __enter__(self) -> Gradebook:
        return self

    def record(self, result: GradeResult) -> int:
        """Store one grading run (committed at once, so a killed batch loses nothing)."""
        data = result.to_json()
        with self._sessions.begin() as session:
            sub = self._submission(session, result.assignment, result.submission)
            if sub is None:
                sub = SubmissionRow(
                    assignment=result.assignment,
                    key=result.submission,
                    students=list(result.students),
                )
                session.add(sub)
            sub.students = list(result.students)
            run = RunRow(
                submission=sub,
                content_hash=result.signature.get("submission", ""),
                outcome=result.outcome,
                score=result.total,
                max=result.possible,
                signature=result.signature,
                result=data,
            )
            run.checks.extend(check_rows(result))
            session.add(run)
            session.flush()
            return run.id

    @staticmethod
    def _submission(session: Session, assignment: str, key: str) -> SubmissionRow | None:
        return session.scalars(
            select(SubmissionRow).where(
                SubmissionRow.assignment == assignment, SubmissionRow.key == key
            )
        ).first()

    @staticmethod
    def _rows_of(session: Session, model: Any, assignment: str, order_by: Any) -> list[Any]:
        """Every row of `model` (a table with an `assignment` column) of one assignment."""
        return list(
            session.scalars(
                select(model).where(model.assignment == assignment).order_by(order_by)
            ).all()
        )

    def latest(self, assignment: str, key: str) -> dict[str, Any]:
        with self._sessions() as session:
            sub = self._submission(session, assignment, key)
            if sub is None or not sub.runs:
                raise MissingEntry(
                    f"no graded submission {key!r} of {assignment}",
                    f"ارسال «{key}» برای تمرین {assignment} نمره‌دهی نشده است.",
                )
            return dict(sub.runs[-1].result)

    def latest_all(self, assignment: str) -> list[dict[str, Any]]:
        with self._sessions() as session:
            subs = self._rows_of(session, SubmissionRow, assignment, SubmissionRow.key)
            return [dict(s.runs[-1].result) for s in subs if s.runs]

    def count_runs(self, assignment: str, key: str) -> int:
        with self._sessions() as session:
            sub = self._submission(session, assignment, key)
            return len(sub.runs) if sub else 0

    # --- resuming -------------------------------------------------------------------------

    def is_current(self, assignment: str, key: str, content_hash: str, golden: str) -> bool:
        """Is the latest run of `key` of this content and this golden version?"""
        with self._sessions() as session:
            sub = self._submission(session, assignment, key)
            if sub is None or not sub.runs:
                return False
            sig = sub.runs[-1].signature or {}
            return sig.get("submission") == content_hash and sig.get("golden") == golden

    # --- intake records -------------------------------------------------------------------

    def record_intake(self, assignment: str, key: str, **fields: Any) -> None:
        """Insert or update what the batch found about `key` (see `IntakeRow`)."""
        with self._sessions.begin() as session:
            row = session.scalars(
                select(IntakeRow).where(IntakeRow.assignment == assignment, IntakeRow.key == key)
            ).first()
            if row is None:
                row = IntakeRow(assignment=assignment, key=key, students=[], flags=[])
                session.add(row)
            for name, value in fields.items():
                setattr(row, name, value)

    def intake_records(self, assignment: str) -> list[dict[str, Any]]:
        with self._sessions() as session:
            rows = session.scalars(
                select(IntakeRow).where(IntakeRow.assignment == assignment).order_by(IntakeRow.key)
            ).all()
            return [_row_dict(r) for r in rows]

    # --- final results (TA scores applied) ------------------------------------------------

    def latest_result(self, assignment: str, key: str) -> GradeResult:
        """The latest stored result of `key`, typed (`GradeResult.from_json`)."""
        return GradeResult.from_json(self.latest(assignment, key), assignment)

    def final_results(self, assignment: str, keys: list[str] | None = None) -> list[GradeResult]:
        """The latest results (of `keys`, else all) with the TA scores (`dlgrade score set`)
        applied by `graders.review.apply_ta_scores`."""
        from graders.gradebook.ta_scores import TAScores
        from graders.review import apply_ta_scores

        stored = (
            [self.latest(assignment, k) for k in keys]
            if keys is not None
            else self.latest_all(assignment)
        )
        results = [GradeResult.from_json(r, assignment) for r in stored]
        with TAScores(self.url) as ta:
            return [apply_ta_scores(r, ta.latest(assignment, r.submission)) for r in results]

    def final(self, assignment: str, key: str) -> dict[str, Any]:
        """The JSON of `final_results` for one key."""
        return self.final_all(assignment, [key])[0]

    def final_all(self, assignment: str, keys: list[str] | None = None) -> list[dict[str, Any]]:
        """The JSON (`dlgrade.results/1`) of `final_results`."""
        return [r.to_json() for r in self.final_results(assignment, keys)]

    def ta_scores(self, assignment: str) -> list[dict[str, Any]]:
        """Every TA score of `assignment`, oldest first (the history is kept)."""
        from graders.gradebook.ta_scores import TAScoreRow, TAScores

        with TAScores(self.url) as ta:
            TAScoreRow.metadata.create_all(ta.engine)
        with self._sessions() as session:
            rows = self._rows_of(session, TAScoreRow, assignment, TAScoreRow.id)
            return [_row_dict(r) for r in rows]

    def find_key(self, assignment: str, key_or_number: str) -> str:
        """A submission key, or the key of the counted submission of a student number."""
        with self._sessions() as session:
            if self._submission(session, assignment, key_or_number) is not None:
                return key_or_number
            subs = session.scalars(
                select(SubmissionRow).where(SubmissionRow.assignment == assignment)
            ).all()
            statuses = {
                r.key: r.status
                for r in session.scalars(
                    select(IntakeRow).where(IntakeRow.assignment == assignment)
                ).all()
            }
            keys = [
                s.key
                for s in subs
                if any(str(st.get("number")) == key_or_number for st in s.students or [])
                and statuses.get(s.key, "graded") != "duplicate"
            ]
        if len(keys) == 1:
            return keys[0]
        raise MissingEntry(
            f"no single graded submission {key_or_number!r} of {assignment} (found {keys})",
            f"ارسال یا دانشجوی «{key_or_number}» در تمرین {assignment} پیدا نشد.",
        )

    # --- export ---------------------------------------------------------------------------

    def dump(self, assignment: str) -> dict[str, Any]:
        """Everything about `assignment`: submissions with all their runs, intake, manual scores."""
        with self._sessions() as session:
            subs = self._rows_of(session, SubmissionRow, assignment, SubmissionRow.key)
            submissions = [
                {
                    "key": s.key,
                    "students": s.students,
                    "runs": [
                        {
                            "id": r.id,
                            "created_at": _iso(r.created_at),
                            "content_hash": r.content_hash,
                            "outcome": r.outcome,
                            "score": r.score,
                            "max": r.max,
                            "signature": r.signature,
                            "result": r.result,
                        }
                        for r in s.runs
                    ],
                }
                for s in subs
            ]
        return {
            "schema": "dlgrade.gradebook/1",
            "assignment": assignment,
            "submissions": submissions,
            "intake": self.intake_records(assignment),
            "ta_scores": self.ta_scores(assignment),
            "final": self.final_all(assignment),
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _row_dict(row: Any) -> dict[str, Any]:
    return {c.name: _iso(getattr(row, c.name)) for c in row.__table__.columns}
