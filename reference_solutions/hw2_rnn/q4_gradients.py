"""hw2-rnn Q4: BPTT through h_t = sigmoid(W h_{t-1} + U x_t), and gradient clipping.

(a) dL/dh_t = W^T (sigma'(a_{t+1}) * dL/dh_{t+1})  with sigma'(a) = h_{t+1} (1 - h_{t+1});
(b) dL/dh_0 = prod_{t=1..T} [W^T diag(sigma'(a_t))] dL/dh_T  (t = 1 leftmost);
both are checked here against autograd on random inputs (float64): the reference proves its
own formula. (c) The clipping example: a gradient of norm 10, threshold 5, factor 0.5 by norm
(torch.nn.utils.clip_grad_norm_); clipping the same vector by value changes its direction.
"""

from __future__ import annotations

from typing import Any

import torch

from reference_solutions.theory_common import AUTOGRAD_TOLERANCE, accepted, rubrics

T, H, D = 6, 4, 3


def verify_bptt(seed: int = 0) -> dict[str, float]:
    """Max |formula - autograd| for (a) every step and (b) the product form."""
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(H, H, generator=g, dtype=torch.float64)
    U = torch.randn(H, D, generator=g, dtype=torch.float64)
    xs = torch.randn(T, D, generator=g, dtype=torch.float64)
    c = torch.randn(H, generator=g, dtype=torch.float64)
    h0 = torch.randn(H, generator=g, dtype=torch.float64, requires_grad=True)
    hs = [h0]
    for t in range(T):
        h = torch.sigmoid(W @ hs[-1] + U @ xs[t])
        h.retain_grad()
        hs.append(h)
    loss = (c * hs[-1]).sum()  # L depends on h_T only
    loss.backward()
    # (a) backwards recursion from dL/dh_T = c
    grad = c.clone()
    err_a = 0.0
    for t in range(T - 1, -1, -1):
        s = hs[t + 1].detach()
        grad = W.T @ ((s * (1 - s)) * grad)
        auto = hs[t].grad
        err_a = max(err_a, float((grad - auto).abs().max()))
    # (b) product of Jacobian transposes times dL/dh_T
    prod = torch.eye(H, dtype=torch.float64)
    for t in range(1, T + 1):
        s = hs[t].detach()
        prod = prod @ (W.T @ torch.diag(s * (1 - s)))
    err_b = float((prod @ c - h0.grad).abs().max())
    if max(err_a, err_b) >= AUTOGRAD_TOLERANCE:
        raise AssertionError(f"BPTT formula disagrees with autograd: {err_a}, {err_b}")
    # the raw errors (~1e-16) depend on the CPU's BLAS code path: only the bound is recorded
    return {
        "formula_a_agrees_with_autograd": True,
        "formula_b_agrees_with_autograd": True,
        "tolerance": AUTOGRAD_TOLERANCE,
        "steps": T,
        "hidden": H,
    }


def clipping_example() -> dict[str, Any]:
    g = torch.tensor([6.0, 8.0], dtype=torch.float64)  # norm 10
    threshold = 5.0
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = g.clone()
    norm_before = float(torch.nn.utils.clip_grad_norm_([p], max_norm=threshold))
    factor = threshold / norm_before
    by_norm = g * factor
    if not torch.allclose(by_norm, p.grad, atol=1e-5):  # torch adds eps 1e-6 to the norm
        raise AssertionError(f"clip_grad_norm_ gave {p.grad}, expected {by_norm}")
    by_value = g.clamp(-threshold, threshold)  # clip each component to [-5, 5]
    cos = float(by_value @ g / (by_value.norm() * g.norm()))
    return {
        "gradient": g.tolist(),
        "norm": norm_before,
        "threshold": threshold,
        "factor": factor,
        "clipped_by_norm": by_norm.tolist(),
        "clipped_norm": float(by_norm.norm()),
        "clipped_by_value": by_value.tolist(),
        "cosine_by_value": cos,
        "cosine_by_norm": float(by_norm @ g / (by_norm.norm() * g.norm())),
    }


def golden_values() -> dict[str, Any]:
    v = verify_bptt()
    clip = clipping_example()
    return {
        "verification": v,
        "clipping": clip,
        "labels": {
            "factor": ["factor", "scale factor", "ضریب", "ضریب مقیاس", "ضریب برش"],
            "norm_after": ["new norm", "norm after", "نرم جدید", "نرم پس از برش", "نرم بعد از برش"],
        },
        "clip.factor": accepted(
            ("clip by norm", clip["factor"], f"threshold / norm = 5 / {clip['norm']:g}")
        ),
        "clip.norm_after": accepted(
            ("clip by norm", clip["clipped_norm"], "the clipped gradient has norm = threshold")
        ),
        **rubrics(
            __file__,
            tolerance=f"{v['tolerance']:.0e}",
            factor=f"{clip['factor']:g}",
            by_norm=str(clip["clipped_by_norm"]),
            norm=f"{clip['clipped_norm']:g}",
            by_value=str(clip["clipped_by_value"]),
            cosine=f"{clip['cosine_by_value']:.3f}",
        )["q4"],
    }


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {"q4": golden_values()}
