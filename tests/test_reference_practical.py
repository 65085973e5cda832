"""Practical references: a fast subset is rebuilt and must land inside the committed bands."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from graders.golden import load_golden
from reference_solutions.hw5_rnn import q6_practical as q6
from reference_solutions.hw5_transformers_ut import practical_beit, practical_bert, practical_mlp


@pytest.mark.slow
def test_q6_subset_rebuild_within_golden_bands() -> None:
    """Seed 0 at lengths 50 and 200 (experiments A, B, C): every value inside the band."""
    golden = load_golden("hw5-rnn")
    torch.set_num_threads(1)
    cfg = replace(q6.SMOKE, seeds=(0,), lengths=(50, 200))
    values = q6.golden_values(q6.run_experiments(cfg, lambda n: q6.smoke_data(cfg, n), "cpu"), cfg)
    for cell in q6.CELLS:
        for n in cfg.lengths:
            band = golden.get(f"q6:acc.{cell}.{n}")
            assert band["low"] - 1e-6 <= values[f"acc.{cell}.{n}"]["mean"] <= band["high"] + 1e-6
        band = golden.get(f"q6:grad_decay.{cell}")
        assert band["low"] - 1e-6 <= values[f"grad_decay.{cell}"]["mean"] <= band["high"] + 1e-6
    assert values["grad_decay.rnn"]["mean"] > 5 * values["grad_decay.lstm"]["mean"]
    lstm_c = golden.get("q6:state_norm.lstm_c")
    assert len(values["state_norm.lstm_c"]["x"]) == len(lstm_c["x"]) == q6.GRAD_LENGTH


def test_q6_golden_covers_every_experiment() -> None:
    values = load_golden("hw5-rnn").documents["q6"]["values"]
    for cell in q6.CELLS:
        assert {f"acc.{cell}.{n}" for n in q6.LENGTHS} <= set(values)
        assert len(values[f"grad_decay.{cell}"]["runs"]) == values["n_seeds"] >= 3
        assert values[f"grad_curve.{cell}"]["x"][-1] == q6.GRAD_LENGTH
    assert {"state_norm.rnn_h", "state_norm.lstm_h", "state_norm.lstm_c"} <= set(values)


def test_transformers_references() -> None:
    golden = load_golden("hw5-transformers-ut")
    mlp = golden.get("p2_mlp:n_params")["accepted"][0]["value"]
    assert mlp == sum(p.numel() for p in practical_mlp.make_mlp().parameters())
    tokenizer, model = practical_bert.tiny_bert()
    bert = practical_bert.analyse(tokenizer, model, "cpu")
    assert bert["tokens"][0] == "[CLS]" and bert["tokens"][-1] == "[SEP]"
    assert bert["attention_shape"] == golden.get("p1_bert:attention_shape")
    assert bert["attention_row_sum_max_error"] < 1e-5
    seg = practical_beit.segmentation("smoke", "cpu")
    assert seg["logits_shape"] == golden.get("p2_beit:segmentation")["logits_shape"]
    acc = golden.get("p2_mlp:accuracy")
    assert 0.1 < acc["low"] <= acc["high"] <= 1.0  # learnt something, from several seeds
