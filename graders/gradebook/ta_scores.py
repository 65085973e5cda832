"""TA scores for items the grader sends to review (free text, ambiguous answers).

A separate table (`ta_scores`, its own metadata, so the gradebook's models stay untouched) in
the same database: one row per `dlgrade score set`, history kept, the latest row of an item
wins. An item is a part (`Q2.b`) or one check of a part (`Q2.c.h`); points are in the item's
own points (at most its maximum).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import DateTime, Float, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from graders.gradebook.database import Database
from graders.gradebook.models import TAScoresBase as _Base  # the name migrations/env.py imports
from graders.gradebook.models import utc_now


class TAScoreRow(_Base):
    __tablename__ = "ta_scores"

    assignment: Mapped[str] = mapped_column(String(100), index=True)
    submission: Mapped[str] = mapped_column(String(300), index=True)
    item: Mapped[str] = mapped_column(String(200))
    points: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    grader: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    @classmethod
    def of(cls, assignment: str, submission: str, score: TAScore) -> TAScoreRow:
        """The row recording `score` for one submission (`TAScores.set`, the review app)."""
        return cls(assignment=assignment, submission=submission, **asdict(score))


@dataclass(frozen=True)
class TAScore:
    """A TA's points for one item: what `TAScores.set` records and `TAScores.latest` gives."""

    item: str
    points: float
    comment: str
    grader: str


class TAScores(Database):
    """`with TAScores("reports/gradebook.db") as ta: ta.set(...)`."""

    def __init__(self, target: str | Path) -> None:
        super().__init__(target, _Base.metadata)

    def __enter__(self) -> TAScores:
        return self

    def set(self, assignment: str, submission: str, score: TAScore) -> None:
        """Record `score` as the newest TA score of its item (older ones stay as history)."""
        with self._sessions.begin() as session:
            session.add(TAScoreRow.of(assignment, submission, score))

    def latest(self, assignment: str, submission: str) -> dict[str, TAScore]:
        with self._sessions() as session:
            rows = session.scalars(
                select(TAScoreRow)
                .where(TAScoreRow.assignment == assignment, TAScoreRow.submission == submission)
                .order_by(TAScoreRow.id)
            ).all()
        return {r.item: TAScore(r.item, r.points, r.comment, r.grader) for r in rows}
