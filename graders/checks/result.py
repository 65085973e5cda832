"""The value every check returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def _verdict(status: Status, score: float) -> classmethod[Any, ..., CheckResult]:
    """A constructor `(fa, en, **evidence)` of results with this status and score."""

    def make(cls: type[CheckResult], fa: str, en: str, **evidence: Any) -> CheckResult:
        return cls(score, fa, en, status, evidence)

    make.__doc__ = f"A result with status {status.value!r} and score {score:g}."
    return classmethod(make)


class Status(StrEnum):
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    ERROR = "error"  # the facts a check needs are missing (e.g. the notebook crashed)
    REVIEW = "review"  # a TA must decide (free text, ambiguous answer)


@dataclass(frozen=True)
class CheckResult:
    score: float
    message_fa: str
    message_en: str
    status: Status | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {self.score}")
        if self.status is None:
            status = (
                Status.PASS
                if self.score >= 1.0
                else Status.FAIL
                if self.score <= 0
                else Status.PARTIAL
            )
            object.__setattr__(self, "status", status)

    # The four verdicts a check gives: CheckResult.passed(fa, en, **evidence), and so on.
    passed = _verdict(Status.PASS, 1.0)
    failed = _verdict(Status.FAIL, 0.0)
    missing = _verdict(Status.ERROR, 0.0)  # the facts the check needs are missing
    review = _verdict(Status.REVIEW, 0.0)  # a TA decides
