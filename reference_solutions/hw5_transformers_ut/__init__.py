"""Reference solution of `hw5-transformers-ut` (attention, BERT, BEiT, MLP vs BEiT on CIFAR-10).

Each module contributes golden files through `golden_documents(profile, device)`.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.collect import collect_documents


def build(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return collect_documents(__name__, profile, device)
