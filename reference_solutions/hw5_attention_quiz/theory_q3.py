"""hw5-attention-quiz Q3: argmax attention. (a) The similarities q.k_i and the output (the value
of the key with the largest similarity), computed with torch; (b) why it is hard to train."""

from __future__ import annotations

from typing import Any

import torch

from reference_solutions.theory_common import accepted, rubrics

# The givens of the question.
KEYS = [[1, 2, 3], [2, 2, 1], [0, 1, -1], [0, 2, -1]]
VALUES = [[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]]
QUERY = [3, -1, -1]
LABELS = {
    f"s{i}": [
        f"k{i}",
        f"k_{i}",
        f"k_{{{i}}}",
        f"q·k{i}",
        f"q.k{i}",
        f"کلید {i}",
        f"s{i}",
        f"s_{i}",
        f"e_{i}",
    ]
    for i in range(1, 5)
} | {"output": ["output", "خروجی", "o =", "out ="]}


def attention() -> dict[str, Any]:
    k = torch.tensor(KEYS, dtype=torch.float64)
    v = torch.tensor(VALUES, dtype=torch.float64)
    q = torch.tensor(QUERY, dtype=torch.float64)
    scores = k @ q
    best = int(torch.argmax(scores))
    if int((scores == scores[best]).sum()) != 1:
        raise AssertionError("argmax is not unique")
    return {"scores": scores.tolist(), "argmax": best + 1, "output": v[best].tolist()}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    a = attention()
    values: dict[str, Any] = {"givens": {"keys": KEYS, "values": VALUES, "query": QUERY}}
    values["labels"] = LABELS
    for i, s in enumerate(a["scores"], start=1):
        ki = KEYS[i - 1]
        terms = " + ".join(f"({qq})({kk})" for qq, kk in zip(QUERY, ki, strict=True))
        values[f"s{i}"] = accepted(("dot product q·k", s, f"q·k{i} = {terms} = {s:g}"))
    values["argmax"] = a["argmax"]
    values["output"] = {
        "value": a["output"],
        "derivation": f"scores {a['scores']}: the largest is k{a['argmax']}, so the output is v{a['argmax']} = {a['output']}",
    }
    values["b"] = rubrics(__file__)["q3"]["b"]
    return {"q3": values}
