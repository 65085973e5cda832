"""PEFT checks on training: labels masked on the prompt, the loss falling, Persian generations
kept before and after training.
"""

from __future__ import annotations

from graders.checks.peft.params import FamilyParams
from graders.checks.peft.parsing import _downsample, _entries, _facts, _floats, _no_results, _untied
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.peft import FAMILY_EN, FAMILY_FA, PeftFacts
from graders.golden import Golden


class MaskParams(CheckParams):
    min_masked_fraction: float = 0.1


@register("labels_masked", MaskParams, needs_execution=True, probe_facts=_facts)
def labels_masked(facts: Facts, golden: Golden, p: MaskParams, data: PeftFacts) -> CheckResult:
    """In the training data, labels are -100 on the prompt (system, user turn, assistant
    header) and equal the input ids on the answer."""
    ds = data.dataset
    if ds is None or not ds.examples:
        return CheckResult.failed(
            "دادهٔ آموزشی با کلیدهای input_ids و labels پیدا نشد.",
            "no training dataset with input_ids and labels was found in the notebook.",
        )
    masked = [
        e
        for e in ds.examples
        if e.n_learned > 0
        and e.n_tokens > 0
        and e.masked_prefix / e.n_tokens >= p.min_masked_fraction
    ]
    shifted = [e for e in ds.examples if not e.labels_match_ids]
    share = len(masked) / len(ds.examples)
    evidence = {
        "dataset": ds.name,
        "examples": len(ds.examples),
        "with_masked_prompt": len(masked),
        "masked_prefix": [e.masked_prefix for e in ds.examples[:10]],
        "tokens": [e.n_tokens for e in ds.examples[:10]],
    }
    if share < 0.9:
        return CheckResult.failed(
            "برچسب‌ها روی بخش پرامپت ماسک نشده‌اند (‎-100)؛ مدل باید فقط پاسخ را یاد بگیرد.",
            "the labels are not masked (-100) on the prompt; the model should learn the answer only.",
            **evidence,
        )
    if shifted:
        return CheckResult(
            0.5,
            "پرامپت ماسک شده، اما برچسب‌ها با input_ids برابر نیستند (مدل‌های Hugging Face خودشان برچسب را جابه‌جا می‌کنند).",
            "the prompt is masked, but the labels differ from input_ids (Hugging Face models shift labels themselves).",
            evidence=evidence,
        )
    return CheckResult.passed(
        "برچسب‌ها روی پرامپت ماسک شده‌اند و فقط پاسخ آموخته می‌شود.",
        "labels are masked on the prompt, so only the answer is learned.",
        **evidence,
    )


class LossParams(FamilyParams):
    min_relative_drop: float = 0.02


@register("peft_loss_decreases", LossParams, needs_execution=True, probe_facts=_facts)
def peft_loss_decreases(
    facts: Facts, golden: Golden, p: LossParams, data: PeftFacts
) -> CheckResult:
    """The training loss of the family's run falls (last quarter below the first by at least
    `min_relative_drop`), and a validation loss is reported."""
    entries = _entries(data, p.family)
    if not entries:
        return _no_results(p.family)
    if (untied := _untied(data, p.family)) is not None:
        return untied
    best, rows, curves = 0.0, {}, {}
    for name, entry in entries.items():
        train = _floats(entry.get("train_loss"))
        val = _floats(entry.get("val_loss"))
        if len(train) < 4:
            rows[name] = {"train_points": len(train)}
            continue
        q = max(1, len(train) // 4)
        head, tail = sum(train[:q]) / q, sum(train[-q:]) / q
        drop = (head - tail) / abs(head) if head else 0.0
        score = (1.0 if drop >= p.min_relative_drop else 0.0) * (1.0 if val else 0.5)
        best = max(best, score)
        rows[name] = {
            "first_quarter": round(head, 4),
            "last_quarter": round(tail, 4),
            "relative_drop": round(drop, 4),
            "val_points": len(val),
        }
        xs, ys = _downsample(train)
        curves[name] = {"x": xs, "y": ys}
    figure = {
        "kind": "curves_over_band",
        "title_fa": f"خطای آموزش — {FAMILY_FA[p.family]}",
        "title_en": f"training loss — {FAMILY_EN[p.family]}",
        "xlabel": "step",
        "ylabel": "loss",
        "yscale": "linear",
        "student": curves,
        "reference": {},
    }
    evidence = {"runs": rows, "min_relative_drop": p.min_relative_drop, "figure": figure}
    if best >= 1:
        return CheckResult.passed(
            "خطای آموزش کاهش یافته و خطای اعتبارسنجی گزارش شده است.",
            "the training loss decreases and a validation loss is reported.",
            **evidence,
        )
    if best > 0:
        return CheckResult(
            best,
            "خطای آموزش کاهش یافته، اما خطای اعتبارسنجی (val_loss) گزارش نشده است.",
            "the training loss decreases, but no validation loss (val_loss) is reported.",
            evidence=evidence,
        )
    return CheckResult.failed(
        f"خطای آموزش روش {FAMILY_FA[p.family]} کاهش نیافته است (دست‌کم {p.min_relative_drop:.0%} کاهش لازم است).",
        f"the {FAMILY_EN[p.family]} training loss does not decrease (at least {p.min_relative_drop:.0%} expected).",
        **evidence,
    )


def _persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@register("peft_generations", FamilyParams, needs_execution=True, probe_facts=_facts)
def peft_generations(facts: Facts, golden: Golden, p: FamilyParams, data: PeftFacts) -> CheckResult:
    """Answers to the fixed Persian test prompts are kept before and after training."""
    entries = _entries(data, p.family)
    if not entries:
        return _no_results(p.family)
    if (untied := _untied(data, p.family)) is not None:
        return untied
    prompts = [str(x) for x in (data.results or {}).get("test_prompts") or [] if isinstance(x, str)]
    best, shown = 0.0, {}
    for name, entry in entries.items():
        before = [str(x)[:300] for x in entry.get("generations_before") or [] if isinstance(x, str)]
        after = [str(x)[:300] for x in entry.get("generations_after") or [] if isinstance(x, str)]
        score = 0.0
        if after and len(before) == len(after):
            score = (
                0.5
                + 0.25 * bool(prompts and all(_persian(t) for t in prompts))
                + 0.25 * (before != after)
            )
        best = max(best, score)
        shown[name] = {"before": before[:3], "after": after[:3]}
    evidence = {"test_prompts": prompts[:5], "generations": shown}
    if best >= 1:
        return CheckResult.passed(
            "پاسخ‌های مدل به پرسش‌های آزمون فارسی پیش و پس از آموزش ثبت شده‌اند.",
            "answers to the Persian test prompts are recorded before and after training.",
            **evidence,
        )
    return CheckResult(
        best,
        "پاسخ‌های مدل پیش و پس از آموزش به پرسش‌های فارسی یکسان (test_prompts) کامل ثبت نشده‌اند یا تغییری نکرده‌اند.",
        "the answers before and after training to the same Persian test_prompts are missing, unequal in number, or unchanged.",
        evidence=evidence,
    )
