"""The check registry: a name in the spec -> a pure function and its parameter model.

A check on a probe's typed facts names the loader with `probe_facts=`: the registry loads (and
validates) them first and returns the loader's `CheckResult` (missing facts) without calling the
check, which receives the loaded facts as its last argument `data`. The registered function
keeps the `(facts, golden, params)` signature, so direct callers need not load anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class CheckParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(CheckParams):
    """The parameters of a check that takes none."""


P = TypeVar("P", bound=CheckParams)
CheckFn = Callable[[Facts, Golden, Any], CheckResult]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    fn: CheckFn
    params_model: type[CheckParams]
    needs_execution: bool

    def run(self, facts: Facts, golden: Golden, params: dict[str, Any]) -> CheckResult:
        return self.fn(facts, golden, self.params_model.model_validate(params))


_REGISTRY: dict[str, RegisteredCheck] = {}


def with_probe_facts(
    fn: Callable[..., CheckResult], load: Callable[[Facts], Any]
) -> Callable[[Facts, Golden, Any], CheckResult]:
    """`fn(facts, golden, p, data)` as a check `(facts, golden, p)`: `data = load(facts)`, or
    the `CheckResult` the loader returned (the probe's facts are missing or invalid)."""

    @functools.wraps(fn)
    def check(facts: Facts, golden: Golden, p: Any) -> CheckResult:
        data = load(facts)
        if isinstance(data, CheckResult):
            return data
        return fn(facts, golden, p, data)

    return check


def register(
    name: str,
    params: type[P],
    *,
    needs_execution: bool = False,
    probe_facts: Callable[[Facts], Any] | None = None,
) -> Callable[[Callable[..., CheckResult]], Callable[[Facts, Golden, P], CheckResult]]:
    def decorate(fn: Callable[..., CheckResult]) -> Callable[[Facts, Golden, P], CheckResult]:
        if probe_facts is not None:
            fn = with_probe_facts(fn, probe_facts)
        old = _REGISTRY.get(name)
        # the same function again (its module re-imported) replaces itself; another one clashes
        if old is not None and (old.fn.__module__, old.fn.__qualname__) != (
            fn.__module__,
            fn.__qualname__,
        ):
            raise ValueError(f"check {name!r} registered twice")
        _REGISTRY[name] = RegisteredCheck(name, fn, params, needs_execution)
        return fn

    return decorate


def get_check(name: str) -> RegisteredCheck:
    import graders.checks  # noqa: F401  (make sure built-ins are registered)

    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown check {name!r}; known checks: {known}") from None


def registered_checks() -> dict[str, RegisteredCheck]:
    import graders.checks  # noqa: F401

    return dict(_REGISTRY)
