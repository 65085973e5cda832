"""Which fact sources each practical check accepts, and the registry of saved-mode variants.

`SOURCES` declares, for every practical check of the bonus assignment and of hw5-rnn Q6, the
sources its verdict may rest on (`executed`, `saved`, `static`). A check with a saved variant
is decided without a kernel from saved-output and static facts; one without goes to a TA in
`saved` mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden

E, S, T = "executed", "saved", "static"
SOURCES: dict[str, tuple[str, ...]] = {
    # bonus Q1 (PEFT)
    "labels_masked": (E, T),
    "peft_trainable_count": (E, S, T),
    "peft_base_frozen": (E, S, T),
    "soft_prompt_trained": (E,),
    "peft_loss_decreases": (E, S),
    "peft_generations": (E,),
    "lora_targets": (E, T),
    "lora_variant": (E, T),
    "freeze_layers": (E, T),
    "peft_comparison_table": (E, S),
    # bonus Q2 (captioning): the probe recomputes everything from the kernel's objects
    "caption_vocab_file": (E,),
    "caption_padding": (E,),
    "caption_split_by_image": (E,),
    "caption_figure": (E,),
    "caption_model_class": (E,),
    "caption_encoder_frozen": (E,),
    "caption_loss_ignores_pad": (E, T),
    "caption_attention_weights": (E,),
    "caption_causal_mask": (E,),
    "caption_bleu_band": (E,),
    "caption_bleu_reported": (E,),
    # hw5-rnn Q6: curves are read from the kernel's figures (a saved PNG has no numbers)
    "recurrent_models": (E,),
    "accuracy_by_length": (E,),
    "accuracy_vs_reference": (E,),
    "gradient_curves": (E,),
    "gradient_decay_rates": (E,),
    "gradient_log_scale": (E, T),
    "state_norm_curves": (E,),
    "cell_state_curves": (E,),
}
SavedFn = Callable[[Facts, Golden, Any], CheckResult]
VARIANTS: dict[str, SavedFn] = {}


def saved_variant(name: str) -> Callable[[SavedFn], SavedFn]:
    def decorate(fn: SavedFn) -> SavedFn:
        VARIANTS[name] = fn
        return fn

    return decorate


def no_source(name: str) -> CheckResult:
    return CheckResult.review(
        "این بررسی بدون اجرای نوت‌بوک ممکن نیست (خروجی ذخیره‌شده یا کد برای آن کافی نیست)؛ دستیار آموزشی تصمیم می‌گیرد.",
        f"check {name} needs the notebook to run (saved outputs and code are not enough); a TA decides.",
        accepted_sources=list(SOURCES.get(name, (E,))),
        no_source=True,
    )


def undecided(fa: str, en: str, **evidence: Any) -> CheckResult:
    return CheckResult.review(fa, en, **evidence)
