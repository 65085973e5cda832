"""hw5-rnn Q2: CNN vs RNN, tanh, the forward pass of one RNN step, and short concept questions.

Part c is computed: the statement gives W_xh, W_hh, W_hy, b_h, b_y, x_{t-1} and h_{t-2}
(written below as the question's givens); one step of h = tanh(W_xh x + W_hh h_prev + b_h),
y = W_hy h + b_y and softmax(y) is run with torch in float64. The other parts are free text:
a Persian reference answer and a rubric each.
"""

from __future__ import annotations

from typing import Any

import torch

from reference_solutions.theory_common import rubrics

# The givens of Q2(c), as printed in the statement.
GIVENS = {
    "W_xh": [[0.5, -0.2], [-1.0, 0.9]],
    "W_hh": [[0.3, 0.1], [-0.4, 0.2]],
    "W_hy": [[1.5, -0.5], [0.5, 1.0]],
    "x": [0.8, -0.5],
    "h_prev": [-0.2, 0.4],
    "b_h": [0.1, -0.1],
    "b_y": [0.0, 0.0],
}
LABELS = {
    "a": ["a_{t-1}", "a_t", "pre-activation", "z_{t-1}", "z_t", "z =", "a ="],
    "h": ["h_{t-1}", "h_t", "h =", "حالت پنهان", "hidden state"],
    "y": ["y_{t-1}", "y_t", "y =", "o_t", "خروجی", "output"],
    "p": ["softmax", "ŷ", "y_hat", "\\hat{y}", "احتمال"],
}


def forward_step() -> dict[str, Any]:
    g = {k: torch.tensor(v, dtype=torch.float64) for k, v in GIVENS.items()}
    a = g["W_xh"] @ g["x"] + g["W_hh"] @ g["h_prev"] + g["b_h"]
    h = torch.tanh(a)
    y = g["W_hy"] @ h + g["b_y"]
    p = torch.softmax(y, dim=0)
    return {"a": a.tolist(), "h": h.tolist(), "y": y.tolist(), "softmax": p.tolist()}


def _vec(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    f = forward_step()
    c_values = {
        "givens": GIVENS,
        "labels": LABELS,
        "a": {"value": f["a"], "derivation": f"a = W_xh x + W_hh h_prev + b_h = {_vec(f['a'])}"},
        "h": {
            "value": f["h"],
            "derivation": f"h = tanh(a) = tanh({_vec(f['a'])}) = {_vec(f['h'])}",
        },
        "y": {"value": f["y"], "derivation": f"y = W_hy h + b_y = {_vec(f['y'])}"},
        "softmax": {
            "value": f["softmax"],
            "derivation": f"softmax(y) = exp(y) / sum(exp(y)) = {_vec(f['softmax'])}",
        },
    }
    texts = rubrics(__file__, **{k: _vec(f[k]) for k in ("a", "h", "y", "softmax")})
    return {"q2": texts["q2"], "q2c": c_values | texts["q2c"]}
