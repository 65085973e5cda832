"""Checks on the torch modules a notebook built (facts from the module probe)."""

from __future__ import annotations

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class ModuleKindsParams(CheckParams):
    kinds: list[str]


@register("module_kinds", ModuleKindsParams, needs_execution=True)
def module_kinds(facts: Facts, golden: Golden, p: ModuleKindsParams) -> CheckResult:
    """Each kind (an nn.Module class name such as RNN or LSTM) is used by some model."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    found: dict[str, list[str]] = {k: [] for k in p.kinds}
    for module in facts.probe.modules:
        for kind in p.kinds:
            if module.cls == kind or module.submodules.get(kind, 0) > 0:
                found[kind].append(module.name)
    missing = [k for k, names in found.items() if not names]
    evidence = {"found": {k: v[:5] for k, v in found.items()}, "expected": p.kinds}
    score = 1 - len(missing) / len(p.kinds)
    if not missing:
        return CheckResult(
            score,
            "مدل‌های خواسته‌شده پیدا شدند.",
            "the required models were found.",
            evidence=evidence,
        )
    return CheckResult(
        score,
        f"مدلی با لایهٔ {'، '.join(missing)} در نوت‌بوک پیدا نشد.",
        f"no model using {', '.join(missing)} was found in the notebook.",
        evidence=evidence,
    )
