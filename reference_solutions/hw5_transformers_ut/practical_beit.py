"""hw5-transformers-ut Q2 (practical): BEiT semantic segmentation and a BEiT classifier.

Golden file `p2_beit`: the segmentation logits' shape for one image, and the per-epoch test
accuracy and training loss of a BEiT image classifier as bands over seeds (the curves the
notebook plots against the MLP's). `smoke`: tiny BeitConfig models with random weights on the
generated 32x32 images of `practical_mlp`. `full`: `microsoft/beit-base-finetuned-ade-640-640`
for segmentation and `microsoft/beit-base-patch16-224-pt22k-ft22k` fine-tuned on CIFAR-10
(resized to 224) with autocast (bf16 where native, else fp16 with a GradScaler: see
`reference_solutions.precision`), through transformers' real loaders.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from graders.metrics.curve_math import band
from reference_solutions.hw5_transformers_ut import practical_mlp
from reference_solutions.hw5_transformers_ut.practical_mlp import SMOKE, cifar10_data, make_images
from reference_solutions.precision import optimizer_step, precision_for

# Trains models: its golden values are bands, rebuilt in tests as a fast subset under several
# numeric conditions (tests/test_reference_drift*.py), never compared value by value.
TRAINS = True
GOLDEN_FILES = ("p2_beit",)

SEG_CHECKPOINT = "microsoft/beit-base-finetuned-ade-640-640"
CLS_CHECKPOINT = "microsoft/beit-base-patch16-224-pt22k-ft22k"
SEEDS = (0, 1)
# The dimensions both smoke models share: 32-pixel images in 4-pixel patches, a 32-wide encoder.
TINY_BEIT: dict[str, Any] = {
    "image_size": 32,
    "patch_size": 4,
    "hidden_size": 32,
    "num_attention_heads": 2,
    "intermediate_size": 64,
}


def tiny_segmenter():
    from transformers import BeitConfig, BeitForSemanticSegmentation

    torch.manual_seed(0)
    cfg = BeitConfig(
        **TINY_BEIT,
        num_hidden_layers=4,
        num_labels=5,
        out_indices=[1, 2, 3, 4],
        use_auxiliary_head=False,
        pool_scales=[1, 2],
        channels=16,
    )
    return BeitForSemanticSegmentation(cfg).eval(), 32


def tiny_classifier():
    from transformers import BeitConfig, BeitForImageClassification

    cfg = BeitConfig(**TINY_BEIT, num_hidden_layers=2, num_labels=10, use_mean_pooling=True)
    return BeitForImageClassification(cfg)


def segmentation(profile: str, device: str) -> dict[str, Any]:
    if profile == "smoke":
        model, size = tiny_segmenter()
    else:
        from transformers import BeitForSemanticSegmentation

        model, size = BeitForSemanticSegmentation.from_pretrained(SEG_CHECKPOINT).eval(), 640
    pixels = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits = model.to(device)(pixel_values=pixels.to(device)).logits
    return {
        "input_shape": list(pixels.shape),
        "logits_shape": list(logits.shape),
        "num_labels": model.config.num_labels,
    }


def classifier_curves(profile: str, device: str, seed: int) -> dict[str, list[float]]:
    if profile == "smoke":
        (x, y), (xt, yt) = make_images(SMOKE.n_train, SMOKE.noise, 1), make_images(SMOKE.n_test, SMOKE.noise, 2)
        torch.manual_seed(seed)
        model, epochs, batch, lr = tiny_classifier(), 3, 100, 1e-3
    else:
        from transformers import BeitForImageClassification

        data = cifar10_data()
        (x, y), (xt, yt) = data["train"], data["test"]
        torch.manual_seed(seed)
        model = BeitForImageClassification.from_pretrained(
            CLS_CHECKPOINT, num_labels=10, ignore_mismatched_sizes=True
        )
        epochs, batch, lr = 3, 64, 5e-5
    model = model.to(device)
    size = model.config.image_size
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    precision = precision_for(device)  # bf16 where native, else fp16 with a GradScaler
    scaler = precision.scaler()
    gen = torch.Generator().manual_seed(seed)
    acc, losses = [], []
    for _ in range(epochs):
        model.train()
        total, n = 0.0, 0
        for idx in torch.randperm(len(y), generator=gen).split(batch):
            xb = F.interpolate(x[idx], size=size) if size != 32 else x[idx]
            with precision.autocast():
                loss = model(pixel_values=xb.to(device), labels=y[idx].to(device)).loss
            opt.zero_grad()
            optimizer_step(loss, opt, scaler)
            total, n = total + float(loss.detach()) * len(idx), n + len(idx)
        losses.append(total / n)
        model.eval()
        correct = 0
        with torch.no_grad(), precision.autocast():
            for i in range(0, len(yt), 256):
                xb = xt[i : i + 256]
                xb = F.interpolate(xb, size=size) if size != 32 else xb
                correct += int(
                    (
                        model(pixel_values=xb.to(device)).logits.argmax(1).cpu() == yt[i : i + 256]
                    ).sum()
                )
        acc.append(correct / len(yt))
    return {"accuracy": acc, "loss": losses}


ESTIMATED_SECONDS = {"smoke": 30, "full": 60 * 60}  # full: BEiT-base, 3 epochs at 224 px
prerequisites = practical_mlp.prerequisites  # CIFAR-10 through torchvision


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    runs = [classifier_curves(profile, device, s) for s in SEEDS]
    values: dict[str, Any] = {"segmentation": segmentation(profile, device)}
    for key in ("accuracy", "loss"):
        b = band([r[key] for r in runs])
        values[f"classifier_{key}"] = {
            "x": list(range(1, len(b["low"]) + 1)),
            "low": b["low"],
            "high": b["high"],
        }
    return {"p2_beit": values}
