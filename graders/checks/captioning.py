"""Checks of the image-captioning question (bonus-llm-captioning Q2), on the `captioning` probe's facts.

Data preparation (vocabulary file with special tokens, one padded length, a split by image with
no leakage, the two plots), the models (`ImageCaptioningModel` with an encoder and a decoder,
frozen encoder, a loss that ignores <pad>, attention weights summing to 1, a causal mask tested
by perturbing a future token). The BLEU checks are in `caption_bleu.py`. The probe's output
is untrusted: it is validated here with `CaptioningFacts` before any check reads it.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden

S = Annotated[str, StringConstraints(max_length=1000)]
ModelKind = Literal["rnn", "attention", "transformer"]
ALIASES: dict[str, tuple[str, ...]] = {
    "cnn_rnn": ("cnn_rnn", "cnn-rnn", "rnn", "show_and_tell", "lstm"),
    "attention": ("attention", "cnn_rnn_attention", "attention_rnn", "show_attend_tell"),
    "transformer": ("transformer", "cnn_transformer", "cnn-transformer"),
}
KIND_OF = {"cnn_rnn": "rnn", "attention": "attention", "transformer": "transformer"}
NAMES = {
    "rnn": ("CNN-RNN", "CNN-RNN"),
    "attention": ("CNN-RNN با توجه", "attention CNN-RNN"),
    "transformer": ("CNN-Transformer", "CNN-Transformer"),
}


class _U(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SpecialFact(_U):
    token: S | None = None
    id: int | None = None


class VocabFact(_U):
    source: S = ""
    from_file: bool = False
    size: int = 0
    special: dict[S, SpecialFact] = Field(default_factory=dict, max_length=10)


class SplitFact(_U):
    sizes: dict[S, int] = Field(default_factory=dict, max_length=5)
    unique: dict[S, int] = Field(default_factory=dict, max_length=5)
    overlap: dict[S, int] = Field(default_factory=dict, max_length=10)
    overlap_examples: list[S] = Field(default_factory=list, max_length=10)
    test_ids: list[S] = Field(default_factory=list, max_length=20000)


class CaptionsFact(_U):
    variable: S = ""
    n_rows: int = 0
    lengths: dict[int, int] = Field(default_factory=dict, max_length=20)
    has_pad: bool = False


class LossFact(_U):
    name: S
    cls: S
    ignore_index: int


class AlphasFact(_U):
    shape: list[int] = Field(default_factory=list, max_length=5)
    sum_min: float = math.nan
    sum_max: float = math.nan
    min: float = math.nan
    heatmap: list[list[float]] = Field(default_factory=list, max_length=20)
    row_labels: list[S] = Field(default_factory=list, max_length=20)


class CausalFact(_U):
    position: int
    max_change_before: float
    max_change_after: float


class ModelFact(_U):
    name: S
    cls: S
    classes: list[S] = Field(default_factory=list, max_length=10)
    kinds: list[S] = Field(default_factory=list, max_length=100)
    kind: S = "unknown"
    encoder_params: int = 0
    encoder_trainable: int = 0
    encoder_trainable_names: list[S] = Field(default_factory=list, max_length=20)
    decoder_params: int = 0
    logits_shape: list[int] = Field(default_factory=list, max_length=5)
    alphas: AlphasFact | None = None
    causal: CausalFact | None = None
    forward_error: S = ""


class PredictionRow(_U):
    image_id: S = ""
    prediction: S = ""
    references: list[S] = Field(default_factory=list, max_length=10)


class CaptioningFacts(_U):
    vocab: VocabFact | None = None
    splits: SplitFact | None = None
    captions: CaptionsFact | None = None
    losses: list[LossFact] = Field(default_factory=list, max_length=20)
    pad_id: int = 0
    batch: dict[S, Any] | None = None
    models: list[ModelFact] = Field(default_factory=list, max_length=10)
    predictions: dict[S, list[PredictionRow]] = Field(default_factory=dict, max_length=6)
    bleu_reported: dict[S, dict[S, float]] = Field(default_factory=dict, max_length=6)
    thumbnails: dict[S, Annotated[str, StringConstraints(max_length=80000)]] = Field(
        default_factory=dict, max_length=8
    )
    probe_error: S = ""


def _facts(facts: Facts) -> CaptioningFacts | CheckResult:
    """The validated probe output, or the CheckResult explaining why it is missing."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    raw = facts.probe.extras.get("captioning")
    if not isinstance(raw, dict):
        return CheckResult.missing(
            "داده‌های بررسی کپشن‌سازی از نوت‌بوک به دست نیامد.",
            "the captioning probe returned nothing.",
        )
    try:
        data = CaptioningFacts.model_validate(raw)
    except ValidationError as exc:
        return CheckResult.missing(
            "خروجی بررسی کپشن‌سازی نامعتبر بود.",
            f"the captioning probe's output was invalid: {str(exc)[:300]}",
        )
    if data.probe_error:
        return CheckResult.missing(
            "بررسی کپشن‌سازی در نوت‌بوک با خطا روبه‌رو شد.",
            f"the captioning probe failed: {data.probe_error}",
        )
    return data


class NoParams(CheckParams):
    pass


@register("caption_vocab_file", NoParams, needs_execution=True)
def caption_vocab_file(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """A vocabulary saved to a file, holding <pad>, <start>, <end> and <unk> (or their aliases)."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    v = data.vocab
    if v is None:
        return CheckResult.failed(
            "فایل واژه‌نامه (مثلاً vocab.json) در پوشهٔ کار پیدا نشد.",
            "no vocabulary file (e.g. vocab.json) was found in the working folder.",
        )
    missing = [k for k, s in v.special.items() if s.token is None] or (
        [] if v.special else ["<pad>", "<start>", "<end>", "<unk>"]
    )
    evidence = {
        "source": v.source,
        "size": v.size,
        "special": {k: s.token for k, s in v.special.items()},
    }
    score = (4 - len(missing)) / 4 * (1.0 if v.from_file else 0.5)
    if score >= 1:
        return CheckResult.passed(
            f"واژه‌نامه در فایل {v.source} با {v.size} واژه و هر چهار توکن ویژه ذخیره شده است.",
            f"the vocabulary ({v.size} words) is saved in {v.source} with all four special tokens.",
            **evidence,
        )
    fa, en = [], []
    if missing:
        fa.append(f"توکن‌های ویژهٔ {'، '.join(missing)} در واژه‌نامه نیستند")
        en.append(f"the special tokens {', '.join(missing)} are missing")
    if not v.from_file:
        fa.append("واژه‌نامه در فایل ذخیره نشده است (فقط متغیر)")
        en.append("the vocabulary is not saved to a file (only a variable)")
    return CheckResult(score, "؛ ".join(fa) + ".", "; ".join(en) + ".", evidence=evidence)


@register("caption_padding", NoParams, needs_execution=True)
def caption_padding(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """Every encoded caption has the same length, shorter ones filled with <pad>."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    c = data.captions
    if c is None or not c.lengths:
        return CheckResult.failed(
            "ماتریس کپشن‌های کدشده (encoded_captions) پیدا نشد.",
            "no matrix of encoded captions (encoded_captions) was found.",
        )
    evidence = {"lengths": c.lengths, "has_pad": c.has_pad, "pad_id": data.pad_id}
    if len(c.lengths) == 1 and c.has_pad:
        length = next(iter(c.lengths))
        return CheckResult.passed(
            f"همهٔ کپشن‌ها با <pad> به طول {length} رسیده‌اند.",
            f"all captions are padded with <pad> to length {length}.",
            **evidence,
        )
    if len(c.lengths) > 1:
        return CheckResult.failed(
            f"کپشن‌ها طول یکسان ندارند (طول‌ها: {sorted(c.lengths)}).",
            f"captions have different lengths ({sorted(c.lengths)}); pad them to one length.",
            **evidence,
        )
    return CheckResult(
        0.5,
        "طول کپشن‌ها یکسان است اما توکن <pad> در آن‌ها دیده نمی‌شود.",
        "captions have one length but no <pad> token appears in them.",
        evidence=evidence,
    )


class SplitParams(CheckParams):
    fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
    tolerance: float = 0.03


@register("caption_split_by_image", SplitParams, needs_execution=True)
def caption_split_by_image(facts: Facts, golden: Golden, p: SplitParams) -> CheckResult:
    """Train/val/test hold disjoint sets of images, in about the asked proportions."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    s = data.splits
    if s is None or len(s.unique) < 3:
        return CheckResult.failed(
            "متغیر splits با شناسهٔ تصاویر train/val/test پیدا نشد.",
            "no `splits` variable with the image ids of train/val/test was found.",
        )
    leaked = {k: n for k, n in s.overlap.items() if n}
    total = sum(s.unique.values()) or 1
    fractions = [round(n / total, 3) for n in list(s.unique.values())[:3]]
    evidence = {
        "unique_images": s.unique,
        "overlap": s.overlap,
        "overlap_examples": s.overlap_examples,
        "fractions": fractions,
        "expected": list(p.fractions),
    }
    if leaked:
        pairs = ", ".join(f"{k}: {n}" for k, n in leaked.items())
        return CheckResult.failed(
            f"تقسیم داده بر اساس تصویر نیست: تصاویر مشترک میان بخش‌ها ({pairs})، مثلاً {', '.join(s.overlap_examples[:2])}. کپشن‌های یک تصویر باید همه در یک بخش باشند، وگرنه ارزیابی روی تصاویر دیده‌شده انجام می‌شود.",
            f"the split is not by image: images shared between splits ({pairs}), e.g. {', '.join(s.overlap_examples[:2])}. All captions of an image must go to one split, or the test set holds images seen in training.",
            **evidence,
        )
    if all(abs(f - e) <= p.tolerance for f, e in zip(fractions, p.fractions, strict=False)):
        return CheckResult.passed(
            f"تقسیم بر اساس تصویر و بدون همپوشانی است (نسبت‌ها {fractions}).",
            f"the split is by image with no overlap (fractions {fractions}).",
            **evidence,
        )
    return CheckResult(
        0.5,
        f"تصاویر میان بخش‌ها مشترک نیستند، اما نسبت‌ها {fractions} با {list(p.fractions)} فاصله دارند.",
        f"no image is shared, but the fractions {fractions} are far from {list(p.fractions)}.",
        evidence=evidence,
    )


class FigureParams(CheckParams):
    keywords: list[str]
    what_fa: str
    what_en: str


@register("caption_figure", FigureParams, needs_execution=True)
def caption_figure(facts: Facts, golden: Golden, p: FigureParams) -> CheckResult:
    """A figure whose title or axis labels mention one of `keywords` (e.g. the caption-length scatter)."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    for fig in facts.probe.figures:
        text = " ".join([fig.suptitle, *(ax.text() for ax in fig.axes)]).lower()
        if any(k.lower() in text for k in p.keywords):
            return CheckResult.passed(
                f"نمودار {p.what_fa} رسم شده است.",
                f"the {p.what_en} plot is present.",
                figure=fig.key,
            )
    return CheckResult.failed(
        f"نمودار {p.what_fa} پیدا نشد (عنوان یا برچسب محورها باید یکی از {p.keywords} را داشته باشد).",
        f"no {p.what_en} plot was found (its title or axis labels should mention one of {p.keywords}).",
    )


def _models_of(data: CaptioningFacts, kind: str) -> list[ModelFact]:
    return [m for m in data.models if m.kind == kind]


class ModelParams(CheckParams):
    kind: ModelKind
    class_name: str | None = None


def _no_model(kind: str) -> CheckResult:
    fa, en = NAMES[kind]
    return CheckResult.failed(
        f"مدل {fa} (شیئی با ویژگی‌های encoder و decoder) در نوت‌بوک پیدا نشد.",
        f"no {en} model (an object with `encoder` and `decoder` attributes) was found in the notebook.",
    )


@register("caption_model_class", ModelParams, needs_execution=True)
def caption_model_class(facts: Facts, golden: Golden, p: ModelParams) -> CheckResult:
    """A model of the given kind joins an encoder and a decoder, in a class of the given name."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


class FrozenParams(CheckParams):
    kind: ModelKind
    max_trainable_fraction: float = 0.5


@register("caption_encoder_frozen", FrozenParams, needs_execution=True)
def caption_encoder_frozen(facts: Facts, golden: Golden, p: FrozenParams) -> CheckResult:
    """At most `max_trainable_fraction` of the encoder's parameters are trainable."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    found = _models_of(data, p.kind)
    if not found:
        return _no_model(p.kind)
    m = found[0]
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


@register("caption_loss_ignores_pad", NoParams, needs_execution=True)
def caption_loss_ignores_pad(facts: Facts, golden: Golden, p: NoParams) -> CheckResult:
    """A cross-entropy loss object with ignore_index equal to the <pad> id."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


@register("caption_attention_weights", AttentionParams, needs_execution=True)
def caption_attention_weights(facts: Facts, golden: Golden, p: AttentionParams) -> CheckResult:
    """The attention model returns per-step weights over the regions that sum to 1."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
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


@register("caption_causal_mask", CausalParams, needs_execution=True)
def caption_causal_mask(facts: Facts, golden: Golden, p: CausalParams) -> CheckResult:
    """Changing a future token leaves the transformer's earlier logits unchanged."""
    data = _facts(facts)
    if isinstance(data, CheckResult):
        return data
    found = _models_of(data, "transformer")
    if not found:
        return _no_model("transformer")
    m = found[0]
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
