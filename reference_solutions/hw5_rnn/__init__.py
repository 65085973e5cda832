"""Reference solution of `hw5-rnn` (Deep Learning, HW5: RNNs).

Each module contributes golden files through `golden_documents(profile, device)`:
`q1_layers` (shapes, parameters, FLOPs, what-ifs, computed by building the layers in torch).
"""

from __future__ import annotations

from typing import Any

from reference_solutions.collect import collect_documents


def build(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return collect_documents(__name__, profile, device)
