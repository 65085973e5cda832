"""hw5-rnn Q1: a 2-layer RNN + 2 FC network on sequences of 50 vectors of size 64.

Layer1 RNN(64, 32), Layer2 RNN(32, 64), Layer3 Linear(50*64, 512), Layer4 Linear(512, 10).
Everything is measured on the built torch modules: output shapes from a forward pass,
weights and biases from `named_parameters`, FLOPs with `torch.utils.flop_counter` (matmuls
only, 2 x MACs) cross-checked with MACs counted from the weight shapes. The counting always
runs on the CPU with oneDNN and cuDNN disabled, whatever `--device` says: their fused RNN
kernels (`aten.mkldnn_rnn_layer`, `aten._cudnn_rnn`) have no FLOP formula and would count 0;
the values are properties of the layers, not of the device. The textbook/Keras single-bias
convention is the one torch lacks: there the bias count is `bias_ih` alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

SEQ_LEN = 50
INPUT_SIZE = 64


@dataclass(frozen=True)
class Config:
    seq_len: int = SEQ_LEN
    input_size: int = INPUT_SIZE
    bidirectional_l2: bool = False
    drop_l4: bool = False


WHAT_IFS: dict[str, Config] = {
    "double_length": Config(seq_len=2 * SEQ_LEN),
    "input_128": Config(input_size=128),
    "bidirectional_l2": Config(bidirectional_l2=True),
    "drop_l4": Config(drop_l4=True),
}


class FlattenSeq(nn.Module):
    """Layer 3's input: the whole output sequence of layer 2, flattened."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], -1)


def build_layers(cfg: Config) -> list[tuple[str, nn.Module]]:
    directions = 2 if cfg.bidirectional_l2 else 1
    layers: list[tuple[str, nn.Module]] = [
        ("L1", nn.RNN(cfg.input_size, 32, num_layers=1, nonlinearity="tanh", batch_first=True)),
        (
            "L2",
            nn.RNN(
                32,
                64,
                num_layers=1,
                nonlinearity="tanh",
                batch_first=True,
                bidirectional=cfg.bidirectional_l2,
            ),
        ),
        ("L3", nn.Linear(cfg.seq_len * 64 * directions, 512)),
    ]
    if not cfg.drop_l4:
        layers.append(("L4", nn.Linear(512, 10)))
    return layers


def _macs(module: nn.Module, out_shape: tuple[int, ...], seq_len: int) -> int:
    """Multiply-accumulates of one forward pass (batch 1), from the weight shapes."""
    if isinstance(module, nn.Linear):
        return module.in_features * module.out_features
    total = 0
    for name, p in module.named_parameters():
        if name.startswith("weight"):
            total += p.numel() * seq_len
    return total


def _bias_adds(module: nn.Module, seq_len: int) -> int:
    n_bias = sum(p.numel() for n, p in module.named_parameters() if n.startswith("bias"))
    return n_bias * (seq_len if isinstance(module, nn.RNN) else 1)


def _textbook_biases(module: nn.Module) -> int:
    return sum(
        p.numel() for n, p in module.named_parameters() if n.startswith("bias_ih") or n == "bias"
    )


def _shape_text(p: torch.Tensor) -> str:
    return " x ".join(str(d) for d in p.shape)


COUNT_DEVICE = "cpu"  # where FLOPs are counted, for every --device (see the module docstring)


def count_forward(module: nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, int]:
    """One forward pass of `module` on the CPU with the fused RNN backends off; (output, FLOPs)."""
    module = module.to(COUNT_DEVICE)
    with warnings.catch_warnings():  # mkldnn.flags warns about Intel GPUs it does not use
        warnings.simplefilter("ignore", UserWarning)
        with (
            torch.no_grad(),
            torch.backends.mkldnn.flags(enabled=False),
            torch.backends.cudnn.flags(enabled=False),
            FlopCounterMode(display=False) as counter,
        ):
            y = module(x.to(COUNT_DEVICE))
    return y, counter.get_total_flops()


def analyse(cfg: Config, device: str = "cpu") -> dict[str, dict[str, Any]]:
    """Per layer: output shape (batch excluded), weights, biases, FLOPs, with derivations.

    `device` is accepted for the build's interface only: shapes, counts and FLOPs do not depend
    on it, and counting on a GPU would see cuDNN's opaque kernel (0 FLOPs)."""
    del device
    torch.manual_seed(0)
    x = torch.randn(1, cfg.seq_len, cfg.input_size)
    out: dict[str, dict[str, Any]] = {}
    for name, module in build_layers(cfg):
        if isinstance(module, nn.Linear) and x.dim() == 3:
            x = FlattenSeq()(x)
        y, flops_counted = count_forward(module, x)
        y = y[0] if isinstance(y, tuple) else y
        weights = {n: p for n, p in module.named_parameters() if n.startswith("weight")}
        biases = {n: p for n, p in module.named_parameters() if n.startswith("bias")}
        macs = _macs(module, tuple(y.shape), cfg.seq_len)
        if flops_counted != 2 * macs:
            raise AssertionError(f"{name}: flop counter {flops_counted} != 2 x MACs {2 * macs}")
        is_rnn = isinstance(module, nn.RNN)
        per_step = f" per step, x {cfg.seq_len} steps" if is_rnn else ""
        out[name] = {
            "module": repr(module),
            "output_shape": list(y.shape[1:]),
            "weights": sum(p.numel() for p in weights.values()),
            "weights_derivation": " + ".join(
                f"{n} {_shape_text(p)} = {p.numel()}" for n, p in weights.items()
            ),
            "biases_pytorch": sum(p.numel() for p in biases.values()),
            "biases_textbook": _textbook_biases(module),
            "biases_derivation": " + ".join(f"{n} {_shape_text(p)}" for n, p in biases.items()),
            "macs": macs,
            "flops_2macs": flops_counted,
            "flops_with_bias": flops_counted + _bias_adds(module, cfg.seq_len),
            "flops_derivation": f"MACs = {' + '.join(f'{_shape_text(p)}' for p in weights.values())}{per_step} = {macs}; FLOPs = 2 x MACs = {2 * macs}",
        }
        x = y
    return out


def _accepted(*entries: tuple[str, int, str]) -> dict[str, Any]:
    """Unique accepted values, each with its convention and derivation."""
    seen: dict[int, dict[str, Any]] = {}
    for convention, value, derivation in entries:
        if value in seen:
            seen[value]["convention"] += f", {convention}"
        else:
            seen[value] = {"convention": convention, "value": int(value), "derivation": derivation}
    return {"accepted": list(seen.values())}


def _totals(layers: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {
        "params_pytorch": sum(v["weights"] + v["biases_pytorch"] for v in layers.values()),
        "params_textbook": sum(v["weights"] + v["biases_textbook"] for v in layers.values()),
        "macs": sum(v["macs"] for v in layers.values()),
        "flops_2macs": sum(v["flops_2macs"] for v in layers.values()),
    }


def golden_values(device: str = "cpu") -> dict[str, Any]:
    base = analyse(Config(), device)
    values: dict[str, Any] = {}
    for name, v in base.items():
        values[f"{name}.output_shape"] = {"shape": v["output_shape"], "module": v["module"]}
        values[f"{name}.weights"] = _accepted(
            ("all conventions", v["weights"], v["weights_derivation"])
        )
        if v["biases_pytorch"] == v["biases_textbook"]:
            values[f"{name}.biases"] = _accepted(
                ("all conventions", v["biases_pytorch"], v["biases_derivation"])
            )
        else:
            values[f"{name}.biases"] = _accepted(
                ("PyTorch (b_ih + b_hh)", v["biases_pytorch"], v["biases_derivation"]),
                (
                    "textbook/Keras (one bias)",
                    v["biases_textbook"],
                    f"one bias vector of {v['biases_textbook']}",
                ),
            )
        values[f"{name}.flops"] = _accepted(
            ("FLOPs = 2 x MACs (torch flop counter)", v["flops_2macs"], v["flops_derivation"]),
            ("MACs", v["macs"], v["flops_derivation"]),
            (
                "2 x MACs + bias additions",
                v["flops_with_bias"],
                v["flops_derivation"] + " + bias additions",
            ),
        )
        values[f"{name}.detail"] = v
    totals = _totals(base)
    values["total.params"] = _accepted(
        ("PyTorch (two biases per RNN)", totals["params_pytorch"], "sum over the four layers"),
        ("textbook/Keras (one bias)", totals["params_textbook"], "sum over the four layers"),
    )
    values["total.flops"] = _accepted(
        ("FLOPs = 2 x MACs", totals["flops_2macs"], "sum over the four layers"),
        ("MACs", totals["macs"], "sum over the four layers"),
    )
    for change, cfg in WHAT_IFS.items():
        layers = analyse(cfg, device)
        t = _totals(layers)
        values[f"whatif.{change}.total_params"] = _accepted(
            (
                "PyTorch",
                t["params_pytorch"],
                f"recomputed with {cfg}; was {totals['params_pytorch']}",
            ),
            (
                "textbook/Keras",
                t["params_textbook"],
                f"recomputed with {cfg}; was {totals['params_textbook']}",
            ),
        )
        values[f"whatif.{change}.total_flops"] = _accepted(
            (
                "FLOPs = 2 x MACs",
                t["flops_2macs"],
                f"recomputed with {cfg}; was {totals['flops_2macs']}",
            ),
            ("MACs", t["macs"], f"recomputed with {cfg}; was {totals['macs']}"),
        )
        values[f"whatif.{change}.detail"] = {
            "config": cfg.__dict__,
            "layers": {
                k: {kk: v[kk] for kk in ("output_shape", "weights", "biases_pytorch", "macs")}
                for k, v in layers.items()
            },
        }
    return values


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    """Theory values do not depend on the profile."""
    return {"q1": golden_values(device=device)}
