"""Parse numbers as students write them: Persian/Arabic-Indic digits, separators, M/K, LaTeX.

`parse_number("۴۹٫۴۰۸")` -> 49408 (the common misuse of ٫ as a thousands separator);
`parse_number("3 × 12,352 = 49,408")` -> 49408 (the result, not the operands).
"""

from __future__ import annotations

import re

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_MULTIPLIERS = {
    "k": 1e3,
    "K": 1e3,
    "هزار": 1e3,
    "m": 1e6,
    "M": 1e6,
    "million": 1e6,
    "میلیون": 1e6,
    "b": 1e9,
    "B": 1e9,
    "billion": 1e9,
    "میلیارد": 1e9,
}
_NUMBER = re.compile(
    r"(?P<num>[-+−]?\d+(?:[ ,٬'’٫]\d{3})*(?:[.٫]\d+)?)\s*(?P<mult>میلیارد|میلیون|هزار|million|billion|[kKmMbB](?![A-Za-z]))?"
)


def normalize_digits(text: str) -> str:
    """Latin digits; Persian separators become ',' (thousands) and '.' (decimal)."""
    text = text.translate(_DIGITS).replace("٬", ",").replace("−", "-")
    text = re.sub(r"\\(?:times|cdot)", "×", text)
    return re.sub(r"\\[,;! ]", "", text)  # LaTeX thin spaces inside numbers


def _to_float(raw: str, integer_expected: bool) -> float:
    raw = raw.replace("−", "-")
    marks = raw.count("٫")
    if marks > 1:  # "۱٫۶۳۸٫۴۰۰": several ٫ can only be thousands separators
        raw = raw.replace("٫", "")
    elif marks == 1:
        head, _, tail = raw.partition("٫")
        # "۴۹٫۴۰۸" in an integer count is the common misuse of ٫ as a thousands mark
        raw = head + tail if integer_expected and len(tail) == 3 else head + "." + tail
    raw = re.sub(r"[ ,'’]", "", raw)
    return float(raw)


def find_numbers(text: str, *, integer_expected: bool = False) -> list[float]:
    """All numbers in `text`, in order."""
    text = normalize_digits(text)
    out: list[float] = []
    for m in _NUMBER.finditer(text):
        value = _to_float(m.group("num"), integer_expected)
        mult = m.group("mult")
        if mult:
            value *= _MULTIPLIERS[mult]
        out.append(value)
    return out


def parse_number(text: str | int | float, *, integer_expected: bool = False) -> float | None:
    """The number a student means by `text`: after the last '=' if there is one, else the
    only number; None when there is none or several without an '='."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    text = str(text).strip()
    if "=" in text:
        text = text.rsplit("=", 1)[1]
    numbers = find_numbers(text, integer_expected=integer_expected)
    if len(numbers) == 1:
        return numbers[0]
    return None


def parse_shape(text: str | list[int]) -> list[int] | None:
    """`"(B, 50, 32)"`, `"۵۰ × ۳۲"`, `[50, 32]` -> the integers of the shape, in order."""
    if isinstance(text, list):
        try:
            return [int(v) for v in text]
        except (TypeError, ValueError):
            return None
    text = str(text).translate(_DIGITS)
    values = [int(v) for v in re.findall(r"\d+", text)]
    return values or None
