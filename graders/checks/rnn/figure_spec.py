"""The figure a failed hw5-rnn Q6 check carries (kind `curves_over_band`): the student's curves,
downsampled, drawn over the reference band in the report.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from graders.metrics.curve_math import downsample


@dataclass(frozen=True)
class CurveAxes:
    """The fixed text of one check's figure: its titles, axis labels and y scale."""

    title_fa: str
    title_en: str
    xlabel: str
    ylabel: str
    yscale: str  # "linear" or "log"


def _figure(
    axes: CurveAxes,
    student: dict[str, dict[str, list[float]]],
    reference: dict[str, dict[str, list[float]]],
) -> dict[str, Any]:
    def clean(values: list[float]) -> list[float | None]:
        return [round(v, 8) if math.isfinite(v) else None for v in values]

    small_student = {}
    for label, curve in student.items():
        x, y = downsample(curve["x"], curve["y"])
        small_student[label] = {"x": clean(x), "y": clean(y)}
    return {
        "kind": "curves_over_band",
        **dataclasses.asdict(axes),
        "student": small_student,
        "reference": reference,
    }
