"""Apply TA scores to a grade: the TA's points replace the check results of the items they set.

Works on a `GradeResult` (when grading, so a regrade keeps the TA's decisions) and on its JSON
form (`dlgrade.results/1`, when re-rendering reports from the gradebook). Totals stay computed.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from graders.checks.result import CheckResult, Status
from graders.errors import DlgradeError
from graders.gradebook.ta_scores import TAScore
from graders.scoring import GradeResult
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
                    return p.points * c.weight / total
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


def _status(fraction: float) -> Status:
    return Status.PASS if fraction >= 1 else Status.FAIL if fraction <= 0 else Status.PARTIAL


def _ta_result(old: CheckResult, fraction: float, score: TAScore) -> CheckResult:
    fraction = min(1.0, max(0.0, fraction))
    note = f" — {score.comment}" if score.comment else ""
    return CheckResult(
        fraction,
        f"نمرهٔ دستیار آموزشی: {score.points:g}{note}",
        f"TA score: {score.points:g}{note}",
        _status(fraction),
        {**old.evidence, "ta": dataclasses.asdict(score), "auto_status": str(old.status)},
    )


def apply_ta_scores(result: GradeResult, scores: Mapping[str, TAScore]) -> GradeResult:
    if not scores:
        return result
    questions = []
    for q in result.questions:
        parts = []
        for p in q.parts:
            part_score = scores.get(f"{q.id}.{p.id}")
            total_w = sum(c.weight for c in p.checks) or 1.0
            checks = []
            for c in p.checks:
                own = scores.get(f"{q.id}.{p.id}.{c.id}")
                if own is not None:
                    top = p.max * c.weight / total_w
                    c = dataclasses.replace(
                        c, result=_ta_result(c.result, own.points / top if top else 0, own)
                    )
                elif part_score is not None:
                    frac = part_score.points / p.max if p.max else 0
                    c = dataclasses.replace(c, result=_ta_result(c.result, frac, part_score))
                checks.append(c)
            parts.append(dataclasses.replace(p, checks=tuple(checks)))
        questions.append(dataclasses.replace(q, parts=tuple(parts)))
    return dataclasses.replace(result, questions=tuple(questions))


def apply_ta_scores_json(
    result: dict[str, Any], scores: Mapping[str, TAScore], late_penalty_percent: float | None = None
) -> dict[str, Any]:
    """The same on a stored `dlgrade.results/1` submission; scores and totals recomputed."""
    if not scores:
        return result
    out = copy.deepcopy(result)
    total = 0.0
    for q in out["questions"]:
        q_score = 0.0
        for p in q["parts"]:
            part_score = scores.get(f"{q['id']}.{p['id']}")
            for c in p["checks"]:
                own = scores.get(f"{q['id']}.{p['id']}.{c['id']}")
                chosen = own or part_score
                if chosen is None:
                    continue
                top = c["max"] if own is not None else p["max"]
                frac = min(1.0, max(0.0, chosen.points / top if top else 0.0))
                note = f" — {chosen.comment}" if chosen.comment else ""
                c["evidence"] = {
                    **c.get("evidence", {}),
                    "ta": dataclasses.asdict(chosen),
                    "auto_status": c["status"],
                }
                c.update(
                    score=frac,
                    status=str(_status(frac)),
                    message_fa=f"نمرهٔ دستیار آموزشی: {chosen.points:g}{note}",
                    message_en=f"TA score: {chosen.points:g}{note}",
                )
            p["score"] = round(sum(c["max"] * c["score"] for c in p["checks"]), 4)
            p["needs_review"] = any(c["status"] == "review" for c in p["checks"])
            q_score += p["score"]
        q["score"] = round(min(q_score, q["cap"]) if q.get("cap") is not None else q_score, 4)
        total += q["score"]
    late = (
        out.get("late_penalty_percent", 0) if late_penalty_percent is None else late_penalty_percent
    )
    out["score"] = round(total * (1 - late / 100), 4)
    return out
