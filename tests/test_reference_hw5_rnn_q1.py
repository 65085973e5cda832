"""hw5-rnn Q1 reference values against independent closed-form formulas."""

from __future__ import annotations

import json

import pytest
import torch

from graders.golden_compare import golden_differences
from graders.paths import golden_dir
from reference_solutions.build import SEED
from reference_solutions.hw5_rnn.q1_layers import WHAT_IFS, Config, analyse, golden_documents


def rnn_formula(i: int, h: int, t: int, directions: int = 1) -> dict[str, int]:
    """Closed forms, written independently of the torch-built layers."""
    return {
        "weights": directions * (h * i + h * h),
        "biases_pytorch": directions * 2 * h,
        "biases_textbook": directions * h,
        "macs": directions * t * (h * i + h * h),
    }


def linear_formula(i: int, o: int) -> dict[str, int]:
    return {"weights": i * o, "biases_pytorch": o, "biases_textbook": o, "macs": i * o}


def expected_layers(cfg: Config) -> dict[str, dict[str, int]]:
    d = 2 if cfg.bidirectional_l2 else 1
    out = {
        "L1": rnn_formula(cfg.input_size, 32, cfg.seq_len),
        "L2": rnn_formula(32, 64, cfg.seq_len, d),
        "L3": linear_formula(cfg.seq_len * 64 * d, 512),
    }
    if not cfg.drop_l4:
        out["L4"] = linear_formula(512, 10)
    return out


@pytest.mark.parametrize("cfg", [Config(), *WHAT_IFS.values()], ids=["base", *WHAT_IFS])
def test_layers_match_closed_forms(cfg: Config) -> None:
    got = analyse(cfg)
    want = expected_layers(cfg)
    assert set(got) == set(want)
    for name, formula in want.items():
        for key, value in formula.items():
            assert got[name][key] == value, (name, key)
        assert got[name]["flops_2macs"] == 2 * formula["macs"]


def test_base_numbers_by_hand() -> None:
    got = analyse(Config())
    assert got["L1"]["output_shape"] == [50, 32]
    assert got["L2"]["output_shape"] == [50, 64]
    assert got["L3"]["output_shape"] == [512]
    assert got["L4"]["output_shape"] == [10]
    assert got["L1"]["weights"] == 2048 + 1024
    assert got["L3"]["weights"] == 3200 * 512
    total_pytorch = sum(v["weights"] + v["biases_pytorch"] for v in got.values())
    assert total_pytorch == 3136 + 6272 + 1_638_912 + 5130


def test_committed_golden_matches_a_rebuild() -> None:
    committed = json.loads((golden_dir("hw5-rnn") / "q1.json").read_text(encoding="utf-8"))
    torch.manual_seed(SEED)  # as `build_documents` does, but only Q1 (not the slow Q6 practical)
    rebuilt = golden_documents("smoke", "cpu")["q1"]
    assert golden_differences(committed["values"], json.loads(json.dumps(rebuilt))) == []
    assert {"profile", "device", "seed", "versions", "date"} <= set(committed["provenance"])
