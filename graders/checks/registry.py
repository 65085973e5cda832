"""The check registry: a name in the spec -> a pure function and its parameter model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class CheckParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


def register(
    name: str, params: type[P], *, needs_execution: bool = False
) -> Callable[
    [Callable[[Facts, Golden, P], CheckResult]], Callable[[Facts, Golden, P], CheckResult]
]:
    def decorate(
        fn: Callable[[Facts, Golden, P], CheckResult],
    ) -> Callable[[Facts, Golden, P], CheckResult]:
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
