"""Accounts, rubric items, the comment bank and the audit log of the review app (a base of
`ReviewStore`), and the errors its forms report."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.errors import DlgradeError
from graders.gradebook.review_models import AccountRow, AuditRow, CommentRow, RubricItemRow
from graders.gradebook.store import _row_dict
from graders.review_app.passwords import hash_password, verify_password

ROLES = ("ta", "instructor")


class ConflictError(DlgradeError, RuntimeError):
    """Someone else saved this item since the page was opened."""


class ReviewInputError(DlgradeError, ValueError):
    """A form value is missing or out of range."""


def conflict(item: str, key: str, by: str) -> ConflictError:
    return ConflictError(
        f"{item} of {key} was changed by {by} since you opened it; reload to see their grade",
        f"«{item}» ارسال «{key}» پس از باز شدن این صفحه توسط {by} تغییر کرد؛ صفحه را دوباره بارگیری کنید.",
    )


def audit_view(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    keep = ("points", "rubric_ids", "comment", "override", "reason", "grader", "version")
    return {k: row[k] for k in keep}


def _public(row: AccountRow) -> dict[str, str]:
    """Name, role, and a stamp of the password hash: a reset password ends older sessions."""
    stamp = hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]
    return {"name": row.name, "role": row.role, "stamp": stamp}


def _rubric_row(
    assignment: str, item: str, position: int, key_point: dict[str, Any]
) -> RubricItemRow:
    """A new rubric item from a key point (`points`, `fa`, `en`): one of the spec's golden key
    points or one an instructor adds."""
    return RubricItemRow(
        assignment=assignment,
        item=item,
        position=position,
        points=float(key_point.get("points", 0)),
        text_fa=key_point.get("fa", ""),
        text_en=key_point.get("en", ""),
        version=1,
    )


class AccountsAndNotes:
    """Needs `self._sessions` (a sessionmaker on the gradebook)."""

    _sessions: Any

    # --- accounts -------------------------------------------------------------------------

    def add_account(self, name: str, password: str, role: str = "ta", who: str = "cli") -> None:
        if role not in ROLES or not name.strip() or len(password) < 8:
            raise ReviewInputError(
                "an account needs a name, a role (ta|instructor) and a password of 8+ characters",
                "حساب کاربری نام، نقش (ta یا instructor) و گذرواژهٔ دست‌کم ۸ نویسه لازم دارد.",
            )
        with self._sessions.begin() as s:
            row = s.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            old = {"role": row.role} if row else None
            if row is None:
                row = AccountRow(name=name, role=role, password_hash="")
                s.add(row)
            row.role, row.password_hash = role, hash_password(password)
            s.add(AuditRow(who=who, action="account", item=name, old=old, new={"role": role}))

    def account(self, name: str) -> dict[str, str] | None:
        with self._sessions() as s:
            row = s.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            return _public(row) if row else None

    def verify(self, name: str, password: str) -> dict[str, str] | None:
        with self._sessions() as s:
            row = s.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            stored = row.password_hash if row else hash_password("not an account")
            ok = verify_password(password, stored)  # same cost whether or not the name exists
            return _public(row) if row and ok else None

    def accounts(self) -> list[dict[str, str]]:
        with self._sessions() as s:
            rows = s.scalars(select(AccountRow).order_by(AccountRow.name)).all()
            return [{"name": r.name, "role": r.role} for r in rows]

    # --- comment bank, audit ---------------------------------------------------------------

    def comments(self, assignment: str, item: str) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.scalars(
                select(CommentRow)
                .where(CommentRow.assignment == assignment, CommentRow.item.in_([item, "*"]))
                .order_by(CommentRow.id)
            ).all()
            return [_row_dict(r) for r in rows]

    def add_comment(self, who: str, assignment: str, item: str, text: str) -> None:
        if text.strip():
            with self._sessions.begin() as s:
                s.add(CommentRow(assignment=assignment, item=item, text=text.strip(), author=who))

    def audit(self, assignment: str, limit: int = 200) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.scalars(
                select(AuditRow)
                .where(AuditRow.assignment.in_([assignment, ""]))
                .order_by(AuditRow.id.desc())
                .limit(limit)
            ).all()
            return [_row_dict(r) for r in rows]

    # --- rubric items ------------------------------------------------------------------

    def rubric(self, assignment: str, item: str) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.scalars(
                select(RubricItemRow)
                .where(RubricItemRow.assignment == assignment, RubricItemRow.item == item)
                .order_by(RubricItemRow.position, RubricItemRow.id)
            ).all()
            return [_row_dict(r) for r in rows]

    def seed_rubric(self, assignment: str, item: str, key_points: list[dict[str, Any]]) -> None:
        """Start an item's rubric from the spec's key points (golden), once."""
        if not key_points or self.rubric(assignment, item):
            return
        with self._sessions.begin() as s:
            s.add_all(_rubric_row(assignment, item, i, kp) for i, kp in enumerate(key_points))

    def add_rubric_item(
        self, who: str, assignment: str, item: str, points: float, text_fa: str, text_en: str
    ) -> int:
        point = {"points": points, "fa": text_fa, "en": text_en}
        with self._sessions.begin() as s:
            n = len(self._rubric_rows(s, assignment, item))
            row = _rubric_row(assignment, item, n, point)
            s.add(row)
            s.flush()
            s.add(
                AuditRow(
                    who=who,
                    action="rubric-add",
                    assignment=assignment,
                    item=item,
                    new={"id": row.id, **point},
                )
            )
            return row.id

    @staticmethod
    def _rubric_rows(s: Session, assignment: str, item: str) -> list[RubricItemRow]:
        return list(
            s.scalars(
                select(RubricItemRow).where(
                    RubricItemRow.assignment == assignment, RubricItemRow.item == item
                )
            ).all()
        )
