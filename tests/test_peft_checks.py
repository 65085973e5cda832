"""The Q1 PEFT checks on hand-made probe facts (tables of situations and expected verdicts)."""

from __future__ import annotations

from typing import Any

import pytest

from graders.checks import get_check
from graders.checks.peft.parsing import family_of
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden
from graders.metrics.peft_formulas import DecoderDims, expected_trainable, freeze_count

DIMS = {
    "model_type": "gemma2",
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 6,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "vocab_size": 500,
}
D = DecoderDims(**DIMS)
LAYER = D.layer_params()
TOTAL = D.total_params()
PRINTS = {"model.layers.3.mlp.down_proj.weight": "aaaa", "model.embed_tokens.weight": "bbbb"}


def model(name: str, peft: dict | None, trainable: int, adapter: int = 0, **kw: Any) -> dict:
    layers = kw.pop("layers", {str(i): [0, LAYER] for i in range(6)})
    prints = kw.pop("prints", PRINTS)
    grad = kw.pop("prints_grad", False)
    return {
        "name": name,
        "is_peft": peft is not None,
        "dims": DIMS,
        "peft": peft,
        "n_params": TOTAL + adapter,
        "n_trainable": trainable,
        "groups": {"adapter": adapter, **kw.pop("groups", {})},
        "layers": layers,
        "fingerprints": {k: {"hash": v, "requires_grad": grad} for k, v in prints.items()},
        **kw,
    }


PROMPT = {"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 8, "prompt_tuning_init": "TEXT"}
LORA = {"peft_type": "LORA", "r": 4, "target_modules": ["q_proj", "v_proj"], "use_rslora": True}
N_PROMPT = expected_trainable(D, PROMPT)
N_LORA = expected_trainable(D, LORA)
N_FREEZE = freeze_count(D, [0, 1, 4, 5])
FREEZE_LAYERS = {str(i): [LAYER if i in (0, 1, 4, 5) else 0, LAYER] for i in range(6)}
PRISTINE = model("base_model", None, TOTAL)
GOOD = [
    PRISTINE,
    model("pt_model", PROMPT, N_PROMPT, N_PROMPT, prompt_rows_in_vocab=0.0),
    model("lora_model", LORA, N_LORA, N_LORA, n_lora_modules=12),
    model("freeze_model", None, N_FREEZE, layers=FREEZE_LAYERS),
]
CURVE = [3.0 - 0.05 * i for i in range(30)]
RESULTS = {
    "test_prompts": ["پایتخت ایران کجاست؟"],
    **{
        k: {
            "train_loss": CURVE,
            "val_loss": [3.0, 2.0],
            "generations_before": ["x"],
            "generations_after": ["تهران"],
        }
        for k in ("prompt_tuning", "lora", "freeze_first2_last2")
    },
}
TABLE = [
    {"method": "prompt_tuning", "trainable_params": N_PROMPT, "time_s": 0.1, "memory_mb": 1},
    {"method": "lora", "trainable_params": N_LORA, "time_s": 0.1, "memory_mb": 1},
    {"method": "freeze", "trainable_params": N_FREEZE, "time_s": 0.1, "memory_mb": 2},
]
MASKED = {
    "name": "train_dataset",
    "n_items": 2,
    "examples": [{"n_tokens": 40, "masked_prefix": 30, "n_learned": 10}] * 2,
}


def facts(**extra: Any) -> Facts:
    peft = {"models": GOOD, "results": RESULTS, "comparison": TABLE, "dataset": MASKED}
    peft.update(extra)
    return Facts(probe=ProbeFacts(extras={"peft": peft}))


def run(check: str, f: Facts, **params: Any):
    return get_check(check).run(f, Golden.empty(), params)


CASES = [
    # (check, params, facts changes, expected score)
    ("peft_trainable_count", {"family": "soft_prompt"}, {}, 1.0),
    ("peft_trainable_count", {"family": "lora"}, {}, 1.0),
    ("peft_trainable_count", {"family": "freeze"}, {}, 1.0),
    (
        "peft_trainable_count",
        {"family": "lora"},
        {"models": [PRISTINE, model("lora_model", LORA, TOTAL + N_LORA, N_LORA)]},
        0.0,
    ),
    ("peft_trainable_count", {"family": "soft_prompt"}, {"models": [PRISTINE]}, 0.0),
    ("peft_base_frozen", {"family": "lora"}, {}, 1.0),
    (
        "peft_base_frozen",
        {"family": "lora"},
        {"models": [PRISTINE, model("lora_model", LORA, TOTAL + N_LORA, N_LORA, prints_grad=True)]},
        0.0,
    ),
    (
        "peft_base_frozen",
        {"family": "soft_prompt"},
        {
            "models": [
                PRISTINE,
                model(
                    "pt",
                    PROMPT,
                    N_PROMPT,
                    N_PROMPT,
                    prints={**PRINTS, "model.embed_tokens.weight": "cccc"},
                ),
            ]
        },
        0.0,
    ),
    ("soft_prompt_trained", {}, {}, 1.0),
    (
        "soft_prompt_trained",
        {},
        {"models": [model("pt", PROMPT, N_PROMPT, N_PROMPT, prompt_rows_in_vocab=1.0)]},
        0.0,
    ),
    ("freeze_layers", {}, {}, 1.0),
    (
        "freeze_layers",
        {},
        {
            "models": [
                model(
                    "fz",
                    None,
                    N_FREEZE,
                    layers={str(i): [LAYER if i in (0, 1, 3, 4) else 0, LAYER] for i in range(6)},
                )
            ]
        },
        0.0,
    ),
    (
        "freeze_layers",
        {},
        {
            "models": [
                model(
                    "fz",
                    None,
                    N_FREEZE + 500 * 64,
                    layers=FREEZE_LAYERS,
                    groups={"embed": 500 * 64},
                )
            ]
        },
        0.5,
    ),
    ("labels_masked", {}, {}, 1.0),
    (
        "labels_masked",
        {},
        {"dataset": {"examples": [{"n_tokens": 40, "masked_prefix": 0, "n_learned": 40}]}},
        0.0,
    ),
    ("labels_masked", {}, {"dataset": None}, 0.0),
    ("peft_loss_decreases", {"family": "lora"}, {}, 1.0),
    (
        "peft_loss_decreases",
        {"family": "soft_prompt"},
        {"results": {**RESULTS, "prompt_tuning": {"train_loss": [3.0] * 30, "val_loss": [3.0]}}},
        0.0,
    ),
    (
        "peft_loss_decreases",
        {"family": "freeze"},
        {"results": {**RESULTS, "freeze_first2_last2": {"train_loss": CURVE}}},
        0.5,
    ),
    ("peft_generations", {"family": "lora"}, {}, 1.0),
    (
        "peft_generations",
        {"family": "lora"},
        {"results": {**RESULTS, "lora": {"generations_after": ["a"]}}},
        0.0,
    ),
    ("lora_targets", {}, {}, 1.0),
    (
        "lora_targets",
        {},
        {"models": [model("l", {**LORA, "target_modules": ["up_proj"]}, 0)]},
        0.0,
    ),
    ("lora_variant", {}, {}, 1.0),
    ("peft_comparison_table", {}, {}, 1.0),
    ("peft_comparison_table", {}, {"comparison": TABLE[:2]}, 6 / 9),
    (
        "peft_comparison_table",
        {},
        {"comparison": [{**TABLE[0], "trainable_params": 999_999}, *TABLE[1:]]},
        0.5,
    ),
    (
        "peft_comparison_table",
        {},
        {  # a DataFrame, as the probe sends it
            "comparison": {
                "columns": ["trainable params", "time per step (s)", "حافظه (MB)"],
                "index": ["Prompt Tuning", "LoRA", "Freeze layers"],
                "data": [[N_PROMPT, 0.1, 1.0], [N_LORA, 0.2, 1.0], [N_FREEZE, 0.3, 2.0]],
            }
        },
        1.0,
    ),
    ("peft_comparison_table", {}, {"comparison": None}, 0.0),
]


@pytest.mark.parametrize(("check", "params", "changes", "score"), CASES)
def test_check_table(check: str, params: dict, changes: dict, score: float) -> None:
    result = run(check, facts(**changes), **params)
    assert result.score == pytest.approx(score), (result.message_en, result.evidence)
    assert result.message_fa and result.message_en


def test_count_uses_the_students_own_settings() -> None:
    """r=16 is valid too: the expected count follows the student's config, not the reference's."""
    lora16 = {**LORA, "r": 16}
    n16 = expected_trainable(D, lora16)
    assert n16 == 4 * N_LORA
    f = facts(models=[PRISTINE, model("lora16", lora16, n16, n16)])
    assert run("peft_trainable_count", f, family="lora").score == 1.0


def test_messages_name_the_numbers() -> None:
    f = facts(models=[PRISTINE, model("lora_model", LORA, TOTAL + N_LORA, N_LORA)])
    result = run("peft_trainable_count", f, family="lora")
    assert f"{N_LORA:,}" in result.message_en and f"{TOTAL + N_LORA:,}" in result.message_en
    frozen = run("peft_base_frozen", f, family="lora")
    assert "not frozen" in frozen.message_en


def test_no_notebook_run_is_an_error_not_a_fail() -> None:
    result = run("peft_trainable_count", Facts(), family="lora")
    assert result.status == "error"


def test_untrusted_probe_data_is_rejected_quietly() -> None:
    f = Facts(
        probe=ProbeFacts(extras={"peft": {"models": [{"probe_error": "boom"}, 5], "results": []}})
    )
    assert run("peft_trainable_count", f, family="lora").score == 0.0
    assert run("peft_loss_decreases", f, family="lora").score == 0.0


def test_loss_check_draws_the_curves() -> None:
    result = run("peft_loss_decreases", facts(), family="soft_prompt")
    figure = result.evidence["figure"]
    assert figure["kind"] == "curves_over_band"
    assert len(figure["student"]["prompt_tuning"]["y"]) == 30


@pytest.mark.parametrize(
    ("label", "family"),
    [
        ("prompt_tuning", "soft_prompt"),
        ("Prefix Tuning", "soft_prompt"),
        ("P-tuning", "soft_prompt"),
        ("DoRA", "lora"),
        ("rsLoRA (r=8)", "lora"),
        ("freeze_first2_last2", "freeze"),
        ("باز کردن لایه‌ها", "freeze"),
        ("base", None),
    ],
)
def test_family_of(label: str, family: str | None) -> None:
    assert family_of(label) == family
