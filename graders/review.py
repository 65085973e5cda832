"""Apply TA scores to a grade: the TA's points replace the check results of the items they set.

One typed transform on a `GradeResult`: when grading (so a regrade keeps the TA's decisions)
and on a result the gradebook loads (`GradeResult.from_json`, when re-rendering reports,
exporting, `dlgrade score show`). Totals stay computed; a check's maximum is
`graders.scoring.check_max`, its status from its fraction `CheckResult`'s.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from graders.checks.result import CheckResult
from graders.errors import DlgradeError
from graders.gradebook.ta_scores import TAScore
from graders.scoring import CheckOutcome, GradeResult, PartScore, check_max
from graders.spec.models import AssignmentSpec


class UnknownItemError(DlgradeError, LookupError):
    """A TA score names an item the spec does not have, or more points than it is worth."""


def item_max(spec: AssignmentSpec, item: str) -> float:
    """Points of a part (`Q2.b`) or of one check in it (`Q2.c.h`)."""
    for q in spec.questions:
        for p in q.parts:
            if item == f"{q.id}.{p.id}":
                return p.points
            total = sum(c.weight for c in p.checks)
            for c in p.checks:
                if item == f"{q.id}.{p.id}.{c.id}":
                    return check_max(p.points, c.weight, total)
    known = ", ".join(
        f"{q.id}.{p.id}[.{'|'.join(c.id for c in p.checks)}]"
        for q in spec.questions
        for p in q.parts
    )
    raise UnknownItemError(
        f"no item {item!r} in {spec.id}; items: {known}",
        f"بخشی با نشانی «{item}» در تمرین {spec.id} نیست.",
    )


def validate_points(spec: AssignmentSpec, item: str, points: float) -> float:
    top = item_max(spec, item)
    if not 0 <= points <= top + 1e-9:
        raise UnknownItemError(
            f"{item} is worth {top:g} points; got {points:g}",
            f"بیشینهٔ نمرهٔ «{item}» برابر {top:g} است؛ {points:g} داده شد.",
        )
    return top


def _ta_result(old: CheckResult, fraction: float, score: TAScore) -> CheckResult:
    fraction = min(1.0, max(0.0, fraction))
    note = f" — {score.comment}" if score.comment else ""
    return CheckResult(  # no status given: CheckResult derives it from the fraction
        fraction,
        f"نمرهٔ دستیار آموزشی: {score.points:g}{note}",
        f"TA score: {score.points:g}{note}",
        evidence={**old.evidence, "ta": dataclasses.asdict(score), "auto_status": str(old.status)},
    )


def _scored_check(
    p: PartScore, c: CheckOutcome, own: TAScore | None, whole: TAScore | None
) -> CheckOutcome:
    if own is not None:
        top = p.check_max(c)
        return dataclasses.replace(
            c, result=_ta_result(c.result, own.points / top if top else 0, own)
        )
    if whole is not None:
        fraction = whole.points / p.max if p.max else 0
        return dataclasses.replace(c, result=_ta_result(c.result, fraction, whole))
    return c


def apply_ta_scores(result: GradeResult, scores: Mapping[str, TAScore]) -> GradeResult:
    """`result` with the TA's latest scores applied: a part's score sets each of its checks'
    fraction, a check's score its own. Every part, question and total touched is computed
    again (its `recorded` score dropped); the others keep theirs."""
    if not scores:
        return result
    questions, touched = [], False
    for q in result.questions:
        parts, q_touched = [], False
        for p in q.parts:
            whole = scores.get(f"{q.id}.{p.id}")
            checks = tuple(
                _scored_check(p, c, scores.get(f"{q.id}.{p.id}.{c.id}"), whole)
                for c in p.checks
            )
            if any(new is not old for new, old in zip(checks, p.checks, strict=True)):
                p = dataclasses.replace(p, checks=checks, recorded=None)
                q_touched = True
            parts.append(p)
        if q_touched:
            q = dataclasses.replace(q, parts=tuple(parts), recorded=None)
            touched = True
        questions.append(q)
    if not touched:
        return result
    return dataclasses.replace(result, questions=tuple(questions), recorded=None)
