"""Q1 reference: the committed golden counts are rebuilt (a fast subset) and the smoke training
really fine-tunes (loss falls, answers change) with only the method's parameters trained."""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest

from graders.golden import load_golden
from graders.metrics.peft_formulas import DecoderDims
from reference_solutions.bonus_llm_captioning import q1_models, q1_peft


@pytest.fixture(scope="module")
def golden() -> dict:
    return load_golden("bonus-llm-captioning").documents


def test_golden_records_the_peft_version_it_was_built_with(golden: dict) -> None:
    counts = golden["q1_peft_counts"]
    assert counts["values"]["peft_version"] == counts["provenance"]["versions"]["peft"]
    assert counts["values"]["peft_version"] == version("peft"), "rebuild the golden files"


def test_published_counts_follow_from_the_configs(golden: dict) -> None:
    """Every golden count of Gemma-2-2B / Llama-3.2-3B equals the formula on the published config."""
    published = golden["q1_peft_counts"]["values"]["published"]
    assert set(published) == {"gemma-2-2b", "llama-3.2-3b"}
    for name, entry in published.items():
        values = q1_models.PUBLISHED[name][0]
        config = q1_models.make_config(values)
        dims = q1_models.dims_of(config)
        assert entry["total_params"] == q1_models.PUBLISHED[name][2] == dims.total_params()
        for method in q1_peft.METHODS:
            assert entry["methods"][method.name]["trainable"] == q1_peft.formula_count(dims, method)


def test_one_published_count_rebuilt_on_meta(golden: dict) -> None:
    """Prefix tuning is the count peft changed across versions (GQA, head_dim): rebuild it."""
    config = q1_models.make_config(q1_models.GEMMA2_2B)
    method = next(m for m in q1_peft.METHODS if m.name == "prefix_tuning")
    model = q1_peft.apply_method(q1_models.build_model(config, "meta"), method)
    expected = golden["q1_peft_counts"]["values"]["published"]["gemma-2-2b"]["methods"]
    assert (
        q1_peft.trainable_count(model)
        == expected["prefix_tuning"]["trainable"]
        == 20 * 26 * 2 * 4 * 256
    )


def test_tiny_counts_rebuilt_equal_golden(golden: dict) -> None:
    tiny = golden["q1_peft_counts"]["values"]["tiny_vocab600"]
    for name, values in q1_models.TINY.items():
        rebuilt = q1_peft.count_methods(q1_models.make_config(values, vocab_size=600), "meta")
        assert rebuilt == tiny[name]


def test_golden_training_learned(golden: dict) -> None:
    runs = golden["q1_peft_training"]["values"]["runs"]
    assert set(runs["gemma2-tiny"]["methods"]) == {m.name for m in q1_peft.METHODS}
    for run in runs.values():
        dims = DecoderDims(**run["config"])
        for name, r in run["methods"].items():
            method = next(m for m in q1_peft.METHODS if m.name == name)
            assert r["trainable"] == q1_peft.formula_count(dims, method), name
            loss = r["train_loss"]
            assert sum(loss[-10:]) / 10 < 0.97 * sum(loss[:10]) / 10, name
            assert r["val_loss_after"] < r["val_loss_before"], name
            assert (
                len(r["generations_after"]) == 3
                and r["generations_after"] != r["generations_before"]
            )
    json.dumps(runs)  # stays plain JSON


@pytest.mark.slow
def test_smoke_training_rebuilt_subset() -> None:
    """A short run of the freeze baseline from scratch: validation loss falls, count as the formula."""
    method = next(m for m in q1_peft.METHODS if m.family == "freeze")
    run = q1_peft.smoke_training("llama", (method,), steps=15, pretrain_steps=40)
    r = run["methods"][method.name]
    assert r["val_loss_after"] < r["val_loss_before"]
    assert r["trainable"] == q1_peft.formula_count(DecoderDims(**run["config"]), method)
