"""Per-item and per-option verdicts, read the way a TA reads a list of true/false statements or
an option-by-option discussion.

True/false answers are often a numbered list restating each statement, then the verdict:
«۲. «ترنسفورمر چند بلوک رمزگذار … دارد.» درست است؛ …». `list_items` splits a text into its
numbered items, `item_for` finds the item that restates a statement (by the statement's key
phrases, declared as anchors in the spec), and `verdict` reads the first true/false word
after the restated (quoted) statement. A choice answer is read from its concluding sentence
(«پس جواب: گزینه 2 و 3», «بنابراین گزینهٔ د) درست است») by `concluded_options`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from graders.answers.locate import find_labels, normalize_text

_ITEM = re.compile(r"(?m)^\s*[(\[]?(?P<n>\d{1,2})\s*[.)(\-]\s")
_QUOTES = '«»"“”'
_CONCLUSION = re.compile(
    r"(?:پس|بنابراین|در نتیجه|جواب|پاسخ(?:\s*نهایی)?|answer)[\s:،,]*(?:\S+\s+){0,3}?"
    r"گزینه(?:\s*ی|\s*ها(?:ی)?)?\s*(?P<opts>(?:[\w]{1,3}\s*\)?\s*(?:و|،|,|and)?\s*){1,5})",
)


def list_items(text: str) -> dict[int, str]:
    """{1: text of item 1, ...} of the numbered list items of a normalised text."""
    marks = list(_ITEM.finditer(text))
    out: dict[int, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.setdefault(int(m.group("n")), text[m.end() : end])
    return out


def item_for(items: Mapping[int, str], anchors: Sequence[str]) -> tuple[int, str] | None:
    """The one item that restates the statement (holds one of its key phrases)."""
    hits = [(n, t) for n, t in items.items() if find_labels(t, {"x": list(anchors)})]
    return hits[0] if len(hits) == 1 else None


def verdict(item: str, words: Mapping[str, Sequence[str]]) -> list[str]:
    """The verdict keys («true», «false») said after the restated statement; the first one
    only, as the reason that follows may use the other word («نادرست است زیرا … درست»)."""
    last_quote = max((item.rfind(q) for q in _QUOTES), default=-1)
    tail = item[last_quote + 1 :] if last_quote >= 0 else item
    hits = find_labels(tail[:80], words)
    if not hits:
        return []
    if last_quote < 0 and len({h.key for h in find_labels(item, words)}) > 1:
        return []  # no restated statement to anchor on and both words said: the TA reads it
    key = hits[0].key
    if _NOT_AFTER.match(tail[hits[0].end :]) and set(words) >= {"true", "false"}:
        key = "false" if key == "true" else "true"  # «درست نیست», «غلط نیست»
    return [key]


_NOT_AFTER = re.compile(r"\s*(?:نیست|نمی باشد|not)(?!\w)")


def concluded_options(text: str, options: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Options named by the last concluding «گزینه …» sentence, via their short aliases."""
    norm = normalize_text(text)
    found = list(_CONCLUSION.finditer(norm))
    if not found:
        return None
    last = found[-1]
    sentence = re.split(r"[.!؟?\n]", norm[last.end() :], maxsplit=1)[0]
    if _NEGATION.search(norm[last.start() : last.end()] + sentence):
        return None  # «پس گزینهٔ ۱ مناسب نیست» names a rejected option
    tokens = re.findall(r"\w+", last.group("opts"))
    short = {
        key: {normalize_text(a).strip() for a in aliases if len(normalize_text(a).strip()) <= 3}
        for key, aliases in options.items()
    }
    out = [k for tok in tokens if tok not in ("و", "and") for k, s in short.items() if tok in s]
    return list(dict.fromkeys(out)) or None


_NEGATION = re.compile(r"(?<!\w)(?:نیست|نمی|نه|نادرست|غلط|not|isn't|no)(?!\w)")
_CLAUSE_END = re.compile(r"[،,.;؛:]|(?<!\w)(?:و|اما|ولی|چون|زیرا|but|because)(?!\w)")


def affirmed(text: str, found: Sequence[str], choices: Mapping[str, Sequence[str]]) -> list[str]:
    """The found choices the text does not reject in their own clause («RNN یک‌طرفه کافی است
    و RNN دوطرفه حتی قابل استفاده نیست» keeps only the first)."""
    norm = normalize_text(text)
    hits = find_labels(norm, {k: list(choices[k]) for k in found})
    kept = []
    for key in found:
        clauses = []
        for h in (h for h in hits if h.key == key):
            rest = norm[h.end : h.end + 80]
            end = _CLAUSE_END.search(rest)
            clauses.append(rest[: end.start()] if end else rest)
        before = [norm[max(0, h.start - 8) : h.start] for h in hits if h.key == key]
        rejected_before = bool(before) and all(_NEGATION.search(b) for b in before)
        if not rejected_before and (not clauses or any(not _NEGATION.search(c) for c in clauses)):
            kept.append(key)
    return kept
