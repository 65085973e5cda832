"""Schemas of the `captioning` probe's facts (untrusted: validated before any check reads them),
and the model kinds with their aliases and bilingual names.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from graders.facts import Untrusted

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


class SpecialFact(Untrusted):
    token: S | None = None
    id: int | None = None


class VocabFact(Untrusted):
    source: S = ""
    from_file: bool = False
    size: int = 0
    special: dict[S, SpecialFact] = Field(default_factory=dict, max_length=10)


class SplitFact(Untrusted):
    sizes: dict[S, int] = Field(default_factory=dict, max_length=5)
    unique: dict[S, int] = Field(default_factory=dict, max_length=5)
    overlap: dict[S, int] = Field(default_factory=dict, max_length=10)
    overlap_examples: list[S] = Field(default_factory=list, max_length=10)
    test_ids: list[S] = Field(default_factory=list, max_length=20000)


class CaptionsFact(Untrusted):
    variable: S = ""
    n_rows: int = 0
    lengths: dict[int, int] = Field(default_factory=dict, max_length=20)
    has_pad: bool = False


class LossFact(Untrusted):
    name: S
    cls: S
    ignore_index: int


class AlphasFact(Untrusted):
    shape: list[int] = Field(default_factory=list, max_length=5)
    sum_min: float = math.nan
    sum_max: float = math.nan
    min: float = math.nan
    heatmap: list[list[float]] = Field(default_factory=list, max_length=20)
    row_labels: list[S] = Field(default_factory=list, max_length=20)


class CausalFact(Untrusted):
    position: int
    max_change_before: float
    max_change_after: float


class CaptionModelFact(Untrusted):
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


class PredictionRow(Untrusted):
    image_id: S = ""
    prediction: S = ""
    references: list[S] = Field(default_factory=list, max_length=10)


class CaptioningFacts(Untrusted):
    vocab: VocabFact | None = None
    splits: SplitFact | None = None
    captions: CaptionsFact | None = None
    losses: list[LossFact] = Field(default_factory=list, max_length=20)
    pad_id: int = 0
    batch: dict[S, Any] | None = None
    models: list[CaptionModelFact] = Field(default_factory=list, max_length=10)
    predictions: dict[S, list[PredictionRow]] = Field(default_factory=dict, max_length=6)
    bleu_reported: dict[S, dict[S, float]] = Field(default_factory=dict, max_length=6)
    thumbnails: dict[S, Annotated[str, StringConstraints(max_length=80000)]] = Field(
        default_factory=dict, max_length=8
    )
    probe_error: S = ""
