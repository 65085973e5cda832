"""Find a slot's value in free text: the number or label that stands next to the slot's label.

In «LSTM دارای ۴۹٬۴۰۸ پارامتر و GRU دارای ۳۷٬۲۴۸ پارامتر است» the value of the `LSTM` slot is
the number between «LSTM» and the next label of any slot («GRU»); if none follows, the one just
before it. A label found twice with different values, or a stretch holding several numbers with
no '=' to pick the result, is *ambiguous*: the check sends it to the TA, never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graders.answers.numbers import find_number_spans, normalize_digits, result_number

_ARABIC = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": " ", "\u200f": "", "\u200e": ""})
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# harakat, the hamza above of «هٔ», superscript alef, tatweel: never part of a word's identity
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def normalize_text(text: str) -> str:
    """Digits, LaTeX and letters unified (presentation forms by NFKC; Arabic ي/ك -> Persian;
    ZWNJ -> space; diacritics dropped; «لا» and «ال» folded, as some PDF extraction breaks the
    lam-alef ligature), lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _BIDI.sub("", normalize_digits(text)).translate(_ARABIC).replace("لا", "ال")
    return re.sub(r"[ \t]+", " ", _MARKS.sub("", text)).lower()


def label_pattern(label: str) -> re.Pattern[str]:
    """A label as a whole word: «LSTM» does not match inside «BiLSTM»."""
    body = re.escape(normalize_text(label).strip()).replace(r"\ ", r"[\s\-_]*")
    return re.compile(rf"(?<!\w){body}(?!\w)")


@dataclass(frozen=True)
class LabelHit:
    key: str
    start: int
    end: int


def find_labels(text: str, labels: Mapping[str, Sequence[str]]) -> list[LabelHit]:
    """Occurrences of every key's labels in normalised `text`; overlaps go to the longest."""
    hits = [
        LabelHit(key, m.start(), m.end())
        for key, names in labels.items()
        for name in names
        if name.strip()
        for m in label_pattern(name).finditer(text)
    ]
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LabelHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


@dataclass(frozen=True)
class Located:
    """What free text says for one slot: `value` when clear, else `candidates` (ambiguous)."""

    value: float | None = None
    snippet: str = ""
    candidates: tuple[float, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.value is not None

    @property
    def ambiguous(self) -> bool:
        return self.value is None and bool(self.candidates)


def statements(norm: str, hits: list[LabelHit]) -> list[tuple[LabelHit, str, str]]:
    """(hit, text after it, text before it) for each label that starts a statement.

    The text after a label runs to the next label or the end of the line; when it holds no
    number and another label follows on the same line, that label is only mentioned inside
    this statement («BiLSTM دو برابر LSTM یعنی ۹۹٬۳۲۸») and the stretch runs on over it."""
    out: list[tuple[LabelHit, str, str]] = []
    i, prev_end = 0, 0
    while i < len(hits):
        hit = hits[i]
        line_end = norm.find("\n", hit.end)
        line_end = len(norm) if line_end < 0 else line_end
        j = i + 1
        while True:
            end = min(hits[j].start if j < len(hits) else len(norm), line_end)
            after = norm[hit.end : end]
            if find_number_spans(after) or j >= len(hits) or hits[j].start >= line_end:
                break
            j += 1
        line_start = norm.rfind("\n", 0, hit.start) + 1
        before = norm[max(prev_end, line_start) : hit.start]
        out.append((hit, after, before))
        prev_end = end
        i = j
    return out


def locate_number(
    text: str, slot: str, labels: Mapping[str, Sequence[str]], *, integer: bool = True
) -> Located:
    """The number next to `labels[slot]` in `text`; the other keys' labels bound the stretch."""
    norm = normalize_text(text)
    values: list[float] = []
    snippets: list[str] = []
    loose: list[float] = []
    for hit, after, before in statements(norm, find_labels(norm, labels)):
        if hit.key != slot:
            continue
        value = result_number(after, integer_expected=integer)
        numbers = find_number_spans(after, integer_expected=integer)
        if not numbers:  # «۴۹٬۴۰۸ پارامتر برای LSTM»: the number stands before the label
            value = result_number(before, integer_expected=integer)
            numbers = find_number_spans(before, integer_expected=integer)
        if value is not None:
            values.append(value)
            snippets.append(norm[max(0, hit.start - 20) : min(len(norm), hit.end + 60)].strip())
        else:
            loose.extend(n.value for n in numbers)
    distinct = sorted(set(values))
    if len(distinct) == 1 and not (set(loose) - set(distinct)):
        return Located(distinct[0], snippets[0])
    return Located(None, " … ".join(snippets[:3]), tuple(sorted(set(distinct) | set(loose))))


def squeeze_formula(text: str) -> str:
    r"""`P(y_t \mid y_1, \ldots, y_{t-1})` -> `p(y_t|y_1,..,y_t-1)`: formulas compared as text."""
    text = normalize_text(text)
    text = re.sub(r"\\(?:left|right|mathrm|text)", "", text).replace("\\mid", "|")
    text = re.sub(r"\\l?dots|\\cdots|…|\.{2,}", "..", text)
    return re.sub(r"[\s{}\\$]", "", text)


def find_choices(text: str, choices: Mapping[str, Sequence[str]]) -> list[str]:
    """Keys of `choices` whose aliases occur in `text`, in order of first appearance.

    One-character aliases («T», «ب», «2») count only as the whole answer or a bare token."""
    norm = normalize_text(text)
    long = {k: [a for a in v if len(normalize_text(a).strip()) > 1] for k, v in choices.items()}
    hits = find_labels(norm, long)
    short = {
        k: [normalize_text(a).strip() for a in v if len(normalize_text(a).strip()) == 1]
        for k, v in choices.items()
    }
    tokens = re.findall(r"\w+", norm)
    if len(tokens) <= 6:  # a bare list such as «ب، ج» or «2 و 3»
        for key, letters in short.items():
            for pos, tok in enumerate(tokens):
                if tok in letters:
                    hits.append(LabelHit(key, 10_000 + pos, 10_000 + pos))
    # formulas compared without brackets: extraction mirrors or drops them («)}P(y_t | …»)
    squeezed = re.sub(r"[()\[\]]", "", squeeze_formula(norm))
    formulas = [
        (pos, pos + len(bare), key)
        for key, aliases in choices.items()
        for alias in aliases
        if "(" in alias
        and len(bare := re.sub(r"[()\[\]]", "", squeeze_formula(alias))) > 3
        and (pos := squeezed.find(bare)) >= 0
    ]
    for start, end, key in formulas:  # «P(y_t)» inside «P(y_t | y_1 …)» is no mention
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in formulas):
            hits.append(LabelHit(key, start, start))
    seen: list[str] = []
    for h in sorted(hits, key=lambda h: h.start):
        if h.key not in seen:
            seen.append(h.key)
    return seen


def _line_at(norm: str, pos: int, step: int) -> str:
    """The line above (`step` -1) or below (+1) the line holding `pos`."""
    start = norm.rfind("\n", 0, pos)
    end = norm.find("\n", pos)
    if step < 0:
        return "" if start < 0 else norm[norm.rfind("\n", 0, start) + 1 : start]
    if end < 0:
        return ""
    after = norm.find("\n", end + 1)
    return norm[end + 1 : after if after >= 0 else len(norm)]


def locate_choice(
    text: str,
    slot: str,
    labels: Mapping[str, Sequence[str]],
    choices: Mapping[str, Sequence[str]],
) -> list[str]:
    """Choices mentioned in the stretch after (or else before) the slot's label."""
    norm = normalize_text(text)
    hits = find_labels(norm, labels)
    out: list[str] = []
    for hit, after, before in statements(norm, hits):
        if hit.key != slot:
            continue
        found = find_choices(after, choices) or find_choices(before, choices)
        if not found:
            # a table cell wrapped over lines («-many-to» / label / «many», or «(paraphrase)»
            # under its row): the lines around the label, when they name no other item
            around = [_line_at(norm, hit.start, -1), _line_at(norm, hit.start, +1)]
            others = {k: v for k, v in labels.items() if k != slot}
            around = [a for a in around if not find_labels(a, others)]
            found = find_choices(" ".join(around), choices) if around else []
        out.extend(k for k in found if k not in out)
    return out


def stretches_for(text: str, slot: str, labels: Mapping[str, Sequence[str]]) -> list[str]:
    """The stretch after each statement of the slot's label."""
    norm = normalize_text(text)
    return [a for h, a, _ in statements(norm, find_labels(norm, labels)) if h.key == slot]
