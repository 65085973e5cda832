"""Database side of the review app: accounts, the class queue of an item, rubric items, reviews
with an optimistic version check, overrides, the comment bank and the audit log.

Every review also appends a row to `ta_scores` (in the same transaction), so `dlgrade score
show`, regrades and `dlgrade report` use the TA's points exactly as if set with `score set`.
Points of a rubric review: the sum of the ticked items' points (negative items deduct),
clamped to [0, the item's maximum].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from graders.gradebook.database import Database
from graders.gradebook.migrate import ensure_schema
from graders.gradebook.models import CheckRow, RunRow, SubmissionRow
from graders.gradebook.review_models import (
    AuditRow,
    ReviewRow,
    RubricItemRow,
)
from graders.gradebook.store import _row_dict
from graders.gradebook.ta_scores import TAScore, TAScoreRow
from graders.review_app.accounts import (  # noqa: F401 (re-exported)
    ROLES,
    AccountsAndNotes,
    ConflictError,
    ReviewInputError,
    audit_view,
    conflict,
)
from graders.scoring import GradeResult, as_recorded


def split_item(item: str) -> tuple[str, str, str]:
    parts = item.split(".")
    if len(parts) != 3:
        raise ReviewInputError(f"not a check address: {item!r}", f"نشانی «{item}» معتبر نیست.")
    return parts[0], parts[1], parts[2]


def review_points(rubric: list[dict[str, Any]], ticked: list[int], top: float) -> float:
    chosen = sum(r["points"] for r in rubric if r["id"] in set(ticked))
    return round(min(top, max(0.0, chosen)), 4)


def _audit_review(
    s: Session,
    who: str,
    action: str,
    review: ReviewRow,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """The audit record of a change to one review (a grade, an override, a rescore)."""
    s.add(
        AuditRow(
            who=who,
            action=action,
            assignment=review.assignment,
            submission=review.submission,
            item=review.item,
            old=old,
            new=new,
        )
    )


class ReviewStore(AccountsAndNotes, Database):
    def __init__(self, target: str | Path, item_max: Callable[[str], float] | None = None) -> None:
        self.item_max = item_max
        Database.__init__(self, target, TAScoreRow.metadata, prepare=ensure_schema)

    # --- the class -------------------------------------------------------------------------

    @staticmethod
    def _latest_runs(assignment: str) -> Any:
        return (
            select(func.max(RunRow.id))
            .join(SubmissionRow, RunRow.submission_id == SubmissionRow.id)
            .where(SubmissionRow.assignment == assignment)
            .group_by(RunRow.submission_id)
        )

    def _checks(
        self,
        s: Session,
        assignment: str,
        item: str | None = None,
        key: str | None = None,
        full: bool = False,
        status: str | None = None,
    ) -> list[Any]:
        """(key, check) of the latest runs; only the columns a listing needs unless `full`."""
        cols = (
            (CheckRow,)
            if full
            else (
                CheckRow.question,
                CheckRow.part,
                CheckRow.check_id,
                CheckRow.status,
                CheckRow.run_id,
            )
        )
        q = (
            select(SubmissionRow.key, *cols)
            .join(RunRow, CheckRow.run_id == RunRow.id)
            .join(SubmissionRow, RunRow.submission_id == SubmissionRow.id)
            .where(RunRow.id.in_(self._latest_runs(assignment)))
        )
        if item is not None:
            qid, pid, cid = split_item(item)
            q = q.where(CheckRow.question == qid, CheckRow.part == pid, CheckRow.check_id == cid)
        if key is not None:
            q = q.where(SubmissionRow.key == key)
        if status is not None:
            q = q.where(CheckRow.status == status)
        rows = s.execute(q.order_by(SubmissionRow.key)).all()
        return [(r[0], r[1]) for r in rows] if full else [(r[0], r) for r in rows]

    def _reviews(self, s: Session, assignment: str, item: str | None = None) -> list[ReviewRow]:
        q = select(ReviewRow).where(ReviewRow.assignment == assignment)
        if item is not None:
            q = q.where(ReviewRow.item == item)
        return list(s.scalars(q).all())

    def overview(self, assignment: str) -> list[dict[str, Any]]:
        """Per review item: how many wait, how many are done, and by whom."""
        with self._sessions() as s:
            checks = self._checks(s, assignment, status="review")
            reviews = {(r.submission, r.item): r for r in self._reviews(s, assignment)}
        items: dict[str, dict[str, Any]] = {}
        for key, c in checks:
            item = f"{c.question}.{c.part}.{c.check_id}"
            done = reviews.get((key, item))
            if c.status != "review" and (done is None or done.override):
                continue
            row = items.setdefault(
                item,
                {
                    "item": item,
                    "question": c.question,
                    "part": c.part,
                    "check": c.check_id,
                    "waiting": 0,
                    "done": 0,
                    "by": Counter(),
                },
            )
            if done is None:
                row["waiting"] += 1
            else:
                row["done"] += 1
                row["by"][done.grader] += 1
        return [{**v, "by": dict(v["by"])} for _, v in sorted(items.items())]

    def queue(self, assignment: str, item: str) -> list[tuple[str, bool]]:
        """(submission, graded?) for every submission this item sends to review, by key."""
        with self._sessions() as s:
            checks = self._checks(s, assignment, item)
            done = set(
                s.scalars(
                    select(ReviewRow.submission).where(
                        ReviewRow.assignment == assignment,
                        ReviewRow.item == item,
                        ReviewRow.override.is_(False),
                    )
                ).all()
            )
        return [(k, k in done) for k, c in checks if c.status == "review" or k in done]

    def submissions(self, assignment: str) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.execute(
                select(SubmissionRow.key, SubmissionRow.students, RunRow.score, RunRow.max)
                .join(RunRow, RunRow.submission_id == SubmissionRow.id)
                .where(RunRow.id.in_(self._latest_runs(assignment)))
                .order_by(SubmissionRow.key)
            ).all()
        return [{"key": k, "students": st, "score": sc, "max": mx} for k, st, sc, mx in rows]

    def check(self, assignment: str, key: str, item: str) -> dict[str, Any] | None:
        """The automatic result of `item` in the latest run of `key`, with its maximum
        (from the spec when the store has one, else from the stored result)."""
        with self._sessions() as s:
            rows = self._checks(s, assignment, item, key, full=True)
            if not rows:
                return None
            c = _row_dict(rows[0][1])
            if self.item_max is not None:
                return {**c, "id": c["check_id"], "max": self.item_max(item)}
            result = GradeResult.from_json(s.get(RunRow, c["run_id"]).result, assignment)
            for q in result.questions:
                for p in q.parts:
                    for rc in p.checks:
                        if f"{q.id}.{p.id}.{rc.id}" == item:
                            return {**c, "id": c["check_id"], "max": as_recorded(p.check_max(rc))}
        return None

    def checks_of(self, assignment: str, key: str) -> list[dict[str, Any]]:
        with self._sessions() as s:
            return [
                {**_row_dict(c), "item": f"{c.question}.{c.part}.{c.check_id}"}
                for _, c in self._checks(s, assignment, key=key, full=True)
            ]

    # --- rubric ----------------------------------------------------------------------------

    def edit_rubric_item(
        self,
        who: str,
        rubric_id: int,
        points: float,
        text_fa: str,
        text_en: str,
        version: int,
        top: float,
    ) -> int:
        """Change an item's points or text; rescore every review that ticked it. Returns how
        many reviews were rescored."""
        with self._sessions.begin() as s:
            row = s.get(RubricItemRow, rubric_id)
            if row is None:
                raise ReviewInputError(f"no rubric item {rubric_id}", "این مورد روبریک نیست.")
            old = {"points": row.points, "fa": row.text_fa, "en": row.text_en}
            done = s.execute(
                update(RubricItemRow)
                .where(RubricItemRow.id == rubric_id, RubricItemRow.version == version)
                .values(points=points, text_fa=text_fa, text_en=text_en, version=version + 1)
            )
            if done.rowcount != 1:
                raise conflict(row.item, "rubric", "another instructor")
            s.refresh(row)
            s.add(
                AuditRow(
                    who=who,
                    action="rubric-edit",
                    assignment=row.assignment,
                    item=row.item,
                    old=old,
                    new={"points": points, "fa": text_fa, "en": text_en},
                )
            )
            rubric = [_row_dict(r) for r in self._rubric_rows(s, row.assignment, row.item)]
            count = 0
            for rev in self._reviews(s, row.assignment, row.item):
                if rev.override or rubric_id not in rev.rubric_ids:
                    continue
                before = rev.points
                rev.points = review_points(rubric, rev.rubric_ids, top)
                self._ta_score(s, rev, rubric, f"{who} (rubric edit)")
                _audit_review(s, who, "rescore", rev, {"points": before}, {"points": rev.points})
                count += 1
            return count

    # --- reviews ---------------------------------------------------------------------------

    def review(self, assignment: str, key: str, item: str) -> dict[str, Any] | None:
        with self._sessions() as s:
            row = self._review_row(s, assignment, key, item)
            return _row_dict(row) if row else None

    @staticmethod
    def _review_row(s: Session, assignment: str, key: str, item: str) -> ReviewRow | None:
        return s.scalars(
            select(ReviewRow).where(
                ReviewRow.assignment == assignment,
                ReviewRow.submission == key,
                ReviewRow.item == item,
            )
        ).first()

    @staticmethod
    def _ta_score(s: Session, rev: ReviewRow, rubric: list[dict[str, Any]], grader: str) -> None:
        if rev.override:
            note = f"{rev.reason}" + (f" — {rev.comment}" if rev.comment else "")
        else:
            ticked = [r for r in rubric if r["id"] in set(rev.rubric_ids)]
            lines = [f"{r['text_fa'] or r['text_en']} ({r['points']:+g})" for r in ticked]
            note = "؛ ".join([*lines, *([rev.comment] if rev.comment else [])])
        score = TAScore(rev.item, rev.points, note, grader)
        s.add(TAScoreRow.of(rev.assignment, rev.submission, score))

    def save(
        self,
        who: str,
        assignment: str,
        key: str,
        item: str,
        *,
        version: int,
        top: float,
        rubric_ids: list[int] | None = None,
        comment: str = "",
        override_points: float | None = None,
        reason: str = "",
    ) -> dict[str, Any]:
        """Save a rubric review (`rubric_ids`) or an override (`override_points` + `reason`).
        `version` is the review's version the page showed (0: none yet); a mismatch raises
        ConflictError instead of overwriting."""
        override = override_points is not None
        if override and not reason.strip():
            raise ReviewInputError(
                "an override needs a reason", "برای تغییر نمرهٔ خودکار دلیل لازم است."
            )
        if override and not 0 <= override_points <= top + 1e-9:
            raise ReviewInputError(
                f"{item} is worth 0 to {top:g} points", f"نمرهٔ «{item}» باید بین ۰ و {top:g} باشد."
            )
        try:
            with self._sessions.begin() as s:
                rubric = [_row_dict(r) for r in self._rubric_rows(s, assignment, item)]
                ids = sorted({i for i in rubric_ids or [] if i in {r["id"] for r in rubric}})
                points = override_points if override else review_points(rubric, ids, top)
                values = dict(
                    rubric_ids=ids,
                    comment=comment,
                    points=points,
                    override=override,
                    reason=reason,
                    grader=who,
                )
                row = self._review_row(s, assignment, key, item)
                old = _row_dict(row) if row else None
                if row is None and version == 0:
                    row = ReviewRow(
                        assignment=assignment, submission=key, item=item, version=1, **values
                    )
                    s.add(row)
                    s.flush()
                elif (
                    row is None
                    or s.execute(
                        update(ReviewRow)
                        .where(ReviewRow.id == row.id, ReviewRow.version == version)
                        .values(version=version + 1, **values)
                    ).rowcount
                    != 1
                ):
                    raise conflict(item, key, old["grader"] if old else "?")
                s.refresh(row)
                self._ta_score(s, row, rubric, who)
                new = _row_dict(row)
                action = "override" if override else "grade"
                _audit_review(s, who, action, row, audit_view(old), audit_view(new))
                return new
        except IntegrityError as exc:
            raise conflict(item, key, "another TA") from exc
