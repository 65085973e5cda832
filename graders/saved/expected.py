"""Expected trainable counts from static facts: the base model's config and the PEFT configs.

The base model's dimensions come from a config constructor in the code (`Gemma2Config(...)`
with literal arguments, the transformers defaults for the rest) or from the model id passed
to `from_pretrained`, matched to the published configs the references use
(`reference_solutions/bonus_llm_captioning/q1_models.py`: Gemma-2-2B, Llama-3.2-3B). Counts are
the formulas of `graders.metrics.peft_formulas`, which the references assert equal to the models
peft builds on the meta device. Printed counts are linked to the config they belong to.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from graders.metrics.peft_formulas import DecoderDims, accepted_trainable
from graders.paths import import_reference
from graders.saved.models import PeftConfigFact, SavedFacts, SavedPeftModel, StaticFacts

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


def _config_dims(cls: str, values: dict[str, Any]) -> DecoderDims | None:
    return _cached_dims(cls, json.dumps(values, sort_keys=True))


@functools.lru_cache(maxsize=16)
def _cached_dims(cls: str, values_json: str) -> DecoderDims | None:
    q1_models = import_reference("bonus_llm_captioning.q1_models")

    model_type = {"Gemma2Config": "gemma2", "LlamaConfig": "llama"}.get(cls)
    if model_type is None:
        return None
    try:
        config = q1_models.make_config({"model_type": model_type, **json.loads(values_json)})
    except Exception:  # a student's arguments transformers does not accept
        return None
    return q1_models.dims_of(config)


def _published(model_id: str) -> DecoderDims | None:
    q1_models = import_reference("bonus_llm_captioning.q1_models")

    low = model_id.lower()
    for key, (values, _url, _total) in q1_models.PUBLISHED.items():
        if key in low:
            return _config_dims(
                "Gemma2Config" if values["model_type"] == "gemma2" else "LlamaConfig",
                {k: v for k, v in values.items() if k != "model_type"},
            )
    return None


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
            dims = _config_dims(cls, kwargs)
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


def printed_lines(saved: SavedFacts, static: StaticFacts) -> list[tuple[int, str, int]]:
    """(cell, model variable, count) of each saved `print_trainable_parameters()` line."""
    out: list[tuple[int, str, int]] = []
    by_cell: dict[int, list[int]] = {}
    for line in saved.trainable:
        by_cell.setdefault(line.cell, []).append(line.trainable)
    for cell, counts in sorted(by_cell.items()):
        owners = static.print_trainable.get(cell, [])
        out.extend((cell, var, n) for var, n in zip(owners, counts, strict=False))
    return out


def printed_counts(saved: SavedFacts, static: StaticFacts) -> dict[str, int]:
    """model variable -> the last count its `print_trainable_parameters()` printed."""
    return {var: n for _cell, var, n in printed_lines(saved, static)}


def model_of(cfg: PeftConfigFact, static: StaticFacts) -> SavedPeftModel | None:
    """The `get_peft_model` call that used this config (the config's name not rebound between)."""
    for m in sorted(static.peft_models, key=lambda m: (m.cell, m.line)):
        if m.config_var == cfg.var and (m.cell, m.line) > (cfg.cell, cfg.line):
            bound = static.binding_before(cfg.var, m.cell, m.line)
            return m if bound is None or bound <= (cfg.cell, cfg.line) else None
    return None


def printed_for(
    m: SavedPeftModel, lines: list[tuple[int, str, int]], static: StaticFacts
) -> int | None:
    """The count printed for that model: a print of its variable before the variable is rebound."""
    for cell, var, n in lines:
        if var != m.var or cell < m.cell:
            continue
        bound = static.binding_before(var, cell, 10**9)
        if bound is None or bound[0] <= m.cell:
            return n
    return None


def on_peft_model(static: StaticFacts, var: str, cell: int, line: int) -> bool:
    """Whether `var` at that position is bound by a `get_peft_model` call."""
    bound = static.binding_before(var, cell, line)
    return bound is not None and any(
        m.var == var and (m.cell, m.line) == bound for m in static.peft_models
    )


def table_counts(saved: SavedFacts) -> dict[str, int]:
    """family -> the trainable count a saved comparison table gives it."""
    from graders.checks.peft.parsing import family_of

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
    lines = printed_lines(saved, static)
    tables = table_counts(saved)
    per_family: dict[str, int] = {}
    for cfg in static.peft_configs:
        per_family[FAMILIES.get(cfg.peft_type, "")] = (
            per_family.get(FAMILIES.get(cfg.peft_type, ""), 0) + 1
        )
    out = []
    for cfg in static.peft_configs:
        family = FAMILIES.get(cfg.peft_type, "")
        model = model_of(cfg, static)
        unknown = sorted(COUNT_ARGS & set(cfg.unresolved))
        accepted = (
            [] if unknown else accepted_trainable(dims, {"peft_type": cfg.peft_type, **cfg.kwargs})
        )
        count = printed_for(model, lines, static) if model else None
        where = "print_trainable_parameters"
        if count is None and family in tables and per_family[family] == 1:
            count, where = tables[family], "table"  # one config of the family: the row is its own
        out.append(
            Expected(
                cfg,
                family,
                model.var if model else "",
                accepted,
                unknown,
                count,
                where if count is not None else "",
            )
        )
    return out
