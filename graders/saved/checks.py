"""Saved-mode variants of the bonus Q1 (PEFT) checks: decided from saved outputs and code (the
ones the code alone settles, `labels_masked` among them, are the table of `checks_misc`).

Each is a pure function `(facts, golden, params) -> CheckResult` whose evidence names the
sources used; where the saved outputs and the code do not settle a check it goes to a TA.
The sources each check accepts are declared in `graders.saved.sources`.
"""

from __future__ import annotations

from typing import Any

from graders.checks.peft.model import count_verdict
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden
from graders.metrics.peft_formulas import first_and_last, freeze_count
from graders.saved.expected import (
    base_dims,
    expected_counts,
    on_peft_model,
    printed_counts,
    table_counts,
)
from graders.saved.sources import no_source, saved_variant
from graders.saved.sources import undecided as _undecided
from graders.saved.static import resolve_layers

E, S, T = "executed", "saved", "static"


def _dims(facts: Facts) -> tuple[Any, str] | CheckResult:
    if facts.static is None or facts.saved is None:
        return CheckResult.missing(
            "نوت‌بوکی برای خواندن پیدا نشد.", "no notebook was found to read."
        )
    dims, where = base_dims(facts.static)
    if dims is None:
        return _undecided(
            "پیکربندی مدل پایه از روی کد معلوم نشد؛ دستیار آموزشی بررسی می‌کند.",
            "the base model's configuration could not be read from the code; a TA decides.",
            pretrained=list(facts.static.pretrained),
        )
    return dims, where


@saved_variant("peft_trainable_count")
def trainable_count_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The printed trainable count (print_trainable_parameters, else the comparison table)
    equals the formula for the notebook's own config, read statically."""
    got = _dims(facts)
    if isinstance(got, CheckResult):
        return got
    dims, where = got
    assert facts.saved is not None and facts.static is not None
    rows: list[dict[str, Any]] = []
    if p.family == "freeze":
        printed = table_counts(facts.saved).get("freeze")
        base = freeze_count(dims, first_and_last(dims.num_hidden_layers))
        if printed is not None:
            rows.append(
                {
                    "model": "freeze",
                    "method": "freeze",
                    "found": printed,
                    "expected": [base, base + dims.hidden_size],
                    "printed_in": "table",
                }
            )
    else:
        for e in expected_counts(facts.saved, facts.static, dims):
            if e.family == p.family and e.printed is not None and e.accepted:
                rows.append(
                    {
                        "model": e.model_var or e.config.var,
                        "method": e.config.peft_type,
                        "found": e.printed,
                        "expected": e.accepted,
                        "printed_in": e.printed_from,
                        "config": e.config.kwargs,
                    }
                )
    evidence = {"models": rows, "dims_from": where, "sources": [S, T]}
    if not rows:
        return _undecided(
            "تعداد پارامترهای قابل آموزشِ چاپ‌شده یا پیکربندی روش در نوت‌بوک پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            f"no printed trainable count with a literal {p.family} config was found; a TA decides.",
            **evidence,
        )
    return count_verdict(rows, evidence, printed=True)


@saved_variant("peft_base_frozen")
def base_frozen_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """No loop sets requires_grad=True on a whole PEFT model (static), and the printed count
    is the adapter's own (saved). The freeze baseline's unchanged weights need a kernel."""
    if p.family == "freeze":
        return no_source("peft_base_frozen (freeze)")
    got = _dims(facts)
    if isinstance(got, CheckResult):
        return got
    dims, _ = got
    assert facts.saved is not None and facts.static is not None
    mine = [e for e in expected_counts(facts.saved, facts.static, dims) if e.family == p.family]
    peft_vars = {e.model_var for e in mine if e.model_var}
    unfreeze = [  # on the PEFT model itself, not on a base model before it was wrapped
        g
        for g in facts.static.grad_loops
        if g.value
        and g.whole_model
        and g.model_var in peft_vars
        and on_peft_model(facts.static, g.model_var, g.cell, g.line)
    ]
    evidence = {
        "unfreezing_loops": [f"cell {g.cell}, line {g.line}: {g.model_var}" for g in unfreeze],
        "printed": {e.model_var: e.printed for e in mine},
        "sources": [S, T],
    }
    if unfreeze:
        g = unfreeze[0]
        return CheckResult.failed(
            f"مدل پایه قفل نیست: کد همهٔ پارامترهای {g.model_var} را قابل آموزش می‌کند (requires_grad = True).",
            f"the base model is not frozen: the code makes every parameter of {g.model_var} trainable (requires_grad = True).",
            **evidence,
        )
    printed = [e for e in mine if e.printed is not None and e.accepted]
    if printed and all(e.printed in e.accepted for e in printed):
        return CheckResult.passed(
            "مدل پایه قفل است: تعداد چاپ‌شده فقط پارامترهای روش است.",
            "the base model is frozen: the printed count is the method's own parameters only.",
            **evidence,
        )
    if any(e.printed is not None and e.accepted and e.printed > max(e.accepted) for e in printed):
        return CheckResult.failed(
            "مدل پایه قفل نیست: تعداد چاپ‌شدهٔ پارامترهای قابل آموزش بیش از پارامترهای روش است.",
            "the base model is not frozen: more parameters are printed as trainable than the method has.",
            **evidence,
        )
    return _undecided(
        "از خروجی‌های ذخیره‌شده معلوم نشد؛ دستیار آموزشی بررسی می‌کند.",
        "the saved outputs do not settle it; a TA decides.",
        **evidence,
    )


def _lora_configs(facts: Facts) -> list[Any]:
    return [c for c in (facts.static.peft_configs if facts.static else []) if c.peft_type == "LORA"]


@saved_variant("lora_targets")
def lora_targets_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """`target_modules` of the notebook's LoraConfig covers the attention projections."""
    configs = _lora_configs(facts)
    if not configs or any("target_modules" in c.unresolved for c in configs):
        return _undecided(
            "LoraConfig با target_modules صریح پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no LoraConfig with literal target_modules; a TA decides.",
        )
    for c in configs:
        targets = c.kwargs.get("target_modules")
        names = [targets] if isinstance(targets, str) else [str(t) for t in targets or []]
        if targets == "all-linear" or all(r in " ".join(names) for r in p.required):
            return CheckResult.passed(
                "LoRA روی ماتریس‌های توجه اعمال شده است.",
                "LoRA is applied to the attention projections.",
                target_modules=names,
                sources=[T],
            )
    return CheckResult.failed(
        f"LoRA باید دست‌کم روی {', '.join(p.required)} (لایه‌های توجه) اعمال شود.",
        f"LoRA should target at least {', '.join(p.required)} (attention projections).",
        target_modules=[c.kwargs.get("target_modules") for c in configs],
        sources=[T],
    )


@saved_variant("lora_variant")
def lora_variant_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """Bonus: a LoraConfig of the notebook sets use_dora or use_rslora."""
    configs = _lora_configs(facts)
    used = [
        c.var or c.cls for c in configs if c.kwargs.get("use_dora") or c.kwargs.get("use_rslora")
    ]
    if used:
        return CheckResult.passed(
            "یک گونهٔ LoRA (DoRA یا rsLoRA) به کار رفته است.",
            "a LoRA variant (DoRA or rsLoRA) was used.",
            configs=used,
            sources=[T],
        )
    if not configs or any({"use_dora", "use_rslora"} & set(c.unresolved) for c in configs):
        return _undecided(
            "از روی کد معلوم نشد؛ دستیار آموزشی بررسی می‌کند.",
            "the code does not settle it; a TA decides.",
        )
    return CheckResult.failed(
        "از DoRA یا rsLoRA استفاده نشده است (بخش امتیازی).",
        "neither DoRA nor rsLoRA was used (bonus part).",
        sources=[T],
    )


@saved_variant("freeze_layers")
def freeze_layers_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The loop that unfreezes decoder layers visits exactly the first two and last two,
    after a loop that freezes the whole model (static, with the base config's layer count)."""
    got = _dims(facts)
    if isinstance(got, CheckResult):
        return got
    dims, _ = got
    assert facts.static is not None
    n = dims.num_hidden_layers
    expected = first_and_last(n)
    loops = [g for g in facts.static.grad_loops if g.value and g.layers_text]
    freezes = [g for g in facts.static.grad_loops if not g.value and g.whole_model]
    found = [resolve_layers(g.layers_text, n, g.index_loop) for g in loops]
    evidence = {
        "expected_layers": expected,
        "loops": [g.layers_text for g in loops],
        "n_layers": n,
        "sources": [T],
    }
    if not loops or not freezes or any(f is None for f in found):
        return _undecided(
            "حلقهٔ باز کردن لایه‌ها از روی کد روشن نیست؛ دستیار آموزشی بررسی می‌کند.",
            "the layer-unfreezing loop cannot be read from the code; a TA decides.",
            **evidence,
        )
    layers = sorted({i for f in found for i in f or []})
    if layers != expected:
        return CheckResult.failed(
            f"لایه‌های قابل آموزش {layers} هستند؛ باید دقیقاً لایه‌های {expected} (دو لایهٔ اول و دو لایهٔ آخر از {n}) به‌طور کامل باز باشند.",
            f"trainable decoder layers are {layers}; exactly {expected} (the first two and last two of {n}) must be wholly trainable.",
            trainable_layers=layers,
            **evidence,
        )
    return CheckResult.passed(
        "فقط دو لایهٔ اول و دو لایهٔ آخر باز هستند.",
        "only the first two and the last two decoder layers are trainable.",
        trainable_layers=layers,
        **evidence,
    )


@saved_variant("peft_comparison_table")
def comparison_table_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """A saved comparison table (records, pandas HTML or text) with time, memory and trainable
    parameters for each family; its counts agree with the printed ones."""
    from graders.checks.peft.table import peft_comparison_table

    if facts.saved is None or facts.static is None:
        return CheckResult.missing(
            "نوت‌بوکی برای خواندن پیدا نشد.", "no notebook was found to read."
        )
    tables = [t for t in facts.saved.tables if t.rows]
    if not tables:
        return peft_comparison_table(_probe_like(facts, None), golden, p)
    printed = printed_counts(facts.saved, facts.static)
    models = [
        {
            "name": v,
            "is_peft": True,
            "n_trainable": n,
            "n_params": n + 1,
            "peft": {
                "peft_type": next(
                    (
                        c.peft_type
                        for c in facts.static.peft_configs
                        for m in facts.static.peft_models
                        if m.var == v and m.config_var == c.var
                    ),
                    "",
                )
            },
        }
        for v, n in printed.items()
    ]
    scored = [
        (peft_comparison_table(_probe_like(facts, t.records(), models), golden, p), t)
        for t in tables
    ]
    result, best = max(scored, key=lambda rt: rt[0].score)
    return CheckResult(
        result.score,
        result.message_fa,
        result.message_en,
        result.status,
        {**result.evidence, "table_cell": best.cell, "table_kind": best.kind, "sources": [S]},
    )


def _probe_like(facts: Facts, table: Any, models: list[dict[str, Any]] | None = None) -> Facts:
    """Saved facts in the shape the executed check reads (its logic is reused as is)."""
    from graders.facts import ProbeFacts

    probe = ProbeFacts(extras={"peft": {"models": models or [], "comparison": table}})
    return facts.model_copy(update={"probe": probe})


@saved_variant("peft_loss_decreases")
def loss_decreases_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """A saved loss log (Trainer's or a hand-written loop's) in a cell that trains the family's
    model falls; reuses the executed check's rule on the parsed numbers."""
    from graders.checks.peft.parsing import family_of
    from graders.checks.peft.training import peft_loss_decreases

    if facts.saved is None or facts.static is None:
        return CheckResult.missing(
            "نوت‌بوکی برای خواندن پیدا نشد.", "no notebook was found to read."
        )
    cells = {c.cell: c for c in facts.static.peft_configs}
    names = {"soft_prompt": "prompt_tuning", "lora": "lora", "freeze": "freeze_layers"}
    results: dict[str, Any] = {}
    for log in facts.saved.losses:
        cfg = cells.get(log.cell)
        family = (
            ("lora" if cfg.peft_type == "LORA" else "soft_prompt")
            if cfg
            else "freeze"
            if any(g.cell == log.cell and g.layers_text for g in facts.static.grad_loops)
            else family_of(log.label)
        )
        if family == p.family and log.train:
            results[f"{names[family]}_cell{log.cell}"] = {
                "train_loss": log.train,
                "val_loss": log.val,
            }
    if not results:
        return no_source("peft_loss_decreases")
    from graders.facts import ProbeFacts

    # the log is tied to a model statically (the cell that builds the family's model trains it):
    # the executed check's "beside a model of that family" rule is met by that static model
    static_model = {
        "lora": {"name": "static", "is_peft": True, "peft": {"peft_type": "LORA"}},
        "soft_prompt": {"name": "static", "is_peft": True, "peft": {"peft_type": "PROMPT_TUNING"}},
        "freeze": {"name": "static", "n_params": 2, "n_trainable": 1},
    }[p.family]
    probe = ProbeFacts(extras={"peft": {"results": results, "models": [static_model]}})
    result = peft_loss_decreases(facts.model_copy(update={"probe": probe}), golden, p)
    return CheckResult(
        result.score,
        result.message_fa,
        result.message_en,
        result.status,
        {**result.evidence, "sources": [S]},
    )
