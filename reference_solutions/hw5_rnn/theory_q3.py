"""hw5-rnn Q3 (free text): LSTM/GRU gates, LSTM vs GRU, CNN+LSTM vs ConvLSTM, and kernel size /
receptive field reinterpreted for RNNs. Reference answers in Persian with rubrics (`rubrics/theory_q3.yaml`)."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubrics


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return rubrics(__file__)
