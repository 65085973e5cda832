"""hw5-rnn Q6 (practical): simple RNN vs LSTM on long-range dependencies, three experiments.

A: accuracy per sequence length (50/100/200/400), one model per length and cell type.
B: per-timestep L2 norm of dLoss/d(embedded input), captured with a forward hook on the
   embedding plus a tensor hook on its output, on a validation batch of length 200; summarised
   as a decay rate (decades lost per timestep of distance from the loss).
C: hidden-state norms ||h_t|| (and the LSTM's cell-state ||c_t||) over 10 test sequences,
   5 positive and 5 negative, of length >= 150.

Profiles: `smoke` generates a long-range "sentiment" task (the label is written by marker tokens
in the first five positions, everything after is noise) and runs on CPU in a few minutes. It is
built so that each model's outcome is a property of the model, not of the seed or the machine:
- the simple RNN (PyTorch's default initialisation) cannot carry the marker over >= 45 steps
  of noise drawn from 997 distinct tokens: its gradient vanishes and its test accuracy stays at
  chance at every length (24 of 24 seeds at L = 50; with 47 noise tokens about one run in six
  learnt the marker at L = 50, a bimodal outcome no band can describe), while it memorises
  the noise of its 512 training sequences (training accuracy >= 0.95): a wide, stable gap
  between training and test accuracy that names accuracy measured on the training set;
- the LSTM starts with a large forget-gate bias (memory) and a negative input-gate bias (a
  closed gate: 400 noise tokens do not flood the cell state before it has learnt to open the
  gate for markers) and solves every length for every seed (with the default input gate it
  stayed at chance at L = 400 for 2 of 6 seeds, and 3 of 8 with 300 steps).
`full` uses IMDb through Hugging Face `datasets` (or a local copy: `DLGRADE_IMDB_PATH` = a
`save_to_disk` folder or an `aclImdb` folder) on a GPU, in float32 (the models are tiny; see `reference_solutions/precision.py`).
Gradient norms are always measured in float32: autocast would underflow the vanishing gradients
this experiment is about. Every scalar is a band over 5 seeds built by the band rule of
`graders/metrics/curve_math.py` (runs, spread and margin recorded beside it).
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.metrics.curve_math import (
    accuracy_floor,
    band,
    decay_rate,
    downsample,
    normalised,
    summary,
)

# Trains models: its golden values are bands, rebuilt in tests as a fast subset under several
# numeric conditions (tests/test_reference_drift*.py), never compared value by value.
TRAINS = True
GOLDEN_FILES = ("q6",)

LENGTHS = (50, 100, 200, 400)
GRAD_LENGTH = 200
STATE_MIN_LENGTH = 150
CELLS = ("rnn", "lstm")
PAD = 0


@dataclass(frozen=True)
class Config:
    vocab_size: int = 1000  # smoke: 997 noise tokens (a real vocabulary's diversity)
    n_markers: int = 5  # smoke: label markers at the first positions
    emb_dim: int = 16
    hidden_dim: int = 32
    n_train: int = 512
    n_test: int = 512
    n_val: int = 64
    batch_size: int = 64
    max_steps: int = 200
    lr: float = 1e-2
    early_stop_loss: float = 0.01
    forget_bias: float = 6.0
    # LSTM input-gate bias at initialisation (None: PyTorch's default). A closed input gate keeps
    # 400 noise tokens out of the cell state until the model has learnt to open it for markers.
    input_bias: float | None = -3.0
    # the simple RNN's recurrent matrix: orthogonal (long memory at init) or PyTorch's default
    rnn_orthogonal: bool = False
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    lengths: tuple[int, ...] = LENGTHS


SMOKE = Config()
FULL = Config(
    vocab_size=20_000,
    emb_dim=128,
    hidden_dim=128,
    n_train=25_000,
    n_test=25_000,
    n_val=256,
    batch_size=128,
    max_steps=3_000,
    lr=2e-3,
    early_stop_loss=0.0,
    forget_bias=1.0,
    input_bias=None,
    rnn_orthogonal=True,
    seeds=(0, 1, 2, 3, 4),
)

Split = tuple[torch.Tensor, torch.Tensor]  # (tokens [N, L], labels [N])


# ---------------------------------------------------------------------------------- data


def make_long_range_split(cfg: Config, n: int, length: int, gen: torch.Generator) -> Split:
    """Tokens 1/2 mark positive/negative in the first `n_markers` positions; the rest is noise
    drawn from 3..vocab-1 (no other information about the label anywhere)."""
    labels = torch.randint(0, 2, (n,), generator=gen)
    tokens = torch.randint(3, cfg.vocab_size, (n, length), generator=gen)
    tokens[:, : cfg.n_markers] = torch.where(labels == 1, 1, 2)[:, None]
    return tokens, labels


def smoke_data(cfg: Config, length: int) -> dict[str, Split]:
    gen = torch.Generator().manual_seed(10_000 + length)
    return {
        "train": make_long_range_split(cfg, cfg.n_train, length, gen),
        "test": make_long_range_split(cfg, cfg.n_test, length, gen),
        "val": make_long_range_split(cfg, cfg.n_val, length, gen),
    }


def prerequisites(profile: str) -> list[tuple[str, str]]:
    """The full profile's IMDb: a local copy (DLGRADE_IMDB_PATH) or `datasets`, checked first."""
    if profile != "full":
        return []
    local = os.environ.get("DLGRADE_IMDB_PATH")
    if local:
        path = Path(local)
        if (path / "train" / "pos").is_dir() or (path / "dataset_dict.json").is_file():
            return []
        return [
            (
                f"پوشهٔ DLGRADE_IMDB_PATH={local} نه پوشهٔ aclImdb است و نه خروجی save_to_disk",
                f"DLGRADE_IMDB_PATH={local} is neither an aclImdb folder nor a save_to_disk folder",
            )
        ]
    if importlib.util.find_spec("datasets") is None:
        return [
            (
                "بستهٔ datasets نصب نیست (pip install -e '.[full]') یا DLGRADE_IMDB_PATH را تنظیم کنید",
                "the package datasets is not installed (pip install -e '.[full]'), or set DLGRADE_IMDB_PATH",
            )
        ]
    return []


_TOKEN = re.compile(r"[a-z0-9']+")


def _tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("<br />", " ").lower())


def load_imdb() -> dict[str, tuple[list[str], list[int]]]:
    """IMDb train/test texts and labels: a local copy if DLGRADE_IMDB_PATH is set, else the hub."""
    local = os.environ.get("DLGRADE_IMDB_PATH")
    if local and (Path(local) / "train" / "pos").is_dir():  # the original aclImdb folder
        out = {}
        for split in ("train", "test"):
            texts, labels = [], []
            for label, sub in ((1, "pos"), (0, "neg")):
                for f in sorted((Path(local) / split / sub).glob("*.txt")):
                    texts.append(f.read_text(encoding="utf-8"))
                    labels.append(label)
            out[split] = (texts, labels)
        return out
    import datasets  # lazily: only the full profile needs it

    ds = datasets.load_from_disk(local) if local else datasets.load_dataset("stanfordnlp/imdb")
    return {s: (list(ds[s]["text"]), [int(v) for v in ds[s]["label"]]) for s in ("train", "test")}


def imdb_data(cfg: Config, imdb: dict[str, tuple[list[str], list[int]]], length: int):
    """Keep the first `length` tokens of every review (top-k vocabulary, 1 = unknown) and pad at
    the front, so that the last timestep, which the classifier reads, is a real token."""
    counts = Counter(t for text in imdb["train"][0] for t in _tokenize(text))
    vocab = {w: i + 2 for i, (w, _) in enumerate(counts.most_common(cfg.vocab_size - 2))}

    def encode(texts: list[str], labels: list[int]) -> Split:
        x = torch.full((len(texts), length), PAD, dtype=torch.long)
        for i, text in enumerate(texts):
            ids = [vocab.get(t, 1) for t in _tokenize(text)][:length]
            if ids:
                x[i, length - len(ids) :] = torch.tensor(ids, dtype=torch.long)
        return x, torch.tensor(labels)

    gen = torch.Generator().manual_seed(0)
    test_x, test_y = encode(*imdb["test"])
    perm = torch.randperm(len(test_y), generator=gen)
    val_idx = perm[: cfg.n_val]
    return {
        "train": encode(*imdb["train"]),
        "test": (test_x, test_y),
        "val": (test_x[val_idx], test_y[val_idx]),
    }


# ---------------------------------------------------------------------------------- model


class SeqClassifier(nn.Module):
    """Embedding -> RNN(tanh) or LSTM -> Linear on the hidden state of the last timestep."""

    def __init__(self, cell: str, cfg: Config):
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.emb_dim, padding_idx=PAD)
        rnn_cls = nn.RNN if cell == "rnn" else nn.LSTM
        self.rnn = rnn_cls(cfg.emb_dim, cfg.hidden_dim, batch_first=True)
        self.fc = nn.Linear(cfg.hidden_dim, 2)
        with torch.no_grad():
            if cell == "rnn":
                if cfg.rnn_orthogonal:
                    nn.init.orthogonal_(self.rnn.weight_hh_l0)
            else:  # gate order i, f, g, o: a large forget bias keeps memory at initialisation
                h = cfg.hidden_dim
                self.rnn.bias_hh_l0[h : 2 * h].fill_(cfg.forget_bias)
                if cfg.input_bias is not None:
                    self.rnn.bias_ih_l0[:h].zero_()
                    self.rnn.bias_hh_l0[:h].fill_(cfg.input_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(self.embedding(x))
        return self.fc(out[:, -1])


def train_model(cell: str, data: dict[str, Split], cfg: Config, seed: int, device: str):
    torch.manual_seed(seed)
    model = SeqClassifier(cell, cfg).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    # float32 everywhere: the models are 16-128 wide, and cuDNN's RNN autocast would run fp16
    # whatever dtype is asked for (reference_solutions/precision.py)
    x, y = data["train"]
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(cfg.max_steps):
        idx = torch.randint(0, len(x), (cfg.batch_size,), generator=gen)
        xb, yb = x[idx].to(device), y[idx].to(device)
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if loss.item() < cfg.early_stop_loss:
            break
    model.eval()
    return model


@torch.no_grad()
def accuracy(model: SeqClassifier, split: Split, device: str, batch: int = 1024) -> float:
    x, y = split
    correct = 0
    for i in range(0, len(y), batch):
        pred = model(x[i : i + batch].to(device)).argmax(dim=1).cpu()
        correct += int((pred == y[i : i + batch]).sum())
    return correct / len(y)


def embedding_grad_norms(model: SeqClassifier, split: Split, device: str) -> list[float]:
    """Per-timestep ||dLoss/d emb_t||_2 averaged over the batch, via hooks, in float32.

    The backward pass runs in training mode (cuDNN's RNN backward refuses eval mode); the model
    has no dropout, so training mode computes the same function. Its mode is restored after."""
    captured: dict[str, torch.Tensor] = {}

    def forward_hook(module: nn.Module, inputs: Any, output: torch.Tensor) -> None:
        output.register_hook(lambda g: captured.__setitem__("grad", g.detach()))

    if any(isinstance(m, nn.Dropout) for m in model.modules()) or model.rnn.dropout:
        raise ValueError("gradient norms in training mode need a model without dropout")
    was_training = model.training
    handle = model.embedding.register_forward_hook(forward_hook)
    try:
        model.train()
        model.zero_grad()
        x, y = split
        loss = F.cross_entropy(model(x.to(device)), y.to(device))
        loss.backward()
    finally:
        handle.remove()
        model.zero_grad()
        model.train(was_training)
    return captured["grad"].float().norm(dim=2).mean(dim=0).cpu().tolist()


@torch.no_grad()
def state_norms(model: SeqClassifier, x: torch.Tensor, device: str) -> dict[str, torch.Tensor]:
    """||h_t|| for both cells and ||c_t|| for the LSTM (stepped by hand: nn.LSTM returns only the
    last c), each [n_sequences, T]."""
    emb = model.embedding(x.to(device))
    if model.cell == "rnn":
        out, _ = model.rnn(emb)
        return {"rnn_h": out.norm(dim=2).cpu()}
    h = torch.zeros(1, x.shape[0], model.rnn.hidden_size, device=device)
    c = torch.zeros_like(h)
    hs, cs = [], []
    for t in range(x.shape[1]):
        _, (h, c) = model.rnn(emb[:, t : t + 1], (h, c))
        hs.append(h[0].norm(dim=1))
        cs.append(c[0].norm(dim=1))
    return {"lstm_h": torch.stack(hs, 1).cpu(), "lstm_c": torch.stack(cs, 1).cpu()}


def pick_state_sequences(split: Split, n_per_class: int = 5) -> torch.Tensor:
    """Indices of 5 positive then 5 negative sequences with >= STATE_MIN_LENGTH real tokens."""
    x, y = split
    long_enough = (x != PAD).sum(dim=1) >= STATE_MIN_LENGTH
    pos = torch.nonzero((y == 1) & long_enough).flatten()[:n_per_class]
    neg = torch.nonzero((y == 0) & long_enough).flatten()[:n_per_class]
    return torch.cat([pos, neg])


# ---------------------------------------------------------------------------------- runs


def run_experiments(cfg: Config, data_for_length, device: str) -> dict[str, Any]:
    """All three experiments for every seed; returns per-seed raw results."""
    acc: dict[str, dict[int, list[float]]] = {c: {n: [] for n in cfg.lengths} for c in CELLS}
    train_acc: dict[str, dict[int, list[float]]] = {c: {n: [] for n in cfg.lengths} for c in CELLS}
    grads: dict[str, list[list[float]]] = {c: [] for c in CELLS}
    states: dict[str, list[list[float]]] = {"rnn_h": [], "lstm_h": [], "lstm_c": []}
    for length in cfg.lengths:
        data = data_for_length(length)
        for seed in cfg.seeds:
            for cell in CELLS:
                model = train_model(cell, data, cfg, seed, device)
                acc[cell][length].append(accuracy(model, data["test"], device))
                train_acc[cell][length].append(accuracy(model, data["train"], device))
                if length == GRAD_LENGTH:
                    grads[cell].append(embedding_grad_norms(model, data["val"], device))
                    sel = pick_state_sequences(data["test"])
                    for key, norms in state_norms(model, data["test"][0][sel], device).items():
                        states[key].extend(norms.tolist())
    return {"acc": acc, "train_acc": train_acc, "grads": grads, "states": states}


def golden_values(raw: dict[str, Any], cfg: Config) -> dict[str, Any]:
    values: dict[str, Any] = {"lengths": list(cfg.lengths), "grad_length": GRAD_LENGTH}
    # accuracies: the band rule with the test set's resolution as floor (graders/metrics/curve_math)
    test_floor = accuracy_floor(cfg.n_test)
    train_floor = accuracy_floor(cfg.n_train)
    for cell in CELLS:
        for n in cfg.lengths:
            values[f"acc.{cell}.{n}"] = summary(raw["acc"][cell][n], test_floor, (0.0, 1.0))
            values[f"train_acc.{cell}.{n}"] = summary(
                raw["train_acc"][cell][n], train_floor, (0.0, 1.0)
            )
        values[f"final_acc.{cell}"] = summary(raw["acc"][cell][GRAD_LENGTH], test_floor, (0.0, 1.0))
        rates = [decay_rate(g) for g in raw["grads"][cell]]
        values[f"grad_decay.{cell}"] = summary([r for r in rates if r is not None])
        curves = [normalised(g) for g in raw["grads"][cell]]
        # log10 of the normalised norm: bands of a series spanning many decades
        logs = [[math.log10(v) if v > 0 else math.nan for v in c] for c in curves]
        b = band(logs)
        x, low, high = downsample(list(range(1, GRAD_LENGTH + 1)), b["low"], b["high"])
        values[f"grad_curve.{cell}"] = {
            "x": x,
            "low": [10**v if math.isfinite(v) else 0.0 for v in low],
            "high": [10**v if math.isfinite(v) else 0.0 for v in high],
            "normalised_by": "norm at the last timestep (nearest the loss)",
        }
    for key, runs in raw["states"].items():
        b = band(runs)
        x, low, high = downsample(list(range(1, len(b["low"]) + 1)), b["low"], b["high"])
        values[f"state_norm.{key}"] = {"x": x, "low": low, "high": high}
    values["n_seeds"] = len(cfg.seeds)
    return values


def build(profile: str, device: str, cfg: Config | None = None) -> dict[str, Any]:
    if profile == "smoke":
        cfg = cfg or SMOKE
        return golden_values(run_experiments(cfg, lambda n: smoke_data(cfg, n), device), cfg)
    cfg = cfg or FULL
    imdb = load_imdb()
    return golden_values(run_experiments(cfg, lambda n: imdb_data(cfg, imdb, n), device), cfg)


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    if profile == "smoke":
        torch.set_num_threads(1)  # tiny models: one thread is fastest and steadiest
    return {"q6": build(profile, device)}


__all__ = ["FULL", "SMOKE", "Config", "build", "golden_documents"]
