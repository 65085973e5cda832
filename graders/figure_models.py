"""The figure specs a check puts in its evidence (`evidence["figure"]`) and
`graders/report/plots.py` draws: typed models shared by both sides.

A check builds a plain JSON dict of one of these kinds (it is stored in the gradebook as is);
the report validates it with `parse_figure` before drawing, because figure data comes from
untrusted facts (sizes capped, non-finite numbers become NaN). Kinds:

- `curves_over_band` (`CurvesOverBand`): the student's curves over the reference band (min..max
  of several seeds); built by `checks/rnn/figure_spec.py` and `checks/peft/training.py`;
- `captions` (`Captions`): the student's caption of each image beside the reference captions;
  built by `checks/captioning/bleu_checks.py`;
- `heatmap` (`Heatmap`): e.g. an attention map or a confusion matrix, rows x columns with
  labels; built by `checks/captioning/models.py` and `checks/mlp_metrics.py`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

MAX_POINTS = 400
MAX_SERIES = 12
MAX_CELLS = 120
MAX_IMAGE_B64 = 4_000_000
Label = Annotated[str, StringConstraints(max_length=200)]
Caption = Annotated[str, StringConstraints(max_length=1000)]


def _finite(values: Any) -> list[float]:
    out = []
    for v in list(values)[:100_000] if isinstance(values, list | tuple) else []:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        out.append(f if math.isfinite(f) else math.nan)
    return out


def _downsample(values: list[float], n: int) -> list[float]:
    if len(values) <= MAX_POINTS:
        return values
    step = n / MAX_POINTS
    return [values[int(i * step)] for i in range(MAX_POINTS)]


class _Figure(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Series(_Figure):
    x: list[float]
    y: list[float]

    @field_validator("x", "y", mode="before")
    @classmethod
    def _numbers(cls, v: Any) -> list[float]:
        return _finite(v)

    def points(self) -> tuple[list[float], list[float]]:
        n = min(len(self.x), len(self.y))
        return _downsample(self.x[:n], n), _downsample(self.y[:n], n)


class Band(_Figure):
    x: list[float]
    low: list[float]
    high: list[float]

    @field_validator("x", "low", "high", mode="before")
    @classmethod
    def _numbers(cls, v: Any) -> list[float]:
        return _finite(v)

    def points(self) -> tuple[list[float], list[float], list[float]]:
        n = min(len(self.x), len(self.low), len(self.high))
        return tuple(_downsample(v[:n], n) for v in (self.x, self.low, self.high))  # type: ignore[return-value]


class CurvesOverBand(_Figure):
    kind: Literal["curves_over_band"]
    title_fa: Label = ""
    title_en: Label = ""
    xlabel: Label = ""
    ylabel: Label = ""
    yscale: Literal["linear", "log"] = "linear"
    student: dict[Label, Series] = Field(default_factory=dict, max_length=MAX_SERIES)
    reference: dict[Label, Band] = Field(default_factory=dict, max_length=MAX_SERIES)


class CaptionItem(_Figure):
    image_png_b64: Annotated[str, StringConstraints(max_length=MAX_IMAGE_B64)] = ""
    student: Caption = ""
    references: list[Caption] = Field(default_factory=list, max_length=10)


class Captions(_Figure):
    kind: Literal["captions"]
    title_fa: Label = ""
    title_en: Label = ""
    items: list[CaptionItem] = Field(default_factory=list, max_length=12)


class Heatmap(_Figure):
    kind: Literal["heatmap"]
    title_fa: Label = ""
    title_en: Label = ""
    values: list[list[float]] = Field(max_length=MAX_CELLS)
    row_labels: list[Label] = Field(default_factory=list, max_length=MAX_CELLS)
    col_labels: list[Label] = Field(default_factory=list, max_length=MAX_CELLS)

    @field_validator("values", mode="before")
    @classmethod
    def _rows(cls, v: Any) -> list[list[float]]:
        rows = [_finite(r)[:MAX_CELLS] for r in (v if isinstance(v, list) else [])]
        width = max((len(r) for r in rows), default=0)
        if not rows or width == 0:
            raise ValueError("empty heatmap")
        return [r + [math.nan] * (width - len(r)) for r in rows]


FIGURE_KINDS = {"curves_over_band": CurvesOverBand, "captions": Captions, "heatmap": Heatmap}


def parse_figure(raw: Any) -> CurvesOverBand | Captions | Heatmap | None:
    """The validated description, or None when it is not one of the known kinds."""
    if not isinstance(raw, dict) or raw.get("kind") not in FIGURE_KINDS:
        return None
    try:
        return FIGURE_KINDS[raw["kind"]].model_validate(raw)
    except ValidationError:
        return None
