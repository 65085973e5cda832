"""Q1's full profile: which model (a key, a hub id or a local snapshot), what must be in place
before anything loads, the settings a 2-3B model survives, and the training run itself.

`DLGRADE_Q1_MODEL` is `gemma-2-2b` (default, google/gemma-2-2b-it), `llama-3.2-3b`
(meta-llama/Llama-3.2-3B-Instruct), another hub id, or a folder holding a downloaded snapshot
(`config.json`, tokenizer, weights). Both official models are gated: accept the licence on the
model's page and set `HF_TOKEN` (or `huggingface-cli login`) unless a local folder is used.
`DLGRADE_SLIMORCA_FA` names the Persian SlimOrca translation (hub id or local path).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from graders.errors import DlgradeError
from reference_solutions.bonus_llm_captioning import q1_data, q1_models

# Full profile (a 2-3B model): the tiny model's rates (LoRA 1e-2, soft prompts 1e-1) diverge there.
FULL_LR: dict[str, tuple[float, str]] = {
    "prompt_tuning": (3e-2, "PEFT docs, 'Prompt tuning for causal language modeling' (lr 3e-2)"),
    "prefix_tuning": (1e-2, "PEFT docs, prefix tuning for conditional generation (lr 1e-2)"),
    "p_tuning": (1e-3, "PEFT docs, P-tuning for sequence classification (lr 1e-3)"),
    "lora_attention": (2e-4, "Dettmers et al. 2023, QLoRA, LoRA lr 2e-4 for 7B-13B"),
    "lora_all_linear": (2e-4, "Dettmers et al. 2023, QLoRA (all linear layers), lr 2e-4"),
    "dora_attention": (2e-4, "Liu et al. 2024, DoRA: LoRA's settings, lr 2e-4"),
    "rslora_attention": (2e-4, "Kalajdzievski 2023, rsLoRA: LoRA's settings, lr 2e-4"),
    "freeze_first2_last2": (
        2e-5,
        "full fine-tuning rate of the alignment-handbook SFT recipes (lr 2e-5), float32 weights",
    ),
}
FULL_STEPS = 500
FULL_BATCH = 4


@dataclass(frozen=True)
class ModelSource:
    source: str  # hub id or local folder, as given to from_pretrained
    local: bool
    model_type: str | None  # gemma2 | llama; None: read from the hub config when loaded
    given: str


def model_source(value: str | None = None) -> ModelSource:
    """A key of `q1_models.HUB_IDS`, a local snapshot folder, or any other hub id."""
    given = value if value is not None else os.environ.get("DLGRADE_Q1_MODEL", "gemma-2-2b")
    if given in q1_models.HUB_IDS:
        return ModelSource(
            q1_models.HUB_IDS[given], False, q1_models.PUBLISHED[given][0]["model_type"], given
        )
    path = Path(given).expanduser()
    if path.is_dir():
        config = path / "config.json"
        model_type = None
        if config.is_file():
            model_type = json.loads(config.read_text(encoding="utf-8")).get("model_type")
        return ModelSource(str(path.resolve()), True, model_type, given)
    return ModelSource(given, False, None, given)


def hf_token() -> str | None:
    token = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if token:
        return token
    try:
        from huggingface_hub import get_token
    except ImportError:
        return None
    return get_token()


def _looks_like_path(value: str) -> bool:
    return value.startswith(("/", ".", "~")) or os.sep in value.strip("/").split("/", 1)[0]


def missing_packages(packages: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (
            f"بستهٔ {package} نصب نیست (pip install -e '.[full]')",
            f"the package {package} is not installed (pip install -e '.[full]')",
        )
        for package in packages
        if importlib.util.find_spec(package) is None
    ]


def prerequisites(profile: str) -> list[tuple[str, str]]:
    """Everything the full profile needs, checked before the first model or data set loads."""
    if profile != "full":
        return []
    out = missing_packages(("datasets", "peft", "transformers"))
    data = os.environ.get("DLGRADE_SLIMORCA_FA")
    if not data:
        out.append(
            (
                "متغیر DLGRADE_SLIMORCA_FA تنظیم نشده است: شناسهٔ Hugging Face یا مسیر محلی "
                "ترجمهٔ فارسی SlimOrca",
                "DLGRADE_SLIMORCA_FA is not set: the Hugging Face id or local path of the Persian "
                "SlimOrca translation",
            )
        )
    elif _looks_like_path(data) and not Path(data).expanduser().exists():
        out.append(
            (
                f"مسیر DLGRADE_SLIMORCA_FA وجود ندارد: {data}",
                f"DLGRADE_SLIMORCA_FA names a path that does not exist: {data}",
            )
        )
    src = model_source()
    if src.local:
        if src.model_type not in q1_data.SPECIALS:
            out.append(
                (
                    f"پوشهٔ مدل {src.source} فایل config.json با model_type «gemma2» یا «llama» ندارد",
                    f"the model folder {src.source} has no config.json with model_type gemma2 "
                    f"or llama (found {src.model_type!r})",
                )
            )
    elif src.given not in q1_models.HUB_IDS and (
        _looks_like_path(src.given) or "/" not in src.given
    ):
        out.append(
            (
                f"DLGRADE_Q1_MODEL={src.given} نه کلید شناخته‌شده است (gemma-2-2b، llama-3.2-3b)، "
                "نه پوشهٔ موجود، نه شناسهٔ Hugging Face",
                f"DLGRADE_Q1_MODEL={src.given} is neither a known key (gemma-2-2b, llama-3.2-3b), "
                "an existing folder nor a Hugging Face id (owner/name)",
            )
        )
    elif hf_token() is None:
        out.append(
            (
                f"مدل {src.source} دسترسی محدود (gated) دارد: مجوز آن را در "
                f"https://huggingface.co/{src.source} بپذیرید و HF_TOKEN را تنظیم کنید "
                "(یا huggingface-cli login)، یا DLGRADE_Q1_MODEL را مسیر پوشهٔ محلی مدل بگذارید",
                f"{src.source} is gated: accept its licence at https://huggingface.co/{src.source} "
                "and set HF_TOKEN (or run huggingface-cli login), or set DLGRADE_Q1_MODEL to a "
                "local snapshot folder",
            )
        )
    return out + _bf16_problem()


def _bf16_problem() -> list[tuple[str, str]]:
    import torch

    if torch.cuda.is_available() and not torch.cuda.is_bf16_supported(including_emulation=False):
        return [
            (
                "این GPU محاسبهٔ bf16 سخت‌افزاری ندارد (مثلاً T4 یا V100)؛ Gemma-2 در fp16 سرریز "
                "می‌کند: GPU با معماری Ampere یا جدیدتر (A100، L4، RTX 30xx، H100) لازم است",
                "this GPU has no native bf16 (e.g. T4, V100) and Gemma-2 overflows in fp16: use "
                "an Ampere or newer GPU (A100, L4, RTX 30xx, H100)",
            )
        ]
    return []


def load_tokenizer(src: ModelSource) -> Any:
    """The model's tokenizer; a gated or missing model becomes a bilingual error."""
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(src.source)
    except OSError as exc:
        raise DlgradeError(
            f"cannot load {src.source}: {str(exc)[:300]}. For a gated model accept the licence "
            f"at https://huggingface.co/{src.source} and set HF_TOKEN, or set DLGRADE_Q1_MODEL "
            "to a local snapshot folder.",
            f"مدل {src.source} بارگیری نشد. برای مدل gated مجوز را در "
            f"https://huggingface.co/{src.source} بپذیرید و HF_TOKEN را تنظیم کنید، یا "
            "DLGRADE_Q1_MODEL را مسیر پوشهٔ محلی مدل بگذارید.",
        ) from exc
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def full_methods() -> tuple[Any, ...]:
    """The spec's methods at the full profile's learning rates."""
    from reference_solutions.bonus_llm_captioning.q1_peft import METHODS

    return tuple(replace(m, lr=FULL_LR[m.name][0]) for m in METHODS)


def uses_gradient_checkpointing(method: Any) -> bool:
    """peft refuses prefix tuning on a checkpointed model ('PREFIX_TUNING does not work with
    gradient checkpointing'): its key/value prefixes live in the cache checkpointing drops."""
    return method.peft.get("peft_type") != "PREFIX_TUNING"


def prepare_base(model: Any, method: Any) -> Any:
    """Memory savers of the full profile, where the method allows them."""
    if uses_gradient_checkpointing(method):
        # the name peft checks (transformers 5 also calls it activation checkpointing)
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    return model


def upcast_trainable(model: Any) -> Any:
    """Trainable weights in float32 (the frozen rest stays bf16, run under bf16 autocast):
    AdamW on bf16 weights loses updates smaller than bf16's resolution."""
    import torch

    for p in model.parameters():
        if p.requires_grad and p.dtype != torch.float32:
            p.data = p.data.float()
    return model


class NonFiniteLoss(DlgradeError, FloatingPointError):
    """A training loss became NaN or infinite: the build stops at that step."""


def check_finite(value: float, method: str, step: int) -> float:
    if not math.isfinite(value):
        raise NonFiniteLoss(
            f"{method}: the training loss is {value} at step {step}; stopped (lower the learning "
            "rate, check for examples without answer tokens)",
            f"{method}: خطای آموزش در گام {step} برابر {value} شد؛ ساخت متوقف شد (نرخ یادگیری را "
            "کم کنید و نمونه‌های بدون توکن پاسخ را بررسی کنید)",
        )
    return value


END_OF_TURN = ("<end_of_turn>", "<|eot_id|>")


def stop_token_ids(tokenizer: Any) -> list[int]:
    """The eos id and the chat template's end-of-turn token: Gemma-2-it's eos is `<eos>`, but
    its answers end with `<end_of_turn>`, after which generation must stop."""
    ids = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    vocab = tokenizer.get_vocab()
    for token in END_OF_TURN:
        if token in vocab and vocab[token] not in ids:
            ids.append(vocab[token])
    return ids


def full_training(device: str, steps: int = FULL_STEPS) -> dict[str, Any]:  # pragma: no cover
    """Gemma-2-2B-it (or Llama-3.2-3B-Instruct) in bf16 on the Persian SlimOrca translation:
    the frozen weights bf16, the trainable ones float32 under bf16 autocast (GPU only)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from reference_solutions.bonus_llm_captioning.q1_train import train_method

    src = model_source()
    model_type = src.model_type or AutoConfig.from_pretrained(src.source).model_type
    tokenizer = load_tokenizer(src)
    train, val = q1_data.full_data(tokenizer, model_type)

    def make_base(method: Any) -> Any:
        model = AutoModelForCausalLM.from_pretrained(
            src.source, torch_dtype=torch.bfloat16, attn_implementation="eager"
        ).to(device)
        return prepare_base(model, method)

    system_role = q1_data.SPECIALS.get(model_type, {"system_role": True})["system_role"]
    results = {}
    for method in full_methods():
        results[method.name] = train_method(
            method,
            make_base,
            tokenizer,
            train,
            val,
            device=device,
            steps=steps,
            batch_size=FULL_BATCH,
            system_role=system_role,
            max_new_tokens=128,
            autocast_dtype=torch.bfloat16,
        )
        results[method.name]["lr"] = method.lr
        results[method.name]["lr_source"] = FULL_LR[method.name][1]
        torch.cuda.empty_cache()
    return {"model": src.source, "model_type": model_type, "methods": results}
