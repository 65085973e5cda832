"""The gradebook facade: record a grade, read the latest grades; no SQLAlchemy leaks out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from graders.errors import MissingEntry
from graders.gradebook.models import Base, CheckRow, RunRow, SubmissionRow
from graders.scoring import GradeResult


def _url(target: str | Path) -> str:
    text = str(target)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


class Gradebook:
    """`with Gradebook("reports/gradebook.db") as gb: gb.record(result)`."""

    def __init__(self, target: str | Path) -> None:
        url = _url(target)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.dispose()

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
            for q in data["questions"]:
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

    @staticmethod
    def _submission(session: Session, assignment: str, key: str) -> SubmissionRow | None:
        return session.scalars(
            select(SubmissionRow).where(
                SubmissionRow.assignment == assignment, SubmissionRow.key == key
            )
        ).first()

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
            subs = session.scalars(
                select(SubmissionRow)
                .where(SubmissionRow.assignment == assignment)
                .order_by(SubmissionRow.key)
            ).all()
            return [dict(s.runs[-1].result) for s in subs if s.runs]

    def count_runs(self, assignment: str, key: str) -> int:
        with self._sessions() as session:
            sub = self._submission(session, assignment, key)
            return len(sub.runs) if sub else 0


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
