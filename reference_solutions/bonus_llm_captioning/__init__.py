"""Reference solution of `bonus-llm-captioning` (Q1 PEFT fine-tuning of a Persian chat LLM, Q2 image captioning).

Each module contributes golden files through `golden_documents(profile, device)`.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.collect import collect_documents


def build(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return collect_documents(__name__, profile, device)
