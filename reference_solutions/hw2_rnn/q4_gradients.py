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

from reference_solutions.theory_common import AUTOGRAD_TOLERANCE, accepted, rubric

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
        "a": rubric(
            "با a_{t+1} = W h_t + U x_{t+1} و h_{t+1} = σ(a_{t+1}) طبق قاعدهٔ زنجیره‌ای: "
            "∂L/∂h_t = Wᵀ (σ'(a_{t+1}) ⊙ ∂L/∂h_{t+1}) که σ'(a) = h_{t+1}(1 − h_{t+1}) است؛ "
            "اگر زیان در هر گام تعریف شده باشد جملهٔ مستقیم ∂L_t/∂h_t هم اضافه می‌شود. "
            f"(این فرمول در کد مرجع با autograd روی ورودی تصادفی بررسی شده است؛ با خطای کمتر از {v['tolerance']:.0e}.)",
            "dL/dh_t = W^T (sigma'(a_{t+1}) * dL/dh_{t+1}), sigma' = h(1-h); plus dL_t/dh_t if the loss is per step.",
            [
                (
                    "chain",
                    1.0,
                    "قاعدهٔ زنجیره‌ای از h_t به h_{t+1}",
                    "chain rule through h_{t+1}",
                    ["زنجیره", "chain"],
                ),
                (
                    "transpose",
                    1.0,
                    "ضرب در Wᵀ (ترانهادهٔ W)",
                    "multiplies by W transpose",
                    ["W^T", "Wᵀ", "ترانهاده", "transpose"],
                ),
                (
                    "derivative",
                    1.0,
                    "مشتق سیگموید σ(1−σ) به‌صورت ضرب درایه‌ای",
                    "sigmoid derivative, element-wise",
                    ["σ'", "1-h", "1 - h", "(1−", "diag", "⊙"],
                ),
            ],
        ),
        "b": rubric(
            "با تکرار (الف) از T تا ۱: ∂L/∂h_0 = ∏_{t=1}^{T} [Wᵀ diag(σ'(a_t))] · ∂L/∂h_T. "
            "حاصل‌ضرب T ماتریس ژاکوبی است؛ اگر نرم این ماتریس‌ها کمتر از یک باشد گرادیان به‌صورت نمایی محو "
            "و اگر بیشتر باشد منفجر می‌شود (σ' ≤ ۰٫۲۵ محو شدن را تشدید می‌کند). "
            f"(بررسی‌شده با autograd؛ با خطای کمتر از {v['tolerance']:.0e}.)",
            "dL/dh_0 = prod_{t=1..T} [W^T diag(sigma'(a_t))] dL/dh_T: vanishes or explodes exponentially in T.",
            [
                (
                    "product",
                    1.0,
                    "حاصل‌ضرب ژاکوبی‌ها در همهٔ گام‌ها",
                    "product of per-step Jacobians",
                    ["∏", "prod", "حاصل‌ضرب", "حاصلضرب"],
                ),
                (
                    "order",
                    0.5,
                    "ترتیب درست ضرب (Wᵀ diag(σ'))",
                    "correct order of the factors",
                    ["diag", "W^T", "Wᵀ"],
                ),
                (
                    "vanish",
                    0.5,
                    "نتیجه: محو یا انفجار نمایی گرادیان",
                    "consequence: vanishing/exploding",
                    ["محو", "انفجار", "vanish", "explod"],
                ),
            ],
        ),
        "c": rubric(
            "برش با مقدار هر مؤلفه را جداگانه به بازهٔ [−c, c] می‌برد و جهت بردار را عوض می‌کند؛ برش با نرم "
            "کل بردار را در ضریب آستانه/نرم ضرب می‌کند و جهت را نگه می‌دارد. مثال: g = [6, 8] با نرم ۱۰ و آستانهٔ ۵، "
            f"ضریب {clip['factor']:g} و نتیجه {clip['clipped_by_norm']} با نرم {clip['clipped_norm']:g}؛ "
            f"برش با مقدار ۵ همان بردار را {clip['clipped_by_value']} می‌کند که کسینوس زاویه‌اش با g برابر "
            f"{clip['cosine_by_value']:.3f} است (جهت عوض شد).",
            "Clip by value clamps components (direction changes); clip by norm rescales g by threshold/norm (direction kept).",
            [
                (
                    "value",
                    1.0,
                    "برش با مقدار: هر مؤلفه جداگانه",
                    "by value: each component clamped",
                    ["مقدار", "value", "مؤلفه", "درایه"],
                ),
                (
                    "norm",
                    1.0,
                    "برش با نرم: ضرب کل بردار در آستانه/نرم",
                    "by norm: rescale the whole vector",
                    ["نرم", "norm", "مقیاس", "scale"],
                ),
                (
                    "direction",
                    1.0,
                    "جهت فقط در برش با نرم حفظ می‌شود",
                    "only norm clipping keeps the direction",
                    ["جهت", "direction"],
                ),
            ],
        ),
    }


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {"q4": golden_values()}
