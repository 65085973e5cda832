"""The `peft` probe run in-process on live tiny models (no notebook), then read by the checks."""

from __future__ import annotations

import json

import pytest
import torch

from graders.checks import get_check
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden
from graders.probes import collector_source
from reference_solutions.bonus_llm_captioning import q1_models


def _probe(namespace: dict) -> dict:
    scope: dict = {}
    exec(collector_source({"peft": {}}), scope)  # the text injected into the student's kernel
    out = scope["_dlgrade_probe_peft"](namespace, {"dataset_variables": ["train_dataset"]})
    return json.loads(json.dumps(out))  # what crosses the sandbox boundary is JSON


def _base(config) -> torch.nn.Module:
    torch.manual_seed(0)
    return q1_models.build_model(config)


@pytest.fixture(scope="module")
def config():
    return q1_models.make_config(q1_models.TINY["llama-tiny"], vocab_size=120)


def _check(name: str, data: dict, **params) -> float:
    facts = Facts(probe=ProbeFacts(extras={"peft": data}))
    return get_check(name).run(facts, Golden.empty(), params)


def test_probe_sees_frozen_base_and_trained_weights(config) -> None:
    from peft import LoraConfig, PromptTuningConfig, get_peft_model

    base_model = _base(config)
    lora = get_peft_model(_base(config), LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
    prompt = get_peft_model(
        _base(config),
        PromptTuningConfig(
            task_type="CAUSAL_LM", num_virtual_tokens=4, prompt_tuning_init="SAMPLE_VOCAB"
        ),
    )
    tampered = get_peft_model(_base(config), LoraConfig(r=2, target_modules=["q_proj"]))
    with torch.no_grad():  # a frozen weight that moved anyway
        tampered.get_base_model().model.layers[3].mlp.down_proj.weight.add_(0.5)
    data = _probe(
        {
            "base_model": base_model,
            "lora_model": lora,
            "models": {"prompt": prompt},
            "train_dataset": [
                {"input_ids": [1, 5, 6, 7, 8], "labels": [-100, -100, -100, 7, 8]},
            ],
        }
    )
    by_name = {m["name"]: m for m in data["models"]}
    assert set(by_name) == {"base_model", "lora_model", "models['prompt']"}
    assert by_name["lora_model"]["n_trainable"] == 6 * (2 * (64 + 64) + 2 * (64 + 32))
    assert by_name["models['prompt']"]["prompt_rows_in_vocab"] == 1.0  # sampled rows, never trained
    assert _check("peft_trainable_count", data, family="lora").score == 1.0
    assert _check("peft_base_frozen", data, family="lora").score == 1.0
    assert _check("soft_prompt_trained", data).score == 0.0
    assert _check("labels_masked", data).score == 1.0

    moved = _probe({"base_model": base_model, "tampered": tampered})
    result = _check("peft_base_frozen", moved, family="lora")
    assert result.score == 0.0 and "down_proj" in result.message_en


def test_probe_freeze_baseline_layers(config) -> None:
    model = _base(config)
    for p in model.parameters():
        p.requires_grad = False
    for i in (0, 1, 3, 4):
        model.model.layers[i].requires_grad_(True)
    data = _probe({"freeze_model": model, "base_model": _base(config)})
    (frozen,) = [m for m in data["models"] if m["name"] == "freeze_model"]
    assert [int(k) for k, (t, _) in frozen["layers"].items() if t] == [0, 1, 3, 4]
    result = _check("freeze_layers", data)
    assert result.score == 0.0 and "[0, 1, 4, 5]" in result.message_en
