"""Reading the `peft` probe's facts: validation into `PeftFacts` (or the missing result), the
family a results key names, the recorded histories of a family, and their shared messages.
"""

from __future__ import annotations

import math
from typing import Any

from graders.checks.probe_facts import probe_extra
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.peft import FAMILY_EN, FAMILY_FA, RESULTS_HINT, PeftFacts


def _facts(facts: Facts) -> PeftFacts | CheckResult:
    return probe_extra(
        facts,
        "peft",
        PeftFacts,
        nothing=(
            "اطلاعات مدل‌های PEFT از نوت‌بوک به دست نیامد.",
            "the PEFT probe returned nothing usable",
        ),
        invalid=("اطلاعات مدل‌های PEFT از نوت‌بوک معتبر نبود.", "invalid PEFT probe data"),
    )


def family_of(label: str) -> str | None:
    """Which family a results key or table row names (English or Persian)."""
    low = label.lower().replace(" ", "").replace("-", "_")
    if "lora" in low or "dora" in low:
        return "lora"
    if any(k in low for k in ("freeze", "unfreez", "layer", "لایه", "فریز")):
        return "freeze"
    if any(k in low for k in ("prompt", "prefix", "p_tuning", "ptuning", "soft", "پرامپت")):
        return "soft_prompt"
    return None


def _no_model(family: str) -> CheckResult:
    return CheckResult.failed(
        f"مدلی برای روش {FAMILY_FA[family]} در نوت‌بوک پیدا نشد؛ مدل آموزش‌دیده را در یک متغیر نگه دارید.",
        f"no {FAMILY_EN[family]} model was found in the notebook; keep the trained model in a variable.",
    )


def _floats(value: Any) -> list[float]:
    if isinstance(value, int | float):
        value = [value]
    if not isinstance(value, list):
        return []
    out = []
    for v in value[:5000]:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def _entries(data: PeftFacts, family: str) -> dict[str, dict[str, Any]]:
    results = data.results or {}
    return {k: v for k, v in results.items() if isinstance(v, dict) and family_of(k) == family}


def _no_results(family: str) -> CheckResult:
    return CheckResult.failed(
        f"نتایج روش {FAMILY_FA[family]} در متغیر q1_results پیدا نشد.",
        f"no {FAMILY_EN[family]} entry in q1_results; expected {RESULTS_HINT}",
    )


def _untied(data: PeftFacts, family: str) -> CheckResult | None:
    """Recorded histories and answers count only beside a model of the family the notebook built."""
    if any(m.family == family for m in data.models):
        return None
    return CheckResult.review(
        f"نتایج روش {FAMILY_FA[family]} در q1_results هست اما هیچ مدلی از این روش در نوت‌بوک ساخته نشده است؛ این نتایج به مدلی گره نخورده‌اند و امتیازی نمی‌گیرند تا دستیار آموزشی بررسی کند.",
        f"q1_results holds a {FAMILY_EN[family]} run, but the notebook built no {FAMILY_EN[family]} model; the results are tied to no model and are not credited until a TA checks.",
    )


def _downsample(values: list[float], n: int = 400) -> tuple[list[int], list[float]]:
    step = max(1, math.ceil(len(values) / n))
    xs = list(range(0, len(values), step))
    return xs, [round(values[i], 5) for i in xs]
