"""Tables of the TA review web app (`dlgrade review`): accounts, rubric items, one review per
(submission, item) with a version number for optimistic locking, a comment bank and the audit log.

Their own metadata (like `ta_scores`), in the same database as the gradebook; the schema is
created and upgraded by the Alembic migrations of `graders.gradebook.migrate`. The points a
review gives are also written to `ta_scores`, so `dlgrade score show` and the reports see them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from graders.gradebook.models import ReviewBase, utc_now


class AccountRow(ReviewBase):
    __tablename__ = "review_accounts"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="ta")  # ta | instructor
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RubricItemRow(ReviewBase):
    """One rubric item of a gradable item (`Q3.a.gates`), shared by all students."""

    __tablename__ = "review_rubric_items"

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    item: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[float] = mapped_column(Float)
    text_fa: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class ReviewRow(ReviewBase):
    """A TA's grading of one item of one submission: rubric items ticked, or an override."""

    __tablename__ = "review_grades"
    __table_args__ = (UniqueConstraint("assignment", "submission", "item"),)

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    submission: Mapped[str] = mapped_column(String(300))
    item: Mapped[str] = mapped_column(String(200), index=True)
    rubric_ids: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float] = mapped_column(Float)
    override: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    grader: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CommentRow(ReviewBase):
    __tablename__ = "review_comments"

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    item: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))


class AuditRow(ReviewBase):
    __tablename__ = "review_audit"

    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    who: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    assignment: Mapped[str] = mapped_column(String(100), default="", index=True)
    submission: Mapped[str] = mapped_column(String(300), default="")
    item: Mapped[str] = mapped_column(String(200), default="")
    old: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    new: Mapped[dict | None] = mapped_column(JSON, nullable=True)
