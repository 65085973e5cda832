"""Q1 reference: Persian instruction fine-tuning with soft prompts, LoRA (DoRA, rsLoRA) and the
baseline that unfreezes only the first two and last two decoder layers.

For every method: the exact trainable-parameter count (measured on the built model and asserted
equal to the formula of `graders.metrics.peft_formulas`), the training-loss curve, the validation
loss before and after, time per step, peak memory, and greedy answers to fixed Persian prompts
before and after training. Counts are also given for the published Gemma-2-2B and Llama-3.2-3B
configs, built on the `meta` device (no weights), with the installed peft version.

`smoke`: tiny random Gemma-2 and Llama models (6 layers, hidden 64), a tokenizer trained here,
the Persian pairs of `q1_data`, CPU, seconds. `full`: Gemma-2-2B-it (or Llama-3.2-3B-Instruct,
DLGRADE_Q1_MODEL=llama-3.2-3b, a hub id or a local snapshot folder) in bf16 on a GPU with the
Persian SlimOrca translation, at the learning rates of `FULL_LR` (trainable weights in float32
under bf16 autocast); every prerequisite is checked before anything loads, and a non-finite
loss stops the build at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from graders.metrics.peft_formulas import (
    ATTENTION_PROJECTIONS,
    expected_trainable,
    first_and_last,
    freeze_count,
)
from reference_solutions.bonus_llm_captioning import q1_bands, q1_data, q1_models
from reference_solutions.bonus_llm_captioning.q1_train import train_method

# Trains models: its golden values are bands, rebuilt in tests as a fast subset under several
# numeric conditions (tests/test_reference_drift*.py), never compared value by value.
TRAINS = True
GOLDEN_FILES = ("q1_peft_counts", "q1_peft_training")

SEED = 0


@dataclass(frozen=True)
class Method:
    """One fine-tuning method at the spec's settings; `peft` holds peft config fields."""

    name: str
    family: str  # soft_prompt | lora | freeze
    peft: dict[str, Any] = field(default_factory=dict)
    lr: float = 1e-2  # LoRA's; soft prompts and the freeze baseline set theirs


VIRTUAL_TOKENS = 20
LORA = {"peft_type": "LORA", "r": 8, "lora_alpha": 16, "lora_dropout": 0.0}
METHODS: tuple[Method, ...] = (
    Method(
        "prompt_tuning",
        "soft_prompt",
        {"peft_type": "PROMPT_TUNING", "num_virtual_tokens": VIRTUAL_TOKENS},
        1e-1,
    ),
    Method(
        "prefix_tuning",
        "soft_prompt",
        {"peft_type": "PREFIX_TUNING", "num_virtual_tokens": VIRTUAL_TOKENS},
        1e-1,
    ),
    Method(
        "p_tuning",
        "soft_prompt",
        {"peft_type": "P_TUNING", "num_virtual_tokens": VIRTUAL_TOKENS},
        1e-1,
    ),
    Method("lora_attention", "lora", {**LORA, "target_modules": list(ATTENTION_PROJECTIONS)}),
    Method("lora_all_linear", "lora", {**LORA, "target_modules": "all-linear"}),
    Method(
        "dora_attention",
        "lora",
        {**LORA, "target_modules": list(ATTENTION_PROJECTIONS), "use_dora": True},
    ),
    Method(
        "rslora_attention",
        "lora",
        {**LORA, "target_modules": list(ATTENTION_PROJECTIONS), "use_rslora": True},
    ),
    Method("freeze_first2_last2", "freeze", {}, 3e-3),
)
ESTIMATED_SECONDS = {"smoke": 60, "full": 8 * 25 * 60}  # full: ~25 min per method on one A100
GRADED_DEFAULT = {
    "soft_prompt": "prompt_tuning",
    "lora": "lora_attention",
    "freeze": "freeze_first2_last2",
}


def peft_config(method: Method) -> Any:
    """The peft config object of a method (None for the freeze baseline)."""
    from peft import LoraConfig, PrefixTuningConfig, PromptEncoderConfig, PromptTuningConfig

    fields = {k: v for k, v in method.peft.items() if k != "peft_type"}
    kind = method.peft.get("peft_type")
    cls = {
        "PROMPT_TUNING": PromptTuningConfig,
        "PREFIX_TUNING": PrefixTuningConfig,
        "P_TUNING": PromptEncoderConfig,
        "LORA": LoraConfig,
        None: None,
    }[kind]
    return None if cls is None else cls(task_type="CAUSAL_LM", **fields)


def apply_method(model: Any, method: Method) -> Any:
    """Wrap `model` with the method's adapter, or freeze all but the first/last two layers."""
    if method.family == "freeze":
        n = model.config.num_hidden_layers
        keep = {f"model.layers.{i}." for i in first_and_last(n)}
        for name, p in model.named_parameters():
            p.requires_grad = any(name.startswith(k) for k in keep)
        return model
    from peft import get_peft_model

    return get_peft_model(model, peft_config(method))


def trainable_count(model: Any) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def formula_count(dims: Any, method: Method) -> int:
    if method.family == "freeze":
        return freeze_count(dims, first_and_last(dims.num_hidden_layers))
    count = expected_trainable(dims, method.peft)
    if count is None:
        raise ValueError(f"no formula for {method.name}")
    return count


def count_methods(config: Any, device: str = "meta") -> dict[str, dict[str, int]]:
    """Build the model of `config` once per method and count; the formula must agree exactly."""
    dims = q1_models.dims_of(config)
    out: dict[str, dict[str, int]] = {}
    for method in METHODS:
        model = apply_method(q1_models.build_model(config, device), method)
        measured = trainable_count(model)
        predicted = formula_count(dims, method)
        if measured != predicted:
            raise AssertionError(
                f"{config.model_type} {method.name}: peft built {measured:,} trainable parameters, "
                f"the formula says {predicted:,}"
            )
        out[method.name] = {
            "trainable": measured,
            "total": sum(p.numel() for p in model.parameters()),
        }
    return out


def published_counts() -> dict[str, Any]:
    """Exact counts for Gemma-2-2B and Llama-3.2-3B from their published configs (meta device)."""
    out = {}
    for name, (values, source, published_total) in q1_models.PUBLISHED.items():
        config = q1_models.make_config(values)
        dims = q1_models.dims_of(config)
        base = sum(p.numel() for p in q1_models.build_model(config, "meta").parameters())
        if base != published_total or dims.total_params() != base:
            raise AssertionError(f"{name}: {base:,} parameters, published {published_total:,}")
        out[name] = {
            "source": source,
            "config": {k: values[k] for k in q1_models.dims_record(dims) if k in values},
            "total_params": base,
            "methods": count_methods(config, "meta"),
        }
    return out


def pretrain_tiny(config: Any, tokenizer: Any, steps: int = 100) -> dict[str, Any]:
    """A stand-in for pretraining: the tiny random model first learns the Persian sentences as
    plain text (no chat template), so that fine-tuning starts from a model that knows the
    language and only has to learn the instruction format, as a real base model would."""
    import torch

    torch.manual_seed(SEED)
    model = q1_models.build_model(config)
    texts = [f"{q} {a}" for q, a in q1_data.PAIRS_FA] + [q1_data.SYSTEM_FA]
    ids = [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(steps):
        idx = torch.randint(len(ids), (8,), generator=generator).tolist()
        batch = q1_data.collate(
            [{"input_ids": ids[i], "labels": ids[i]} for i in idx], tokenizer.pad_token_id
        )
        model(**batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def smoke_training(
    model_type: str,
    methods: tuple[Method, ...] = METHODS,
    steps: int = 40,
    pretrain_steps: int = 100,
    seeds: tuple[int, ...] = (SEED,),
    banded: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """`methods` on the tiny `model_type` model with the written Persian pairs, on one CPU thread
    (several threads on a busy 2-core machine are many times slower, not faster). The first seed's
    run is recorded whole; every seed's final loss goes into `seed_final_loss` (the band's runs).
    Methods outside `banded` (when given) are trained with the first seed only."""
    import torch

    torch.set_num_threads(1)
    tokenizer, train, val = q1_data.smoke_data(model_type)
    name = "gemma2-tiny" if model_type == "gemma2" else "llama-tiny"
    config = q1_models.make_config(
        q1_models.TINY[name],
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    state = pretrain_tiny(config, tokenizer, pretrain_steps)

    def make_base(_method: Method) -> Any:
        model = q1_models.build_model(config)
        model.load_state_dict(state)
        return model

    system_role = q1_data.SPECIALS[model_type]["system_role"]
    results = {}
    for m in methods:
        per_seed = [
            train_method(
                m,
                make_base,
                tokenizer,
                train,
                val,
                device="cpu",
                steps=steps,
                batch_size=8,
                system_role=system_role,
                max_new_tokens=12,
                seed=s,
            )
            for s in (seeds if banded is None or m.name in banded else seeds[:1])
        ]
        results[m.name] = {
            **per_seed[0],
            "seeds": list(seeds[: len(per_seed)]),
            "seed_final_loss": [round(q1_bands.final_loss(r["train_loss"]), 5) for r in per_seed],
        }
    return {
        "model": name,
        "config": q1_models.dims_record(q1_models.dims_of(config)),
        "methods": results,
    }


def prerequisites(profile: str) -> list[tuple[str, str]]:
    """What the full profile needs before it starts (see `q1_full.prerequisites`)."""
    from reference_solutions.bonus_llm_captioning.q1_full import prerequisites as full

    return full(profile)


def golden_documents(
    profile: str, device: str, runs: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """`runs`: the smoke runs (gemma2, llama) when computed elsewhere (in parallel)."""
    import torch

    torch.manual_seed(SEED)
    tiny = {
        name: count_methods(q1_models.make_config(values, vocab_size=600), "cpu")
        for name, values in q1_models.TINY.items()
    }
    counts = {
        "peft_version": version("peft"),
        "transformers_version": version("transformers"),
        "spec": {m.name: {"family": m.family, **m.peft} for m in METHODS},
        "graded_default": GRADED_DEFAULT,
        "published": published_counts(),
        "tiny_vocab600": tiny,
    }
    if runs is None and profile == "full":
        from reference_solutions.bonus_llm_captioning.q1_full import full_training

        runs = [full_training(device)]
    elif runs is None:
        defaults = tuple(m for m in METHODS if m.name in GRADED_DEFAULT.values())
        runs = [
            smoke_training("gemma2", seeds=q1_bands.SEEDS, banded=tuple(GRADED_DEFAULT.values())),
            smoke_training("llama", defaults, seeds=q1_bands.SEEDS),
        ]
    training = {r["model"]: r for r in runs}
    for run in runs:
        for name, r in run["methods"].items():
            if not all(math.isfinite(v) for v in r["train_loss"]):
                raise AssertionError(f"{run['model']} {name}: non-finite loss")
    bands = {r["model"]: q1_bands.loss_bands(r) for r in runs}
    return {
        "q1_peft_counts": counts,
        "q1_peft_training": {"profile": profile, "runs": training, "final_loss_bands": bands},
    }
