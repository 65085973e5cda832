"""PEFT checks on the models the notebook built: trainable count against the notebook's own
configuration, a frozen base, soft prompts initialised from the vocabulary, the freeze method.
"""

from __future__ import annotations

from typing import Any

from graders.checks.peft.params import FamilyParams
from graders.checks.peft.parsing import _facts, _no_model
from graders.checks.registry import NoParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.peft import PeftFacts, PeftModelFact
from graders.golden import Golden
from graders.metrics.peft_formulas import (
    accepted_trainable,
    first_and_last,
    freeze_count,
)


@register("peft_trainable_count", FamilyParams, needs_execution=True, probe_facts=_facts)
def peft_trainable_count(
    facts: Facts, golden: Golden, p: FamilyParams, data: PeftFacts
) -> CheckResult:
    """The trainable-parameter count of each model of the family equals the formula for the
    student's own config (virtual tokens, r, targets; whole layers for the freeze baseline)."""
    models = [m for m in data.models if m.family == p.family]
    if not models:
        return _no_model(p.family)
    rows = []
    for m in models:
        dims = m.dims.decoder()
        if p.family == "freeze":
            base = freeze_count(dims, first_and_last(dims.num_hidden_layers))
            accepted = [base, base + dims.hidden_size]  # the final norm may be unfrozen too
        else:
            accepted = accepted_trainable(dims, m.peft or {})
        rows.append(
            {
                "model": m.name,
                "method": m.peft_type or "freeze",
                "found": m.n_trainable,
                "expected": accepted,
            }
        )
    evidence = {"models": rows, "peft_version": data.versions.get("peft", "")}
    return count_verdict(rows, evidence, printed=False)


def count_verdict(rows: list[dict[str, Any]], evidence: dict[str, Any], printed: bool) -> CheckResult:
    """Each row's `found` trainable count against its `expected` counts: a pass when all agree,
    else the share of rows that agree, naming the first that does not. `printed`: the counts
    were read from the notebook's printed output (saved mode), not from the live models."""
    bad = [r for r in rows if r["found"] not in r["expected"]]
    if not bad:
        return CheckResult.passed(
            f"تعداد پارامترهای قابل آموزش{'ِ چاپ‌شده' if printed else ''} با پیکربندی شما دقیقاً همخوان است.",
            f"the {'printed ' if printed else ''}trainable-parameter count matches your configuration exactly.",
            **evidence,
        )
    r = bad[0]
    has_fa, has_en = ("چاپ کرده", "printed") if printed else ("دارد", "has")
    return CheckResult(
        (len(rows) - len(bad)) / len(rows),
        f"مدل {r['model']}: {r['found']:,} پارامتر قابل آموزش {has_fa}، اما پیکربندی آن {r['expected'][0]:,} می‌دهد؛ "
        "بخشی از مدل پایه قفل نشده یا پارامترهای روش آموزش‌پذیر نیستند.",
        f"model {r['model']} {has_en} {r['found']:,} trainable parameters, its configuration gives "
        f"{r['expected'][0]:,}: part of the base model is not frozen or the method's own parameters are not trainable.",
        evidence=evidence,
    )


def _reference_prints(models: list[PeftModelFact]) -> dict[str, str]:
    """Fingerprints of whole, untouched models; a key the pristine models disagree on is dropped."""
    seen: dict[str, set[str]] = {}
    for m in models:
        if m.pristine:
            for key, fp in m.fingerprints.items():
                seen.setdefault(f"{m.dims.model_type}|{key}", set()).add(fp.hash)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


@register("peft_base_frozen", FamilyParams, needs_execution=True, probe_facts=_facts)
def peft_base_frozen(facts: Facts, golden: Golden, p: FamilyParams, data: PeftFacts) -> CheckResult:
    """Only the method's parameters train: no base weight requires grad (adapters), and the
    frozen tensors still equal those of an untouched copy of the base model, when one is kept."""
    models = [m for m in data.models if m.family == p.family]
    if not models:
        return _no_model(p.family)
    reference = _reference_prints(data.models)
    unfrozen, changed, compared = [], [], 0
    for m in models:
        if p.family != "freeze":
            base_trainable = m.n_trainable - m.groups.get("adapter", 0)
            if base_trainable > 0:
                unfrozen.append({"model": m.name, "base_trainable": base_trainable})
        for key, fp in m.fingerprints.items():
            ref = reference.get(f"{m.dims.model_type}|{key}")
            if fp.requires_grad or ref is None:
                continue
            compared += 1
            if fp.hash != ref:
                changed.append(f"{m.name}: {key}")
    evidence = {"unfrozen": unfrozen, "changed": changed[:20], "tensors_compared": compared}
    if unfrozen:
        u = unfrozen[0]
        return CheckResult.failed(
            f"مدل پایه قفل نشده است: در {u['model']} {u['base_trainable']:,} پارامتر مدل پایه قابل آموزش‌اند.",
            f"the base model is not frozen: {u['base_trainable']:,} base parameters of {u['model']} require grad.",
            **evidence,
        )
    if changed:
        return CheckResult.failed(
            f"وزن‌های قفل‌شدهٔ مدل پایه در طول آموزش تغییر کرده‌اند ({changed[0]}).",
            f"frozen base weights changed during training ({changed[0]}).",
            **evidence,
        )
    note_fa = (
        "" if compared else " (نسخهٔ دست‌نخورده‌ای از مدل پایه برای مقایسهٔ وزن‌ها نگه داشته نشده بود.)"
    )
    note_en = (
        ""
        if compared
        else " (no untouched copy of the base model was kept to compare weights with.)"
    )
    return CheckResult.passed(
        "مدل پایه قفل است و فقط پارامترهای روش آموزش دیده‌اند." + note_fa,
        "the base model is frozen and only the method's parameters were trained." + note_en,
        **evidence,
    )


@register("soft_prompt_trained", NoParams, needs_execution=True, probe_facts=_facts)
def soft_prompt_trained(facts: Facts, golden: Golden, p: NoParams, data: PeftFacts) -> CheckResult:
    """Prompt tuning initialised from vocabulary rows (TEXT / SAMPLE_VOCAB init) whose rows are
    still exact copies of vocabulary embeddings was never updated by the optimizer."""
    models = [m for m in data.models if m.family == "soft_prompt"]
    if not models:
        return _no_model("soft_prompt")
    stale = [
        m for m in models if m.prompt_rows_in_vocab is not None and m.prompt_rows_in_vocab >= 0.5
    ]
    evidence = {
        "rows_still_vocabulary": {m.name: m.prompt_rows_in_vocab for m in models},
        "virtual_tokens": {m.name: (m.peft or {}).get("num_virtual_tokens") for m in models},
    }
    if any(int((m.peft or {}).get("num_virtual_tokens") or 0) <= 0 for m in models):
        return CheckResult.failed(
            "تعداد توکن‌های مجازی صفر است.", "the number of virtual tokens is zero.", **evidence
        )
    if stale:
        return CheckResult.failed(
            f"بردارهای پرامپت در {stale[0].name} هنوز همان بردارهای واژگان اولیه‌اند: توکن‌های مجازی آموزش ندیده‌اند "
            "(بهینه‌ساز پارامترهای پرامپت را به‌روز نمی‌کند).",
            f"the prompt vectors of {stale[0].name} are still the vocabulary rows they were initialised from: "
            "no virtual token was trained (the optimizer does not update the prompt parameters).",
            **evidence,
        )
    return CheckResult.passed(
        "توکن‌های مجازی آموزش دیده‌اند.", "the virtual tokens were trained.", **evidence
    )


@register("freeze_layers", NoParams, needs_execution=True, probe_facts=_facts)
def freeze_layers(facts: Facts, golden: Golden, p: NoParams, data: PeftFacts) -> CheckResult:
    """Exactly the first two and last two decoder layers are trainable, each wholly; the
    embeddings and the output head stay frozen."""
    models = [m for m in data.models if m.family == "freeze"]
    if not models:
        return _no_model("freeze")
    m = models[0]
    n = m.dims.num_hidden_layers
    expected = first_and_last(n)
    found = m.trainable_layers()
    partial = sorted(int(k) for k, (t, total) in m.layers.items() if 0 < t < total)
    extra = {k: v for k, v in m.groups.items() if k in ("embed", "lm_head") and v > 0}
    evidence = {
        "model": m.name,
        "expected_layers": expected,
        "trainable_layers": found,
        "n_layers": n,
    }
    if found != expected or partial:
        return CheckResult.failed(
            f"لایه‌های قابل آموزش {found} هستند؛ باید دقیقاً لایه‌های {expected} (دو لایهٔ اول و دو لایهٔ آخر از {n}) به‌طور کامل باز باشند.",
            f"trainable decoder layers are {found}; exactly {expected} (the first two and last two of {n}) must be wholly trainable.",
            partially_trainable=partial,
            **evidence,
        )
    if extra:
        return CheckResult(
            0.5,
            "لایه‌ها درست‌اند، اما لایهٔ embedding یا سر خروجی هم باز است؛ صورت سؤال فقط دو لایهٔ اول و آخر را می‌خواهد.",
            "the layers are right, but the embeddings or the output head are trainable too; only the first two and last two layers should be.",
            evidence={**evidence, "also_trainable": extra},
        )
    return CheckResult.passed(
        "فقط دو لایهٔ اول و دو لایهٔ آخر باز هستند.",
        "only the first two and the last two decoder layers are trainable.",
        **evidence,
    )
