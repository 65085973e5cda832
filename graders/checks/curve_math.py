"""Curve arithmetic shared by the practical checks and the reference solutions.

No checks live here: decay rates of gradient curves, downsampling, and bands from several runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MAX_FIGURE_POINTS = 400


def decay_rate(norms: Sequence[float]) -> float | None:
    """Decades lost per timestep of distance from the loss: minus the least-squares slope of
    log10(norm) against (T - t) for a per-timestep series whose last entry is nearest the loss.
    Zero, negative and non-finite values (underflow, NaN) are left out; None if < 3 remain."""
    n = len(norms)
    pts = [
        (float(n - 1 - i), math.log10(v))
        for i, v in enumerate(norms)
        if isinstance(v, int | float) and math.isfinite(v) and v > 0
    ]
    if len(pts) < 3:
        return None
    mx = sum(d for d, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((d - mx) ** 2 for d, _ in pts)
    if sxx == 0:
        return None
    slope = sum((d - mx) * (y - my) for d, y in pts) / sxx
    return -slope


def normalised(norms: Sequence[float]) -> list[float]:
    """The series divided by its last finite positive value (the step nearest the loss = 1)."""
    ref = next((v for v in reversed(norms) if math.isfinite(v) and v > 0), None)
    if ref is None:
        return [math.nan for _ in norms]
    return [v / ref if math.isfinite(v) else math.nan for v in norms]


def downsample_index(n: int, limit: int = MAX_FIGURE_POINTS) -> list[int]:
    """At most `limit` evenly spread indices of a series of length n, first and last kept."""
    if n <= limit:
        return list(range(n))
    step = (n - 1) / (limit - 1)
    return sorted({round(i * step) for i in range(limit)})


def downsample(x: Sequence[float], *ys: Sequence[float], limit: int = MAX_FIGURE_POINTS):
    idx = downsample_index(len(x), limit)
    return [x[i] for i in idx], *([y[i] for i in idx] for y in ys)


def band(runs: Sequence[Sequence[float]]) -> dict[str, list[float]]:
    """Pointwise min / median / max over runs of equal length (non-finite values skipped)."""
    low, mid, high = [], [], []
    for column in zip(*runs, strict=True):
        vals = sorted(v for v in column if math.isfinite(v))
        if not vals:
            low.append(math.nan)
            mid.append(math.nan)
            high.append(math.nan)
            continue
        low.append(vals[0])
        mid.append(vals[len(vals) // 2])
        high.append(vals[-1])
    return {"low": low, "median": mid, "high": high}


def summary(values: Sequence[float]) -> dict[str, float | list[float]]:
    """Mean, min and max of one scalar over seeds (the band a student's value is compared with)."""
    vals = [float(v) for v in values]
    return {
        "mean": sum(vals) / len(vals),
        "low": min(vals),
        "high": max(vals),
        "runs": [round(v, 6) for v in vals],
    }
