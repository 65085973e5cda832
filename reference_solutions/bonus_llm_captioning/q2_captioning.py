"""Q2 reference run: prepare the data, train the three captioners, decode greedily, score BLEU two ways.

`golden_documents` writes `q2_captioning.json`: data facts (special tokens, caption length,
split sizes, top-20 words), per model the BLEU-1..4 of several seeds (NLTK-style corpus BLEU,
0-1, and sacrebleu, 0-100, with its signature) and the band a student's score is compared
with, a shuffled-caption baseline, and the published Flickr8k tables with their source.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from graders.metrics.bleu import bleu_1_to_4, sacrebleu_1_to_4
from graders.metrics.curve_math import MIN_SEEDS, summary
from reference_solutions.bonus_llm_captioning import q2_data as data
from reference_solutions.bonus_llm_captioning import q2_models as models

# Trains models: its golden values are bands, rebuilt in tests as a fast subset under several
# numeric conditions (tests/test_reference_drift*.py), never compared value by value.
TRAINS = True
GOLDEN_FILES = ("q2_captioning",)

MODELS = ("cnn_rnn", "attention", "transformer")
ESTIMATED_SECONDS = {"smoke": 40, "full": 3 * 60 * 60}  # full: Flickr8k, ResNet-50 + EfficientNet

# Xu et al. 2015, "Show, Attend and Tell", Table 1 (Flickr8k, BLEU x 100); Google NIC as listed there.
PUBLISHED = {
    "source": "Xu et al. 2015, Show, Attend and Tell: Neural Image Caption Generation with Visual Attention, ICML, Table 1 (Flickr8k); BLEU from coco-caption, x100",
    "rows": [
        {
            "model": "Show, Attend and Tell (soft attention)",
            "bleu1": 67.0,
            "bleu2": 44.8,
            "bleu3": 29.9,
            "bleu4": 19.5,
            "meteor": 18.93,
        },
        {
            "model": "Show, Attend and Tell (hard attention)",
            "bleu1": 67.0,
            "bleu2": 45.7,
            "bleu3": 31.4,
            "bleu4": 21.3,
            "meteor": 20.30,
        },
        {
            "model": "Google NIC (Show and Tell), as listed by Xu et al.",
            "bleu1": 63.0,
            "bleu2": 41.0,
            "bleu3": 27.0,
            "bleu4": None,
            "meteor": None,
        },
    ],
    "course_projects_cnn_transformer_bleu4": {
        "low": 0.11,
        "high": 0.23,
        "metric": "NLTK corpus BLEU-4, 0-1",
    },
}


@dataclass(frozen=True)
class Config:
    n_images: int = 300
    image_px: int = 32
    max_len: int = 16
    batch_size: int = 64
    pretrain_epochs: int = 8
    rnn_epochs: int = 5  # the same for CNN-RNN and attention CNN-RNN, as the assignment asks
    transformer_epochs: int = 6
    lr: float = 3e-3
    seeds: tuple[int, ...] = tuple(range(MIN_SEEDS))
    backbone: str = "small_cnn"


SMOKE = Config()
FULL = Config(
    n_images=0,
    image_px=224,
    max_len=24,
    batch_size=64,
    pretrain_epochs=0,
    rnn_epochs=10,
    transformer_epochs=20,
    lr=3e-4,
    seeds=(0,),
    backbone="resnet50",
)


@dataclass
class Prepared:
    images: dict[str, Any]  # image id -> PIL image (smoke) or path (full)
    rows: list[tuple[str, str]]
    words: list[list[str]]
    vocab: dict[str, int]
    splits: dict[str, list[str]]
    encoded: np.ndarray  # (n_rows, max_len)


def flickr8k_root() -> str | None:
    """DLGRADE_FLICKR8K: a local Flickr8k folder (`Images/` + `captions.txt`, the Kaggle
    layout); unset: Hugging Face `datasets` (jxie/flickr8k)."""
    return os.environ.get("DLGRADE_FLICKR8K") or None


def prerequisites(profile: str) -> list[tuple[str, str]]:
    """The full profile's data set and packages, checked before anything runs."""
    if profile != "full":
        return []
    out = []
    root = flickr8k_root()
    needed = ["torchvision"] + ([] if root else ["datasets"])
    for package in needed:
        if importlib.util.find_spec(package) is None:
            out.append(
                (
                    f"بستهٔ {package} نصب نیست (pip install -e '.[full]')",
                    f"the package {package} is not installed (pip install -e '.[full]')",
                )
            )
    if root and not ((Path(root) / "captions.txt").is_file() and (Path(root) / "Images").is_dir()):
        out.append(
            (
                f"پوشهٔ DLGRADE_FLICKR8K={root} باید Images/ و captions.txt داشته باشد",
                f"DLGRADE_FLICKR8K={root} must hold Images/ and captions.txt (the Kaggle layout)",
            )
        )
    return out


def prepare(cfg: Config, seed: int = 0, flickr_root: str | None = None) -> Prepared:
    if cfg.n_images:
        images, rows = data.make_shapes_dataset(cfg.n_images, seed=seed)
    else:
        images, rows = data.load_flickr8k(flickr_root)
    words = [data.clean_caption(c) for _, c in rows]
    splits = data.split_by_image([i for i, _ in rows], seed=seed)
    train_ids = set(splits["train"])
    vocab = data.build_vocab(
        [w for (i, _), w in zip(rows, words, strict=True) if i in train_ids],
        min_freq=1 if cfg.n_images else 5,
    )
    encoded = np.array([data.encode(w, vocab, cfg.max_len) for w in words], dtype=np.int64)
    return Prepared(images, rows, words, vocab, splits, encoded)


def image_batch(prep: Prepared, ids: list[str], px: int) -> torch.Tensor:
    arrays = []
    for i in ids:
        img = prep.images[i]
        if not hasattr(img, "convert"):
            from PIL import Image

            img = Image.open(img)
        if px > 64:  # full profile: ImageNet statistics of the pretrained CNNs
            arrays.append(data.image_tensor(img, px, data.IMAGENET_MEAN, data.IMAGENET_STD))
        else:
            arrays.append(data.image_tensor(img, px))
    return torch.from_numpy(np.stack(arrays))


def pretrain_small_cnn(prep: Prepared, cfg: Config, device: str) -> models.SmallCNN:
    """Smoke profile's stand-in for ImageNet pretraining: classify each training image's first caption."""
    first = {}
    for (i, _caption), w in zip(prep.rows, prep.words, strict=True):
        first.setdefault(i, " ".join(w))
    labels = {c: k for k, c in enumerate(sorted(set(first.values())))}
    ids = prep.splits["train"]
    x = image_batch(prep, ids, cfg.image_px).to(device)
    y = torch.tensor([labels[first[i]] for i in ids], device=device)
    cnn = models.SmallCNN(n_classes=len(labels)).to(device)
    opt = torch.optim.Adam(cnn.parameters(), lr=3e-3)
    for _ in range(cfg.pretrain_epochs):
        for b in torch.randperm(len(ids)).split(cfg.batch_size):
            loss = nn.functional.cross_entropy(cnn(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return cnn


def backbone(prep: Prepared, cfg: Config, device: str) -> tuple[nn.Module, int]:
    if cfg.backbone == "small_cnn":
        cnn = pretrain_small_cnn(prep, cfg, device)
        return cnn.features, cnn.channels
    return models.torchvision_backbone(cfg.backbone)


def build_model(
    kind: str, vocab_size: int, cnn: nn.Module, channels: int, cfg: Config
) -> models.ImageCaptioningModel:
    if kind == "cnn_rnn":
        return models.ImageCaptioningModel(
            models.Encoder(cnn, channels, spatial=False),
            models.ShowTellDecoder(vocab_size, channels),
        )
    if kind == "attention":
        return models.ImageCaptioningModel(
            models.Encoder(cnn, channels, spatial=True),
            models.AttentionDecoder(vocab_size, channels),
        )
    return models.ImageCaptioningModel(
        models.Encoder(cnn, channels, spatial=True, project_to=64),
        models.TransformerCaptionDecoder(vocab_size, d_model=64, max_len=cfg.max_len),
    )


def rows_of(prep: Prepared, split: str) -> np.ndarray:
    ids = set(prep.splits[split])
    return np.array([k for k, (i, _) in enumerate(prep.rows) if i in ids])


def train(
    model: models.ImageCaptioningModel, prep: Prepared, cfg: Config, epochs: int, device: str
) -> dict[str, list[float]]:
    """Teacher forcing, cross-entropy that ignores <pad>; train/val loss per epoch.

    The CNN is frozen, so its regions are computed once per image and cached; the trainable
    rest of the encoder (the transformer's projection) and the decoder run on every batch."""
    all_ids = list(prep.images)
    index = {i: k for k, i in enumerate(all_ids)}
    cache = torch.cat(
        [
            model.encoder.extract(image_batch(prep, all_ids[s : s + 256], cfg.image_px).to(device))
            for s in range(0, len(all_ids), 256)
        ]
    )
    caps = torch.from_numpy(prep.encoded).to(device)
    image_of = torch.tensor([index[i] for i, _ in prep.rows], device=device)
    train_rows = torch.from_numpy(rows_of(prep, "train")).to(device)
    val_rows = torch.from_numpy(rows_of(prep, "val")).to(device)
    criterion = nn.CrossEntropyLoss(ignore_index=data.PAD)
    return models.fit(
        model,
        cache,
        caps,
        image_of,
        train_rows,
        val_rows,
        criterion,
        epochs,
        cfg.lr,
        cfg.batch_size,
    )


def predictions(
    model: nn.Module, prep: Prepared, cfg: Config, device: str, split: str = "test"
) -> list[dict[str, Any]]:
    """The predictions table: image id, greedy caption, cleaned reference captions."""
    inverse = {v: k for k, v in prep.vocab.items()}
    refs: dict[str, list[str]] = {}
    for (i, _), w in zip(prep.rows, prep.words, strict=True):
        refs.setdefault(i, []).append(" ".join(w))
    table = []
    ids = prep.splits[split]
    for start in range(0, len(ids), 128):
        chunk = ids[start : start + 128]
        out = models.greedy_decode(
            model,
            image_batch(prep, chunk, cfg.image_px).to(device),
            data.START,
            data.END,
            cfg.max_len,
        )
        for i, seq in zip(chunk, out.tolist(), strict=True):
            table.append(
                {"image_id": i, "prediction": data.decode(seq, inverse), "references": refs[i]}
            )
    return table


def score(table: list[dict[str, Any]]) -> dict[str, Any]:
    refs = [r["references"] for r in table]
    hyps = [r["prediction"] for r in table]
    return {"corpus_bleu": bleu_1_to_4(refs, hyps), "sacrebleu": sacrebleu_1_to_4(refs, hyps)}


def shuffled_baseline(table: list[dict[str, Any]], seed: int = 0) -> dict[str, float]:
    """Each test image captioned with the first reference of another test image."""
    order = list(range(len(table)))
    random.Random(seed).shuffle(order)
    hyps = [table[j]["references"][0] for j in order]
    return bleu_1_to_4([r["references"] for r in table], hyps)


def run_seed(
    cfg: Config, seed: int, device: str, kinds: tuple[str, ...] = MODELS
) -> dict[str, Any]:
    torch.manual_seed(seed)
    random.seed(seed)
    # same data and split for every seed; the seed varies the training
    prep = prepare(cfg, seed=0, flickr_root=None if cfg.n_images else flickr8k_root())
    cnn, channels = backbone(prep, cfg, device)
    out: dict[str, Any] = {"prep": prep, "models": {}}
    for kind in kinds:
        torch.manual_seed(seed)
        t0 = time.perf_counter()
        if kind == "transformer" and cfg.backbone != "small_cnn":
            # full profile: the CNN-Transformer's encoder is EfficientNet-B0, as the assignment asks
            cnn, channels = models.torchvision_backbone("efficientnet_b0")
        model = build_model(kind, len(prep.vocab), cnn, channels, cfg).to(device)
        epochs = cfg.transformer_epochs if kind == "transformer" else cfg.rnn_epochs
        history = train(model, prep, cfg, epochs, device)
        table = predictions(model, prep, cfg, device)
        out["models"][kind] = {
            "history": history,
            "table": table,
            "bleu": score(table),
            "seconds": time.perf_counter() - t0,
            "model": model,
        }
    return out


def band(values: list[float], baseline: float) -> dict[str, Any]:
    """What a correct solution of this profile reaches (the band rule of `curve_math.summary`
    over the seeds, clipped below at `baseline`, the shuffled-caption score, and above at 1):
    below `low` is flagged."""
    return {**summary(values, bounds=(baseline, 1.0)), "baseline": round(baseline, 4)}


def golden_documents(
    profile: str, device: str, runs: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """`runs`: the seeds' `run_seed` results when computed elsewhere (in parallel)."""
    cfg = SMOKE if profile == "smoke" else FULL
    if profile == "smoke":
        torch.set_num_threads(
            1
        )  # tiny models: one thread is faster, and far faster on a busy machine
    t0 = time.perf_counter()
    if runs is None:
        runs = [run_seed(cfg, s, device) for s in cfg.seeds]
    prep: Prepared = runs[0]["prep"]
    first_table = runs[0]["models"]["cnn_rnn"]["table"]
    baseline = shuffled_baseline(first_table)
    lengths = [len(w) for w in prep.words]
    values: dict[str, Any] = {
        "config": {**asdict(cfg), "seeds": list(cfg.seeds)},
        "data": {
            "special_tokens": data.SPECIALS,
            "special_aliases": {
                "<pad>": ["<pad>", "[pad]"],
                "<start>": ["<start>", "<bos>", "<sos>", "[start]"],
                "<end>": ["<end>", "<eos>", "[end]"],
                "<unk>": ["<unk>", "[unk]"],
            },
            "vocab_size": len(prep.vocab),
            "max_len": cfg.max_len,
            "n_images": len(prep.images),
            "n_captions": len(prep.rows),
            "split_sizes": {k: len(v) for k, v in prep.splits.items()},
            "split_fractions": [0.8, 0.1, 0.1],
            "caption_length": {
                "min": min(lengths),
                "max": max(lengths),
                "mean": round(float(np.mean(lengths)), 3),
            },
            "top20": Counter(w for c in prep.words for w in c).most_common(20),
        },
        "baseline_shuffled": baseline,
        "published_flickr8k": PUBLISHED,
        "metric_notes": "corpus_bleu: corpus BLEU as nltk.translate.bleu_score.corpus_bleu computes it (our own graders/metrics/bleu.py, not NLTK), 0-1, no smoothing, lower-cased words without punctuation or special tokens, all references of an image; sacrebleu: the same words, 0-100, default exp smoothing and 13a tokenizer (signature per score).",
    }
    for kind in MODELS:
        per_seed = [r["models"][kind] for r in runs]
        values[kind] = {
            "corpus_bleu": [m["bleu"]["corpus_bleu"] for m in per_seed],
            "sacrebleu": [m["bleu"]["sacrebleu"] for m in per_seed],
            "band": {
                f"bleu{n}": band(
                    [m["bleu"]["corpus_bleu"][f"bleu{n}"] for m in per_seed], baseline[f"bleu{n}"]
                )
                for n in range(1, 5)
            },
            "final_loss": [
                {"train": m["history"]["train"][-1], "val": m["history"]["val"][-1]}
                for m in per_seed
            ],
            "seconds": [round(m["seconds"], 2) for m in per_seed],
            "examples": per_seed[0]["table"][:5],
        }
    values["build_seconds"] = round(time.perf_counter() - t0, 1)
    return {"q2_captioning": values}
