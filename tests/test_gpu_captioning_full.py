"""Bonus Q2's full-profile paths on the CPU (issue 22): the frozen encoder's features come from
eval mode, the local Flickr8k folder is used, and the full prerequisites are named first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from reference_solutions.bonus_llm_captioning import q2_captioning as q2
from reference_solutions.bonus_llm_captioning import q2_models as models


def bn_backbone() -> nn.Module:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.Dropout(0.5))
    bn = net[1]
    with torch.no_grad():  # "pretrained" statistics, far from a batch's own
        bn.running_mean.fill_(3.0)
        bn.running_var.fill_(4.0)
    return net.train()  # as torchvision builds it


def test_cached_features_come_from_the_frozen_encoder_in_eval_mode() -> None:
    """The cache is computed on a fresh model, before any train()/eval(): BatchNorm must use
    (and keep) the pretrained statistics, and dropout / stochastic depth stay off."""
    backbone = bn_backbone()
    images = torch.randn(4, 3, 8, 8)
    with torch.no_grad():
        expected = bn_backbone().eval()(images).flatten(2).transpose(1, 2)
    model = models.ImageCaptioningModel(
        models.Encoder(backbone, 8, spatial=True), models.ShowTellDecoder(10, 8)
    )
    first = model.encoder.extract(images)
    assert torch.allclose(first, expected, atol=1e-6)
    assert torch.equal(backbone[1].running_mean, torch.full((8,), 3.0))
    model.train()  # training the decoder keeps the backbone frozen in eval mode
    assert backbone.training is False
    assert torch.allclose(model.encoder.extract(images), expected, atol=1e-6)


def write_flickr(root: Path, n: int = 12) -> None:
    (root / "Images").mkdir(parents=True)
    lines = ["image,caption"]
    for i in range(n):
        name = f"{1000 + i}_abc.jpg"
        Image.fromarray(np.full((16, 16, 3), 10 * i, dtype=np.uint8)).save(root / "Images" / name)
        lines += [f"{name},A dog runs on grass number {i} ." for _ in range(2)]
    (root / "captions.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_full_profile_reads_the_local_flickr8k_folder(tmp_path: Path, monkeypatch) -> None:
    write_flickr(tmp_path / "flickr8k")
    monkeypatch.setenv("DLGRADE_FLICKR8K", str(tmp_path / "flickr8k"))
    seen: list = []
    real_prepare = q2.prepare

    def spy(cfg, seed=0, flickr_root=None):
        seen.append(flickr_root)
        raise StopIteration  # stop after the data step

    monkeypatch.setattr(q2, "prepare", spy)
    with pytest.raises(StopIteration):
        q2.run_seed(q2.FULL, 0, "cpu")
    assert seen == [str(tmp_path / "flickr8k")]
    cfg = q2.Config(n_images=0, max_len=8, backbone="resnet50")
    prep = real_prepare(cfg, flickr_root=q2.flickr8k_root())
    assert len(prep.images) == 12
    assert len(prep.rows) == 24
    assert all(Path(p).parent == tmp_path / "flickr8k" / "Images" for p in prep.images.values())
    # a valid local folder: nothing said about it, and `datasets` is not needed
    en = " ".join(e for _, e in q2.prerequisites("full"))
    assert "DLGRADE_FLICKR8K" not in en
    assert "datasets" not in en


def test_full_prerequisites_name_a_bad_flickr_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DLGRADE_FLICKR8K", str(tmp_path))
    en = [e for _, e in q2.prerequisites("full")]
    assert (
        f"DLGRADE_FLICKR8K={tmp_path} must hold Images/ and captions.txt (the Kaggle layout)" in en
    )
    assert q2.prerequisites("smoke") == []
