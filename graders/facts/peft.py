"""Schemas of the `peft` probe's facts (untrusted: validated before any check reads them), and the
three method families (`soft_prompt`, `lora`, `freeze`) with their bilingual names.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from graders.facts import Untrusted
from graders.metrics.peft_formulas import (
    LORA_TYPES,
    SOFT_PROMPT_TYPES,
    DecoderDims,
)

Family = Literal["soft_prompt", "lora", "freeze"]
FAMILY_FA = {"soft_prompt": "پرامپت نرم", "lora": "LoRA", "freeze": "باز کردن دو لایهٔ اول و آخر"}
FAMILY_EN = {"soft_prompt": "soft prompt", "lora": "LoRA", "freeze": "first-two/last-two layers"}
RESULTS_HINT = (
    "q1_results = {'<method>': {'train_loss': [...], 'val_loss': [...], 'time_per_step_s': ..., "
    "'peak_memory_mb': ..., 'generations_before': [...], 'generations_after': [...]}, "
    "'test_prompts': [...]}"
)


class DimsFact(Untrusted):
    """The decoder config read from the student's model: `DecoderDims`' fields, each defaulted
    (a probe may leave one out)."""

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


class FingerprintFact(Untrusted):
    hash: str = Field(max_length=64)
    requires_grad: bool


class PeftModelFact(Untrusted):
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


class ExampleFact(Untrusted):
    n_tokens: int = 0
    masked_prefix: int = 0
    n_learned: int = 0
    labels_match_ids: bool = True


class DatasetFact(Untrusted):
    name: str = ""
    n_items: int = 0
    examples: list[ExampleFact] = Field(default_factory=list, max_length=64)


class PeftFacts(Untrusted):
    versions: dict[str, str] = Field(default_factory=dict)
    models: list[PeftModelFact] = Field(default_factory=list, max_length=50)
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
