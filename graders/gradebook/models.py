"""Gradebook tables: submissions, runs (one per grading), and the check results of each run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utc_now() -> dt.datetime:
    """The time a row is written (every gradebook and review table's default)."""
    return dt.datetime.now(dt.UTC)


class RowBase(DeclarativeBase):
    """One registry for every table of the gradebook's database, each keyed by an integer `id`
    (its first column). Each group of tables below keeps its own MetaData, so each is created
    on its own (`TAScores` creates only `ta_scores`); the Alembic migrations cover all three."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)


class Base(RowBase):
    """The gradebook: submissions, runs, check results, intake records."""

    __abstract__ = True
    metadata = MetaData()


class ReviewBase(RowBase):
    """The review app's tables (`graders.gradebook.review_models`)."""

    __abstract__ = True
    metadata = MetaData()


class TAScoresBase(RowBase):
    """The TA scores (`graders.gradebook.ta_scores`)."""

    __abstract__ = True
    metadata = MetaData()


class SubmissionRow(Base):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("assignment", "key"),)

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    key: Mapped[str] = mapped_column(String(300))
    students: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    runs: Mapped[list[RunRow]] = relationship(back_populates="submission", order_by="RunRow.id")


class RunRow(Base):
    __tablename__ = "runs"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)
    signature: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    submission: Mapped[SubmissionRow] = relationship(back_populates="runs")
    checks: Mapped[list[CheckRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )


class CheckRow(Base):
    __tablename__ = "check_results"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    question: Mapped[str] = mapped_column(String(50))
    part: Mapped[str] = mapped_column(String(50))
    check_id: Mapped[str] = mapped_column(String(100))
    check: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    hidden: Mapped[bool] = mapped_column(default=False)
    message_fa: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict] = mapped_column(JSON)
    run: Mapped[RunRow] = relationship(back_populates="checks")


class IntakeRow(Base):
    """What the batch found for one submission: students, upload time, lateness, its status
    (`graded`, `duplicate`, `pending`), the submission a duplicate defers to, and flags."""

    __tablename__ = "intake_records"
    __table_args__ = (UniqueConstraint("assignment", "key"),)

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    key: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    students: Mapped[list] = mapped_column(JSON)
    identified: Mapped[bool] = mapped_column(default=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    days_late: Mapped[int] = mapped_column(Integer, default=0)
    late_penalty_percent: Mapped[float] = mapped_column(Float, default=0.0)
    time_source: Mapped[str] = mapped_column(String(20), default="")  # graders/batch/times.py
    status: Mapped[str] = mapped_column(String(20), default="pending")
    duplicate_of: Mapped[str | None] = mapped_column(String(300))
    flags: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )
