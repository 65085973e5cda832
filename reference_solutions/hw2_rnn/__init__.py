"""Reference solution of `hw2-rnn` (Deep Learning, spring term, HW2: RNNs, seq2seq, BPTT, clipping).

Each module contributes golden files through `golden_documents(profile, device)`.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.collect import collect_documents


def build(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return collect_documents(__name__, profile, device)
