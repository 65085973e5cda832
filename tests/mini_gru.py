"""The mini-gru test assignment (tests/files/selfcheck): a project home with computed golden values.

`make_home(dest)` lays out `dest/assignments/mini-gru/` (public spec and the TA's `hidden/`)
and `dest/reference_solutions/mini_gru/golden/t1.json`, whose values torch computes here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# imported here, at collection: pytester restores sys.modules after each run, and torch's
# C extension cannot be imported a second time in one process
import torch

FILES = Path(__file__).resolve().parent / "files" / "selfcheck"
SUBMISSIONS = FILES / "submissions"
SEQ_LEN = 12


def golden_values() -> dict:
    gru = torch.nn.GRU(8, 4, batch_first=True)
    weights = gru.weight_ih_l0.numel() + gru.weight_hh_l0.numel()
    bias = gru.bias_ih_l0.numel()
    out, _ = gru(torch.zeros(1, SEQ_LEN, 8))
    return {
        "gru.params": {
            "accepted": [
                {
                    "value": weights + 2 * bias,
                    "convention": "PyTorch (b_ih + b_hh)",
                    "derivation": f"{weights} + 2 x {bias}",
                },
                {
                    "value": weights + bias,
                    "convention": "one bias",
                    "derivation": f"{weights} + {bias}",
                },
            ]
        },
        "gru.output_shape": {"shape": list(out.shape[1:])},
        "gru.flops": {
            "accepted": [
                {
                    "value": 2 * SEQ_LEN * weights,
                    "convention": "2 x MACs",
                    "derivation": f"2 x {SEQ_LEN} x {weights}",
                }
            ]
        },
    }


def make_home(dest: Path) -> Path:
    shutil.copytree(FILES / "mini-gru", dest / "assignments" / "mini-gru")
    golden = dest / "reference_solutions" / "mini_gru" / "golden"
    golden.mkdir(parents=True)
    doc = {
        "name": "t1",
        "assignment": "mini-gru",
        "provenance": {"profile": "smoke"},
        "values": golden_values(),
    }
    (golden / "t1.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return dest
