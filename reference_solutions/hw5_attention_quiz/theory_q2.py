"""hw5-attention-quiz Q2: gradients of an RNN with sigmoid outputs, checked against autograd.

h_t = psi(z_t), z_t = W_hh h_{t-1} + W_hx x_t, o_t = W_yh h_t, yhat_t = sigmoid(o_t),
J_t = -sum_i y_{t,i} log yhat_{t,i} (two outputs), J = sum_t J_t. With psi = tanh:
  dJ_t/do_t = -y_t * (1 - yhat_t)          (not yhat - y: that is softmax / full BCE)
  dJ/dh_t   = W_yh^T dJ_t/do_t + W_hh^T (psi'(z_{t+1}) * dJ/dh_{t+1})
  dJ/dW_hh  = sum_t (psi'(z_t) * dJ/dh_t) h_{t-1}^T
Each is compared with autograd on random inputs in float64 before the golden file is written.
"""

from __future__ import annotations

from typing import Any

import torch

from reference_solutions.theory_common import AUTOGRAD_TOLERANCE, rubrics

T, H, D, K = 5, 3, 4, 2


def verify(seed: int = 0) -> dict[str, float]:
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    W_hh, W_hx, W_yh = (rnd(H, H).requires_grad_(), rnd(H, D), rnd(K, H))
    xs = rnd(T, D)
    ys = torch.rand(T, K, generator=g, dtype=torch.float64)  # soft targets
    h_prev = [rnd(H)]
    zs, hs, os_, yhats = [], [], [], []
    for t in range(T):
        z = W_hh @ h_prev[-1] + W_hx @ xs[t]
        h = torch.tanh(z)
        h.retain_grad()
        o = W_yh @ h
        o.retain_grad()
        zs.append(z)
        hs.append(h)
        os_.append(o)
        yhats.append(torch.sigmoid(o))
        h_prev.append(h)
    J = sum(-(ys[t] * torch.log(yhats[t])).sum() for t in range(T))
    J.backward()
    # the formulas, backwards in time
    dJ_do = [-(ys[t] * (1 - yhats[t].detach())) for t in range(T)]
    dJ_dh: list[torch.Tensor] = [torch.zeros(H, dtype=torch.float64)] * T
    nxt = torch.zeros(H, dtype=torch.float64)
    for t in range(T - 1, -1, -1):
        dJ_dh[t] = W_yh.T @ dJ_do[t] + nxt
        psi_prime = 1 - hs[t].detach() ** 2
        nxt = W_hh.detach().T @ (psi_prime * dJ_dh[t])
    dW_hh = sum(
        torch.outer((1 - hs[t].detach() ** 2) * dJ_dh[t], h_prev[t].detach()) for t in range(T)
    )
    errors = {
        "dJ_do": max(float((dJ_do[t] - os_[t].grad).abs().max()) for t in range(T)),
        "dJ_dh": max(float((dJ_dh[t] - hs[t].grad).abs().max()) for t in range(T)),
        "dJ_dW_hh": float((dW_hh - W_hh.grad).abs().max()),
    }
    if max(errors.values()) >= AUTOGRAD_TOLERANCE:
        raise AssertionError(f"gradient formulas disagree with autograd: {errors}")
    # the raw errors (~1e-16) depend on the CPU's BLAS code path: only the bound is recorded
    return {name: True for name in errors} | {"tolerance": AUTOGRAD_TOLERANCE}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    err = verify()
    texts = rubrics(__file__, tolerance=f"{err['tolerance']:.0e}")
    return {"q2": {"verification": err} | texts["q2"]}
