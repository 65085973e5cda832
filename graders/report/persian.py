"""Persian text helpers for reports: digits, numbers and Jalali dates."""

from __future__ import annotations

import datetime as dt

import jdatetime

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_JALALI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]


def fa_digits(value: object) -> str:
    return str(value).translate(_FA_DIGITS)


def fa_number(value: float | int, decimals: int = 2) -> str:
    """`1234.5` -> `۱٬۲۳۴٫۵`: Persian digits, ٬ for thousands, ٫ for decimals, no trailing zeros."""
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    return text.replace(",", "٬").replace(".", "٫").translate(_FA_DIGITS)


def jalali_date(moment: dt.datetime | dt.date) -> str:
    """`2025-12-29` -> `۸ دی ۱۴۰۴`."""
    j = jdatetime.date.fromgregorian(
        date=moment.date() if isinstance(moment, dt.datetime) else moment
    )
    return fa_digits(f"{j.day} {_JALALI_MONTHS[j.month - 1]} {j.year}")
