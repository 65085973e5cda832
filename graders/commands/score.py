"""`dlgrade score set|show`: record a TA's points for a reviewed item; show what awaits review.

    dlgrade score set hw5-rnn HW5_Rezaei_401100001 Q2.b 0.75 --comment "محدودیت اشباع گفته نشد"
    dlgrade score show hw5-rnn HW5_Rezaei_401100001

ITEM is a part (`Q2.b`) or one check of a part (`Q2.c.h`); POINTS are that item's points.
The scores are kept in the gradebook database (table `ta_scores`) and applied whenever the
submission is graded again or its report re-rendered.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from graders.checks.result import Status
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScore, TAScores
from graders.paths import gradebook_location
from graders.review import validate_points
from graders.spec import load_spec


def set_score(
    *,
    assignment: str,
    submission: str,
    item: str,
    points: float,
    comment: str = "",
    grader: str | None = None,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
) -> float:
    """Record the TA's points; return the item's maximum."""
    spec = load_spec(assignment)
    top = validate_points(spec, item, points)
    with TAScores(gradebook_location(gradebook, reports)) as ta:
        who = grader if grader is not None else getpass.getuser()
        ta.set(spec.id, submission, TAScore(item, points, comment, who))
    print(f"{spec.id} {submission} {item}: {points:g}/{top:g} recorded / ثبت شد")
    return top


def show(
    *,
    assignment: str,
    submission: str,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
) -> dict[str, Any]:
    """The latest result with TA scores applied; prints the items still awaiting review."""
    spec = load_spec(assignment)
    with Gradebook(gradebook_location(gradebook, reports)) as gb:
        (final,) = gb.final_results(spec.id, [submission])
    result = final.to_json()
    print(f"{submission}: {result['score']:g}/{result['max']:g}")
    for q in final.questions:
        for p in q.parts:
            for c in p.checks:
                item = f"{q.id}.{p.id}.{c.id}"
                ev = c.result.evidence  # a hidden check's too (its JSON has none)
                if c.result.status == Status.REVIEW:
                    seen = None if c.hidden else ev.get("key_points_seen")
                    extra = (
                        f" key points seen {seen}/{len(ev.get('rubric', []))}"
                        if seen is not None
                        else ""
                    )
                    top = round(p.check_max(c), 4)
                    print(f"  REVIEW {item} (max {top:g}){extra}: {c.result.message_en}")
                elif "ta" in ev:
                    print(f"  TA     {item}: {c.result.message_en}")
    return result
