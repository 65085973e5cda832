"""Gradebook: resuming, TA scores kept across regrades, intake records, and the exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from graders.batch.roster import RosterStudent
from graders.checks.result import CheckResult
from graders.export.gradescope import gradescope_results
from graders.export.lms import lms_csv, lms_rows
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScore, TAScores
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore


def _result(
    key: str,
    q1: float,
    q2: float,
    *,
    content: str = "h1",
    golden: str = "g1",
    students=(("Ahmadi", "810199101"),),
    late: float = 0.0,
) -> GradeResult:
    def question(qid: str, frac: float) -> QuestionScore:
        outcome = CheckOutcome(
            "c1",
            "numeric_answer",
            1.0,
            qid == "Q2",
            "",
            "",
            CheckResult(frac, "پیام", "message", evidence={"found": frac}),
        )
        return QuestionScore(
            qid, qid, qid, "theory", False, 100, (PartScore("a", "", "", 100, (outcome,)),)
        )

    return GradeResult(
        "hw5",
        key,
        tuple({"name": n, "number": s} for n, s in students),
        "ok",
        (question("Q1", q1), question("Q2", q2)),
        late_penalty_percent=late,
        signature={"submission": content, "golden": golden},
    )


def test_is_current_compares_content_hash_and_golden_version(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "gb.db") as gb:
        assert not gb.is_current("hw5", "s1", "h1", "g1")
        gb.record(_result("s1", 1, 1))
        assert gb.is_current("hw5", "s1", "h1", "g1")
        assert not gb.is_current("hw5", "s1", "h2", "g1")  # the student re-uploaded
        assert not gb.is_current("hw5", "s1", "h1", "g2")  # the references were rebuilt
    with Gradebook(f"sqlite:///{tmp_path / 'gb.db'}") as gb:  # a URL works the same
        assert gb.is_current("hw5", "s1", "h1", "g1")
        mode = gb.engine.connect().exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "wal"


def test_ta_scores_survive_a_regrade_and_keep_their_history(tmp_path: Path) -> None:
    db = tmp_path / "gb.db"
    with Gradebook(db) as gb:
        gb.record(_result("s1", 0.5, 1.0, late=10))
    with TAScores(db) as ta:
        ta.set("hw5", "s1", TAScore("Q1.a", 70, "partial credit", "ta1"))
        ta.set("hw5", "s1", TAScore("Q1.a", 80, "second look", "ta2"))
    with Gradebook(db) as gb:
        gb.record(_result("s1", 0.25, 1.0, content="h2", late=10))  # regrade after a re-upload
        final = gb.final("hw5", "s1")
        assert gb.count_runs("hw5", "s1") == 2
        assert [r["points"] for r in gb.ta_scores("hw5")] == [70, 80]
        q1 = final["questions"][0]
        assert q1["score"] == 80 and "second look" in q1["parts"][0]["checks"][0]["message_en"]
        assert gb.latest("hw5", "s1")["score"] == pytest.approx(125 * 0.9)  # automatic kept
        assert final["score"] == pytest.approx(180 * 0.9)
        assert gb.find_key("hw5", "810199101") == "s1"


def test_lms_csv_one_row_per_student_duplicates_out_absent_students_in() -> None:
    finals = [
        _result("g1", 1, 0.5, students=(("A", "810199101"), ("B", "810199102")), late=5),
        _result("old", 0, 0, students=(("A", "810199101"), ("B", "810199102"))),
        _result("solo", 0.5, 0.5, students=(("C", "810199103"),)),
    ]
    intake = [{"key": "old", "status": "duplicate"}]
    roster = [RosterStudent("810199104", "D", "d@x")]
    rows = lms_rows(finals, ["Q1", "Q2"], intake, roster)
    table = list(csv.DictReader(io.StringIO(lms_csv(rows, ["Q1", "Q2"]))))
    assert [(r["student_number"], r["total"], r["status"]) for r in table] == [
        ("810199101", "142.5", "graded"),
        ("810199102", "142.5", "graded"),
        ("810199103", "100.0", "graded"),
        ("810199104", "", "missing"),
    ]
    assert table[0]["Q1"] == "100.0" and table[0]["Q2"] == "50.0"


def test_gradescope_results_format() -> None:
    data = gradescope_results(_result("s", 1.0, 0.5))
    assert data["score"] == 150
    assert {t["name"] for t in data["tests"]} == {"Q1.a.c1", "Q2.a.c1"}
    hidden = next(t for t in data["tests"] if t["name"] == "Q2.a.c1")
    assert hidden["visibility"] == "after_published" and hidden["max_score"] == 100
    assert hidden["score"] == 50 and hidden["status"] == "failed"
    json.dumps(data)  # JSON-able


def test_dump_holds_runs_intake_and_ta_scores(tmp_path: Path) -> None:
    db = tmp_path / "gb.db"
    with Gradebook(db) as gb:
        gb.record(_result("s1", 1, 1))
        gb.record_intake("hw5", "s1", students=[], status="graded", days_late=2, flags=[])
    with TAScores(db) as ta:
        ta.set("hw5", "s1", TAScore("Q2.a", 50, "c", "ta"))
    with Gradebook(db) as gb:
        data = json.loads(json.dumps(gb.dump("hw5")))
    assert data["submissions"][0]["key"] == "s1" and len(data["submissions"][0]["runs"]) == 1
    assert data["intake"][0]["days_late"] == 2
    assert data["ta_scores"][0]["points"] == 50
    assert data["final"][0]["score"] == 150
