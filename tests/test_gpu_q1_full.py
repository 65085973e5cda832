"""Bonus Q1's full profile, the parts that can run on a CPU (issue 22): prefix tuning without
gradient checkpointing, prerequisites before anything loads, hub id or local snapshot, a NaN
loss stops at its step, answerless examples dropped, Gemma stops at <end_of_turn>."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from graders.errors import DlgradeError
from reference_solutions.bonus_llm_captioning import q1_data, q1_full, q1_models, q1_peft, q1_train


def tiny_model():
    config = q1_models.make_config(q1_models.TINY["llama-tiny"], vocab_size=120)
    return q1_models.build_model(config)


def method(name: str) -> q1_peft.Method:
    return next(m for m in q1_full.full_methods() if m.name == name)


def test_peft_refuses_prefix_tuning_on_a_checkpointed_model() -> None:
    """The failure the full profile had: checkpointing on for every method."""
    model = tiny_model()
    model.gradient_checkpointing_enable()
    with pytest.raises(ValueError, match="gradient checkpointing"):
        q1_peft.apply_method(model, method("prefix_tuning"))


@pytest.mark.parametrize("name", ["prefix_tuning", "prompt_tuning", "lora_attention"])
def test_full_base_model_trains_with_each_method(name: str) -> None:
    torch.manual_seed(0)
    m = method(name)
    model = q1_peft.apply_method(q1_full.prepare_base(tiny_model(), m), m)
    base = model.get_base_model()
    checkpointed = any(getattr(m, "gradient_checkpointing", False) for m in base.modules())
    assert checkpointed is (name != "prefix_tuning")
    model.train()
    ids = torch.randint(3, 120, (2, 10))
    loss = model(input_ids=ids, labels=ids, attention_mask=torch.ones_like(ids)).loss
    loss.backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert grads
    assert all(g is not None and torch.isfinite(g).all() for g in grads)


def test_full_learning_rates_are_those_a_2b_model_survives() -> None:
    lrs = {m.name: m.lr for m in q1_full.full_methods()}
    assert set(lrs) == {m.name for m in q1_peft.METHODS}
    assert lrs["lora_attention"] == 2e-4
    assert lrs["prefix_tuning"] == 1e-2
    assert lrs["freeze_first2_last2"] == 2e-5
    assert all(q1_full.FULL_LR[n][1] for n in lrs)  # each with its source


def test_trainable_weights_upcast_frozen_stay_bf16() -> None:
    model = tiny_model().to(torch.bfloat16)
    q1_peft.apply_method(model, q1_peft.METHODS[-1])  # freeze: first two and last two layers
    q1_full.upcast_trainable(model)
    dtypes = {p.dtype for p in model.parameters() if p.requires_grad}
    frozen = {p.dtype for p in model.parameters() if not p.requires_grad}
    assert dtypes == {torch.float32}
    assert frozen == {torch.bfloat16}


def test_nan_loss_stops_training_at_its_step() -> None:
    """An infinite learning rate makes every weight inf/NaN after step 1: step 2's loss is NaN,
    and the run stops there instead of training on and failing at the end."""
    tokenizer, train, val = q1_data.smoke_data("llama")
    config = q1_models.make_config(
        q1_models.TINY["llama-tiny"],
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    lora = replace(method("lora_attention"), lr=math.inf)
    with pytest.raises(q1_full.NonFiniteLoss) as err:
        q1_train.train_method(
            lora,
            lambda _m: q1_models.build_model(config),
            tokenizer,
            train,
            val,
            device="cpu",
            steps=30,
            batch_size=4,
            system_role=True,
            max_new_tokens=2,
        )
    assert "at step 2;" in err.value.message_en
    assert "گام 2" in err.value.message_fa


def test_examples_without_answer_tokens_are_dropped() -> None:
    tokenizer, _, _ = q1_data.smoke_data("gemma2")
    conv = q1_data.to_messages(q1_data.slimorca_conversations(q1_data.PAIRS_FA[:1])[0], False)
    whole = q1_data.encode(tokenizer, conv, max_length=256)
    prompt_len = whole["labels"].count(q1_data.IGNORE_INDEX)
    cut = q1_data.encode(tokenizer, conv, max_length=prompt_len)  # truncated inside the prompt
    assert set(cut["labels"]) == {q1_data.IGNORE_INDEX}
    assert q1_data.with_answers([whole, cut, whole]) == [whole, whole]


def test_generation_stops_at_end_of_turn_when_eos_differs() -> None:
    tokenizer = q1_data.smoke_data("gemma2")[0]
    vocab = tokenizer.get_vocab()
    tokenizer.eos_token = "<eos>"  # Gemma-2-it's real tokenizer: eos is <eos>
    assert q1_full.stop_token_ids(tokenizer) == [vocab["<eos>"], vocab["<end_of_turn>"]]


def test_model_source_key_hub_id_or_local_folder(tmp_path: Path) -> None:
    assert q1_full.model_source("gemma-2-2b") == q1_full.ModelSource(
        "google/gemma-2-2b-it", False, "gemma2", "gemma-2-2b"
    )
    snapshot = tmp_path / "gemma-local"
    snapshot.mkdir()
    (snapshot / "config.json").write_text(json.dumps({"model_type": "gemma2"}), "utf-8")
    local = q1_full.model_source(str(snapshot))
    assert (local.source, local.local, local.model_type) == (
        str(snapshot.resolve()),
        True,
        "gemma2",
    )
    hub = q1_full.model_source("someone/gemma-2-2b-fa")
    assert (hub.source, hub.local, hub.model_type) == ("someone/gemma-2-2b-fa", False, None)


def test_prerequisites_name_every_missing_piece(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DLGRADE_SLIMORCA_FA", raising=False)
    monkeypatch.delenv("DLGRADE_Q1_MODEL", raising=False)
    monkeypatch.setattr(q1_full, "hf_token", lambda: None)
    monkeypatch.setattr(q1_full, "missing_packages", lambda packages: [])
    found = q1_full.prerequisites("full")
    en = "\n".join(e for _, e in found)
    assert "DLGRADE_SLIMORCA_FA is not set" in en
    assert "google/gemma-2-2b-it is gated" in en
    assert "https://huggingface.co/google/gemma-2-2b-it" in en
    assert "HF_TOKEN" in en
    assert all(fa and fa != e for fa, e in found)  # a Persian line beside each English one
    assert q1_full.prerequisites("smoke") == []
    # a local snapshot needs no token; a missing data path is named
    snapshot = tmp_path / "llama"
    snapshot.mkdir()
    (snapshot / "config.json").write_text(json.dumps({"model_type": "llama"}), "utf-8")
    monkeypatch.setenv("DLGRADE_Q1_MODEL", str(snapshot))
    monkeypatch.setenv("DLGRADE_SLIMORCA_FA", str(tmp_path / "no-such.jsonl"))
    en = [e for _, e in q1_full.prerequisites("full")]
    assert en == [
        f"DLGRADE_SLIMORCA_FA names a path that does not exist: {tmp_path / 'no-such.jsonl'}"
    ]
    monkeypatch.setenv("DLGRADE_Q1_MODEL", "gemma")
    en = [e for _, e in q1_full.prerequisites("full")]
    assert any("DLGRADE_Q1_MODEL=gemma is neither a known key" in e for e in en)


def test_full_build_stops_before_loading_anything(tmp_path: Path, monkeypatch) -> None:
    """The gated tokenizer used to load before the data-set variable was checked."""
    import transformers

    from reference_solutions.build import write_golden

    monkeypatch.delenv("DLGRADE_SLIMORCA_FA", raising=False)
    monkeypatch.delenv("DLGRADE_Q1_MODEL", raising=False)
    monkeypatch.setattr(q1_full, "hf_token", lambda: None)

    def no_loading(*a, **k):
        raise AssertionError("nothing may load before the prerequisites are checked")

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", no_loading)
    monkeypatch.setattr(q1_peft, "published_counts", no_loading)
    with pytest.raises(DlgradeError) as err:
        write_golden(
            "bonus-llm-captioning", "full", "cpu", out_dir=tmp_path, only=["q1_peft"], log=print
        )
    assert "q1_peft: DLGRADE_SLIMORCA_FA is not set" in err.value.message_en
    assert "HF_TOKEN" in err.value.message_fa
    assert list(tmp_path.iterdir()) == []


def test_gated_tokenizer_error_is_bilingual(monkeypatch) -> None:
    import transformers

    def gated(*a, **k):
        raise OSError("You are trying to access a gated repo.")

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", gated)
    with pytest.raises(DlgradeError) as err:
        q1_full.load_tokenizer(q1_full.model_source("llama-3.2-3b"))
    assert "https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct" in err.value.message_en
    assert "HF_TOKEN" in err.value.message_fa
