"""Persian text helpers for reports: digits, numbers, Jalali dates and bidi-safe HTML.

WeasyPrint ignores `unicode-bidi` and `<bdi>`, so a left-to-right run (code, identifiers,
numbers with units, English terms) inside a Persian sentence stays intact only in its own
element with `direction: ltr`: `bidi_html` finds those runs and wraps each one in
`<span class="ltr" dir="ltr">`, escaping everything else. Plain numbers in Persian text get
Persian digits instead (they read correctly right-to-left as they are).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import jdatetime
from markupsafe import Markup, escape

from graders.report.glyphs import glyph_safe

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
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "٬").replace(".", "٫").translate(_FA_DIGITS)


def jalali_date(moment: dt.datetime | dt.date) -> str:
    """`2025-12-29` -> `۸ دی ۱۴۰۴`."""
    j = jdatetime.date.fromgregorian(
        date=moment.date() if isinstance(moment, dt.datetime) else moment
    )
    return fa_digits(f"{j.day} {_JALALI_MONTHS[j.month - 1]} {j.year}")


def jalali_datetime(moment: dt.datetime) -> str:
    """`2025-12-29T23:59` -> `۸ دی ۱۴۰۴، ساعت ۲۳:۵۹` (in the moment's own time zone)."""
    return f"{jalali_date(moment)}، ساعت {fa_digits(moment.strftime('%H:%M'))}"


def parse_moment(value: object) -> dt.datetime | None:
    """An ISO date-time string (or a datetime) from a result or spec; None when absent or bad."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


# --- bidi ------------------------------------------------------------------------------------

# A left-to-right run: tokens of anything but Arabic-script letters, Persian digits and
# punctuation, and spaces (so Latin with accents, Greek, symbols), separated by spaces.
_TOKEN = (
    r"[^\s\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
    r"\u200c\u200d«»—–]+"
)
_RUN = re.compile(rf"{_TOKEN}(?:[ \t]+{_TOKEN})*")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_TRAILING = ".,;:!?"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_STRONG_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_STRONG_LTR = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")


def _encloses(core: str) -> bool:
    """`(a + b)` yes, `(a) + (b)` no: the first bracket is closed by the last character."""
    if len(core) < 2 or _PAIRS.get(core[-1]) != core[0]:
        return False
    depth = 0
    for i, ch in enumerate(core):
        depth += (ch == core[0]) - (ch == core[-1])
        if depth == 0:
            return i == len(core) - 1
    return False


def _split_run(run: str) -> tuple[str, str, str]:
    """Peel sentence punctuation and unbalanced brackets off both ends of a run."""
    lead, core, trail = "", run, ""
    changed = True
    while changed and core:
        changed = False
        if core[-1] in _TRAILING:
            trail, core, changed = core[-1] + trail, core[:-1], True
        elif core[0] in _TRAILING or core[0] == " ":
            lead, core, changed = lead + core[0], core[1:], True
        elif core[-1] == " ":
            trail, core, changed = core[-1] + trail, core[:-1], True
        elif _encloses(core):
            lead, core, trail, changed = lead + core[0], core[1:-1], core[-1] + trail, True
        elif core[-1] in _PAIRS and core.count(core[-1]) > core.count(_PAIRS[core[-1]]):
            trail, core, changed = core[-1] + trail, core[:-1], True
        elif core[0] in _PAIRS.values():
            closer = next(k for k, v in _PAIRS.items() if v == core[0])
            if core.count(core[0]) > core.count(closer):
                lead, core, changed = lead + core[0], core[1:], True
        elif core[0] in "\"'" and core.count(core[0]) == 1:
            lead, core, changed = lead + core[0], core[1:], True
        elif core[-1] in "\"'" and core.count(core[-1]) == 1:
            trail, core, changed = core[-1] + trail, core[:-1], True
    return lead, core, trail


def _ltr_piece(run: str) -> str:
    lead, core, trail = _split_run(run)
    if not any(ch in "0123456789" or unicodedata.bidirectional(ch) == "L" for ch in core):
        return str(escape(run))
    if _NUMBER.match(core):
        number = core.replace(",", "٬").replace(".", "٫").replace("%", "٪").translate(_FA_DIGITS)
        return f"{escape(lead)}{number}{escape(trail)}"
    return f'{escape(lead)}<span class="ltr" dir="ltr">{escape(core)}</span>{escape(trail)}'


def bidi_html(text: object) -> Markup:
    """Escape `text`, make it drawable, isolate its left-to-right runs for an RTL paragraph.

    `مقدار 2080 درست نیست (b_ih + b_hh).` ->
    `مقدار ۲۰۸۰ درست نیست (<span class="ltr" dir="ltr">b_ih + b_hh</span>).`
    """
    if text is None:
        return Markup("")
    if isinstance(text, Markup):
        return text
    text = glyph_safe(str(text))
    out: list[str] = []
    pos = 0
    for match in _RUN.finditer(text):
        out.append(str(escape(text[pos : match.start()])))
        out.append(_ltr_piece(match.group()))
        pos = match.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def text_direction(text: object) -> str:
    """`rtl` or `ltr` from the first strong character (like `dir="auto"`, which WeasyPrint lacks)."""
    for ch in str(text):
        if _STRONG_RTL.match(ch):
            return "rtl"
        if _STRONG_LTR.match(ch):
            return "ltr"
    return "rtl"
