"""Check of the hw5-rnn Q6 models: one recurrent model per required layer type, of a sensible size.
"""

from __future__ import annotations

from typing import Any

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class RecurrentModelsParams(CheckParams):
    required: list[str] = ["RNN", "LSTM"]
    substitutes: dict[str, list[str]] = {"LSTM": ["GRU"], "RNN": ["GRU"]}
    min_params: int = 500
    max_params: int = 50_000_000


@register("recurrent_models", RecurrentModelsParams, needs_execution=True)
def recurrent_models(facts: Facts, golden: Golden, p: RecurrentModelsParams) -> CheckResult:
    """The notebook builds one model per required recurrent layer type (e.g. nn.RNN and
    nn.LSTM), each of a sensible size; a GRU where an LSTM was asked for is named."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in p.required}
    others: dict[str, list[str]] = {}
    for m in facts.probe.modules:
        for kind in p.required:
            if m.cls == kind or m.submodules.get(kind, 0) > 0:
                found[kind].append({"name": m.name, "params": m.n_params})
        for subs in p.substitutes.values():
            for kind in subs:
                if m.cls == kind or m.submodules.get(kind, 0) > 0:
                    others.setdefault(kind, []).append(m.name)
    problems_fa, problems_en = [], []
    ok = 0
    for kind in p.required:
        # the layer itself is found too (e.g. `model.rnn`); judge the largest module using it
        sizes = [f["params"] for f in found[kind]]
        if not sizes:
            subs = [s for s in p.substitutes.get(kind, []) if s in others and s not in p.required]
            if subs:
                problems_fa.append(
                    f"به‌جای {kind} از {subs[0]} استفاده شده است ({others[subs[0]][0]})"
                )
                problems_en.append(f"a {subs[0]} ({others[subs[0]][0]}) was used instead of {kind}")
            else:
                problems_fa.append(f"مدلی با لایهٔ nn.{kind} پیدا نشد")
                problems_en.append(f"no model using nn.{kind} was found")
            continue
        if not p.min_params <= max(sizes) <= p.max_params:
            problems_fa.append(
                f"اندازهٔ مدل {kind} ({max(sizes):,} پارامتر) خارج از بازهٔ معقول {p.min_params:,} تا {p.max_params:,} است"
            )
            problems_en.append(
                f"the {kind} model has {max(sizes):,} parameters, outside {p.min_params:,}-{p.max_params:,}"
            )
            continue
        ok += 1
    evidence = {
        "expected": p.required,
        "found": {k: v[:5] for k, v in found.items()},
        "other_recurrent": {k: v[:5] for k, v in others.items()},
        "params_range": [p.min_params, p.max_params],
    }
    score = ok / len(p.required)
    if not problems_en:
        return CheckResult(
            score,
            "هر دو مدل RNN ساده و LSTM ساخته شده‌اند.",
            "both models were built.",
            evidence=evidence,
        )
    want = " و ".join(f"nn.{k}" for k in p.required)
    return CheckResult(
        score,
        "؛ ".join(problems_fa) + f". انتظار می‌رفت یک مدل با {want} ساخته شود.",
        "; ".join(problems_en) + f". Expected one model built on each of {', '.join(p.required)}.",
        evidence=evidence,
    )


