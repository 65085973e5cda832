"""The class roster: a CSV of student number, name and email (English or Persian headers)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graders.answers.numbers import normalize_digits
from graders.errors import SubmissionError

_NUMBER_HEADERS = {
    "student_number",
    "student number",
    "number",
    "id",
    "student_id",
    "studentno",
    "شماره دانشجویی",
    "شماره‌ی دانشجویی",
    "شماره‌دانشجویی",
    "شماره",
}
_NAME_HEADERS = {"name", "full name", "fullname", "نام", "نام و نام خانوادگی", "نام خانوادگی"}
_EMAIL_HEADERS = {"email", "e-mail", "email address", "ایمیل", "پست الکترونیک"}


@dataclass(frozen=True)
class RosterStudent:
    number: str
    name: str
    email: str


def _column(headers: list[str], names: set[str]) -> int | None:
    for i, h in enumerate(headers):
        if h.strip().lower().replace("_", " ") in {n.replace("_", " ") for n in names}:
            return i
    return None


def read_roster(path: Path) -> list[RosterStudent]:
    """Read `path`; a header row is recognised, else columns are number, name, email."""
    text = path.read_text(encoding="utf-8-sig")
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    if not rows:
        raise SubmissionError(f"the roster {path} is empty", f"فهرست دانشجویان {path} خالی است.")
    header = [c.strip() for c in rows[0]]
    num_col = _column(header, _NUMBER_HEADERS)
    if num_col is not None:
        name_col, email_col, body = (
            _column(header, _NAME_HEADERS),
            _column(header, _EMAIL_HEADERS),
            rows[1:],
        )
    else:
        num_col, name_col, email_col, body = 0, 1, 2, rows

    def cell(row: list[str], col: int | None) -> str:
        return row[col].strip() if col is not None and col < len(row) else ""

    out = []
    for row in body:
        number = normalize_digits(cell(row, num_col)).strip()
        if number:
            out.append(RosterStudent(number, cell(row, name_col), cell(row, email_col)))
    return out
