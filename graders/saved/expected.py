"""Expected trainable counts from static facts: the base model's config and the PEFT configs.

The base model's dimensions come from a config constructor in the code (`Gemma2Config(...)`
with literal arguments, the transformers defaults for the rest) or from the model id passed
to `from_pretrained`, matched to the published configs the references use
(`reference_solutions/bonus_llm_captioning/q1_models.py`: Gemma-2-2B, Llama-3.2-3B). Counts are
the formulas of `graders.checks.peft_formulas`, which the references assert equal to the models
peft builds on the meta device. Printed counts are linked to the config they belong to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from graders.checks.peft_formulas import DecoderDims, accepted_trainable
from graders.saved.models import PeftConfigFact, SavedFacts, StaticFacts

FAMILIES = {
    "PROMPT_TUNING": "soft_prompt",
    "PREFIX_TUNING": "soft_prompt",
    "P_TUNING": "soft_prompt",
    "LORA": "lora",
}
# the arguments a count depends on: one not given as a literal means the count is unknown
COUNT_ARGS = {
    "r",
    "target_modules",
    "use_dora",
    "layers_to_transform",
    "num_virtual_tokens",
    "prefix_projection",
    "encoder_hidden_size",
    "encoder_reparameterization_type",
    "encoder_num_layers",
    "num_transformer_submodules",
}


@functools.lru_cache(maxsize=16)
def _config_dims(cls: str, items: tuple[tuple[str, Any], ...]) -> DecoderDims | None:
    from reference_solutions.bonus_llm_captioning import q1_models

    model_type = {"Gemma2Config": "gemma2", "LlamaConfig": "llama"}.get(cls)
    if model_type is None:
        return None
    try:
        config = q1_models.make_config({"model_type": model_type, **dict(items)})
    except Exception:  # a student's arguments transformers does not accept
        return None
    return q1_models.dims_of(config)


def _published(model_id: str) -> DecoderDims | None:
    from reference_solutions.bonus_llm_captioning import q1_models

    low = model_id.lower()
    for key, (values, _url, _total) in q1_models.PUBLISHED.items():
        if key in low:
            return _config_dims(
                "Gemma2Config" if values["model_type"] == "gemma2" else "LlamaConfig",
                tuple(sorted((k, _hashable(v)) for k, v in values.items() if k != "model_type")),
            )
    return None


def _hashable(v: Any) -> Any:
    return (
        tuple(sorted(v.items())) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v
    )


def base_dims(static: StaticFacts) -> tuple[DecoderDims | None, str]:
    """The base model's dims and where they came from (a config in the code, or a model id)."""
    for values in static.model_configs:
        cls = str(values.get("cls", ""))
        kwargs = {
            k: v
            for k, v in values.items()
            if k != "cls" and isinstance(v, int | float | bool | str)
        }
        if cls == "Gemma2Config" or cls == "LlamaConfig":
            dims = _config_dims(cls, tuple(sorted(kwargs.items())))
            if dims is not None:
                return dims, f"{cls}({', '.join(f'{k}={v}' for k, v in sorted(kwargs.items()))})"
    for model_id in static.pretrained:
        dims = _published(model_id)
        if dims is not None:
            return dims, f"from_pretrained({model_id!r}) (published config)"
    return None, ""


@dataclass(frozen=True)
class Expected:
    """One PEFT config of the notebook with what it should train and what the notebook printed."""

    config: PeftConfigFact
    family: str
    model_var: str
    accepted: list[int]
    unknown: list[str]  # count arguments that are not literals
    printed: int | None
    printed_from: str  # "print_trainable_parameters" | "table" | ""


def printed_counts(saved: SavedFacts, static: StaticFacts) -> dict[str, int]:
    """model variable -> the count its `print_trainable_parameters()` printed."""
    out: dict[str, int] = {}
    by_cell: dict[int, list[int]] = {}
    for line in saved.trainable:
        by_cell.setdefault(line.cell, []).append(line.trainable)
    for cell, counts in by_cell.items():
        owners = static.print_trainable.get(cell, [])
        for var, count in zip(owners, counts, strict=False):
            out[var] = count
    return out


def table_counts(saved: SavedFacts) -> dict[str, int]:
    """family -> the trainable count a saved comparison table gives it."""
    from graders.checks.peft_checks import family_of

    out: dict[str, int] = {}
    for table in saved.tables:
        for record in table.records():
            label = " ".join(str(v) for v in record.values() if isinstance(v, str))
            family = family_of(label)
            for name, value in record.items():
                if family and "param" in str(name).lower() and "all" not in str(name).lower():
                    try:
                        out.setdefault(family, int(float(str(value).replace(",", ""))))
                    except ValueError:
                        continue
    return out


def expected_counts(saved: SavedFacts, static: StaticFacts, dims: DecoderDims) -> list[Expected]:
    printed = printed_counts(saved, static)
    tables = table_counts(saved)
    out = []
    for cfg in static.peft_configs:
        family = FAMILIES.get(cfg.peft_type, "")
        model_var = next((m.var for m in static.peft_models if m.config_var == cfg.var), "")
        unknown = sorted(COUNT_ARGS & set(cfg.unresolved))
        accepted = (
            [] if unknown else accepted_trainable(dims, {"peft_type": cfg.peft_type, **cfg.kwargs})
        )
        count, where = printed.get(model_var), "print_trainable_parameters"
        if count is None and family in tables:
            count, where = tables[family], "table"
        out.append(
            Expected(
                cfg, family, model_var, accepted, unknown, count, where if count is not None else ""
            )
        )
    return out
