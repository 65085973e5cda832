"""hw5-transformers-ut Q2 (the computed part): parameters of the CIFAR-10 MLP
3072-4096-2048-1024-512-256-64-10, layer by layer, counted on the torch layers built here."""

from __future__ import annotations

from typing import Any

from torch import nn

from reference_solutions.theory_common import accepted

WIDTHS = [3072, 4096, 2048, 1024, 512, 256, 64, 10]
ORDINALS_FA = ["اول", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم"]


def build_mlp() -> nn.Sequential:
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (a, b) in enumerate(zip(WIDTHS, WIDTHS[1:], strict=False)):
        layers.append(nn.Linear(a, b))
        if i < len(WIDTHS) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def labels() -> dict[str, list[str]]:
    out = {}
    for i, (a, b) in enumerate(zip(WIDTHS, WIDTHS[1:], strict=False), start=1):
        out[f"fc{i}"] = [
            f"layer {i}",
            f"fc{i}",
            f"لایه {i}",
            f"لایه {ORDINALS_FA[i - 1]}",
            f"{a}→{b}",
            f"{a} → {b}",
            f"{a}->{b}",
        ]
    out["total"] = ["total", "کل", "مجموع", "جمع کل"]
    return out


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    mlp = build_mlp()
    linears = [m for m in mlp if isinstance(m, nn.Linear)]
    values: dict[str, Any] = {"labels": labels(), "widths": WIDTHS}
    for i, lin in enumerate(linears, start=1):
        w, b = lin.weight.numel(), lin.bias.numel()
        values[f"fc{i}"] = accepted(
            ("weights + biases", w + b, f"{lin.in_features} x {lin.out_features} + {b} = {w + b}")
        )
        values[f"fc{i}.weights"] = w
        values[f"fc{i}.biases"] = b
    total = sum(p.numel() for p in mlp.parameters())
    values["total"] = accepted(
        (
            "sum over the 7 layers",
            total,
            " + ".join(str(values[f"fc{i}"]["accepted"][0]["value"]) for i in range(1, 8))
            + f" = {total}",
        )
    )
    return {"q2mlp": values}
