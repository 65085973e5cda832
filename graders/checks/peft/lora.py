"""LoRA-specific checks: the attention projections targeted, and the bonus LoRA variant."""

from __future__ import annotations

from graders.checks.peft.parsing import _facts, _no_model
from graders.checks.registry import CheckParams, NoParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.peft import PeftFacts
from graders.golden import Golden
from graders.metrics.peft_formulas import (
    ATTENTION_PROJECTIONS,
)


class TargetsParams(CheckParams):
    required: list[str] = ["q_proj", "v_proj"]


@register("lora_targets", TargetsParams, needs_execution=True, probe_facts=_facts)
def lora_targets(facts: Facts, golden: Golden, p: TargetsParams, data: PeftFacts) -> CheckResult:
    """LoRA is applied to the attention projections (at least `required`)."""
    models = [m for m in data.models if m.family == "lora"]
    if not models:
        return _no_model("lora")
    for m in models:
        targets = (m.peft or {}).get("target_modules")
        names = [targets] if isinstance(targets, str) else [str(t) for t in targets or []]
        text = " ".join(names)
        if targets == "all-linear" or all(r in text for r in p.required):
            return CheckResult.passed(
                "LoRA روی ماتریس‌های توجه اعمال شده است.",
                "LoRA is applied to the attention projections.",
                target_modules=names,
                lora_modules=m.n_lora_modules,
            )
    return CheckResult.failed(
        f"LoRA باید دست‌کم روی {', '.join(p.required)} (لایه‌های توجه) اعمال شود.",
        f"LoRA should target at least {', '.join(p.required)} (attention projections).",
        target_modules={m.name: (m.peft or {}).get("target_modules") for m in models},
        attention_projections=list(ATTENTION_PROJECTIONS),
    )


@register("lora_variant", NoParams, needs_execution=True, probe_facts=_facts)
def lora_variant(facts: Facts, golden: Golden, p: NoParams, data: PeftFacts) -> CheckResult:
    """Bonus: a LoRA variant supported by PEFT (DoRA or rsLoRA) was trained."""
    variants = {
        m.name: [k for k in ("use_dora", "use_rslora") if (m.peft or {}).get(k)]
        for m in data.models
        if m.family == "lora"
    }
    used = {k: v for k, v in variants.items() if v}
    if used:
        return CheckResult.passed(
            "یک گونهٔ LoRA (DoRA یا rsLoRA) به کار رفته است.",
            "a LoRA variant (DoRA or rsLoRA) was used.",
            variants=used,
        )
    return CheckResult.failed(
        "از DoRA یا rsLoRA استفاده نشده است (بخش امتیازی).",
        "neither DoRA nor rsLoRA was used (bonus part).",
        variants=variants,
    )
