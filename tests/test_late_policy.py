"""Late policy with Jalali or Gregorian dates, and the per-question cap before the total."""

from __future__ import annotations

import datetime as dt

import pytest

from graders.checks.result import CheckResult
from graders.dates import parse_datetime, to_jalali_text
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore
from graders.spec.models import LatePolicy

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
# The bonus assignment's table: three free days, then 5/10/15/20 %, zero after a week.
BONUS = LatePolicy(
    free_days=3,
    daily_penalty_percent=[5, 10, 15, 20],
    zero_after_days=7,
    deadline="۱۴۰۴/۱۰/۰۸ ۲۳:۵۹",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۴/۱۰/۰۸ ۲۳:۵۹", dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN)),
        ("1404-10-08", dt.datetime(2025, 12, 29, 23, 59, 59, tzinfo=TEHRAN)),
        ("2025-12-29T23:59:00+03:30", dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN)),
        ("2025-12-29 20:29Z", dt.datetime(2025, 12, 29, 20, 29, tzinfo=dt.UTC)),
        ("1403/12/30 10:00", dt.datetime(2025, 3, 20, 10, 0, tzinfo=TEHRAN)),  # leap Esfand
    ],
)
def test_jalali_and_gregorian_dates(text: str, expected: dt.datetime) -> None:
    assert parse_datetime(text) == expected


def test_jalali_text_round_trip() -> None:
    moment = parse_datetime("۱۴۰۴/۱۰/۰۸ ۲۳:۵۹")
    assert to_jalali_text(moment) == "1404/10/08 23:59"
    with pytest.raises(ValueError):
        parse_datetime("next tuesday")


@pytest.mark.parametrize(
    ("late", "days", "percent"),
    [
        (dt.timedelta(minutes=-1), 0, 0),
        (dt.timedelta(minutes=1), 1, 0),
        (dt.timedelta(days=3), 3, 0),
        (dt.timedelta(days=3, seconds=1), 4, 5),
        (dt.timedelta(days=4, hours=12), 5, 10),
        (dt.timedelta(days=6), 6, 15),
        (dt.timedelta(days=7), 7, 20),
        (dt.timedelta(days=7, minutes=1), 8, 100),
        (dt.timedelta(days=30), 30, 100),
    ],
)
def test_bonus_late_table(late: dt.timedelta, days: int, percent: float) -> None:
    deadline = BONUS.deadline_at()
    assert deadline == dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN)
    # the upload time comes in UTC (file times); the deadline is Tehran local time
    assert BONUS.penalty_for((deadline + late).astimezone(dt.UTC)) == (days, percent)


def test_policy_deadline_falls_back_to_the_assignment_and_a_bad_one_is_refused() -> None:
    policy = LatePolicy(free_days=0, daily_penalty_percent=[10])
    assignment_deadline = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert policy.penalty_for(assignment_deadline + dt.timedelta(hours=2), assignment_deadline) == (
        1,
        10,
    )
    assert policy.penalty_for(None, assignment_deadline) == (0, 0.0)
    with pytest.raises(ValueError):
        LatePolicy(deadline="1404/13/40")


def _question(qid: str, parts: list[tuple[float, float]], cap: float | None) -> QuestionScore:
    """parts: (points, fraction earned)."""
    return QuestionScore(
        qid,
        qid,
        qid,
        "practical",
        False,
        cap,
        tuple(
            PartScore(
                f"p{i}",
                "",
                "",
                points,
                (CheckOutcome("c", "x", 1.0, False, "", "", CheckResult(frac, "", "")),),
            )
            for i, (points, frac) in enumerate(parts)
        ),
    )


def test_cap_applies_per_question_before_the_total_worked_example() -> None:
    # Q1 has 110 points of parts (bonus items) and the student earns 105; Q2 earns 95 of 100.
    q1 = _question("Q1", [(80, 1.0), (30, 25 / 30)], cap=100)
    q2 = _question("Q2", [(100, 0.95)], cap=100)
    assert q1.raw_score == pytest.approx(105) and q1.score == 100
    result = GradeResult("bonus", "s", (), "ok", (q1, q2))
    assert result.possible == 200
    assert 100 * result.total / result.possible == pytest.approx(97.5)  # not 100
    uncapped = GradeResult(
        "bonus", "s", (), "ok", (_question("Q1", [(80, 1.0), (30, 25 / 30)], None), q2)
    )
    assert 100 * uncapped.total / 200 == pytest.approx(100)


def test_late_penalty_applies_to_the_capped_total() -> None:
    q1 = _question("Q1", [(80, 1.0), (30, 25 / 30)], cap=100)
    q2 = _question("Q2", [(100, 0.95)], cap=100)
    result = GradeResult("bonus", "s", (), "ok", (q1, q2), late_penalty_percent=10)
    assert result.total == pytest.approx(195 * 0.9)
