"""Practical references: what the committed golden files hold (rebuilds: test_reference_drift*)."""

from __future__ import annotations

from graders.golden import load_golden
from reference_solutions.hw5_rnn import q6_practical as q6
from reference_solutions.hw5_transformers_ut import practical_beit, practical_bert, practical_mlp


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
    assert bert["attention_rows_sum_to_one_within"] == practical_bert.ROW_SUM_TOLERANCE
    seg = practical_beit.segmentation("smoke", "cpu")
    assert seg["logits_shape"] == golden.get("p2_beit:segmentation")["logits_shape"]
    acc = golden.get("p2_mlp:accuracy")
    assert 0.1 < acc["low"] <= acc["high"] <= 1.0  # learnt something, from several seeds
