"""Split free text (a report's text, notebook Markdown) into questions and parts by headings.

Question headings: «سوال ۲», «سؤال ۲», «پرسش ۲», «سوال دوم», «Question 2», «Q2», «Problem 2», at
the start of a line (Markdown `#` and `**` allowed). Part headings inside a question: «الف)»,
«(ب)», «ج-», «بخش د», «a)», «(b)», «part c». Sections are keyed `Q2` and `Q2.b`; a question
met twice (two cells, two pages) has its texts joined.
"""

from __future__ import annotations

import re

from graders.answers.numbers import normalize_digits

_ORDINALS = {
    "اول": 1,
    "یکم": 1,
    "دوم": 2,
    "سوم": 3,
    "چهارم": 4,
    "پنجم": 5,
    "ششم": 6,
    "هفتم": 7,
    "هشتم": 8,
}
_QUESTION = re.compile(
    r"^[\s#>*_|\-]*(?:سوال|سؤال|پرسش|question|problem|q)\s*\.?\s*(?:شماره\s*)?"
    r"(?P<n>\d+|" + "|".join(_ORDINALS) + r")(?![\d.\-/][\w])\b[\s*_:.)\-—–]*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Persian abjad order of sub-questions (ن is how one statement writes the seventh).
PERSIAN_PARTS = {
    "الف": "a",
    "ب": "b",
    "ج": "c",
    "د": "d",
    "ه": "e",
    "هـ": "e",
    "و": "f",
    "ز": "g",
    "ن": "g",
    "ح": "h",
    "ط": "i",
    "ی": "j",
}
_PART = re.compile(
    r"^[\s#>*_]*(?:(?:بخش|قسمت|part)\s*)?[(\[]?(?P<p>"
    + "|".join(sorted(PERSIAN_PARTS, key=len, reverse=True))
    + r"|[a-j])(?:[()\].:\-—–]|\s*[)\]])[\s*_]*(?P<rest>.*)$",
    re.IGNORECASE,
)


def question_number(line: str) -> tuple[int, str] | None:
    """`«سوال ۲ - ۱۵ نمره»` -> (2, '- ۱۵ نمره'); None if the line is no question heading."""
    m = _QUESTION.match(normalize_digits(line).replace("\u200c", " "))
    if not m:
        return None
    n = m.group("n")
    return (int(n) if n.isdigit() else _ORDINALS[n]), m.group("rest")


def part_letter(line: str) -> tuple[str, str] | None:
    m = _PART.match(line.replace("\u200c", " "))
    if not m:
        return None
    p = m.group("p").lower()
    return PERSIAN_PARTS.get(p, p), m.group("rest")


def split_sections(text: str, prefix: str = "Q") -> dict[str, str]:
    """{'Q2': whole text of question 2, 'Q2.b': text of its part b, ...}."""
    out: dict[str, list[str]] = {}
    question: str | None = None
    part: str | None = None
    for line in text.splitlines():
        heading = question_number(line)
        if heading is not None:
            question, part = f"{prefix}{heading[0]}", None
            out.setdefault(question, [])
            if heading[1].strip():
                out[question].append(heading[1])
            continue
        if question is None:
            continue
        sub = part_letter(line)
        if sub is not None:
            part = f"{question}.{sub[0]}"
            out.setdefault(part, [])
            line = sub[1]
        out[question].append(line)
        if part is not None:
            out[part].append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}


def merge_sections(*maps: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in maps:
        for k, v in m.items():
            out[k] = f"{out[k]}\n{v}" if k in out else v
    return out
