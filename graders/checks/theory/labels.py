"""Label checks: one label per slot (architecture type, direction), multiple choice, true/false.

Golden entries (written by the reference modules):
- label: `{"accepted": [keys], "alternatives": [keys], "choices": {key: [aliases]}, "explanation_fa", "explanation_en"}`
  (an `alternatives` key may be right with a good justification: status REVIEW);
- choice: `{"correct": [keys], "options": {key: [aliases]}, "explanation_fa", "explanation_en"}`;
- true/false: `{"value": true|false, "explanation_fa", "explanation_en"}`.
The answer is read from the sheet slot, or next to the slot's label in the question's free text.
"""

from __future__ import annotations

from collections.abc import Callable

from graders.answers.find import DOC, mentions, regions
from graders.answers.locate import find_choices, find_labels, locate_choice, normalize_text
from graders.answers.reading import non_answer
from graders.answers.sources import AnswerView, Text, sections_for, sheet_slot
from graders.answers.verdicts import affirmed, concluded_options, item_for, list_items, verdict
from graders.checks.registry import register
from graders.checks.result import CheckResult
from graders.checks.theory.answers import FreeTextParams, no_answer, text_not_read
from graders.facts import Facts
from graders.golden import Golden

TRUE_FALSE = {
    "true": ["true", "درست", "صحیح", "صحيح", "بله", "T", "ص", "✓", "✔"],
    "false": ["false", "غلط", "نادرست", "ناصحیح", "اشتباه", "خیر", "F", "غ", "✗", "✘"],
}


def view_slot_empty(facts: Facts, slot: str) -> bool:
    return AnswerView(facts.answers).slot(slot) is None


def _window(text: Text, words: list[str]) -> str:
    """A whole document is read from the first mention of the item's words on."""
    if text.key != DOC:
        return text.text
    norm = normalize_text(text.text)
    hits = find_labels(norm, {"x": [w for w in words if w.strip()]})
    return norm[hits[0].start : hits[0].start + 800] if hits else ""


def _read_choices(
    facts: Facts,
    golden: Golden,
    p: FreeTextParams,
    choices: dict[str, list[str]],
    structured: Callable[[str], list[str] | None] | None = None,
) -> tuple[list[str], str, list[str]] | CheckResult:
    """(choice keys found, source, sources with text) or a result when nothing is readable.

    `structured` reads the answer from the text's structure first (a true/false item's
    verdict, a concluding «گزینه …» sentence); the labels' neighbourhood comes after."""
    view, raw = sheet_slot(facts.answers, p.slot)
    if raw is not None:
        return find_choices(raw, choices), "sheet", ["sheet"]
    labels = p.label_map(golden)
    words = list(p.anchors) + [a for v in choices.values() for a in v if len(a) > 3]
    if labels and p.label:
        words += [a for a in labels.get(p.label, []) if len(a) > 2]
    texts = view.texts(sections_for(p.slot, p.section))
    if texts and all(non_answer(t.text) for t in texts):
        return CheckResult.failed(
            f"به «{p.slot}» پاسخ داده نشده است (به گفتهٔ خود گزارش).",
            f"{p.slot} is not answered (the report says so).",
            slot=p.slot,
            source=texts[0].source,
            confidence="high",
            reason="the student says it is not answered",
            snippet=texts[0].text[:200],
        )
    if not texts:
        # no heading: the item is located by its anchors (its own words, the option texts)
        found = [r for r in regions(facts.answers, p.slot, p.section, words) if r.key == DOC]
        if not found:
            return no_answer(p.slot)
        texts = [Text(r.source, r.key, r.text) for r in found]
    if structured is not None:
        for text in texts:
            window = _window(text, words)
            picked = structured(window) if window else None
            if picked:
                return picked, text.source, [t.source for t in texts]
    if labels is None:
        # a part's own section names the choice: the ones it rejects in their clause drop out
        for text in texts:
            if "." in text.key and text.key != DOC:
                found = find_choices(text.text, choices)
                kept = affirmed(text.text, found, choices) if len(found) > 1 else found
                if len(kept) == 1:
                    return kept, text.source, [t.source for t in texts]
        return text_not_read(p.slot, [t.source for t in texts])
    for text in texts:
        found = locate_choice(text.text, p.label, labels, choices)  # type: ignore[arg-type]
        if found:
            return found, text.source, [t.source for t in texts]
    return [], "", [t.source for t in texts]


def where(facts: Facts, p: FreeTextParams, source: str) -> dict:
    """Where the answer was located: section, page and an excerpt (for the TA)."""
    if source in ("", "sheet"):
        return {}
    for region in regions(facts.answers, p.slot, p.section, list(p.anchors)):
        if region.source == source:
            ev = {"section": region.key, "snippet": region.text[:200]}
            return ev | ({"page": region.page} if region.page is not None else {})
    return {}


def _label_result(
    found: list[str], source: str, entry: dict, slot: str, **extra: object
) -> CheckResult:
    accepted, alternatives = set(entry["accepted"]), set(entry.get("alternatives", []))
    why_fa, why_en = entry.get("explanation_fa", ""), entry.get("explanation_en", "")
    ev = {"slot": slot, "found": found, "expected": sorted(accepted), "source": source, **extra}
    if set(found) <= accepted:
        return CheckResult.passed(f"درست است. {why_fa}", f"correct. {why_en}", **ev)
    if set(found) <= accepted | alternatives:
        return CheckResult.review(
            f"پاسخ «{'، '.join(found)}» با استدلال خوب می‌تواند درست باشد؛ دستیار آموزشی استدلال را بررسی می‌کند. پاسخ مرجع: {'، '.join(sorted(accepted))}. {why_fa}",
            f"{', '.join(found)} can be right with a good justification; the TA reads it. Reference: {', '.join(sorted(accepted))}. {why_en}",
            **ev,
        )
    if set(found) & accepted:
        return CheckResult.review(
            f"چند پاسخ ({'، '.join(found)}) نوشته شده که یکی درست است؛ دستیار آموزشی بررسی می‌کند.",
            f"several answers given ({', '.join(found)}), one of them right; sent to the TA.",
            **ev,
        )
    return CheckResult.failed(
        f"پاسخ «{'، '.join(found)}» درست نیست؛ پاسخ درست: {'، '.join(sorted(accepted))}. {why_fa}",
        f"{', '.join(found)} is not correct; expected {', '.join(sorted(accepted))}. {why_en}",
        **ev,
    )


def _unread(slot: str, sources: list[str]) -> CheckResult:
    return text_not_read(slot, sources)


@register("label_answer", FreeTextParams)
def label_answer(facts: Facts, golden: Golden, p: FreeTextParams) -> CheckResult:
    entry = golden.get(p.golden)

    def one_affirmed(text: str) -> list[str] | None:
        found = find_choices(text, entry["choices"])
        kept = affirmed(text, found, entry["choices"]) if len(found) > 1 else found
        return kept if len(kept) == 1 else None

    # with the question's own words declared, its neighbourhood is read for one named choice
    read = _read_choices(facts, golden, p, entry["choices"], one_affirmed if p.anchors else None)
    if isinstance(read, CheckResult):
        return read
    found, source, sources = read
    if not found:
        return _unread(p.slot, sources)
    return _label_result(found, source, entry, p.slot, **where(facts, p, source))


@register("true_false_answer", FreeTextParams)
def true_false_answer(facts: Facts, golden: Golden, p: FreeTextParams) -> CheckResult:
    entry = golden.get(p.golden)
    anchors = list(p.anchors)

    def item_verdict(text: str) -> list[str] | None:
        item = item_for(list_items(normalize_text(text)), anchors) if anchors else None
        return verdict(item[1], TRUE_FALSE) if item else None

    docs = [v for k, v in facts.answers.items() if k.endswith(":" + DOC)]
    if (
        anchors
        and docs
        and view_slot_empty(facts, p.slot)
        and not any(mentions(d, anchors) for d in docs)
    ):
        # the statement's key phrases occur nowhere: this statement is not answered
        return CheckResult.failed(
            f"گزارهٔ «{p.slot}» در هیچ جای متن نیامده است؛ پاسخ داده نشده است.",
            f"the statement of {p.slot} occurs nowhere in the text: not answered.",
            slot=p.slot,
            confidence="high",
            reason="none of the statement's key phrases occurs",
            anchors=anchors,
        )
    read = _read_choices(facts, golden, p, TRUE_FALSE, item_verdict)
    if isinstance(read, CheckResult):
        return read
    found, source, sources = read
    if not found:
        return _unread(p.slot, sources)
    key = "true" if entry["value"] else "false"
    return _label_result(
        found, source, {**entry, "accepted": [key]}, p.slot, **where(facts, p, source)
    )


@register("choice_answer", FreeTextParams)
def choice_answer(facts: Facts, golden: Golden, p: FreeTextParams) -> CheckResult:
    """Multiple choice with several right options: (right picked - wrong picked) / n right."""
    entry = golden.get(p.golden)
    read = _read_choices(
        facts, golden, p, entry["options"], lambda t: concluded_options(t, entry["options"])
    )
    if isinstance(read, CheckResult):
        return read
    found, source, sources = read
    if not found:
        return _unread(p.slot, sources)
    correct = set(entry["correct"])
    right, wrong = len(set(found) & correct), len(set(found) - correct)
    score = max(0.0, (right - wrong) / len(correct))
    why_fa, why_en = entry.get("explanation_fa", ""), entry.get("explanation_en", "")
    ev = {"slot": p.slot, "found": found, "expected": sorted(correct), "source": source}
    ev |= where(facts, p, source)
    if score >= 1:
        return CheckResult.passed(f"درست است. {why_fa}", f"correct. {why_en}", **ev)
    return CheckResult(
        score,
        f"گزینه‌های انتخاب‌شده: {'، '.join(found)}؛ گزینه‌های درست: {'، '.join(sorted(correct))}. {why_fa}",
        f"chosen: {', '.join(found)}; correct: {', '.join(sorted(correct))}. {why_en}",
        evidence=ev,
    )
