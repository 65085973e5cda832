"""hw5-transformers-ut Q2 (practical): the MLP 3072-4096-2048-1024-512-256-64-10 on CIFAR-10.

Golden file `p2_mlp`: the parameter count (from the built module), the layer widths, and bands
over seeds of test accuracy and macro F1 (scikit-learn's `classification_report`), with the
split sizes. `smoke`: generated 32x32 RGB images of 10 classes, CPU, seconds: each class has a
fixed random template, and a quarter of a class's images show its look-alike's template
(class c+1), as a cat can look like a dog; under mild noise. A trained MLP tells the templates
apart, so its accuracy is the share of test images that show their own class's template (72%),
a property of the data rather than of the seed (the old heavy-noise task, barely trained, gave
anything from 15% to 60%). `full`: CIFAR-10 through torchvision (imported lazily,
`DLGRADE_CIFAR_ROOT` or ./data), GPU, float32 (a model this small gains nothing from autocast).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.metrics.curve_math import MIN_SEEDS, accuracy_floor, summary
from reference_solutions.precision import precision_for

# Trains models: its golden values are bands, rebuilt in tests as a fast subset under several
# numeric conditions (tests/test_reference_drift*.py), never compared value by value.
TRAINS = True
GOLDEN_FILES = ("p2_mlp",)

WIDTHS = (3072, 4096, 2048, 1024, 512, 256, 64, 10)
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


@dataclass(frozen=True)
class Config:
    n_train: int = 600
    n_test: int = 300
    noise: float = 1.0
    look_alike: float = 0.25  # share of a class's images drawn from its look-alike's template
    epochs: int = 2
    batch_size: int = 50
    lr: float = 1e-3
    seeds: tuple[int, ...] = tuple(range(MIN_SEEDS))


SMOKE = Config()
FULL = Config(n_train=50_000, n_test=10_000, epochs=30, batch_size=256, lr=1e-3, seeds=(0, 1, 2))


def make_mlp(widths: tuple[int, ...] = WIDTHS) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def make_images(
    n: int, noise: float, seed: int, look_alike: float = SMOKE.look_alike
) -> tuple[torch.Tensor, torch.Tensor]:
    """Generated CIFAR-like data: an image of class c is template_c (fixed, seed 0), or with
    probability `look_alike` template_{c+1}, plus Gaussian noise."""
    templates = torch.randn(10, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=gen)
    alike = torch.rand(n, generator=gen) < look_alike
    shown = torch.where(alike, (labels + 1) % 10, labels)
    images = templates[shown] + noise * torch.randn(n, 3, 32, 32, generator=gen)
    return images, labels


def smoke_data(cfg: Config) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    return {
        "train": make_images(cfg.n_train, cfg.noise, 1, cfg.look_alike),
        "test": make_images(cfg.n_test, cfg.noise, 2, cfg.look_alike),
    }


ESTIMATED_SECONDS = {"smoke": 10, "full": 15 * 60}


def prerequisites(profile: str) -> list[tuple[str, str]]:
    """The full profile reads CIFAR-10 through torchvision (into DLGRADE_CIFAR_ROOT)."""
    import importlib.util

    if profile != "full" or importlib.util.find_spec("torchvision") is not None:
        return []
    return [
        (
            "بستهٔ torchvision نصب نیست (pip install -e '.[full]')",
            "the package torchvision is not installed (pip install -e '.[full]')",
        )
    ]


def cifar10_data() -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    import torchvision  # lazily: only the full profile needs it
    from torchvision import transforms

    root = os.environ.get("DLGRADE_CIFAR_ROOT", "./data")
    norm = transforms.Compose(
        [
            transforms.ToTensor(),
            transforms.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261)),
        ]
    )
    out = {}
    for split, train in (("train", True), ("test", False)):
        ds = torchvision.datasets.CIFAR10(root, train=train, download=True, transform=norm)
        xs = torch.stack([ds[i][0] for i in range(len(ds))])
        out[split] = (xs, torch.tensor(ds.targets))
    return out


def _autocast(device: str):
    """float32 everywhere: the MLP is tiny, and fp16 without a GradScaler underflows."""
    return precision_for(device, tiny=True).autocast()


def train_and_evaluate(data, cfg: Config, seed: int, device: str) -> dict[str, Any]:
    from sklearn.metrics import classification_report

    torch.manual_seed(seed)
    model = make_mlp().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    x, y = data["train"]
    gen = torch.Generator().manual_seed(seed)
    for _ in range(cfg.epochs):
        model.train()
        for idx in torch.randperm(len(y), generator=gen).split(cfg.batch_size):
            with _autocast(device):
                loss = F.cross_entropy(model(x[idx].to(device)), y[idx].to(device))
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    xt, yt = data["test"]
    preds = []
    with torch.no_grad(), _autocast(device):
        for i in range(0, len(yt), 1000):
            preds.append(model(xt[i : i + 1000].to(device)).argmax(1).cpu())
    y_pred = torch.cat(preds)
    report = classification_report(yt.tolist(), y_pred.tolist(), output_dict=True, zero_division=0)
    return {"accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"]}


def golden_documents(
    profile: str, device: str, runs: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """`runs`: the seeds' `train_and_evaluate` results when computed elsewhere (in parallel)."""
    mlp = make_mlp()
    weights = sum(m.weight.numel() for m in mlp if isinstance(m, nn.Linear))
    biases = sum(m.bias.numel() for m in mlp if isinstance(m, nn.Linear))
    cfg = SMOKE if profile == "smoke" else FULL
    if profile == "smoke":
        torch.set_num_threads(min(2, torch.get_num_threads()))
    data = smoke_data(cfg) if profile == "smoke" else cifar10_data()
    if runs is None:
        runs = [train_and_evaluate(data, cfg, seed, device) for seed in cfg.seeds]
    floor = accuracy_floor(len(data["test"][1]))
    return {
        "p2_mlp": {
            "n_params": {
                "accepted": [
                    {
                        "value": weights + biases,
                        "convention": "weights + biases",
                        "derivation": f"{weights:,} weights + {biases:,} biases over 7 Linear layers",
                    }
                ]
            },
            "widths": list(WIDTHS),
            "accuracy": summary([r["accuracy"] for r in runs], floor, (0.0, 1.0)),
            "macro_f1": summary([r["macro_f1"] for r in runs], floor, (0.0, 1.0)),
            "n_train": len(data["train"][1]),
            "n_test": len(data["test"][1]),
            "classes": list(CLASSES),
        }
    }
