"""The value every check returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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

    @classmethod
    def passed(cls, fa: str, en: str, **evidence: Any) -> CheckResult:
        return cls(1.0, fa, en, Status.PASS, evidence)

    @classmethod
    def failed(cls, fa: str, en: str, **evidence: Any) -> CheckResult:
        return cls(0.0, fa, en, Status.FAIL, evidence)

    @classmethod
    def missing(cls, fa: str, en: str, **evidence: Any) -> CheckResult:
        return cls(0.0, fa, en, Status.ERROR, evidence)

    @classmethod
    def review(cls, fa: str, en: str, **evidence: Any) -> CheckResult:
        return cls(0.0, fa, en, Status.REVIEW, evidence)
