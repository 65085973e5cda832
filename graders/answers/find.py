"""Locate a slot's answer in free text by structure and by content, and read it.

Structure: the part's section («الف)», «(b)», «(1-2)»), else the question's («سوال دوم»,
«پاسخ ۳»). Content: the anchors the spec declares for the item (the question's own words,
«GRU», «Text Summarization», a key phrase of a true/false statement), so a report that titles,
orders or numbers its answers differently is still read: when no heading of the question is
found, the whole document is searched for the anchors. Inside the region, a `group` label
(«لایهٔ اول», «RNN(64 → 32)») bounds a block up to the next group's label, and a `quantity`
label («وزن‌ها», «#W») picks the statement inside it.

`find_number` returns an `AnswerReading`: the reading, the source, the located excerpt and its page,
or why nothing was read (`absent`: neither heading nor anchor occurs; `non_answer`: the
student says it is not answered; `unread`: text is there but no value could be read).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graders.answers.locate import find_labels, label_pattern, normalize_text, statements
from graders.answers.numbers import find_number_spans
from graders.answers.reading import (
    HIGH,
    MEDIUM,
    Reading,
    attach_subscripts,
    join_formulas,
    non_answer,
    read_number,
    unreverse_chain,
)
from graders.answers.sources import AnswerView, sections_for
from graders.answers.student_report_text import page_of

DOC = "@doc"


@dataclass(frozen=True)
class Region:
    source: str
    key: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class AnswerReading:
    status: str  # read | unread | absent | non_answer
    reading: Reading = field(default_factory=lambda: Reading(None))
    region: Region | None = None
    candidates: tuple[float, ...] = ()
    sources: tuple[str, ...] = ()

    def evidence(self) -> dict:
        ev: dict = {"confidence": self.reading.confidence, "reason": self.reading.reason}
        if self.region is not None:
            ev.update(source=self.region.source, section=self.region.key)
            if self.region.page is not None:
                ev["page"] = self.region.page
        if self.reading.excerpt:
            ev["snippet"] = self.reading.excerpt[:300]
        if self.candidates:
            ev["candidates"] = list(self.candidates)
        return ev


def mentions(text: str, words: Sequence[str]) -> bool:
    norm = normalize_text(text)
    return any(w.strip() and label_pattern(w).search(norm) for w in words)


@dataclass(frozen=True)
class NumberQuery:
    """How a slot's number is read in a region: after its `label` (aliases in `labels`); with
    `blocks_by_group` the label names a group whose block holds the value, after the `quantity`
    label (aliases in `quantities`) when there is one; `integer`: the value is a count."""

    label: str | None = None
    labels: Mapping[str, Sequence[str]] | None = None
    quantity: str | None = None
    quantities: Mapping[str, Sequence[str]] | None = None
    integer: bool = True
    blocks_by_group: bool = False


def regions(
    answers: Mapping[str, str], slot: str, section: str | None, anchors: Sequence[str]
) -> list[Region]:
    """The part's or question's section in each source; else the whole document when one of
    the item's anchors occurs in it."""
    view = AnswerView(answers)
    out: list[Region] = []
    keys = sections_for(slot, section)
    for text in view.texts(keys):
        doc = answers.get(f"@{text.source}:{DOC}", "")
        probe = max(text.text.splitlines() or [""], key=len)[:60]
        pos = doc.find(probe) if doc and probe.strip() else -1
        out.append(
            Region(text.source, text.key, text.text, page_of(doc, pos) if pos >= 0 else None)
        )
    have = {r.source for r in out}
    for source in ("md", "pdf"):
        doc = answers.get(f"@{source}:{DOC}", "")
        if source not in have and doc and anchors and mentions(doc, anchors):
            out.append(Region(source, DOC, doc, None))
    return out


def _starts_line(norm: str, pos: int) -> bool:
    """A group label opens a block only at the start of a line (after a bullet or markup)."""
    head = norm[norm.rfind("\n", 0, pos) + 1 : pos]
    return bool(re.fullmatch(r"[\s•\-*#$\\()\[\]\d.:)،,]*", head))


def _heading(norm: str, pos: int) -> bool:
    """The line at `pos` is a short title (at most eight words, no '=')."""
    start = norm.rfind("\n", 0, pos) + 1
    end = norm.find("\n", pos)
    line = norm[start : end if end >= 0 else len(norm)]
    return "=" not in line and len(line.split()) <= 8


def group_blocks(norm: str, group: str, groups: Mapping[str, Sequence[str]]) -> list[str]:
    """Text from each label of `group` to the next label of another group."""
    hits = [h for h in find_labels(norm, groups) if _starts_line(norm, h.start)]
    out = []
    for i, hit in enumerate(hits):
        if hit.key != group:
            continue
        end = next((h.start for h in hits[i + 1 :] if h.key != group), len(norm))
        summary = _SUMMARY.search(norm, hit.end, end)
        # a block is one paragraph: PDF line wraps are no boundaries inside it; the list
        # numeral of the next item («۴(») is not part of it
        lines = _until_table(norm[hit.end : summary.start() if summary else end].split("\n"))
        out.append(_TRAILING_NUMERAL.sub("", " ".join(lines)))
    return out


def _until_table(lines: list[str]) -> list[str]:
    """The lines before a table (a row of three or more bare numbers and at most three words,
    and its header)."""
    for i, line in enumerate(lines[1:], start=1):
        words = re.findall(r"[^\W\d_]{2,}", line)
        if len(find_number_spans(line)) >= 3 and not re.search(r"[=:×]", line) and len(words) <= 3:
            keep = lines[:i]
            if keep and not find_number_spans(keep[-1]):
                keep = keep[:-1]
            return keep
    return lines


_TRAILING_NUMERAL = re.compile(r"\s\d{1,2}\s*[.(]\s*$")


_SUMMARY = re.compile(r"\n\s*(?:جمع کل|در مجموع|مجموع کل|total|sum)(?!\w)")


def quantity_stretches(
    answers: Mapping[str, str],
    slot: str,
    *,
    section: str | None,
    anchors: Sequence[str],
    group: str,
    groups: Mapping[str, Sequence[str]],
    quantity: str,
    quantities: Mapping[str, Sequence[str]],
) -> tuple[list[str], Region | None]:
    """The text after each label of `quantity` inside the blocks of `group` (first region
    that has any)."""
    for region in regions(answers, slot, section, list(anchors) + list(groups.get(group, []))):
        norm = normalize_text(join_formulas(region.text))
        found = [
            after
            for block in group_blocks(norm, group, groups)
            for hit, after, _ in statements(block, find_labels(block, quantities))
            if hit.key == quantity
        ]
        if found:
            return found, region
    return [], None


def _read_in(
    norm: str, key: str, labels: Mapping[str, Sequence[str]], integer: bool
) -> list[Reading]:
    out, final = [], []
    hits = find_labels(norm, labels)
    for hit, after, before in statements(norm, hits):
        if hit.key != key:
            continue
        reading = read_number(after, integer=integer, own_equation=True)
        if reading.value is None and not after.strip(" :\n"):
            reading = read_number(before, integer=integer)
        if reading.value is None and not find_number_spans(after) and _heading(norm, hit.start):
            # a label heading its own lines («۲. لایهٔ GRU» then the computation below)
            end = next((h.start for h in hits if h.start > hit.end and h.key != key), len(norm))
            below = _until_table(norm[norm.find("\n", hit.end) + 1 : end].split("\n"))
            if norm.find("\n", hit.end) >= 0 and below:
                reading = read_number(_TRAILING_NUMERAL.sub("", "\n".join(below)), integer=integer)
        out.append(reading)
        if _FINAL_LABEL.match(norm[hit.start : hit.end]):
            final.append(reading)
    # «مجموع پارامترها …» is the answer; other mentions of the quantity are steps toward it
    return final if any(r.value is not None for r in final) else out


_FINAL_LABEL = re.compile(r"(?:مجموع|جمع کل|جمع|total|sum)(?!\w)")


def read_region(text: str, query: NumberQuery, *, whole: bool) -> tuple[list[Reading], bool]:
    """Readings for the slot in one region, and whether its label (or group) was seen."""
    label, labels, integer = query.label, query.labels, query.integer
    quantity, quantities, blocks_by_group = query.quantity, query.quantities, query.blocks_by_group
    norm = attach_subscripts(normalize_text(join_formulas(text)))
    norm = "\n".join(unreverse_chain(ln) for ln in norm.split("\n"))
    blocks = [norm]
    seen = True
    if label is not None and labels:
        if blocks_by_group:
            blocks = [b for b in group_blocks(norm, label, labels) if not non_answer(b)]
            if quantity is None or not quantities:
                return [read_number(b, integer=integer) for b in blocks], bool(blocks)
            seen = bool(blocks)
            readings = [r for b in blocks for r in _read_in(b, quantity, quantities, integer)]
            if not readings and blocks:  # «لایهٔ اول: ... **307,200 FLOPs**»: no quantity label
                readings = [read_number(b, integer=integer) for b in blocks]
            return readings, seen
        readings = _read_in(norm, label, labels, integer)
        return readings, bool(find_labels(norm, {label: labels[label]}))
    if whole:
        return [_unsure(read_number(norm, integer=integer))], True
    return [], False


def _unsure(reading: Reading) -> Reading:
    """A whole section read without a label may hold several slots' values: never decisive
    for a fail."""
    return Reading(
        reading.value, MEDIUM, reading.reason + " (whole section, no label)", reading.excerpt
    )


def decide_readings(readings: list[Reading]) -> tuple[Reading | None, tuple[float, ...]]:
    """One reading out of several: the only value, else the last (a corrected result)."""
    read = [r for r in readings if r.value is not None]
    if not read:
        return None, ()
    distinct = tuple(sorted({round(r.value, 9) for r in read}))  # type: ignore[arg-type]
    if len(distinct) == 1:
        best = min(read, key=lambda r: r.confidence != HIGH)
        competing = [r for r in readings if r.value is None and r.candidates]
        if competing and best.confidence == HIGH:
            best = Reading(
                best.value, MEDIUM, best.reason + "; other statements unread", best.excerpt
            )
        return best, distinct
    last = read[-1]
    return Reading(last.value, MEDIUM, "several values; the last one taken", last.excerpt), distinct


def find_number(
    answers: Mapping[str, str],
    slot: str,
    *,
    section: str | None = None,
    anchors: Sequence[str] = (),
    query: NumberQuery = NumberQuery(),
) -> AnswerReading:
    label, labels = query.label, query.labels
    words = list(anchors) + (list(labels.get(label, [])) if labels and label else [])
    found_regions = regions(answers, slot, section, words)
    if not found_regions:
        return AnswerReading("absent")
    loose: set[float] = set()
    for region in found_regions:
        if query.blocks_by_group and label is not None and labels:
            raw = group_blocks(normalize_text(join_formulas(region.text)), label, labels)
            if raw and all(non_answer(b) for b in raw):
                why = Reading(None, HIGH, "the student says it is not answered", raw[0][:200])
                return AnswerReading("non_answer", why, region)
        whole = "." in region.key and region.key != DOC
        readings, seen = read_region(region.text, query, whole=whole)
        if (
            not any(r.value is not None for r in readings)
            and whole
            and label is not None
            and not query.blocks_by_group  # a part holding several groups is never read whole
        ):
            text = normalize_text(join_formulas(region.text))
            readings = [_unsure(read_number(text, integer=query.integer))]
        best, distinct = decide_readings(readings)
        loose.update(c for r in readings for c in r.candidates)
        if best is not None:
            return AnswerReading("read", best, region, distinct if len(distinct) > 1 else ())
    sources = tuple(r.source for r in found_regions)
    own = [r for r in found_regions if r.key != DOC]
    skipped = (
        query.blocks_by_group
        and label is not None
        and labels
        and any(
            non_answer(b)
            for r in own
            for b in group_blocks(normalize_text(join_formulas(r.text)), label, labels)
        )
    )
    if own and (skipped or all(non_answer(r.text) for r in own)):
        return AnswerReading(
            "non_answer",
            Reading(None, HIGH, "the student says it is not answered"),
            found_regions[0],
            sources=sources,
        )
    reason = "several numbers, none marked as the result" if loose else "text found, no value read"
    return AnswerReading(
        "unread", Reading(None, MEDIUM, reason), found_regions[0], tuple(sorted(loose)), sources
    )
