"""Trainable-parameter counts of PEFT methods, by formula, from a decoder config and a PEFT config.

Pure arithmetic (no torch, no peft): the grader uses it to compute what a student's *own*
configuration should train (so a different but valid `r` or number of virtual tokens is not
punished), and the reference solution asserts it equals what the installed peft builds.

Covers Llama/Gemma-2-style decoders (q/k/v/o projections, a gated MLP with gate/up/down, RMS
norms): prompt tuning, prefix tuning (with and without projection), P-tuning (MLP and LSTM
encoders), LoRA/DoRA/rsLoRA on any target list, regex or "all-linear", and the baseline that
unfreezes whole decoder layers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SOFT_PROMPT_TYPES = ("PROMPT_TUNING", "PREFIX_TUNING", "P_TUNING")
LORA_TYPES = ("LORA",)
ATTENTION_PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj")
MLP_PROJECTIONS = ("gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class DecoderDims:
    """The config values that fix every parameter shape of a Llama/Gemma-2 decoder."""

    model_type: str
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    vocab_size: int
    tie_word_embeddings: bool = True
    attention_bias: bool = False
    mlp_bias: bool = False

    @property
    def norms_per_layer(self) -> int:
        """Gemma-2 wraps both attention and MLP in pre- and post-norms (4); Llama has 2."""
        return 4 if self.model_type.startswith("gemma2") else 2

    def linear_shapes(self) -> dict[str, tuple[int, int, bool]]:
        """Every nn.Linear of the model by module name: (in_features, out_features, has_bias)."""
        h, q, kv = (
            self.hidden_size,
            self.num_attention_heads * self.head_dim,
            self.num_key_value_heads * self.head_dim,
        )
        per_layer = {
            "self_attn.q_proj": (h, q, self.attention_bias),
            "self_attn.k_proj": (h, kv, self.attention_bias),
            "self_attn.v_proj": (h, kv, self.attention_bias),
            "self_attn.o_proj": (q, h, self.attention_bias),
            "mlp.gate_proj": (h, self.intermediate_size, self.mlp_bias),
            "mlp.up_proj": (h, self.intermediate_size, self.mlp_bias),
            "mlp.down_proj": (self.intermediate_size, h, self.mlp_bias),
        }
        shapes = {
            f"model.layers.{i}.{name}": shape
            for i in range(self.num_hidden_layers)
            for name, shape in per_layer.items()
        }
        shapes["lm_head"] = (h, self.vocab_size, False)
        return shapes

    def layer_params(self) -> int:
        """Parameters of one decoder layer: its seven projections and its RMS norms."""
        total = sum(
            i * o + (o if bias else 0)
            for name, (i, o, bias) in self.linear_shapes().items()
            if name.startswith("model.layers.0.")
        )
        return total + self.norms_per_layer * self.hidden_size

    def total_params(self) -> int:
        embed = self.vocab_size * self.hidden_size
        head = 0 if self.tie_word_embeddings else embed
        return embed + head + self.num_hidden_layers * self.layer_params() + self.hidden_size


def lora_targets(dims: DecoderDims, target_modules: str | Iterable[str] | None) -> list[str]:
    """The module names PEFT wraps: suffix match for a list, full match for a regex string,
    every linear layer but the output head for "all-linear"."""
    names = list(dims.linear_shapes())
    if target_modules is None:
        return []
    if isinstance(target_modules, str):
        if target_modules == "all-linear":
            return [n for n in names if n != "lm_head"]
        return [n for n in names if re.fullmatch(target_modules, n)]
    wanted = set(target_modules)
    return [n for n in names if n in wanted or any(n.endswith(f".{t}") for t in wanted)]


def lora_count(
    dims: DecoderDims,
    r: int,
    target_modules: str | Iterable[str] | None,
    *,
    use_dora: bool = False,
    layers_to_transform: Iterable[int] | None = None,
) -> int:
    """r * (in + out) per wrapped linear layer, plus DoRA's magnitude vector (out) per layer.
    rsLoRA only rescales (alpha / sqrt(r)) and adds no parameter."""
    keep = set(layers_to_transform) if layers_to_transform is not None else None
    shapes = dims.linear_shapes()
    total = 0
    for name in lora_targets(dims, target_modules):
        if keep is not None:
            match = re.match(r"model\.layers\.(\d+)\.", name)
            if match is None or int(match.group(1)) not in keep:
                continue
        fan_in, fan_out, _ = shapes[name]
        total += r * (fan_in + fan_out) + (fan_out if use_dora else 0)
    return total


def prompt_tuning_count(dims: DecoderDims, num_virtual_tokens: int, submodules: int = 1) -> int:
    return num_virtual_tokens * submodules * dims.hidden_size


def prefix_token_dim(dims: DecoderDims, *, legacy: bool = False) -> int:
    """Width of one layer's key (or value) prefix. peft >= 0.13 uses num_key_value_heads *
    head_dim (grouped-query attention); older versions used hidden_size."""
    return dims.hidden_size if legacy else dims.num_key_value_heads * dims.head_dim


def prefix_tuning_count(
    dims: DecoderDims,
    num_virtual_tokens: int,
    *,
    prefix_projection: bool = False,
    encoder_hidden_size: int | None = None,
    legacy: bool = False,
) -> int:
    td = prefix_token_dim(dims, legacy=legacy)
    out = dims.num_hidden_layers * 2 * td
    if not prefix_projection:
        return num_virtual_tokens * out
    enc = encoder_hidden_size or td
    return num_virtual_tokens * td + (td * enc + enc) + (enc * out + out)


def p_tuning_count(
    dims: DecoderDims,
    num_virtual_tokens: int,
    *,
    encoder_hidden_size: int | None = None,
    encoder_type: str = "MLP",
    encoder_num_layers: int = 2,
    submodules: int = 1,
) -> int:
    """Virtual-token embeddings plus the prompt encoder (three-layer MLP, or bi-LSTM + MLP head)."""
    d = dims.hidden_size
    e = encoder_hidden_size or d
    embedding = num_virtual_tokens * submodules * d
    if encoder_type.upper() == "LSTM":
        lstm = 0
        for layer in range(encoder_num_layers):
            fan_in = d if layer == 0 else 2 * e
            lstm += 2 * (4 * e * fan_in + 4 * e * e + 8 * e)
        head = (2 * e * 2 * e + 2 * e) + (2 * e * d + d)
        return embedding + lstm + head
    return embedding + (d * e + e) + (e * e + e) + (e * d + d)


def freeze_count(dims: DecoderDims, layers: Iterable[int]) -> int:
    """Whole decoder layers unfrozen, everything else frozen."""
    return len(set(layers)) * dims.layer_params()


def first_and_last(n_layers: int, k: int = 2) -> list[int]:
    return sorted(set(range(min(k, n_layers))) | set(range(max(n_layers - k, 0), n_layers)))


def expected_trainable(dims: DecoderDims, peft: dict) -> int | None:
    """Count for a PEFT config as the probe reports it (peft's own field names); None when
    the method is not one this module knows."""
    kind = str(peft.get("peft_type", "")).upper().removeprefix("PEFTTYPE.")
    nvt = int(peft.get("num_virtual_tokens") or 0)
    subm = int(peft.get("num_transformer_submodules") or 1)
    if kind == "PROMPT_TUNING":
        return prompt_tuning_count(dims, nvt, subm)
    if kind == "PREFIX_TUNING":
        return prefix_tuning_count(
            dims,
            nvt,
            prefix_projection=bool(peft.get("prefix_projection")),
            encoder_hidden_size=peft.get("encoder_hidden_size"),
        )
    if kind == "P_TUNING":
        enc_type = str(peft.get("encoder_reparameterization_type") or "MLP").upper()
        return p_tuning_count(
            dims,
            nvt,
            encoder_hidden_size=peft.get("encoder_hidden_size"),
            encoder_type="LSTM" if "LSTM" in enc_type else "MLP",
            encoder_num_layers=int(peft.get("encoder_num_layers") or 2),
            submodules=subm,
        )
    if kind == "LORA":
        return lora_count(
            dims,
            int(peft.get("r") or 0),
            peft.get("target_modules"),
            use_dora=bool(peft.get("use_dora")),
            layers_to_transform=peft.get("layers_to_transform"),
        )
    return None


def accepted_trainable(dims: DecoderDims, peft: dict) -> list[int]:
    """Every count a correct setup may show: prefix tuning also under the pre-GQA convention."""
    main = expected_trainable(dims, peft)
    out = [] if main is None else [main]
    kind = str(peft.get("peft_type", "")).upper().removeprefix("PEFTTYPE.")
    if kind == "PREFIX_TUNING":
        legacy = prefix_tuning_count(
            dims,
            int(peft.get("num_virtual_tokens") or 0),
            prefix_projection=bool(peft.get("prefix_projection")),
            encoder_hidden_size=peft.get("encoder_hidden_size"),
            legacy=True,
        )
        if legacy not in out:
            out.append(legacy)
    return out
