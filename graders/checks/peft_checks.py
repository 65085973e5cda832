"""Checks of the bonus assignment's Q1 (Persian instruction fine-tuning with PEFT).

They read `facts.probe.extras["peft"]` (written by `graders/probes/probe_peft.py` inside the
student's kernel: untrusted, validated here) and compare what the notebook really built with
what its *own* configuration should give (`peft_formulas`), so a different valid r or number of
virtual tokens is not punished. Methods are grouped in three families: `soft_prompt` (prompt /
prefix / P-tuning), `lora` (LoRA, DoRA, rsLoRA) and `freeze` (first two and last two layers).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult, Status
from graders.facts import Facts
from graders.golden import Golden
from graders.metrics.peft_formulas import (
    ATTENTION_PROJECTIONS,
    LORA_TYPES,
    SOFT_PROMPT_TYPES,
    DecoderDims,
    accepted_trainable,
    first_and_last,
    freeze_count,
)

Family = Literal["soft_prompt", "lora", "freeze"]
FAMILY_FA = {"soft_prompt": "پرامپت نرم", "lora": "LoRA", "freeze": "باز کردن دو لایهٔ اول و آخر"}
FAMILY_EN = {"soft_prompt": "soft prompt", "lora": "LoRA", "freeze": "first-two/last-two layers"}
RESULTS_HINT = (
    "q1_results = {'<method>': {'train_loss': [...], 'val_loss': [...], 'time_per_step_s': ..., "
    "'peak_memory_mb': ..., 'generations_before': [...], 'generations_after': [...]}, "
    "'test_prompts': [...]}"
)


class _Untrusted(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class DimsFact(_Untrusted):
    model_type: str = ""
    hidden_size: int = 0
    intermediate_size: int = 0
    num_hidden_layers: int = 0
    num_attention_heads: int = 0
    num_key_value_heads: int = 0
    head_dim: int = 0
    vocab_size: int = 0
    tie_word_embeddings: bool = True
    attention_bias: bool = False
    mlp_bias: bool = False

    def decoder(self) -> DecoderDims:
        return DecoderDims(**self.model_dump())


class FingerprintFact(_Untrusted):
    hash: str = Field(max_length=64)
    requires_grad: bool


class ModelFact(_Untrusted):
    name: str = Field(max_length=300)
    cls: str = ""
    is_peft: bool = False
    dims: DimsFact = DimsFact()
    peft: dict[str, Any] | None = None
    n_params: int = 0
    n_trainable: int = 0
    groups: dict[str, int] = Field(default_factory=dict)
    layers: dict[str, list[int]] = Field(default_factory=dict, max_length=1000)
    trainable_names: list[str] = Field(default_factory=list, max_length=200)
    n_lora_modules: int = 0
    fingerprints: dict[str, FingerprintFact] = Field(default_factory=dict, max_length=50)
    prompt_rows_in_vocab: float | None = None

    @property
    def peft_type(self) -> str:
        return str((self.peft or {}).get("peft_type", "")).upper()

    @property
    def family(self) -> str | None:
        if self.peft_type in SOFT_PROMPT_TYPES:
            return "soft_prompt"
        if self.peft_type in LORA_TYPES:
            return "lora"
        if not self.is_peft and 0 < self.n_trainable < self.n_params:
            return "freeze"
        return None

    @property
    def pristine(self) -> bool:
        """A plain model left whole: all trainable or all frozen (e.g. the one tested in 1-1)."""
        return not self.is_peft and self.n_trainable in (0, self.n_params)

    def trainable_layers(self) -> list[int]:
        return sorted(int(k) for k, (t, _) in self.layers.items() if t > 0)


class ExampleFact(_Untrusted):
    n_tokens: int = 0
    masked_prefix: int = 0
    n_learned: int = 0
    labels_match_ids: bool = True


class DatasetFact(_Untrusted):
    name: str = ""
    n_items: int = 0
    examples: list[ExampleFact] = Field(default_factory=list, max_length=64)


class PeftFacts(_Untrusted):
    versions: dict[str, str] = Field(default_factory=dict)
    models: list[ModelFact] = Field(default_factory=list, max_length=50)
    dataset: DatasetFact | None = None
    results: dict[str, Any] | None = None
    comparison: Any = None

    @field_validator("models", mode="before")
    @classmethod
    def _drop_broken(cls, v: Any) -> Any:
        return (
            [m for m in v if isinstance(m, dict) and "probe_error" not in m]
            if isinstance(v, list)
            else []
        )

    @field_validator("results", mode="before")
    @classmethod
    def _dict_only(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else None


def _facts(facts: Facts) -> PeftFacts | CheckResult:
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    raw = facts.probe.extras.get("peft")
    if not isinstance(raw, dict) or "probe_error" in raw:
        return CheckResult.missing(
            "اطلاعات مدل‌های PEFT از نوت‌بوک به دست نیامد.",
            f"the PEFT probe returned nothing usable: {str(raw)[:200]}",
        )
    try:
        return PeftFacts.model_validate(raw)
    except ValidationError as exc:
        return CheckResult.missing(
            "اطلاعات مدل‌های PEFT از نوت‌بوک معتبر نبود.", f"invalid PEFT probe data: {exc}"[:500]
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


class FamilyParams(CheckParams):
    family: Family


@register("peft_trainable_count", FamilyParams, needs_execution=True)
def peft_trainable_count(facts: Facts, golden: Golden, p: FamilyParams) -> CheckResult:
    """The trainable-parameter count of each model of the family equals the formula for the
    student's own config (virtual tokens, r, targets; whole layers for the freeze baseline)."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    models = [m for m in data.models if m.family == p.family]
    if not models:
        return _no_model(p.family)
    rows, good = [], 0
    for m in models:
        dims = m.dims.decoder()
        if p.family == "freeze":
            base = freeze_count(dims, first_and_last(dims.num_hidden_layers))
            accepted = [base, base + dims.hidden_size]  # the final norm may be unfrozen too
        else:
            accepted = accepted_trainable(dims, m.peft or {})
        ok = m.n_trainable in accepted
        good += ok
        rows.append(
            {
                "model": m.name,
                "method": m.peft_type or "freeze",
                "found": m.n_trainable,
                "expected": accepted,
            }
        )
    evidence = {"models": rows, "peft_version": data.versions.get("peft", "")}
    bad = [r for r in rows if r["found"] not in r["expected"]]
    if not bad:
        return CheckResult.passed(
            "تعداد پارامترهای قابل آموزش با پیکربندی شما دقیقاً همخوان است.",
            "the trainable-parameter count matches your configuration exactly.",
            **evidence,
        )
    r = bad[0]
    return CheckResult(
        good / len(models),
        f"مدل {r['model']}: {r['found']:,} پارامتر قابل آموزش دارد، اما پیکربندی آن {r['expected'][0]:,} می‌دهد؛ "
        "بخشی از مدل پایه قفل نشده یا پارامترهای روش آموزش‌پذیر نیستند.",
        f"model {r['model']} has {r['found']:,} trainable parameters, its configuration gives "
        f"{r['expected'][0]:,}: part of the base model is not frozen or the method's own parameters are not trainable.",
        evidence=evidence,
    )


def _reference_prints(models: list[ModelFact]) -> dict[str, str]:
    """Fingerprints of whole, untouched models; a key the pristine models disagree on is dropped."""
    seen: dict[str, set[str]] = {}
    for m in models:
        if m.pristine:
            for key, fp in m.fingerprints.items():
                seen.setdefault(f"{m.dims.model_type}|{key}", set()).add(fp.hash)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


@register("peft_base_frozen", FamilyParams, needs_execution=True)
def peft_base_frozen(facts: Facts, golden: Golden, p: FamilyParams) -> CheckResult:
    """Only the method's parameters train: no base weight requires grad (adapters), and the
    frozen tensors still equal those of an untouched copy of the base model, when one is kept."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


class NoParams(CheckParams):
    pass


@register("soft_prompt_trained", NoParams, needs_execution=True)
def soft_prompt_trained(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """Prompt tuning initialised from vocabulary rows (TEXT / SAMPLE_VOCAB init) whose rows are
    still exact copies of vocabulary embeddings was never updated by the optimizer."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


@register("freeze_layers", NoParams, needs_execution=True)
def freeze_layers(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """Exactly the first two and last two decoder layers are trainable, each wholly; the
    embeddings and the output head stay frozen."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


class MaskParams(CheckParams):
    min_masked_fraction: float = 0.1


@register("labels_masked", MaskParams, needs_execution=True)
def labels_masked(facts: Facts, golden: Golden, p: MaskParams) -> CheckResult:
    """In the training data, labels are -100 on the prompt (system, user turn, assistant
    header) and equal the input ids on the answer."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


class LossParams(CheckParams):
    family: Family
    min_relative_drop: float = 0.02


@register("peft_loss_decreases", LossParams, needs_execution=True)
def peft_loss_decreases(facts: Facts, golden: Golden, p: LossParams) -> CheckResult:
    """The training loss of the family's run falls (last quarter below the first by at least
    `min_relative_drop`), and a validation loss is reported."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


@register("peft_generations", FamilyParams, needs_execution=True)
def peft_generations(facts: Facts, golden: Golden, p: FamilyParams) -> CheckResult:
    """Answers to the fixed Persian test prompts are kept before and after training."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


class TargetsParams(CheckParams):
    required: list[str] = ["q_proj", "v_proj"]


@register("lora_targets", TargetsParams, needs_execution=True)
def lora_targets(facts: Facts, golden: Golden, p: TargetsParams) -> CheckResult:
    """LoRA is applied to the attention projections (at least `required`)."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


@register("lora_variant", NoParams, needs_execution=True)
def lora_variant(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """Bonus: a LoRA variant supported by PEFT (DoRA or rsLoRA) was trained."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


_COLUMNS = {
    "time": ("time", "زمان", "sec", "second"),
    "memory": ("mem", "حافظه", "gb", "mb"),
    "params": ("param", "پارامتر", "trainable"),
}


def _table_rows(table: Any) -> dict[str, dict[str, Any]]:
    """A DataFrame (as the probe sends it), a dict of rows or a list of records -> rows by label."""
    rows: dict[str, dict[str, Any]] = {}
    if isinstance(table, dict) and {"columns", "data"} <= set(table):
        columns = [str(c) for c in table.get("columns") or []]
        index = table.get("index") or []
        for i, values in enumerate(table.get("data") or []):
            if isinstance(values, list):
                record = dict(zip(columns, values, strict=False))
                label = (
                    " ".join(str(v) for v in values if isinstance(v, str))
                    + f" {index[i] if i < len(index) else ''}"
                )
                rows[label.strip() or str(i)] = record
    elif isinstance(table, dict):
        for label, record in table.items():
            if isinstance(record, dict):
                rows[str(label)] = record
        if not rows:  # a dict of columns: {"method": [...], "time": [...], ...}
            return _table_rows(
                [
                    dict(zip(table, vals, strict=False))
                    for vals in zip(
                        *[v for v in table.values() if isinstance(v, list)], strict=False
                    )
                ]
            )
    elif isinstance(table, list):
        for i, record in enumerate(table):
            if isinstance(record, dict):
                label = " ".join(str(v) for v in record.values() if isinstance(v, str))
                rows[label or str(i)] = record
    return rows


def _number(value: Any) -> float | None:
    try:
        f = (
            float(str(value).replace(",", "").split()[0])
            if isinstance(value, str)
            else float(value)
        )
    except (TypeError, ValueError, IndexError):
        return None
    return f if math.isfinite(f) else None


@register("peft_comparison_table", NoParams, needs_execution=True)
def peft_comparison_table(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """The `comparison` table has a row for each family with time, memory and trainable
    parameters; the parameter counts agree with the models the notebook built."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    rows = _table_rows(data.comparison)
    if not rows:
        return CheckResult.failed(
            "جدول مقایسه (متغیر comparison) پیدا نشد.",
            "no comparison table (variable `comparison`: a DataFrame, a dict of rows or a list of records) was found.",
        )
    cells: dict[str, dict[str, float | None]] = {}
    for label, record in rows.items():
        family = family_of(label)
        if family is None or family in cells:
            continue
        found: dict[str, float | None] = {}
        for col, keys in _COLUMNS.items():
            for name, value in record.items():
                if any(k in str(name).lower() for k in keys) and _number(value) is not None:
                    found[col] = _number(value)
                    break
            found.setdefault(col, None)
        cells[family] = found
    filled = sum(
        v is not None
        for f in ("soft_prompt", "lora", "freeze")
        for v in (cells.get(f) or {}).values()
    )
    score = filled / 9
    measured = {
        f: {m.n_trainable for m in data.models if m.family == f}
        for f in ("soft_prompt", "lora", "freeze")
    }
    mismatched = [
        f
        for f, c in cells.items()
        if c.get("params") is not None
        and measured.get(f)
        and not any(abs(c["params"] - n) <= max(1, 0.01 * n) for n in measured[f])
    ]
    evidence = {
        "table": cells,
        "measured_trainable": {k: sorted(v) for k, v in measured.items()},
        "mismatched": mismatched,
    }
    if mismatched:
        return CheckResult(
            score * 0.5,
            f"تعداد پارامترهای قابل آموزش در جدول برای {FAMILY_FA[mismatched[0]]} با مدل ساخته‌شده همخوان نیست.",
            f"the table's trainable-parameter count for {FAMILY_EN[mismatched[0]]} disagrees with the model the notebook built.",
            evidence=evidence,
        )
    if score >= 1:
        return CheckResult.passed(
            "جدول مقایسه زمان، حافظه و پارامترهای قابل آموزش هر سه روش را دارد.",
            "the comparison table lists time, memory and trainable parameters for all three methods.",
            **evidence,
        )
    missing = [
        f"{f}.{c}"
        for f in ("soft_prompt", "lora", "freeze")
        for c in _COLUMNS
        if (cells.get(f) or {}).get(c) is None
    ]
    return CheckResult(
        score,
        "جدول مقایسه کامل نیست: برای هر سه روش زمان، حافظه و تعداد پارامترهای قابل آموزش لازم است.",
        f"the comparison table is incomplete (missing: {', '.join(missing)}).",
        status=Status.FAIL if score == 0 else Status.PARTIAL,
        evidence=evidence,
    )
