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


# ------------------------------------------------------------------------------------ the band rule
# A scalar reference (an accuracy, a decay rate, a loss, a BLEU) is a band built from at least
# MIN_SEEDS runs (seeds, and where measured, numeric conditions: MKL code path, thread count).
# The band is [min - margin, max + margin] of the runs, with
#     margin = max(SPREAD_FACTOR * (max - min), REL_FLOOR * |mean|, abs_floor)
# `abs_floor` is the quantity's own resolution (an accuracy on n test samples moves in steps of
# 1/n; a student's independent run differs by about sqrt(p(1-p)/n), so accuracies use
# accuracy_floor(n)). The band is clipped to the quantity's range (`bounds`). The measured
# runs, their spread and the margin are recorded beside the band, so checks and reports can say
# how wide a band is and why.
MIN_SEEDS = 5
SPREAD_FACTOR = 0.5
REL_FLOOR = 0.05
BAND_RULE = (
    "band = [min - m, max + m] over the runs, m = max(0.5 * (max - min), 0.05 * |mean|, floor); "
    "clipped to the quantity's range"
)


def accuracy_floor(n_test: int) -> float:
    """Three binomial standard errors at p = 0.5 on n_test samples: an independent, correct run
    lands within this of the reference's accuracy."""
    return 3 * math.sqrt(0.25 / max(n_test, 1))


def summary(
    values: Sequence[float],
    abs_floor: float = 0.0,
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> dict[str, float | list[float] | str]:
    """The reference band of one scalar over runs, widened by the band rule above."""
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError("a band needs at least one run")
    mean = sum(vals) / len(vals)
    lo, hi = min(vals), max(vals)
    margin = max(SPREAD_FACTOR * (hi - lo), REL_FLOOR * abs(mean), abs_floor)
    return {
        "mean": mean,
        "low": max(bounds[0], lo - margin),
        "high": min(bounds[1], hi + margin),
        "runs": [round(v, 6) for v in vals],
        "runs_low": lo,
        "runs_high": hi,
        "spread": hi - lo,
        "margin": margin,
        "rule": BAND_RULE,
    }
