"""Captioning checks on the models: `ImageCaptioningModel` with an encoder and a decoder, a frozen
encoder, a loss that ignores <pad>, attention weights summing to 1, a causal mask tested by
perturbing a future token.
"""

from __future__ import annotations

from graders.checks.captioning.parsing import _facts
from graders.checks.registry import CheckParams, NoParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.captioning import NAMES, CaptioningFacts, CaptionModelFact, ModelKind
from graders.golden import Golden


def _models_of(data: CaptioningFacts, kind: str) -> list[CaptionModelFact]:
    return [m for m in data.models if m.kind == kind]


class KindParams(CheckParams):
    """The parameters of a check on one kind of model."""

    kind: ModelKind


class ModelParams(KindParams):
    class_name: str | None = None


def _no_model(kind: str) -> CheckResult:
    fa, en = NAMES[kind]
    return CheckResult.failed(
        f"مدل {fa} (شیئی با ویژگی‌های encoder و decoder) در نوت‌بوک پیدا نشد.",
        f"no {en} model (an object with `encoder` and `decoder` attributes) was found in the notebook.",
    )


def _first_model(data: CaptioningFacts, kind: str) -> CaptionModelFact | CheckResult:
    """The first model of this kind in the notebook, or the failed result saying there is none."""
    found = _models_of(data, kind)
    return found[0] if found else _no_model(kind)


@register("caption_model_class", ModelParams, needs_execution=True, probe_facts=_facts)
def caption_model_class(
    facts: Facts, golden: Golden, p: ModelParams, data: CaptioningFacts
) -> CheckResult:
    """A model of the given kind joins an encoder and a decoder, in a class of the given name."""
    found = _models_of(data, p.kind)
    evidence = {"models": [{"name": m.name, "cls": m.cls, "kind": m.kind} for m in data.models]}
    if not found:
        missing = _no_model(p.kind)
        return CheckResult.failed(missing.message_fa, missing.message_en, **evidence)
    named = [m for m in found if p.class_name is None or p.class_name in m.classes]
    if named:
        m = named[0]
        return CheckResult.passed(
            f"مدل {NAMES[p.kind][0]} ({m.name}: {m.cls}) رمزگذار و رمزگشا را یکپارچه کرده است.",
            f"the {NAMES[p.kind][1]} model ({m.name}: {m.cls}) joins an encoder and a decoder.",
            **evidence,
        )
    return CheckResult(
        0.5,
        f"مدل {NAMES[p.kind][0]} هست، اما کلاس آن {p.class_name} نام ندارد (کلاس: {found[0].cls}).",
        f"a {NAMES[p.kind][1]} model exists but its class is not named {p.class_name} ({found[0].cls}).",
        evidence=evidence,
    )


class FrozenParams(KindParams):
    max_trainable_fraction: float = 0.5


@register("caption_encoder_frozen", FrozenParams, needs_execution=True, probe_facts=_facts)
def caption_encoder_frozen(
    facts: Facts, golden: Golden, p: FrozenParams, data: CaptioningFacts
) -> CheckResult:
    """At most `max_trainable_fraction` of the encoder's parameters are trainable."""
    m = _first_model(data, p.kind)
    if isinstance(m, CheckResult):
        return m
    fraction = m.encoder_trainable / m.encoder_params if m.encoder_params else 1.0
    evidence = {
        "encoder_params": m.encoder_params,
        "encoder_trainable": m.encoder_trainable,
        "trainable_fraction": round(fraction, 4),
        "trainable_names": m.encoder_trainable_names,
    }
    if m.encoder_params and fraction <= p.max_trainable_fraction:
        return CheckResult.passed(
            f"رمزگذار منجمد است ({m.encoder_trainable:,} از {m.encoder_params:,} پارامتر آموزش‌پذیر).",
            f"the encoder is frozen ({m.encoder_trainable:,} of {m.encoder_params:,} parameters trainable).",
            **evidence,
        )
    return CheckResult.failed(
        f"{fraction:.0%} از پارامترهای رمزگذار آموزش‌پذیرند؛ CNN از پیش آموزش‌دیده باید منجمد شود (requires_grad=False).",
        f"{fraction:.0%} of the encoder's parameters are trainable; freeze the pretrained CNN (requires_grad=False).",
        **evidence,
    )


@register("caption_loss_ignores_pad", NoParams, needs_execution=True, probe_facts=_facts)
def caption_loss_ignores_pad(
    facts: Facts, golden: Golden, p: NoParams, data: CaptioningFacts
) -> CheckResult:
    """A cross-entropy loss object with ignore_index equal to the <pad> id."""
    evidence = {"pad_id": data.pad_id, "losses": [x.model_dump() for x in data.losses]}
    if not data.losses:
        return CheckResult.review(
            "شیء تابع هزینه (nn.CrossEntropyLoss) در متغیرهای سراسری پیدا نشد؛ دستیار آموزشی بررسی می‌کند که <pad> نادیده گرفته شده باشد.",
            "no loss object (nn.CrossEntropyLoss) among the global variables; a TA checks that <pad> is ignored.",
            **evidence,
        )
    if any(x.ignore_index == data.pad_id for x in data.losses):
        return CheckResult.passed(
            f"تابع هزینه توکن <pad> (شناسهٔ {data.pad_id}) را نادیده می‌گیرد.",
            f"the loss ignores <pad> (id {data.pad_id}).",
            **evidence,
        )
    found = ", ".join(f"{x.name}.ignore_index={x.ignore_index}" for x in data.losses[:3])
    return CheckResult.failed(
        f"تابع هزینه <pad> را هم می‌شمارد ({found})؛ از ignore_index={data.pad_id} استفاده کنید.",
        f"the loss counts <pad> tokens ({found}); use ignore_index={data.pad_id}.",
        **evidence,
    )


class AttentionParams(CheckParams):
    tolerance: float = 1e-3


@register("caption_attention_weights", AttentionParams, needs_execution=True, probe_facts=_facts)
def caption_attention_weights(
    facts: Facts, golden: Golden, p: AttentionParams, data: CaptioningFacts
) -> CheckResult:
    """The attention model returns per-step weights over the regions that sum to 1."""
    weights = [m.alphas for m in data.models if m.alphas is not None]
    if not weights:
        return CheckResult.failed(
            "مدل توجه وزن‌های توجه هر گام را برنمی‌گرداند (خروجی باید (logits, alphas) با شکل (B, T, R) باشد).",
            "no model returns per-step attention weights (the output should be (logits, alphas) shaped (B, T, R)).",
        )
    a = weights[0]
    figure = {
        "kind": "heatmap",
        "title_fa": "وزن‌های توجه در هر گام تولید",
        "title_en": "attention weights per generated word",
        "values": a.heatmap,
        "row_labels": a.row_labels[: len(a.heatmap)],
        "col_labels": [str(i) for i in range(len(a.heatmap[0]) if a.heatmap else 0)],
    }
    evidence = {"shape": a.shape, "sum_min": a.sum_min, "sum_max": a.sum_max, "figure": figure}
    ok = (
        abs(a.sum_min - 1) <= p.tolerance
        and abs(a.sum_max - 1) <= p.tolerance
        and a.min >= -1e-6
        and len(a.shape) == 3
        and a.shape[-1] > 1
    )
    if ok:
        return CheckResult.passed(
            f"وزن‌های توجه در هر گام روی {a.shape[-1]} ناحیه جمعشان ۱ است.",
            f"the attention weights of every step sum to 1 over {a.shape[-1]} regions.",
            **evidence,
        )
    return CheckResult.failed(
        f"جمع وزن‌های توجه روی ناحیه‌ها بین {a.sum_min:.3f} و {a.sum_max:.3f} است، نه ۱ (softmax روی ناحیه‌ها؟).",
        f"the attention weights sum to between {a.sum_min:.3f} and {a.sum_max:.3f} over the regions, not 1 (softmax over the regions?).",
        **evidence,
    )


class CausalParams(CheckParams):
    tolerance: float = 1e-4


@register("caption_causal_mask", CausalParams, needs_execution=True, probe_facts=_facts)
def caption_causal_mask(
    facts: Facts, golden: Golden, p: CausalParams, data: CaptioningFacts
) -> CheckResult:
    """Changing a future token leaves the transformer's earlier logits unchanged."""
    m = _first_model(data, "transformer")
    if isinstance(m, CheckResult):
        return m
    if m.causal is None:
        return CheckResult.missing(
            f"مدل {m.name} روی sample_batch اجرا نشد و ماسک علّی آزموده نشد. {m.forward_error}",
            f"model {m.name} could not be run on sample_batch, so the causal mask was not tested. {m.forward_error}",
        )
    c = m.causal
    evidence = c.model_dump()
    if c.max_change_before <= p.tolerance and c.max_change_after > p.tolerance:
        return CheckResult.passed(
            f"تغییر توکن شمارهٔ {c.position} خروجی‌های پیش از آن را تغییر نداد: ماسک علّی درست است.",
            f"changing token {c.position} left the earlier logits unchanged: the causal mask works.",
            **evidence,
        )
    if c.max_change_before > p.tolerance:
        return CheckResult.failed(
            f"تغییر توکن شمارهٔ {c.position} خروجی گام‌های پیشین را تا {c.max_change_before:.3g} تغییر داد: رمزگشا کلمه‌های آینده را می‌بیند (tgt_mask علّی لازم است).",
            f"changing token {c.position} moved earlier logits by up to {c.max_change_before:.3g}: the decoder sees future words (a causal tgt_mask is needed).",
            **evidence,
        )
    return CheckResult.review(
        "تغییر یک توکن هیچ خروجی‌ای را تغییر نداد؛ دستیار آموزشی بررسی می‌کند.",
        "changing a token changed no output at all; sent to a TA.",
        **evidence,
    )
