"""hw2-rnn Q2: parameters of one layer of simple RNN, GRU, LSTM, BiLSTM (input 128, hidden 64).

Counted on torch layers built here (PyTorch convention: two bias vectors per gate, `b_ih` and
`b_hh`). Keras GRU with `reset_after=True` (its default) also keeps two bias vectors, the same
count. The textbook / Keras SimpleRNN and LSTM convention (one bias per gate) is the one torch
lacks: it is the torch count minus the `bias_hh` vectors, i.e. gates x (i*h + h*h + h).
"""

from __future__ import annotations

from typing import Any

from torch import nn

from reference_solutions.theory_common import accepted

INPUT, HIDDEN = 128, 64
LAYERS = {
    "rnn": ("simple RNN", lambda: nn.RNN(INPUT, HIDDEN)),
    "gru": ("GRU", lambda: nn.GRU(INPUT, HIDDEN)),
    "lstm": ("LSTM", lambda: nn.LSTM(INPUT, HIDDEN)),
    "bilstm": ("bidirectional LSTM", lambda: nn.LSTM(INPUT, HIDDEN, bidirectional=True)),
}
LABELS = {
    "rnn": ["simple RNN", "vanilla RNN", "SimpleRNN", "RNN ساده", "RNN"],
    "gru": ["GRU"],
    "lstm": ["LSTM"],
    "bilstm": [
        "BiLSTM",
        "bidirectional LSTM",
        "bi-directional LSTM",
        "LSTM دوطرفه",
        "LSTM دوسویه",
        "LSTM دو طرفه",
    ],
}


def count(module: nn.Module) -> dict[str, Any]:
    params = dict(module.named_parameters())
    pytorch = sum(p.numel() for p in params.values())
    bias_hh = sum(p.numel() for n, p in params.items() if n.startswith("bias_hh"))
    shapes = " + ".join(f"{n} {'x'.join(map(str, p.shape))}" for n, p in params.items())
    return {"pytorch": pytorch, "textbook": pytorch - bias_hh, "bias_hh": bias_hh, "shapes": shapes}


def golden_values() -> dict[str, Any]:
    values: dict[str, Any] = {"labels": LABELS}
    for key, (name, make) in LAYERS.items():
        c = count(make())
        entries = [
            ("PyTorch (b_ih + b_hh)", c["pytorch"], f"{name}: {c['shapes']} = {c['pytorch']}"),
            (
                "textbook/Keras (one bias per gate)",
                c["textbook"],
                f"{name}: {c['pytorch']} - bias_hh {c['bias_hh']} = {c['textbook']}",
            ),
        ]
        if key == "gru":
            entries.insert(
                1,
                (
                    "Keras GRU reset_after=True (two biases)",
                    c["pytorch"],
                    f"bias of shape (2, 3x{HIDDEN}) as in PyTorch: {c['pytorch']}",
                ),
            )
        values[key] = accepted(*entries)
        values[f"{key}.detail"] = c
    return values


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {"q2": golden_values()}
