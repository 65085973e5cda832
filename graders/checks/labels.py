"""Label checks: one label per slot (architecture type, direction), multiple choice, true/false.

Golden entries (written by the reference modules):
- label: `{"accepted": [keys], "alternatives": [keys], "choices": {key: [aliases]}, "explanation_fa", "explanation_en"}`
  (an `alternatives` key may be right with a good justification: status REVIEW);
- choice: `{"correct": [keys], "options": {key: [aliases]}, "explanation_fa", "explanation_en"}`;
- true/false: `{"value": true|false, "explanation_fa", "explanation_en"}`.
The answer is read from the sheet slot, or next to the slot's label in the question's free text.
"""

from __future__ import annotations

from graders.answers.find import DOC, regions
from graders.answers.locate import find_choices, locate_choice
from graders.answers.sources import AnswerView, Text, sections_for
from graders.checks.registry import register
from graders.checks.result import CheckResult
from graders.checks.theory import FreeTextParams, no_answer, text_not_read
from graders.facts import Facts
from graders.golden import Golden

TRUE_FALSE = {
    "true": ["true", "درست", "صحیح", "صحيح", "بله", "T", "ص", "✓", "✔"],
    "false": ["false", "غلط", "نادرست", "ناصحیح", "اشتباه", "خیر", "F", "غ", "✗", "✘"],
}


def _read_choices(
    facts: Facts, golden: Golden, p: FreeTextParams, choices: dict[str, list[str]]
) -> tuple[list[str], str, list[str]] | CheckResult:
    """(choice keys found, source, sources with text) or a result when nothing is readable."""
    view = AnswerView(facts.answers)
    raw = view.slot(p.slot)
    if raw is not None:
        return find_choices(raw, choices), "sheet", ["sheet"]
    labels = p.label_map(golden)
    texts = view.texts(sections_for(p.slot, p.section))
    if not texts:
        # no heading: the item is located by its anchors (its own words, the option texts)
        words = list(p.anchors) + [a for v in choices.values() for a in v if len(a) > 3]
        if labels and p.label:
            words += labels.get(p.label, [])
        found = [r for r in regions(facts.answers, p.slot, p.section, words) if r.key == DOC]
        if not found:
            return no_answer(p.slot)
        texts = [Text(r.source, r.key, r.text) for r in found]
    if labels is None:
        return text_not_read(p.slot, [t.source for t in texts])
    for text in texts:
        found = locate_choice(text.text, p.label, labels, choices)  # type: ignore[arg-type]
        if found:
            return found, text.source, [t.source for t in texts]
    return [], "", [t.source for t in texts]


def _label_result(found: list[str], source: str, entry: dict, slot: str) -> CheckResult:
    accepted, alternatives = set(entry["accepted"]), set(entry.get("alternatives", []))
    why_fa, why_en = entry.get("explanation_fa", ""), entry.get("explanation_en", "")
    ev = {"slot": slot, "found": found, "expected": sorted(accepted), "source": source}
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
    read = _read_choices(facts, golden, p, entry["choices"])
    if isinstance(read, CheckResult):
        return read
    found, source, sources = read
    if not found:
        return _unread(p.slot, sources)
    return _label_result(found, source, entry, p.slot)


@register("true_false_answer", FreeTextParams)
def true_false_answer(facts: Facts, golden: Golden, p: FreeTextParams) -> CheckResult:
    entry = golden.get(p.golden)
    read = _read_choices(facts, golden, p, TRUE_FALSE)
    if isinstance(read, CheckResult):
        return read
    found, source, sources = read
    if not found:
        return _unread(p.slot, sources)
    key = "true" if entry["value"] else "false"
    return _label_result(found, source, {**entry, "accepted": [key]}, p.slot)


@register("choice_answer", FreeTextParams)
def choice_answer(facts: Facts, golden: Golden, p: FreeTextParams) -> CheckResult:
    """Multiple choice with several right options: (right picked - wrong picked) / n right."""
    entry = golden.get(p.golden)
    read = _read_choices(facts, golden, p, entry["options"])
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
    if score >= 1:
        return CheckResult.passed(f"درست است. {why_fa}", f"correct. {why_en}", **ev)
    return CheckResult(
        score,
        f"گزینه‌های انتخاب‌شده: {'، '.join(found)}؛ گزینه‌های درست: {'، '.join(sorted(correct))}. {why_fa}",
        f"chosen: {', '.join(found)}; correct: {', '.join(sorted(correct))}. {why_en}",
        evidence=ev,
    )
