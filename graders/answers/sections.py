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
    "نهم": 9,
    "دهم": 10,
}
_QUESTION = re.compile(
    r"^[\s#>*_|\-]*(?:سوال|سؤال|سوأل|پرسش|پاسخ|جواب|question|problem|answer|q)\s*\.?\s*(?:شماره\s*)?"
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


# «(1-1)», «)2-1(» (brackets mirrored by extraction), «## 2-1», «2-الف»: question N, part M
_NUMBERED_PART = re.compile(
    r"^[\s#>*_]*[()\[\]]?\s*(?P<q>\d{1,2})\s*[-.]\s*(?P<p>\d|"
    + "|".join(sorted(PERSIAN_PARTS, key=len, reverse=True))
    + r"|[a-j])\s*[()\[\]]?(?:\s|$)(?![\s]*[=×*+\d])(?P<rest>.*)$",
    re.IGNORECASE,
)
# «GRU (b)», «LSTM (c)»: a right-to-left line puts the part letter at the end of a Latin title
_TRAILING_PART = re.compile(r"^(?P<rest>[A-Za-z][\w\- ]{0,30}?)\s*\((?P<p>[a-jA-J])\)\s*$")
_MIXED_PART = re.compile(r"^\((?P<t>[A-Za-z][\w\- ]{0,20}?)\s*\)(?P<p>[a-jA-J])\b(?P<rest>.*)$")
_LETTERS = "abcdefghij"


def numbered_part(line: str) -> tuple[int, str, str] | None:
    """`(1-2) تعداد عملیات` -> (1, 'b', 'تعداد عملیات'); None for anything else."""
    m = _NUMBERED_PART.match(normalize_digits(line).replace("\u200c", " "))
    if not m:
        return None
    p, q = m.group("p").lower(), m.group("q")
    if p.isdigit() and line.lstrip(" #*").startswith(")"):
        q, p = p, q  # an RTL line mirrors the brackets and turns «(1-2)» into «)2-1(»
    if p.isdigit():
        if not 1 <= int(p) <= len(_LETTERS):
            return None
        letter = _LETTERS[int(p) - 1]
    else:
        letter = PERSIAN_PARTS.get(p, p)
    return int(q), letter, m.group("rest")


_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*[\d۰-۹]{1,3}\s*$|^[\s\d۰-۹]{1,3}\s*(?:\.{4,}|…{2,})")


def question_number(line: str) -> tuple[int, str] | None:
    """`«سوال ۲ - ۱۵ نمره»` -> (2, '- ۱۵ نمره'); None if the line is no question heading."""
    m = _QUESTION.match(normalize_digits(line).replace("\u200c", " "))
    if not m:
        return None
    n = m.group("n")
    return (int(n) if n.isdigit() else _ORDINALS[n]), m.group("rest")


def part_letter(line: str) -> tuple[str, str] | None:
    line = line.replace("\u200c", " ")
    trailing = _TRAILING_PART.match(line.strip()) or _MIXED_PART.match(line.strip())
    if trailing:
        rest = " ".join(g for g in (trailing.groupdict().get("t"), trailing.group("rest")) if g)
        return trailing.group("p").lower(), rest
    m = _PART.match(line)
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
        if _TOC_LINE.search(line):  # a table-of-contents entry names a heading, is none
            continue
        heading = question_number(line)
        if heading is not None:
            question, part = f"{prefix}{heading[0]}", None
            out.setdefault(question, [])
            if heading[1].strip():
                out[question].append(heading[1])
            continue
        numbered = numbered_part(line)
        if numbered is not None and (
            question is None or numbered[0] == int(question[len(prefix) :])
        ):
            question = f"{prefix}{numbered[0]}"
            part = f"{question}.{numbered[1]}"
            out.setdefault(question, [])
            out.setdefault(part, [])
            out[question].append(numbered[2])
            out[part].append(numbered[2])
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
