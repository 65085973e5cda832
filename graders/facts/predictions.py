"""Facts of the `predictions` probe (graders/probes/probe_predictions.py): the kept labels and
predictions, the data splits it saw printed, the Linear layers of the models, the printed
accuracy lines. Untrusted: sizes capped, nothing executed."""

from __future__ import annotations

from pydantic import Field

from graders.facts import Untrusted

MAX_ITEMS = 100_000


class LabelArray(Untrusted):
    name: str = Field("", max_length=200)
    values: list[int] = Field(default_factory=list, max_length=MAX_ITEMS)
    n: int = 0
    sha: str = Field("", max_length=64)


class SplitPrint(Untrusted):
    name: str = Field("", max_length=200)
    n: int = 0
    sha: str = Field("", max_length=64)


class LinearLayers(Untrusted):
    linear: list[tuple[int, int]] = Field(default_factory=list, max_length=50)
    n_params: int = 0


class PredictionFacts(Untrusted):
    y_true: LabelArray | None = None
    y_pred: LabelArray | None = None
    splits: dict[str, SplitPrint] = Field(default_factory=dict, max_length=10)
    linear_layers: dict[str, LinearLayers] = Field(default_factory=dict, max_length=20)
    reported_lines: list[str] = Field(default_factory=list, max_length=200)
