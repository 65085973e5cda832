"""Helpers shared by the theory reference modules: golden entries for numbers, labels, rubrics.

Numbers are `{"accepted": [{"value", "convention", "derivation"}]}` (one entry per distinct
value); labels carry their alias vocabulary; free-text items carry a Persian reference answer
and a rubric of key points, each with points and keywords the grader highlights for the TA.
The prose of those rubrics is data: `<assignment>/rubrics/<module>.yaml`, read by `rubrics()`.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

import yaml

Point = tuple[str, float, str, str, list[str]]  # id, points, fa, en, keywords

# A derived gradient formula "agrees with autograd" when every entry differs by less than this
# (float64; the raw differences, ~1e-16, vary with the CPU's BLAS code path and are not recorded).
AUTOGRAD_TOLERANCE = 1e-12


def accepted(*entries: tuple[str, float, str]) -> dict[str, Any]:
    """`(convention, value, derivation)` entries; equal values merge their conventions."""
    seen: dict[float, dict[str, Any]] = {}
    for convention, value, derivation in entries:
        value = int(value) if float(value).is_integer() else float(value)
        if value in seen:
            seen[value]["convention"] += f", {convention}"
            continue
        seen[value] = {"value": value, "convention": convention, "derivation": derivation}
    return {"accepted": list(seen.values())}


def rubric(reference_fa: str, reference_en: str, points: list[Point]) -> dict[str, Any]:
    return {
        "reference_fa": reference_fa,
        "reference_en": reference_en,
        "rubric": [
            {"id": pid, "points": pts, "fa": fa, "en": en, "keywords": kws}
            for pid, pts, fa, en, kws in points
        ],
        "points": sum(p[1] for p in points),
    }


def rubrics(module_file: str, **computed: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The rubrics of a theory module, `{document: {item: rubric}}`, from the YAML file named
    after it in its assignment's `rubrics/` folder. A `${name}` in a reference answer is a value
    the module computed (a derived vector, the autograd tolerance): `computed[name]`."""
    module = Path(module_file)
    path = module.parent / "rubrics" / f"{module.stem}.yaml"
    documents = yaml.safe_load(path.read_text(encoding="utf-8"))

    def build(item: dict[str, Any]) -> dict[str, Any]:
        points = [(p["id"], p["points"], p["fa"], p["en"], p["keywords"]) for p in item["rubric"]]
        fa, en = (Template(item[k]).substitute(computed) for k in ("reference_fa", "reference_en"))
        return rubric(fa, en, points)

    return {doc: {key: build(item) for key, item in items.items()} for doc, items in documents.items()}


def label(
    accepted_keys: list[str],
    choices: dict[str, list[str]],
    explanation_fa: str,
    explanation_en: str,
    alternatives: list[str] | None = None,
) -> dict[str, Any]:
    unknown = (set(accepted_keys) | set(alternatives or [])) - set(choices)
    if unknown:
        raise ValueError(f"keys {sorted(unknown)} are not choices")
    return {
        "accepted": accepted_keys,
        "alternatives": alternatives or [],
        "choices": choices,
        "explanation_fa": explanation_fa,
        "explanation_en": explanation_en,
    }


RNN_TYPES = {
    "one-to-one": ["one-to-one", "one to one", "1:1", "یک به یک"],
    "one-to-many": ["one-to-many", "one to many", "1:N", "یک به چند"],
    "many-to-one": ["many-to-one", "many to one", "N:1", "چند به یک"],
    "many-to-many": ["many-to-many", "many to many", "N:N", "N:M", "چند به چند"],
    "seq2seq": [
        "seq2seq",
        "sequence-to-sequence",
        "sequence to sequence",
        "encoder-decoder",
        "encoder decoder",
        "رمزگذار-رمزگشا",
        "رمزگذار رمزگشا",
        "کدگذار-کدگشا",
        "دنباله به دنباله",
    ],
}
