"""Reference solution of `hw5-rnn` (Deep Learning, HW5: RNNs).

Q1 (shapes, parameters, FLOPs, what-ifs) is computed by building the layers in torch.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.hw5_rnn import q1_layers


def build(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {"q1": q1_layers.golden_values(device=device)}
