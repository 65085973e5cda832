"""Upload times a TA can trust: from the LMS grading worksheet, or file times checked first.

`read_times` reads a CSV with a student number and an upload time: Moodle's grading worksheet
(`Last modified (submission)`, with `ID number`, `Username` or `Email address` and
`Identifier` = `Participant 123`), or any CSV with `student_number` and `submitted_at`
columns. Times may be Jalali or Gregorian, numeric (`1404/10/08 23:59`, `2025-12-29T23:59`)
or as Moodle prints them (`Monday, 29 December 2025, 11:59 PM`; `دوشنبه، ۸ دی ۱۴۰۴، ۱۱:۵۹ ب.ظ`);
a time without a zone is local time in `tz` (Asia/Tehran by default). Such times win over
file times.

File times are only as good as the copy of the export: a re-zipped or copied export gives
every file the time of the copy. `doubts` says when they look untrustworthy — all uploads
within a few minutes of each other, all after the deadline, or any in the future — and the
batch then withholds late penalties until the TA confirms (`--trust-file-times`) or gives
`--times`. `time_source` of a submission: `lms`, `file`, `file-confirmed`, `file-untrusted`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime

from graders.answers.numbers import normalize_digits
from graders.batch.plan import Entry
from graders.dates import DEFAULT_TZ, parse_datetime
from graders.errors import SubmissionError

CLUSTER_MINUTES = 5  # all uploads within this many minutes of each other: a copy's times
FUTURE_SLACK = dt.timedelta(minutes=10)
_NUMBER = {"student_number", "student number", "student_id", "studentno", "number", "id number",
           "idnumber", "username", "user name", "شماره دانشجویی", "شماره‌ی دانشجویی",
           "شماره‌دانشجویی", "شماره", "شماره شناسایی", "نام کاربری"}  # fmt: skip
_EMAIL = {"email", "email address", "e-mail", "ایمیل", "آدرس ایمیل", "پست الکترونیک"}
_TIME = {"last modified (submission)", "submitted_at", "submitted", "submission time", "time",
         "upload time", "uploaded", "timestamp", "زمان ارسال", "تاریخ ارسال",
         "آخرین تغییر (ارسال)", "آخرین تغییر (تحویل)", "آخرین ویرایش (ارسال)"}  # fmt: skip
_IDENTIFIER = {"identifier", "شناسه"}
_EN_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}  # fmt: skip
_EN_MONTHS |= {k[:3]: v for k, v in list(_EN_MONTHS.items())}
_FA_MONTHS = {m: i for i, m in enumerate(
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
     "بهمن", "اسفند"], 1)}  # fmt: skip
_WORDY = re.compile(
    r"(?P<d>\d{1,2})\s+(?P<month>[^\s,،\d]+)\s+(?P<y>\d{4})[\s,،]*(?:ساعت\s*)?"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>am|pm|ق\.?\s?ظ|ب\.?\s?ظ|صبح|عصر|بعدازظهر)?",
    re.IGNORECASE,
)


@dataclass
class UploadTimes:
    """Upload times by student number and by LMS participant id (`Participant 123`)."""

    by_number: dict[str, dt.datetime] = field(default_factory=dict)
    by_participant: dict[str, dt.datetime] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # rows whose time could not be read

    def lookup(self, numbers: list[str], origin: str) -> dt.datetime | None:
        """The time of a submission: its LMS folder's participant id, else its students' numbers
        (the latest of them when a group's members differ)."""
        match = re.search(r"_(\d+)_assignsubmission", origin)
        if match and match.group(1) in self.by_participant:
            return self.by_participant[match.group(1)]
        found = [self.by_number[n] for n in numbers if n in self.by_number]
        return max(found) if found else None


def parse_upload_time(text: str, tz: str = DEFAULT_TZ) -> dt.datetime | None:
    """A time as an LMS writes it; None for an empty cell or Moodle's `-` (no submission)."""
    raw = normalize_digits(str(text)).strip()
    if raw in ("", "-", "—", "never", "هرگز"):
        return None
    try:
        return parse_datetime(raw, tz)
    except ValueError:
        pass
    match = _WORDY.search(raw)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    month_name = match["month"].strip().lower()
    y, d = int(match["y"]), int(match["d"])
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    ampm = (match["ampm"] or "").replace(" ", "").replace(".", "").lower()
    if ampm in ("pm", "بظ", "عصر", "بعدازظهر") and hour < 12:
        hour += 12
    elif ampm in ("am", "قظ", "صبح") and hour == 12:
        hour = 0
    if month_name in _FA_MONTHS:
        g = jdatetime.date(y, _FA_MONTHS[month_name], d).togregorian()
        y, m, d = g.year, g.month, g.day
    elif month_name in _EN_MONTHS:
        m = _EN_MONTHS[month_name]
        if y < 1700:  # a Jalali year with a Latin month name is not a date
            raise ValueError(f"not a time: {text!r}")
    else:
        raise ValueError(f"unknown month {match['month']!r} in {text!r}")
    return dt.datetime(y, m, d, hour, minute, second, tzinfo=ZoneInfo(tz))


def _column(header: list[str], names: set[str]) -> int | None:
    for i, h in enumerate(header):
        if h.strip().lower().replace("_", " ") in {n.replace("_", " ") for n in names}:
            return i
    return None


def read_times(path: Path, tz: str = DEFAULT_TZ) -> UploadTimes:
    """Read the upload times of `path` (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SubmissionError(
            f"cannot read the upload times {path}: {exc}",
            f"فایل زمان‌های ارسال ({path}) خوانده نشد.",
        ) from exc
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    header = [c.strip() for c in rows[0]] if rows else []
    time_col = _column(header, _TIME)
    if time_col is None:
        time_col = next((i for i, h in enumerate(header) if "modified" in h.lower()
                         and "submission" in h.lower()), None)  # fmt: skip
    number_col, email_col = _column(header, _NUMBER), _column(header, _EMAIL)
    ident_col = _column(header, _IDENTIFIER)
    if time_col is None or (number_col is None and email_col is None and ident_col is None):
        raise SubmissionError(
            f"{path}: needs a student number column (student_number, ID number, Username or "
            f"Email address) and a time column (Last modified (submission), submitted_at); "
            f"header: {header[:12]}",
            f"فایل زمان‌ها ({path}) باید ستون شمارهٔ دانشجویی و ستون زمان ارسال داشته باشد "
            "(مثل «Last modified (submission)» در کاربرگ نمره‌دهی مودل).",
        )
    out = UploadTimes()
    for row in rows[1:]:

        def cell(col: int | None, row: list[str] = row) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        try:
            moment = parse_upload_time(cell(time_col), tz)
        except ValueError:
            out.unreadable.append(",".join(row)[:200])
            continue
        if moment is None:
            continue
        keys = [normalize_digits(cell(number_col)).strip()]
        keys.append(normalize_digits(cell(email_col)).split("@")[0].strip())
        for key in filter(None, keys):
            out.by_number[key] = moment
        participant = re.search(r"(\d+)", normalize_digits(cell(ident_col)))
        if participant:
            out.by_participant[participant.group(1)] = moment
    return out


def doubts(
    times: list[dt.datetime | None], deadline: dt.datetime | None, now: dt.datetime
) -> list[tuple[str, str]]:
    """Why the file times of a class look untrustworthy (Persian, English); empty if they don't."""
    known = sorted(t for t in times if t is not None)
    out: list[tuple[str, str]] = []
    if len(known) >= 2 and known[-1] - known[0] <= dt.timedelta(minutes=CLUSTER_MINUTES):
        out.append(
            (
                f"همهٔ {len(known)} ارسال در فاصلهٔ {CLUSTER_MINUTES} دقیقه از هم هستند "
                "(احتمالاً زمان رونوشت یا فشرده‌سازی دوبارهٔ خروجی، نه زمان ارسال).",
                f"all {len(known)} uploads lie within {CLUSTER_MINUTES} minutes of each other "
                "(likely the time the export was copied or re-zipped, not the upload time).",
            )
        )
    if deadline is not None and len(known) >= 2 and known[0] > deadline:
        out.append(
            (
                f"همهٔ {len(known)} ارسال پس از مهلت هستند.",
                f"all {len(known)} uploads are after the deadline.",
            )
        )
    future = [t for t in known if t > now + FUTURE_SLACK]
    if future:
        out.append(
            (
                f"{len(future)} زمان ارسال در آینده است.",
                f"{len(future)} upload time(s) lie in the future.",
            )
        )
    return out


def settle(
    entries: list[Entry],
    table: UploadTimes | None,
    deadline: dt.datetime | None,
    *,
    trust_file_times: bool = False,
    now: dt.datetime | None = None,
) -> tuple[list[Entry], dict[str, str], list[tuple[str, str]]]:
    """Each entry's upload time and its source; the class-level warnings about file times.

    With `table`, a submission found in it gets that time (`lms`); one missing from it keeps its
    file time, which is not trusted unless `trust_file_times`. Without `table`, file times are
    trusted unless `doubts` finds a reason, and then only when the TA confirms.
    """
    now = now or dt.datetime.now(dt.UTC)
    sources: dict[str, str] = {}
    out: list[Entry] = []
    pending: list[Entry] = []
    for e in entries:
        moment = table.lookup(sorted(e.numbers), e.found.origin) if table else None
        if moment is not None:
            out.append(
                dataclasses.replace(e, found=dataclasses.replace(e.found, submitted_at=moment))
            )
            sources[e.key] = "lms"
        else:
            out.append(e)
            pending.append(e)
    warnings: list[tuple[str, str]] = []
    if table is not None:
        if pending:
            warnings.append(
                (
                    f"{len(pending)} ارسال در فایل زمان‌ها نیست؛ زمان فایل آن‌ها به کار رفت.",
                    f"{len(pending)} submission(s) are not in the times CSV: their file times "
                    "are used.",
                )
            )
    else:
        warnings = doubts([e.found.submitted_at for e in pending], deadline, now)
    doubtful = bool(warnings)
    for e in pending:
        if not doubtful:
            sources[e.key] = "file"
        else:
            sources[e.key] = "file-confirmed" if trust_file_times else "file-untrusted"
    if doubtful and not trust_file_times:
        warnings.append(
            (
                "جریمهٔ تأخیرِ ارسال‌هایی که زمانشان از فایل است اعمال نشد تا دستیار با "
                "--trust-file-times تأیید کند یا زمان‌ها را با --times (کاربرگ نمره‌دهی) بدهد.",
                "late penalties from file times are not applied until a TA confirms them "
                "(--trust-file-times) or gives the LMS times (--times CSV).",
            )
        )
    return out, sources, warnings
