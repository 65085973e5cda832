"""Dates as TAs and LMSs write them: Jalali (`۱۴۰۴/۱۰/۰۸ ۲۳:۵۹`) or Gregorian (ISO 8601).

A year below 1700 is read as Jalali (jdatetime), otherwise Gregorian. A date without a zone
is local time in the given zone (Asia/Tehran by default); a date without a time of day means
the end of that day (23:59:59), as deadlines are written.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import jdatetime

from graders.answers.numbers import normalize_digits

DEFAULT_TZ = "Asia/Tehran"
_DATE = re.compile(
    r"^\s*(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
    r"(?:[T\s,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+\-]\d{2}:?\d{2})?\s*$"
)


def parse_datetime(text: str | dt.datetime | dt.date, tz: str = DEFAULT_TZ) -> dt.datetime:
    """Parse a Jalali or Gregorian date-time into an aware `datetime`."""
    zone = ZoneInfo(tz)
    if isinstance(text, dt.datetime):
        return text if text.tzinfo else text.replace(tzinfo=zone)
    if isinstance(text, dt.date):
        return dt.datetime.combine(text, dt.time(23, 59, 59), zone)
    raw = normalize_digits(str(text)).replace("／", "/")
    match = _DATE.match(raw)
    if not match:
        raise ValueError(f"not a date: {text!r} (use 1404/10/08 23:59 or 2025-12-29T23:59)")
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if match["H"] is None:
        hour, minute, second = 23, 59, 59
    else:
        hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if y < 1700:
        g = jdatetime.date(y, m, d).togregorian()
        y, m, d = g.year, g.month, g.day
    tzinfo: dt.tzinfo = zone
    if match["tz"]:
        tzs = match["tz"]
        if tzs == "Z":
            tzinfo = dt.UTC
        else:
            sign = 1 if tzs[0] == "+" else -1
            digits = tzs[1:].replace(":", "")
            tzinfo = dt.timezone(
                sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            )
    return dt.datetime(y, m, d, hour, minute, second, tzinfo=tzinfo)


def to_jalali_text(moment: dt.datetime, tz: str = DEFAULT_TZ) -> str:
    """`2025-12-29T20:29:59Z` -> `1404/10/08 23:59` (local time of `tz`)."""
    local = moment.astimezone(ZoneInfo(tz))
    return jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None)).strftime(
        "%Y/%m/%d %H:%M"
    )
