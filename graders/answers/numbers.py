"""Parse numbers as students write them: Persian/Arabic-Indic digits, separators, M/K, LaTeX.

`parse_number("۴۹٫۴۰۸")` -> 49408 (the common misuse of ٫ as a thousands separator);
`parse_number("3 × 12,352 = 49,408")` -> 49408 (the result, not the operands);
`parse_number(r"$1.6 \\times 10^{6}$")` -> 1600000; `parse_number("1 638 400")` -> 1638400.
`find_number_spans` gives every number with its place in the normalised text, so that a
number in free text can be matched to the label it stands next to (`graders.answers.locate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
# A thousands group is exactly three digits after a separator (Latin comma, Persian ٬, an
# apostrophe, a space or a narrow/no-break space, or ٫ misused); "3200 512" stays two numbers.
# One number uses one separator throughout: «524,800 512» (two table cells) stays two numbers,
# and a space joins groups only when no comma group follows («256 131,072» is two numbers).
_SEP = r"(?:,|٬|'|’| |\u00a0|\u202f|\u2009|٫)"
_GROUPED = (
    r"\d{1,3}(?P<c>[,٬'’٫])\d{3}(?:(?P=c)\d{3})*(?!\d)"
    r"|\d{1,3}(?P<s>[ \u00a0\u202f\u2009])\d{3}(?:(?P=s)\d{3})*(?!\d)(?![,٬'’٫]\d)"
)
_TAIL = (
    r"(?:[.٫]\d+)?(?:[eE][-+]?\d+)?)"
    r"\s*(?P<mult>میلیارد|میلیون|هزار|million|billion|[kKmMbB](?![A-Za-z\u0600-\u06ff]))?"
)
_NUMBER = re.compile(r"(?<![\w.])(?P<num>[-+−]?(?:" + _GROUPED + r"|\d+)" + _TAIL)
# where commas group thousands, a space never does («256 512» in a table row is two cells)
_NUMBER_NO_SPACE = re.compile(
    r"(?<![\w.])(?P<num>[-+−]?(?:" + _GROUPED.split("|")[0] + r"|\d+)" + _TAIL
)
_COMMA_GROUP = re.compile(r"\d[,٬]\d{3}(?!\d)")
# four or more numbers in a row separated by single spaces are table cells («650 10 640 10»)
_ROW_OF_CELLS = re.compile(r"(?<![\d.,])\d+(?: \d+){3,}(?![\d.,])")
# "1.6 × 10^6", "1.6\times10^{6}", "1.6*10**6" -> "1.6e6"
_SCIENTIFIC = re.compile(
    r"(\d+(?:[.٫]\d+)?)\s*(?:×|x|\*|·)\s*10\s*(?:\^|\*\*)\s*\{?\s*([-+−]?\d+)\s*\}?"
)
_RESULT_MARKS = re.compile(r"=|≈|≃|→|=>|\\approx|\\to\b|\\Rightarrow")


def normalize_digits(text: str) -> str:
    """Latin digits; LaTeX markup stripped; Persian thousands mark ٬ becomes ','."""
    text = text.translate(_DIGITS).replace("٬", ",").replace("−", "-")
    text = re.sub(r"\\(?:times|cdot)", "×", text)
    text = re.sub(r"\\(?:num|text|mathrm|mathbf|textbf|operatorname)\s*\{([^{}]*)\}", r"\1", text)
    text = text.replace("{,}", ",").replace("{.}", ".")
    text = re.sub(r"\\[,;:! ]", "", text)  # LaTeX thin spaces inside numbers
    text = re.sub(r"\\\(|\\\)|\\\[|\\\]|\$", " ", text)  # math delimiters
    return _SCIENTIFIC.sub(lambda m: f"{m.group(1)}e{m.group(2).replace('−', '-')}", text)


def _to_float(raw: str, integer_expected: bool) -> float:
    raw = raw.replace("−", "-")
    marks = raw.count("٫")
    if marks > 1:  # "۱٫۶۳۸٫۴۰۰": several ٫ can only be thousands separators
        raw = raw.replace("٫", "")
    elif marks == 1:
        head, _, tail = raw.partition("٫")
        digits = re.match(r"\d*", tail).group(0)  # type: ignore[union-attr]
        # "۴۹٫۴۰۸" in an integer count is the common misuse of ٫ as a thousands mark
        misuse = integer_expected and len(digits) == 3 and "." not in tail
        raw = head + tail if misuse else head + "." + tail
    raw = re.sub(r"[ ,'’\u00a0\u202f\u2009]", "", raw)
    return float(raw)


@dataclass(frozen=True)
class NumberSpan:
    value: float
    start: int
    end: int


def find_number_spans(text: str, *, integer_expected: bool = False) -> list[NumberSpan]:
    """Numbers of an already normalised text (`normalize_digits`), with their positions."""
    out: list[NumberSpan] = []
    cells = _COMMA_GROUP.search(text) or _ROW_OF_CELLS.search(text)
    pattern = _NUMBER_NO_SPACE if cells else _NUMBER
    for m in pattern.finditer(text):
        try:
            value = _to_float(m.group("num"), integer_expected)
        except ValueError:
            continue
        mult = m.group("mult")
        if mult:
            value *= _MULTIPLIERS[mult]
        out.append(NumberSpan(value, m.start(), m.end()))
    return out


def find_numbers(text: str, *, integer_expected: bool = False) -> list[float]:
    """All numbers in `text`, in order."""
    return [
        s.value
        for s in find_number_spans(normalize_digits(text), integer_expected=integer_expected)
    ]


def result_number(normalized: str, *, integer_expected: bool = False) -> float | None:
    """The number an already-normalised snippet means: after the last '=' (or ≈, →) if there
    is one, else the only number; None when there is none or several without an '='."""
    marks = list(_RESULT_MARKS.finditer(normalized))
    if marks:
        normalized = normalized[marks[-1].end() :]
    numbers = find_number_spans(normalized, integer_expected=integer_expected)
    if len(numbers) == 1:
        return numbers[0].value
    return None


def parse_number(text: str | int | float, *, integer_expected: bool = False) -> float | None:
    """The number a student means by `text` (see `result_number`)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    return result_number(normalize_digits(str(text).strip()), integer_expected=integer_expected)


def parse_vector(text: str | list, *, expected_len: int | None = None) -> list[float] | None:
    """`"[0.12, -0.5]"`, `"(۰٫۱۲، −۰٫۵)"`, a LaTeX bmatrix -> floats (after the last '=').

    Commas between decimals are list separators here, never thousands marks."""
    if isinstance(text, list):
        try:
            return [float(v) for v in text]
        except (TypeError, ValueError):
            return None
    norm = normalize_digits(str(text)).replace("٫", ".")
    marks = list(_RESULT_MARKS.finditer(norm))
    if marks:
        norm = norm[marks[-1].end() :]
    norm = re.sub(r"\\(?:begin|end)\{[a-z]*matrix\}|\\\\|&|،|;", " , ", norm)
    values = [float(v) for v in re.findall(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?", norm)]
    if not values or (expected_len is not None and len(values) != expected_len):
        return None
    return values


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
