"""Read the value a stretch of answer text gives, the way a TA reads it, with a confidence.

A TA takes the result of a computation: the number after the last '=' (or «یعنی», «مجموع»,
«در نتیجه», «پس», `\\Rightarrow`, ...), or the number a concluding phrase gives («پس در مجموع
۴۹۴۰۸ پارامتر داریم»); never a list numeral («1.», «۲)»), an operand of a product or a
dimension («ابعاد 32 × 64»). A table row whose numbers hold one that is the sum of the others
(weights, biases, total) gives the total. Words stand for numbers only where unambiguous
(«نصف» = 0.5, «دو برابر» = 2). A stretch that says it was not answered («پاسخ نداده‌ام») is a
`non_answer`.

Confidence: `high` when one final number is read and nothing competes with it; `medium` when
the last of several results is taken (a corrected value) or the reading needed a heuristic.
The decision policy (`graders.checks.theory.answers`) fails an answer only on `high`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from graders.answers.numbers import NumberSpan, find_number_spans

HIGH, MEDIUM = "high", "medium"
# what introduces a result: '=' and friends, and the Persian/English concluding words
_RESULT = re.compile(
    r"=|≈|≃|→|⇒|=>|\\approx|\\to\b|\\rightarrow|\\rightarrow|\\implies"
    r"|(?<!\w)(?:مجموع|جمع کل|یعنی|در نتیجه|بنابراین|پس(?!\s*از)|(?<!دو )(?<!سه )(?<!\d )برابر(?:\s*(?:است\s*)?با)?|total|sum|result)(?!\w)"
)
_LIST_NUMERAL = re.compile(
    r"^\s*[(\[]?\d{1,2}\s*[.)\-:]\s(?!\s*[=×*+])|^\s*[(\[]?\d{1,2}\s*[.)]\s*$"
)
_OPERATOR_AFTER = re.compile(r"^\s*(?:[×*·+/^]|\\times|\\cdot|x\s*\d)")
_OPERATOR_BEFORE = re.compile(r"(?:[×*·/^]|\\times|\\cdot)\s*$")
_NON_ANSWER = re.compile(
    r"پاسخ\s*(?:این\s*(?:سوال|بخش|قسمت)\s*را\s*)?نداده|(?:حل|انجام)\s*ن(?:کرده|دادم|داده)|"
    r"نتوانستم|بی\s*پاسخ|پاسخی\s*ننوشتم|ننوشتم|ننوشته\s*ام|not answered|did not answer|"
    r"didn't answer|skipped",
)
# an approximate answer («حدود ۳۷ هزار», «≈ 0.5») is never failed outright
_APPROX = re.compile(
    r"(?<!\w)(?:حدود|حدودا|تقریبا|تقریبی|about|approximately|roughly|~)|≈|\\approx"
)
_WORDS = {"نصف": 0.5, "نیم": 0.5, "یک دوم": 0.5, "دو برابر": 2.0, "سه برابر": 3.0, "half": 0.5}


@dataclass(frozen=True)
class Reading:
    """One value read from a stretch: `value` (None when nothing fits), how sure, and why."""

    value: float | None
    confidence: str = MEDIUM
    reason: str = ""
    excerpt: str = ""
    candidates: tuple[float, ...] = ()


def join_formulas(text: str) -> str:
    """Lines of one formula joined: inside an open `$$ … $$` or `\\[ … \\]`, after a line
    ending in '=' or an operator, before a line starting with one («\\times 12416 = 37248»)."""
    out: list[str] = []
    open_block = False
    for line in text.splitlines():
        stripped = line.strip()
        cont = bool(out) and (
            open_block
            or re.search(r"(?:[=×*+(\-]|\\times|\\cdot)\s*$", out[-1])
            or re.match(r"^(?:[=×*+]|\\times|\\cdot)", stripped)
        )
        if cont:
            out[-1] = out[-1] + " " + stripped
        else:
            out.append(line)
        if (line.count("$$") + line.count("\\[") + line.count("\\]")) % 2 == 1:
            open_block = not open_block
    return "\n".join(out)


_REVERSED_CHAIN = re.compile(
    r"^\s*(?P<res>\d+(?:[.,]\d+)?)(?P<minus>-)?\s*=\s*(?P<rest>.*?)(?:\s\.(?P<n>\d{1,2}))?\s*$"
)


def unreverse_chain(line: str) -> str:
    """A formula chain laid out right to left inside an RTL paragraph comes out result first,
    its minus trailing and its list numeral last («2- = k1 = … = 3 - 2 - 3 .1»): put back
    as «1. k1 = … = 3 - 2 - 3 = -2». Only a line that starts with a bare number and '='."""
    m = _REVERSED_CHAIN.match(line)
    if not m or "=" not in m.group("rest") and not re.search(r"[×*+]", m.group("rest")):
        return line
    head = f"{m.group('n')}. " if m.group("n") else ""
    sign = "-" if m.group("minus") else ""
    return f"{head}{m.group('rest')} = {sign}{m.group('res')}"


_SUBSCRIPTS = re.compile(r"(?:\s*[\w−\-+]{1,3})+\s*")
_EQ_HEAD = re.compile(r"^(\s*)([a-z])\s*=")


def attach_subscripts(text: str) -> str:
    """A Word equation extracted as fragments puts its subscripts on the next line
    («s =qTk =…=−2» / «1 1»): the first subscript goes back onto the variable (`s_1 =`)."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        head = _EQ_HEAD.match(line)
        if head and nxt.strip() and _SUBSCRIPTS.fullmatch(nxt) and line.count("=") >= 2:
            sub = nxt.split()[0]
            out.append(f"{head.group(1)}{head.group(2)}_{sub} =" + line[head.end() :])
            i += 2
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def strip_list_numeral(line: str) -> str:
    """«1. k1 = ...», «۲) ...» -> the line without its list number."""
    return _LIST_NUMERAL.sub(" ", line, count=1)


def non_answer(text: str) -> bool:
    """The student says the item is not answered (a short remark, nothing computed)."""
    return bool(_NON_ANSWER.search(text)) and len(find_number_spans(text)) <= 2


def _operands_removed(text: str, spans: list[NumberSpan]) -> list[NumberSpan]:
    """Numbers that are not factors of a product or a dimension («32 × 64»)."""
    out = []
    for s in spans:
        if _OPERATOR_AFTER.match(text[s.end :]) or _OPERATOR_BEFORE.search(text[: s.start]):
            continue
        out.append(s)
    return out


def _sum_total(values: list[float]) -> float | None:
    """The number of a row that is the sum of two or more of the others (a table's total)."""
    distinct = sorted(set(values), reverse=True)
    if len(distinct) < 3:
        return None
    top, rest = distinct[0], distinct[1:]
    for r in range(2, min(len(rest), 4) + 1):
        for combo in itertools.combinations(rest, r):
            if abs(sum(combo) - top) < 1e-6 * max(1.0, top):
                return top
    return None


_CONCLUDING = re.compile(r"\s*(?:مجموع|جمع|یعنی|در نتیجه|بنابراین|پس|total|sum|so)(?!\w)")
_EQUATION_BREAK = re.compile(r"\\q?quad|;|؛")


def read_number(text: str, *, integer: bool = True, own_equation: bool = False) -> Reading:
    """The value a stretch of normalised text (`normalize_text`) gives as its answer.

    `own_equation`: the stretch follows the slot's label, so only its first equation counts
    («scale = 5/10 = 0.5 \\quad ⇒ g_clip = 0.5 · [6, 8] = [3, 4]» gives 0.5)."""
    lines = [strip_list_numeral(line) for line in text.splitlines()]
    text = "\n".join(lines)
    if own_equation:
        pieces: list[str] = []
        for piece in _EQUATION_BREAK.split(text):
            if pieces and _CONCLUDING.match(piece):  # «…؛ مجموع 6,144» goes on
                pieces[-1] += " " + piece
            else:
                pieces.append(piece)
        for piece in pieces:
            if any(find_number_spans(piece[m.end() :]) for m in _RESULT.finditer(piece)):
                text = piece
                break
    # a result mark with no number after it (a stray «→» of «RNN(64 → 32)») is no result
    marks = [m for m in _RESULT.finditer(text) if find_number_spans(text[m.end() :])]
    if marks:
        tail = text[marks[-1].end() :]
        spans = find_number_spans(tail, integer_expected=integer)
        if spans:
            first = spans[0]
            rest = _operands_removed(tail, spans[1:])
            excerpt = (
                text[max(0, marks[-1].start() - 60) : marks[-1].end()] + tail[: first.end]
            ).strip()
            if _OPERATOR_AFTER.match(tail[first.end :]):
                # «= 3 × 12,416»: an expression, not yet its result
                return Reading(None, MEDIUM, "the last '=' is followed by an expression", excerpt)
            earlier = [
                s.value
                for m in marks[:-1]
                for s in find_number_spans(text[m.end() :], integer_expected=integer)[:1]
            ]
            confidence = HIGH if not rest and not _APPROX.search(text) else MEDIUM
            if earlier and any(abs(v - first.value) > 1e-9 for v in earlier[-1:]):
                reason = "the last result of a chain (after its last '=' or concluding word)"
            else:
                reason = "the number after the last '=' or concluding word"
            return Reading(first.value, confidence, reason, excerpt)
    spans = _operands_removed(text, find_number_spans(text, integer_expected=integer))
    if len(spans) == 1:
        sure = MEDIUM if _APPROX.search(text) else HIGH
        return Reading(spans[0].value, sure, "the only number of the answer", text.strip()[:200])
    total = _sum_total([s.value for s in spans])
    if total is not None:
        return Reading(
            total, MEDIUM, "the total of a row (the sum of its other numbers)", text.strip()[:200]
        )
    for word, value in _WORDS.items():
        if re.search(rf"(?<!\w){word}(?!\w)", text) and not spans:
            return Reading(value, MEDIUM, f"the number word «{word}»", text.strip()[:200])
    if spans:
        return Reading(
            None,
            MEDIUM,
            "several numbers and no '=' to pick the result",
            text.strip()[:200],
            tuple(sorted({s.value for s in spans})),
        )
    return Reading(None, MEDIUM, "no number", text.strip()[:200])
