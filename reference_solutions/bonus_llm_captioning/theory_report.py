"""bonus-llm-captioning: the explanatory (theory) items asked in the report, graded by rubric.

The assignment is mostly practical; these are its questions answered in prose: base vs
instruct models, the chat data format, soft prompts, LoRA placement (Q1); special tokens,
fixed caption length, embeddings vs one-hot, the paper's regularisation, masking, positional
embeddings, BLEU (Q2). Each gets a Persian reference answer and a rubric for the TA, in
`rubrics/theory_report.yaml`.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubrics


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return rubrics(__file__)
