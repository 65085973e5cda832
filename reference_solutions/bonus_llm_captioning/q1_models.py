"""Q1 models: the published configs of Gemma-2-2B and Llama-3.2-3B, and the tiny smoke configs.

Both official repositories are gated, so their `config.json` values are written here with the
source; the full-size models are built on the `meta` device (shapes only, no weights, no
download) to count parameters. The smoke configs are the same architectures, 6 layers wide 64
(six, so that "the first two and last two layers" is not every layer).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graders.metrics.peft_formulas import DecoderDims

# google/gemma-2-2b, config.json (https://huggingface.co/google/gemma-2-2b/blob/main/config.json;
# gemma-2-2b-it has the same architecture values). Total 2,614,341,888 parameters (tied head).
GEMMA2_2B: dict[str, Any] = {
    "model_type": "gemma2",
    "hidden_size": 2304,
    "intermediate_size": 9216,
    "num_hidden_layers": 26,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "head_dim": 256,
    "vocab_size": 256000,
    "tie_word_embeddings": True,
    "attention_bias": False,
    "max_position_embeddings": 8192,
    "sliding_window": 4096,
    "query_pre_attn_scalar": 256,
    "attn_logit_softcapping": 50.0,
    "final_logit_softcapping": 30.0,
    "hidden_activation": "gelu_pytorch_tanh",
    "rms_norm_eps": 1e-6,
    "rope_theta": 10000.0,
}

# meta-llama/Llama-3.2-3B, config.json (https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json;
# Llama-3.2-3B-Instruct has the same architecture values). Total 3,212,749,824 parameters (tied head).
LLAMA32_3B: dict[str, Any] = {
    "model_type": "llama",
    "hidden_size": 3072,
    "intermediate_size": 8192,
    "num_hidden_layers": 28,
    "num_attention_heads": 24,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "vocab_size": 128256,
    "tie_word_embeddings": True,
    "attention_bias": False,
    "mlp_bias": False,
    "max_position_embeddings": 131072,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-5,
    "rope_theta": 500000.0,
    "rope_scaling": {
        "factor": 32.0,
        "high_freq_factor": 4.0,
        "low_freq_factor": 1.0,
        "original_max_position_embeddings": 8192,
        "rope_type": "llama3",
    },
}

PUBLISHED = {
    "gemma-2-2b": (
        GEMMA2_2B,
        "https://huggingface.co/google/gemma-2-2b/blob/main/config.json",
        2_614_341_888,
    ),
    "llama-3.2-3b": (
        LLAMA32_3B,
        "https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json",
        3_212_749_824,
    ),
}
HUB_IDS = {"gemma-2-2b": "google/gemma-2-2b-it", "llama-3.2-3b": "meta-llama/Llama-3.2-3B-Instruct"}

_TINY_COMMON = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 6,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "tie_word_embeddings": True,
    "max_position_embeddings": 256,
}
TINY = {
    "gemma2-tiny": {**_TINY_COMMON, "model_type": "gemma2", "sliding_window": 64},
    "llama-tiny": {**_TINY_COMMON, "model_type": "llama"},
}


def make_config(values: dict[str, Any], vocab_size: int | None = None, **special: int) -> Any:
    """A transformers config object from plain values (and a tokenizer's vocab / special ids)."""
    from transformers import Gemma2Config, LlamaConfig

    kwargs = {k: v for k, v in values.items() if k != "model_type"}
    if vocab_size is not None:
        kwargs["vocab_size"] = vocab_size
    kwargs.update(special)
    cls = Gemma2Config if values["model_type"] == "gemma2" else LlamaConfig
    return cls(**kwargs)


def build_model(config: Any, device: str = "cpu", dtype: Any = None) -> Any:
    """Randomly initialised causal LM of `config` (use device="meta" to count without memory)."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config)
    return model if dtype is None else model.to(dtype)


def dims_of(config: Any) -> DecoderDims:
    """The formula's view of a transformers config."""
    heads = config.num_attention_heads
    return DecoderDims(
        model_type=config.model_type,
        hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=heads,
        num_key_value_heads=getattr(config, "num_key_value_heads", None) or heads,
        head_dim=getattr(config, "head_dim", None) or config.hidden_size // heads,
        vocab_size=config.vocab_size,
        tie_word_embeddings=bool(getattr(config, "tie_word_embeddings", True)),
        attention_bias=bool(getattr(config, "attention_bias", False)),
        mlp_bias=bool(getattr(config, "mlp_bias", False)),
    )


def dims_record(dims: DecoderDims) -> dict[str, Any]:
    return asdict(dims)
