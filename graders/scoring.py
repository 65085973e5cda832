"""Scoring: check results -> points per part and question, with caps and the late penalty.

The one typed results model: the pipeline builds it, the gradebook stores its JSON
(`to_json`, schema dlgrade.results/1) and loads it back (`GradeResult.from_json`, the exact
inverse), TA scores are applied to it (`graders.review.apply_ta_scores`). Totals are properties
computed from the check outcomes and weights, never stored. A check's maximum is computed in one
place, `check_max`.

A result read back from JSON has its check scores rounded to 4 places, so its parts, questions
and total carry the score the JSON recorded (`recorded`, computed when it was graded from the
unrounded check scores) and show that one; `apply_ta_scores` drops it from every part it changes
(and that part's question and the total), which are then computed again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graders.checks.result import CheckResult, Status
from graders.errors import DlgradeError

SCHEMA_KEYS = (
    "submission",
    "students",
    "outcome",
    "run_message",
    "score",
    "max",
    "late_penalty_percent",
    "problems",
    "signature",
    "questions",
)


class ResultsFormatError(DlgradeError, ValueError):
    """A stored or imported result is not a `dlgrade.results/1` submission."""


UPLOAD_FIELDS = ("submitted_at", "days_late", "time_source")  # in `extra`, when known
PLACES = 4  # scores are recorded (the JSON, the gradebook's rows, the reports) to 4 places


def as_recorded(value: float) -> float:
    """A score or maximum as the JSON records it."""
    return round(value, PLACES)


def check_max(part_points: float, weight: float, total_weight: float) -> float:
    """A check's points: its weight's share of its part's points (0 when nothing weighs)."""
    return part_points * weight / total_weight if total_weight else 0.0


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
    recorded: float | None = field(default=None, compare=False, repr=False)

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.checks)

    def check_max(self, check: CheckOutcome) -> float:
        return check_max(self.max, check.weight, self.total_weight)

    @property
    def score(self) -> float:
        if self.recorded is not None:
            return self.recorded
        total_weight = self.total_weight
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
    recorded: float | None = field(default=None, compare=False, repr=False)

    @property
    def max(self) -> float:
        total = sum(p.max for p in self.parts)
        return min(total, self.cap) if self.cap is not None else total

    @property
    def raw_score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def score(self) -> float:
        if self.recorded is not None:
            return self.recorded
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
    recorded: float | None = field(default=None, compare=False, repr=False)
    # keys a stored result had beyond the schema's (kept so `from_json` inverts `to_json`)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def possible(self) -> float:
        return sum(q.max for q in self.questions if not q.bonus)

    @property
    def raw_total(self) -> float:
        return sum(q.score for q in self.questions)

    @property
    def total(self) -> float:
        if self.recorded is not None:
            return self.recorded
        return self.raw_total * (1 - self.late_penalty_percent / 100)

    def to_json(self) -> dict[str, Any]:
        """The stable `--json` schema (dlgrade.results/1)."""
        return {
            **self.extra,
            **self.header(),
            "questions": [_question_json(q) for q in self.questions],
        }

    def with_upload(self, record: Mapping[str, Any] | None) -> GradeResult:
        """This result with the upload fields (`UPLOAD_FIELDS`) of `record` that it lacks, e.g.
        what the batch found at intake; empty values are skipped."""
        if not record:
            return self
        found = {k: record.get(k) for k in UPLOAD_FIELDS if record.get(k) not in (None, "")}
        return dataclasses.replace(self, extra=found | self.extra) if found else self

    def header(self) -> dict[str, Any]:
        """The JSON's fields above its questions (what a report's header shows)."""
        return {
            "submission": self.submission,
            "students": list(self.students),
            "outcome": self.outcome,
            "run_message": self.run_message,
            "score": as_recorded(self.total),
            "max": self.possible,
            "late_penalty_percent": self.late_penalty_percent,
            "problems": [{"message_fa": fa, "message_en": en} for fa, en in self.problems],
            "signature": self.signature,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], assignment: str = "") -> GradeResult:
        """The result a `to_json` document describes: `from_json(d, a).to_json() == d`."""
        try:
            return _result(data, assignment)
        except (KeyError, TypeError, ValueError) as exc:
            name = data.get("submission", "?") if isinstance(data, Mapping) else "?"
            raise ResultsFormatError(
                f"result of {name!r} is not a dlgrade.results/1 submission: {exc!r}",
                f"نتیجهٔ «{name}» در قالب dlgrade.results/1 نیست.",
            ) from exc


def _check_json(p: PartScore, c: CheckOutcome) -> dict[str, Any]:
    return {
        "id": c.id,
        "title_fa": c.title_fa,
        "title_en": c.title_en,
        "check": c.check,
        "status": str(c.result.status),
        "score": as_recorded(c.result.score),
        "weight": c.weight,
        "hidden": c.hidden,
        "max": as_recorded(p.check_max(c)),
        "message_fa": c.result.message_fa,
        "message_en": c.result.message_en,
        "evidence": {} if c.hidden else c.result.evidence,
    }


def question_fields(q: QuestionScore) -> dict[str, Any]:
    """A question's JSON fields but its parts."""
    return {
        "id": q.id,
        "title_fa": q.title_fa,
        "title_en": q.title_en,
        "kind": q.kind,
        "bonus": q.bonus,
        "score": as_recorded(q.score),
        "max": q.max,
        "cap": q.cap,
        "notebook": q.notebook,
    }


def part_fields(p: PartScore) -> dict[str, Any]:
    """A part's JSON fields but its checks."""
    return {
        "id": p.id,
        "title_fa": p.title_fa,
        "title_en": p.title_en,
        "score": as_recorded(p.score),
        "max": p.max,
        "needs_review": p.needs_review,
    }


def _question_json(q: QuestionScore) -> dict[str, Any]:
    parts = [part_fields(p) | {"checks": [_check_json(p, c) for c in p.checks]} for p in q.parts]
    return question_fields(q) | {"parts": parts}


def _check(c: Mapping[str, Any]) -> CheckOutcome:
    result = CheckResult(
        c["score"], c["message_fa"], c["message_en"], Status(c["status"]), dict(c["evidence"])
    )
    return CheckOutcome(
        c["id"], c["check"], c["weight"], c["hidden"], c["title_fa"], c["title_en"], result
    )


def _part(p: Mapping[str, Any]) -> PartScore:
    checks = tuple(_check(c) for c in p["checks"])
    return PartScore(p["id"], p["title_fa"], p["title_en"], p["max"], checks, p["score"])


def _result(data: Mapping[str, Any], assignment: str) -> GradeResult:
    questions = tuple(
        QuestionScore(
            q["id"],
            q["title_fa"],
            q["title_en"],
            q["kind"],
            q["bonus"],
            q["cap"],
            tuple(_part(p) for p in q["parts"]),
            q.get("notebook", ""),
            q["score"],
        )
        for q in data["questions"]
    )
    return GradeResult(
        assignment,
        data["submission"],
        tuple(data["students"]),
        data["outcome"],
        questions,
        data.get("late_penalty_percent", 0.0),
        tuple((m["message_fa"], m["message_en"]) for m in data.get("problems", [])),
        data.get("signature", {}),
        data.get("run_message", ""),
        data["score"],
        {k: v for k, v in data.items() if k not in SCHEMA_KEYS},
    )
