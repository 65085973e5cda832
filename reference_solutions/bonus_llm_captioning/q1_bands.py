"""Q1 (PEFT) final-loss bands over seeds: the band rule of `graders.metrics.curve_math`.

A method's final loss is the mean of the last quarter of its training-loss curve (one seed's
batches are noisy, a quarter of them is not). Each method is trained from the same pretrained
base with `SEEDS` (the seed draws the adapter's initialisation and the batch order), and its band
is `summary` of those final losses, clipped at 0, with the runs, spread and margin recorded.
Only the graded default method of each family gets the seeds and a band (on a 2-core CPU five
seeds of all eight methods take too long); the others are recorded with one seed and no band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from graders.metrics.curve_math import MIN_SEEDS, summary

SEEDS: tuple[int, ...] = tuple(range(MIN_SEEDS))


def final_loss(train_loss: Sequence[float]) -> float:
    """Mean of the last quarter (at least one point) of a training-loss curve."""
    tail = list(train_loss)[-max(1, len(train_loss) // 4) :]
    return sum(tail) / len(tail)


def loss_bands(training: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per method of one model's smoke run: the band of the final loss over its seeds."""
    bands = {}
    for name, r in training["methods"].items():
        runs = r.get("seed_final_loss") or [final_loss(r["train_loss"])]
        if len(runs) < MIN_SEEDS:
            continue  # one seed is no band
        bands[name] = {**summary(runs, bounds=(0.0, math.inf)), "seeds": list(r["seeds"])}
    return bands
