"""Loading one extra probe's output (`facts.probe.extras[key]`) into its typed, untrusted model,
or the `CheckResult.missing` that says why it cannot be read; used as `probe_facts=` loaders."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from graders.checks.result import CheckResult
from graders.facts import Facts

M = TypeVar("M", bound=BaseModel)


def probe_extra(
    facts: Facts, key: str, model: type[M], *, nothing: tuple[str, str], invalid: tuple[str, str]
) -> M | CheckResult:
    """`model` validated from the probe's `key` output. No run: the run's message; nothing usable
    (not a dict, or the probe's own error): `nothing` (fa, en prefix); invalid: `invalid`."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    raw = facts.probe.extras.get(key)
    if not isinstance(raw, dict) or "probe_error" in raw:
        return CheckResult.missing(nothing[0], f"{nothing[1]}: {str(raw)[:200]}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        return CheckResult.missing(invalid[0], f"{invalid[1]}: {exc}"[:500])
