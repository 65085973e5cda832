"""hw2-rnn Q1 (free text): the CAM-RNN co-attention model for video captioning, and whether it
transfers to image captioning. A reference answer in Persian and a rubric of key points
(`rubrics/theory_q1.yaml`)."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubrics


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return rubrics(__file__)
