"""The PEFT count formulas against what the installed peft really builds (tiny configs on meta)."""

from __future__ import annotations

import pytest
import torch

from graders.metrics.peft_formulas import (
    accepted_trainable,
    expected_trainable,
    first_and_last,
    freeze_count,
    lora_targets,
)
from reference_solutions.bonus_llm_captioning import q1_models

TINY = {
    name: q1_models.make_config(values, vocab_size=300) for name, values in q1_models.TINY.items()
}

CASES = [
    {"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 5},
    {"peft_type": "PREFIX_TUNING", "num_virtual_tokens": 3},
    {
        "peft_type": "PREFIX_TUNING",
        "num_virtual_tokens": 3,
        "prefix_projection": True,
        "encoder_hidden_size": 24,
    },
    {"peft_type": "P_TUNING", "num_virtual_tokens": 4},
    {"peft_type": "P_TUNING", "num_virtual_tokens": 4, "encoder_hidden_size": 32},
    {
        "peft_type": "P_TUNING",
        "num_virtual_tokens": 4,
        "encoder_hidden_size": 16,
        "encoder_reparameterization_type": "LSTM",
    },
    {"peft_type": "LORA", "r": 2, "target_modules": ["q_proj", "v_proj"]},
    {"peft_type": "LORA", "r": 4, "target_modules": "all-linear"},
    {"peft_type": "LORA", "r": 4, "target_modules": r".*\.mlp\.(up|down)_proj"},
    {"peft_type": "LORA", "r": 3, "target_modules": ["o_proj"], "use_dora": True},
    {"peft_type": "LORA", "r": 8, "target_modules": ["k_proj"], "use_rslora": True},
    {"peft_type": "LORA", "r": 2, "target_modules": ["q_proj"], "layers_to_transform": [0, 5]},
]


def _build(kind: str, fields: dict):
    from peft import (
        LoraConfig,
        PrefixTuningConfig,
        PromptEncoderConfig,
        PromptTuningConfig,
        get_peft_model,
    )

    cls = {
        "PROMPT_TUNING": PromptTuningConfig,
        "PREFIX_TUNING": PrefixTuningConfig,
        "P_TUNING": PromptEncoderConfig,
        "LORA": LoraConfig,
    }[kind]
    return lambda model: get_peft_model(model, cls(task_type="CAUSAL_LM", **fields))


@pytest.mark.parametrize("arch", sorted(TINY))
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{v}" for v in c.values())[:60])
def test_formula_equals_peft(arch: str, case: dict) -> None:
    config = TINY[arch]
    fields = {k: v for k, v in case.items() if k != "peft_type"}
    model = _build(case["peft_type"], fields)(q1_models.build_model(config, "meta"))
    measured = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert expected_trainable(q1_models.dims_of(config), case) == measured


@pytest.mark.parametrize("arch", sorted(TINY))
def test_freeze_formula_and_totals(arch: str) -> None:
    config = TINY[arch]
    model = q1_models.build_model(config, "meta")
    dims = q1_models.dims_of(config)
    assert dims.total_params() == sum(p.numel() for p in model.parameters())
    layers = first_and_last(config.num_hidden_layers)
    assert layers == [0, 1, 4, 5]
    by_layer = sum(p.numel() for i in layers for p in model.model.layers[i].parameters())
    assert freeze_count(dims, layers) == by_layer


def test_gemma2_has_four_norms_per_layer() -> None:
    gemma = q1_models.dims_of(TINY["gemma2-tiny"])
    llama = q1_models.dims_of(TINY["llama-tiny"])
    assert gemma.layer_params() - llama.layer_params() == 2 * gemma.hidden_size


def test_all_linear_excludes_the_head_and_regex_is_a_full_match() -> None:
    dims = q1_models.dims_of(TINY["llama-tiny"])
    names = lora_targets(dims, "all-linear")
    assert "lm_head" not in names and len(names) == 7 * 6
    assert lora_targets(dims, r"q_proj") == []  # re.fullmatch, as peft does
    assert len(lora_targets(dims, ["q_proj"])) == 6


def test_prefix_accepts_the_pre_gqa_convention_too() -> None:
    dims = q1_models.dims_of(TINY["gemma2-tiny"])
    case = {"peft_type": "PREFIX_TUNING", "num_virtual_tokens": 10}
    current, legacy = accepted_trainable(dims, case)
    assert current == 10 * 6 * 2 * (2 * 16)  # kv heads x head_dim
    assert legacy == 10 * 6 * 2 * 64  # hidden size


def test_published_totals_on_meta() -> None:
    for values, _, published in q1_models.PUBLISHED.values():
        config = q1_models.make_config(values)
        with torch.device("meta"):
            n = sum(p.numel() for p in q1_models.build_model(config, "meta").parameters())
        assert n == published == q1_models.dims_of(config).total_params()


def test_the_untrusted_dims_fact_has_every_decoder_field_and_its_default() -> None:
    """`DimsFact` (what the probe reports) lists `DecoderDims`' fields again: they must agree."""
    import dataclasses

    from graders.facts.peft import DimsFact
    from graders.metrics.peft_formulas import DecoderDims

    fields = dataclasses.fields(DecoderDims)
    assert list(DimsFact.model_fields) == [f.name for f in fields]
    for f in fields:
        if f.default is not dataclasses.MISSING:
            assert DimsFact.model_fields[f.name].default == f.default, f.name
