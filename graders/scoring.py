"""Scoring: check results -> points per part and question, with caps and the late penalty.

Totals are properties computed from the stored check outcomes and weights, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graders.checks.result import CheckResult, Status


@dataclass(frozen=True)
class CheckOutcome:
    id: str
    check: str
    weight: float
    hidden: bool
    title_fa: str
    title_en: str
    result: CheckResult


@dataclass(frozen=True)
class PartScore:
    id: str
    title_fa: str
    title_en: str
    max: float
    checks: tuple[CheckOutcome, ...]

    @property
    def score(self) -> float:
        total_weight = sum(c.weight for c in self.checks)
        if total_weight == 0:
            return 0.0
        return self.max * sum(c.weight * c.result.score for c in self.checks) / total_weight

    @property
    def needs_review(self) -> bool:
        return any(c.result.status == Status.REVIEW for c in self.checks)


@dataclass(frozen=True)
class QuestionScore:
    id: str
    title_fa: str
    title_en: str
    kind: str
    bonus: bool
    cap: float | None
    parts: tuple[PartScore, ...]
    notebook: str = ""  # the notebook its results came from (several notebooks per submission)

    @property
    def max(self) -> float:
        total = sum(p.max for p in self.parts)
        return min(total, self.cap) if self.cap is not None else total

    @property
    def raw_score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def score(self) -> float:
        return min(self.raw_score, self.cap) if self.cap is not None else self.raw_score


@dataclass(frozen=True)
class GradeResult:
    assignment: str
    submission: str
    students: tuple[dict[str, str], ...]
    outcome: str
    questions: tuple[QuestionScore, ...]
    late_penalty_percent: float = 0.0
    problems: tuple[tuple[str, str], ...] = ()
    signature: dict[str, Any] = field(default_factory=dict)
    run_message: str = ""

    @property
    def possible(self) -> float:
        return sum(q.max for q in self.questions if not q.bonus)

    @property
    def raw_total(self) -> float:
        return sum(q.score for q in self.questions)

    @property
    def total(self) -> float:
        return self.raw_total * (1 - self.late_penalty_percent / 100)

    def to_json(self) -> dict[str, Any]:
        """The stable `--json` schema (dlgrade.results/1)."""
        return {
            "submission": self.submission,
            "students": list(self.students),
            "outcome": self.outcome,
            "run_message": self.run_message,
            "score": round(self.total, 4),
            "max": self.possible,
            "late_penalty_percent": self.late_penalty_percent,
            "problems": [{"message_fa": fa, "message_en": en} for fa, en in self.problems],
            "signature": self.signature,
            "questions": [
                {
                    "id": q.id,
                    "title_fa": q.title_fa,
                    "title_en": q.title_en,
                    "kind": q.kind,
                    "bonus": q.bonus,
                    "score": round(q.score, 4),
                    "max": q.max,
                    "cap": q.cap,
                    "notebook": q.notebook,
                    "parts": [
                        {
                            "id": p.id,
                            "title_fa": p.title_fa,
                            "title_en": p.title_en,
                            "score": round(p.score, 4),
                            "max": p.max,
                            "needs_review": p.needs_review,
                            "checks": [
                                {
                                    "id": c.id,
                                    "title_fa": c.title_fa,
                                    "title_en": c.title_en,
                                    "check": c.check,
                                    "status": str(c.result.status),
                                    "score": round(c.result.score, 4),
                                    "weight": c.weight,
                                    "hidden": c.hidden,
                                    "max": round(
                                        p.max * c.weight / sum(x.weight for x in p.checks), 4
                                    ),
                                    "message_fa": c.result.message_fa,
                                    "message_en": c.result.message_en,
                                    "evidence": {} if c.hidden else c.result.evidence,
                                }
                                for c in p.checks
                            ],
                        }
                        for p in q.parts
                    ],
                }
                for q in self.questions
            ],
        }
