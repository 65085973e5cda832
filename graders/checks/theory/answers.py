"""Theory checks on numbers: a slot's value against the accepted reference values.

A golden numeric entry looks like
`{"accepted": [{"value": 64, "convention": "pytorch", "derivation": "b_ih + b_hh = 2 x 32"}]}`;
any accepted convention earns full credit, and a wrong value is told which derivation to follow.

The value comes from the answer sheet slot; failing that (when the check names `labels`, a
golden map of label aliases of the question's slots), from the free text of the question in the
notebook's Markdown cells, then in the report PDF: the number standing next to the slot's
label. An unreadable or ambiguous value is status REVIEW (the TA decides), never zero or full.
"""

from __future__ import annotations

import math
import re
from typing import Any

from graders.answers.find import (
    AnswerReading,
    NumberQuery,
    find_number,
    quantity_stretches,
    regions,
)
from graders.answers.locate import stretches_for
from graders.answers.numbers import parse_number, parse_shape, parse_vector
from graders.answers.reading import HIGH
from graders.answers.sources import SOURCE_FA, Text, sections_for, sheet_slot
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class FreeTextParams(CheckParams):
    """Where to look when the answer sheet has no value for `slot`."""

    slot: str
    golden: str
    labels: str | None = None  # golden ref of {label key: [aliases]} for the question
    label: str | None = None  # this slot's key in that map
    section: str | None = None  # e.g. "Q2.c" (default: from the slot id)
    # content anchors (the question's own words) that locate the item with no heading
    anchors: list[str] = []
    # more names of this slot's label («scale» for the clipping factor)
    aliases: list[str] = []
    # spec-declared labels of the slot's group and its siblings («لایهٔ اول», «RNN(64→32)»)
    groups: dict[str, list[str]] = {}
    group: str | None = None
    # inside a group's block, the slot's quantity and its siblings («وزن‌ها», «بایاس‌ها»)
    quantities: dict[str, list[str]] = {}
    quantity: str | None = None

    def label_map(self, golden: Golden) -> dict[str, list[str]] | None:
        if self.groups and self.group is not None:
            return self.groups
        if self.labels is None or self.label is None:
            return None
        labels = dict(golden.get(self.labels))
        if self.aliases:  # the spec's own words for this slot, beside the golden aliases
            labels[self.label] = list(labels.get(self.label, [])) + list(self.aliases)
        return labels

    @property
    def key(self) -> str | None:
        return self.group if self.groups and self.group is not None else self.label


class NumericParams(FreeTextParams):
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    integer: bool = True


def _conventions(entry: dict) -> str:
    return "; ".join(
        f"{_fmt(a['value'])} ({a['convention']}: {a['derivation']})" for a in entry["accepted"]
    )


def _fmt(value: Any) -> str:
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:.6g}"


def no_answer(slot: str) -> CheckResult:
    return CheckResult.failed(
        f"پاسخی برای «{slot}» در پاسخ‌نامه، نوت‌بوک یا گزارش پیدا نشد.",
        f"no answer found for {slot} (answer sheet, notebook Markdown, report PDF).",
        slot=slot,
    )


def text_not_read(slot: str, sources: list[str]) -> CheckResult:
    where = "، ".join(SOURCE_FA[s] for s in sources)
    return CheckResult.review(
        f"متن پاسخ «{slot}» در {where} هست اما مقدار آن به‌روشنی خوانده نشد؛ دستیار آموزشی بررسی می‌کند.",
        f"the text of {slot} is in {', '.join(sources)} but its value could not be read; sent to the TA.",
        slot=slot,
        sources=sources,
    )


def sheet_not_read(slot: str, raw: str, what: tuple[str, str, str], **evidence: Any) -> CheckResult:
    """The answer sheet has text for `slot` but not the value it should hold: a TA reads it.
    `what`: (the value in Persian, how it should read in Persian, the value in English)."""
    noun_fa, how_fa, value_en = what
    return CheckResult.review(
        f"{noun_fa} پاسخ «{raw}» {how_fa} خوانده نشد؛ دستیار آموزشی بررسی می‌کند.",
        f"could not read {value_en} from {raw!r}; sent to the TA.",
        slot=slot,
        found=raw,
        **evidence,
    )


def _judge(value: float, entry: dict, p: NumericParams, **evidence: Any) -> CheckResult:
    for accepted in entry["accepted"]:
        expected = float(accepted["value"])
        tol = max(p.rel_tol * abs(expected), p.abs_tol, 1e-9)
        if math.isclose(value, expected, abs_tol=tol):
            return CheckResult.passed(
                f"درست است ({accepted['convention']}).",
                f"correct ({accepted['convention']}).",
                found=value,
                expected=expected,
                derivation=accepted["derivation"],
                **evidence,
            )
    return CheckResult.failed(
        f"مقدار {_fmt(value)} درست نیست. مقدار مورد انتظار بسته به قرارداد: {_conventions(entry)}",
        f"{_fmt(value)} is not correct. Expected, by convention: {_conventions(entry)}",
        found=value,
        expected=[a["value"] for a in entry["accepted"]],
        derivation=_conventions(entry),
        **evidence,
    )


def not_answered(slot: str, found: AnswerReading) -> CheckResult:
    """Score 0 for an item that is not answered: no heading and no anchor, or the student says so."""
    if found.status == "non_answer":
        return CheckResult.failed(
            f"به «{slot}» پاسخ داده نشده است (به گفتهٔ خود گزارش).",
            f"{slot} is not answered (the report says so).",
            slot=slot,
            **found.evidence(),
        )
    return no_answer(slot)


def decide_number(value: float, entry: dict, p: NumericParams, **evidence: Any) -> CheckResult:
    """Pass when an accepted value is read; fail only a confident, single wrong answer."""
    confidence = evidence.get("confidence", HIGH)
    judged = _judge(value, entry, p, **evidence)
    if judged.status == "pass" or confidence == HIGH:
        return judged
    return CheckResult.review(
        f"مقدار {_fmt(value)} خوانده شد اما به‌روشنی پاسخ نهایی نیست؛ دستیار آموزشی بررسی می‌کند. مقدار مورد انتظار: {_conventions(entry)}",
        f"read {_fmt(value)}, but not clearly as the final answer; sent to the TA. Expected: {_conventions(entry)}",
        found=value,
        expected=[a["value"] for a in entry["accepted"]],
        **evidence,
    )


@register("numeric_answer", NumericParams)
def numeric_answer(facts: Facts, golden: Golden, p: NumericParams) -> CheckResult:
    entry = golden.get(p.golden)
    view, raw = sheet_slot(facts.answers, p.slot)
    if raw is not None:
        value = parse_number(raw, integer_expected=p.integer)
        if value is None:
            return sheet_not_read(p.slot, raw, ("عدد", "به‌روشنی", "one number"), source="sheet")
        return decide_number(value, entry, p, slot=p.slot, source="sheet", confidence=HIGH)
    found = find_number(
        facts.answers,
        p.slot,
        section=p.section,
        anchors=p.anchors,
        query=NumberQuery(
            label=p.key,
            labels=p.label_map(golden),
            quantity=p.quantity,
            quantities=p.quantities or None,
            integer=p.integer,
            blocks_by_group=bool(p.groups),
        ),
    )
    if found.status in ("absent", "non_answer"):
        return not_answered(p.slot, found)
    if found.status == "unread":
        return CheckResult.review(
            f"متن پاسخ «{p.slot}» پیدا شد اما مقدار آن به‌روشنی خوانده نشد؛ دستیار آموزشی بررسی می‌کند.",
            f"the text of {p.slot} was found but its value could not be read; sent to the TA.",
            slot=p.slot,
            **found.evidence(),
        )
    return decide_number(
        found.reading.value,  # type: ignore[arg-type]
        entry,
        p,
        slot=p.slot,
        **found.evidence(),
    )


class ShapeParams(FreeTextParams):
    pass


_SHAPE = re.compile(r"[(\[)\]]\s*(?:[a-z]\w*\s*,\s*)?\d+(?:\s*,\s*\d+)*\s*,?\s*[()\[\]]")


def shape_from_text(answers: dict, p: ShapeParams) -> tuple[str | None, dict]:
    """The first bracketed shape after the slot's quantity label in its group's block."""
    if not (p.groups and p.group and p.quantities and p.quantity):
        return None, {}
    stretches, region = quantity_stretches(
        answers,
        p.slot,
        section=p.section,
        anchors=p.anchors,
        group=p.group,
        groups=p.groups,
        quantity=p.quantity,
        quantities=p.quantities,
    )
    shapes = {m.group(0) for s in stretches if (m := _SHAPE.search(s))}
    parsed = {tuple(parse_shape(s) or ()) for s in shapes}
    if len(parsed) != 1 or region is None:
        return None, {"candidates": sorted(shapes)} if shapes else {}
    return next(iter(shapes)), {
        "source": region.source,
        "section": region.key,
        "snippet": stretches[0][:200],
    }


@register("shape_answer", ShapeParams)
def shape_answer(facts: Facts, golden: Golden, p: ShapeParams) -> CheckResult:
    """The trailing dimensions must match; a leading batch dimension (any name) is allowed."""
    expected = [int(v) for v in golden.get(p.golden)["shape"]]
    raw = facts.answers.get(p.slot)
    evidence: dict = {"source": "sheet", "confidence": HIGH}
    if raw is None:
        raw, evidence = shape_from_text(dict(facts.answers), p)
        if raw is None and any(k.startswith(("@md:", "@pdf:")) for k in facts.answers):
            return CheckResult.review(
                f"شکل خروجی «{p.slot}» در متن به‌روشنی خوانده نشد؛ دستیار آموزشی بررسی می‌کند.",
                f"the output shape of {p.slot} could not be read from the text; sent to the TA.",
                slot=p.slot,
                **evidence,
            )
        evidence["confidence"] = HIGH
    found = parse_shape(raw) if raw is not None else None
    if not found:
        return CheckResult.failed(
            f"شکل خروجی برای «{p.slot}» نوشته نشده است.",
            f"no output shape given for {p.slot}.",
            slot=p.slot,
        )
    if found[-len(expected) :] == expected and len(found) <= len(expected) + 1:
        return CheckResult.passed(
            "شکل خروجی درست است.",
            "output shape is correct.",
            found=found,
            expected=expected,
            **evidence,
        )
    return CheckResult.failed(
        f"شکل خروجی {found} است اما {expected} (به‌همراه بعد batch) انتظار می‌رفت.",
        f"output shape {found}, expected {expected} (after the batch dimension).",
        found=found,
        expected=expected,
        **evidence,
    )


class VectorParams(FreeTextParams):
    abs_tol: float = 0.01


@register("vector_answer", VectorParams)
def vector_answer(facts: Facts, golden: Golden, p: VectorParams) -> CheckResult:
    """A vector of reals (e.g. h_t of a forward pass), element by element within `abs_tol`.

    Golden: `{"value": [...], "derivation": "..."}`."""
    entry = golden.get(p.golden)
    expected = [float(v) for v in entry["value"]]
    view, raw = sheet_slot(facts.answers, p.slot)
    source = "sheet"
    candidates: list[list[float]] = []
    if raw is not None:
        found = parse_vector(raw, expected_len=len(expected))
        if found is None:
            n = len(expected)
            return sheet_not_read(
                p.slot, raw, ("بردار", f"با {n} مؤلفه", f"a vector of {n} values")
            )
        candidates = [found]
    else:
        labels = p.label_map(golden)
        texts = view.texts(sections_for(p.slot, p.section))
        if not texts:  # no heading: located by the anchors and the slot's label in the text
            words = list(p.anchors) + (labels.get(p.label, []) if labels and p.label else [])
            texts = [
                Text(r.source, r.key, r.text)
                for r in regions(facts.answers, p.slot, p.section, words)
            ]
        if labels is None or not texts:
            return (
                no_answer(p.slot) if not texts else text_not_read(p.slot, [t.source for t in texts])
            )
        for text in texts:
            vectors = [
                v
                for s in stretches_for(text.text, p.label, labels)  # type: ignore[arg-type]
                if (v := parse_vector(s, expected_len=len(expected))) is not None
            ]
            if vectors:
                candidates, source = vectors, text.source
                break
        if not candidates:
            return text_not_read(p.slot, [t.source for t in texts])
    distinct = {tuple(round(x, 4) for x in v) for v in candidates}
    if len(distinct) > 1:
        return CheckResult.review(
            f"برای «{p.slot}» چند بردار متفاوت نوشته شده است؛ دستیار آموزشی بررسی می‌کند.",
            f"several different vectors given for {p.slot}; sent to the TA.",
            slot=p.slot,
            candidates=[list(v) for v in distinct],
            expected=expected,
        )
    found = candidates[0]
    if all(abs(a - b) <= p.abs_tol for a, b in zip(found, expected, strict=True)):
        return CheckResult.passed(
            "درست است.", "correct.", slot=p.slot, found=found, expected=expected, source=source
        )
    return CheckResult.failed(
        f"مقدار {found} درست نیست؛ مقدار مورد انتظار {[round(v, 4) for v in expected]}: {entry['derivation']}",
        f"{found} is not correct; expected {[round(v, 4) for v in expected]}: {entry['derivation']}",
        slot=p.slot,
        found=found,
        expected=expected,
        derivation=entry["derivation"],
        source=source,
    )
