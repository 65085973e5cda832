"""The TAs' class summary (statistics and PDF) and `dlgrade report` end to end (parallel)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from graders.checks.result import CheckResult, Status
from graders.commands import report
from graders.gradebook import Gradebook
from graders.report import samples
from graders.report.feedback_readback import normalise, pdffonts, pdftotext
from graders.report.render import render_class_summary
from graders.report.summary import class_statistics
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def grade(key: str, students: list[tuple[str, str]], q1: float, q2: float, statuses: tuple[str, str],
          outcome: str = "ok", days_late: int = 0) -> GradeResult:  # fmt: skip
    """A result whose parts and total carry the given scores (as one loaded from JSON does)."""
    checks = tuple(
        CheckOutcome(f"c{i}", "numeric_answer", 1.0, False, "", "",
                     CheckResult(0.0, "", f"c{i} says {s}", Status(s)))
        for i, s in enumerate(statuses, 1)
    )  # fmt: skip
    questions = (
        QuestionScore("Q1", "سوال ۱", "", "theory", False, None,
                      (PartScore("a", "", "", 10.0, checks, recorded=q1),)),
        QuestionScore("Q2", "سوال ۲", "", "theory", False, None,
                      (PartScore("a", "", "", 10.0, (), recorded=q2),)),
    )  # fmt: skip
    return GradeResult(
        "hw5-rnn",
        key,
        tuple({"name": n, "number": no} for n, no in students),
        outcome,
        questions,
        late_penalty_percent=10.0 * days_late,
        run_message="boom in cell 3" if outcome != "ok" else "",
        recorded=q1 + q2,
        extra={"days_late": days_late},
    )


CLASS = [
    grade("HW5_A_3", [("الف", "3")], 10, 8, ("pass", "pass")),
    grade("HW5_B_1", [("ب", "1")], 4, 0, ("fail", "partial"), outcome="cell-error", days_late=2),
    grade("HW5_C_2_D_4", [("ج", "2"), ("د", "4")], 6, 5, ("error", "pass")),
]


def test_class_statistics() -> None:
    pairs = [
        {"a": "HW5_A_3", "b": "HW5_B_1", "score": 0.71},
        {"a": "HW5_A_3", "b": "HW5_C_2_D_4", "similarity": 0.93, "excerpts_a": ["h = tanh(x)"]},
        {"a": "only-a"},  # invalid: skipped
    ]
    s = class_statistics(CLASS, pairs)
    assert (s["n_submissions"], s["n_students"]) == (3, 4)
    assert s["mean"] == pytest.approx(11) and s["median"] == 11 and s["max"] == 18
    q1, q2 = s["questions"]
    assert q1["mean"] == pytest.approx(20 / 3) and q1["median"] == 6
    assert q1["pass_rate"] == pytest.approx(2 / 3)  # 10 and 6 of 10 pass, 4 does not
    assert q2["pass_rate"] == pytest.approx(2 / 3)  # 8 and 5 pass, 0 does not
    assert [(f["check"], f["failed"], f["partial"], f["of"]) for f in s["most_failed"]] == [
        ("c1", 2, 0, 3)
    ]
    assert s["most_failed"][0]["message_en"] == "c1 says fail"
    assert [(n["submission"], n["why"]) for n in s["not_run"]] == [("HW5_B_1", "boom in cell 3")]
    assert [(x["submission"], x["days_late"], x["penalty"]) for x in s["late"]] == [
        ("HW5_B_1", 2, 20.0)
    ]
    assert [(p["b"], p["score"]) for p in s["similarity"]] == [
        ("HW5_C_2_D_4", 0.93),
        ("HW5_B_1", 0.71),
    ]
    assert s["similarity"][0]["names_b"] == "ج، د"
    assert s["similarity"][0]["excerpt"] == "h = tanh(x)"
    assert [st["number"] for st in s["students"]] == ["1", "2", "3", "4"]


@needs_poppler
def test_class_summary_pdf(tmp_path: Path) -> None:
    import pdfplumber

    results = samples.sample_class(40, seed=5)
    pairs = samples.sample_similarity(results)
    pdf = render_class_summary(
        [samples.typed(r) for r in results], tmp_path / "c.pdf", assignment=samples.ASSIGNMENT, similarity=pairs
    )
    text = pdftotext(pdf)
    for heading in ["توزیع نمره‌ها", "بررسی‌هایی که بیش از همه ناموفق بودند", "همهٔ دانشجویان"]:
        assert normalise(heading) in text
    assert "Late submissions" in text and "Code similarity" in text
    assert "CUDA out of memory" in text  # why a run failed
    for r in results:
        assert r["submission"] in text or r["outcome"] == "ok"
    assert pairs[0]["a"] in text and "torch.tanh" in text
    assert {f.name.split("+")[-1] for f in pdffonts(pdf)} <= {"Vazirmatn", "Vazirmatn-Bold"}
    with pdfplumber.open(pdf) as doc:
        assert sum(len(p.images) for p in doc.pages) == 1  # the histogram


def _grade_result(key: str, name: str, number: str, score: float) -> GradeResult:
    check = CheckOutcome(
        "L1-weights", "numeric_answer", 1.0, False, "", "L1 weights",
        CheckResult(score, "مقدار درست نیست.", "the value is not correct.",
                    evidence={"found": 12, "expected": 3072}),
    )  # fmt: skip
    part = PartScore("a", "وزن‌ها", "weights", 6.0, (check,))
    question = QuestionScore("Q1", "سوال ۱", "Q1", "theory", False, None, (part,))
    return GradeResult("hw5-rnn", key, ({"name": name, "number": number},), "ok", (question,))


@needs_poppler
def test_report_command_writes_every_pdf_and_the_summary(tmp_path: Path) -> None:
    db = tmp_path / "gradebook.db"
    people = [("HW5_Rezaei_401100001", "علی رضایی", "401100001", 1.0),
              ("HW5_Karimi_401100002", "Sara Karimi", "401100002", 0.0),
              ("HW5_Mousavi_401100003", "مریم موسوی", "401100003", 0.5)]  # fmt: skip
    with Gradebook(db) as gb:
        for key, name, number, score in people:
            gb.record(_grade_result(key, name, number, score))
    out = tmp_path / "reports"
    out.mkdir()
    pair = {"schema": "dlgrade.similarity/1", "pairs": [{"a": people[0][0], "b": people[2][0], "similarity": 0.97}]}  # fmt: skip
    (out / "similarity.json").write_text(json.dumps(pair))
    with Gradebook(db) as gb:  # what the batch step recorded at intake
        gb.record_intake("hw5-rnn", people[1][0], submitted_at=dt.datetime(2026, 1, 1, 9, 30, tzinfo=dt.UTC), days_late=3)  # fmt: skip
    written = report.main(assignment="hw5-rnn", gradebook=db, out=out, jobs=2, echo=False)
    assert sorted(p.name for p in written) == sorted(
        [f"{key}.pdf" for key, *_ in people] + [report.SUMMARY_NAME]
    )
    assert "Sara Karimi" in pdftotext(out / "HW5_Karimi_401100002.pdf")
    karimi = pdftotext(out / "HW5_Karimi_401100002.pdf")
    assert "the value is not correct." in karimi and "۳٬۰۷۲" in karimi
    assert "3 days late" in karimi and "2026-01-01" in karimi
    summary = pdftotext(out / report.SUMMARY_NAME)
    assert "0.97" in summary or "۰٫۹۷" in summary
    assert normalise("مریم موسوی") in summary
