"""The one typed results model: `GradeResult.from_json` inverts `to_json` (on results built
here and on every stored example snapshot), TA scores applied to a loaded result agree with the
typed path, and a check's maximum comes from one function."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders.checks.result import CheckResult, Status
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScore, TAScores
from graders.review import apply_ta_scores, item_max
from graders.scoring import (
    CheckOutcome,
    GradeResult,
    PartScore,
    QuestionScore,
    ResultsFormatError,
    check_max,
)
from graders.spec import load_spec

SNAPSHOTS = Path(__file__).parent / "files" / "snapshots" / "examples"
REVIEW_RESULTS = Path(__file__).parent / "files" / "review" / "hw5-rnn-results.json"


def _check(
    cid: str, score: float, weight: float, hidden: bool = False, status: Status | None = None
) -> CheckOutcome:
    result = CheckResult(score, f"پیام {cid}", f"message {cid}", status, {"found": score})
    return CheckOutcome(cid, "numeric_answer", weight, hidden, f"عنوان {cid}", cid, result)


def _graded(late: float = 0.0) -> GradeResult:
    """Scores that do not round to 4 places, a cap, a bonus question, a hidden check."""
    q1 = QuestionScore(
        "Q1",
        "پرسش ۱",
        "Q1",
        "theory",
        False,
        None,
        (
            PartScore("a", "", "a", 7.0, (_check("x", 1 / 3, 1.0), _check("y", 0.123456, 2.0))),
            PartScore(
                "b",
                "",
                "b",
                3.0,
                (_check("h", 2 / 7, 1.0, hidden=True), _check("r", 0.0, 1.0, status=Status.REVIEW)),
            ),
        ),
        "hw.ipynb",
    )
    q2 = QuestionScore(
        "Q2",
        "",
        "Q2",
        "notebook",
        True,
        4.0,
        (PartScore("a", "", "a", 5.0, (_check("z", 0.987654321, 3.0),)),),
    )
    return GradeResult(
        "hw5-rnn",
        "HW5_Ahmadi_810199101",
        ({"name": "احمدی", "number": "810199101"},),
        "ok",
        (q1, q2),
        late_penalty_percent=late,
        problems=(("مشکل", "a problem"),),
        signature={"submission": "abc", "golden": "g"},
        run_message="",
    )


def _text(doc: dict[str, object]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("late", [0.0, 12.5])
def test_from_json_inverts_to_json_byte_for_byte(late: float) -> None:
    data = _graded(late).to_json()
    loaded = GradeResult.from_json(json.loads(_text(data)), "hw5-rnn")
    assert _text(loaded.to_json()) == _text(data)
    assert loaded.total == data["score"] and loaded.possible == data["max"]
    assert loaded.questions[0].parts[1].needs_review


def test_from_json_keeps_keys_beyond_the_schema() -> None:
    data = {"submitted_at": "2026-11-01T10:00:00", "days_late": 2} | _graded().to_json()
    assert GradeResult.from_json(data).to_json() == data


def test_from_json_rejects_a_malformed_result_in_both_languages() -> None:
    data = _graded().to_json()
    del data["questions"][0]["parts"][0]["checks"][0]["weight"]
    with pytest.raises(ResultsFormatError) as err:
        GradeResult.from_json(data)
    assert "weight" in err.value.message_en and "dlgrade.results/1" in err.value.message_fa
    data = _graded().to_json()
    data["questions"][0]["parts"][0]["checks"][0]["score"] = 1.5
    with pytest.raises(ResultsFormatError):
        GradeResult.from_json(data)


def _sorted(doc: dict[str, object]) -> str:
    """The snapshot's own text form (`scripts/snapshot_examples.py`: keys sorted)."""
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)


def _snapshot_submissions() -> list[tuple[str, str, dict[str, object]]]:
    out = []
    for path in sorted(SNAPSHOTS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out += [(path.stem, doc.get("assignment", ""), s) for s in doc["submissions"]]
    return out


SNAPSHOT_SUBMISSIONS = _snapshot_submissions()


@pytest.mark.skipif(not SNAPSHOT_SUBMISSIONS, reason="no example snapshots stored yet")
def test_every_example_snapshot_round_trips() -> None:
    for name, assignment, sub in SNAPSHOT_SUBMISSIONS:
        loaded = GradeResult.from_json(sub, assignment)
        assert _sorted(loaded.to_json()) == _sorted(sub), f"{name}: {sub['submission']}"


def test_example_snapshots_are_present() -> None:
    """The round trip above runs on the stored snapshots; there must be some."""
    assert len(SNAPSHOT_SUBMISSIONS) >= 13  # 13 bundled example submissions on 2026-12-01


SCORES = {
    "Q1.a.y": TAScore("Q1.a.y", 4.0, "دقیق", "ta1"),  # one check: 4 of its 4.6667 points
    "Q1.b": TAScore("Q1.b", 1.5, "", "ta2"),  # a whole part, hidden check included
}


def test_ta_scores_on_a_loaded_result_agree_with_the_typed_path() -> None:
    graded = _graded(late=10.0)
    typed = apply_ta_scores(graded, SCORES).to_json()
    loaded = apply_ta_scores(GradeResult.from_json(graded.to_json(), "hw5-rnn"), SCORES).to_json()
    flat = [
        (q["id"], p["id"], c["id"], c["status"], c["message_en"], c["score"], c["max"])
        for doc in (typed, loaded)
        for q in doc["questions"]
        for p in q["parts"]
        for c in p["checks"]
    ]
    half = len(flat) // 2
    assert flat[:half] == flat[half:]
    # the loaded result's untouched check x was stored as 0.3333: 7/3 * 1e-4 of a point at most
    for key in ("score",):
        assert loaded[key] == pytest.approx(typed[key], abs=3e-4)
    for qt, ql in zip(typed["questions"], loaded["questions"], strict=True):
        assert ql["score"] == pytest.approx(qt["score"], abs=3e-4)
    part_a, part_b = loaded["questions"][0]["parts"]
    # y: 4 points of 7*2/3; x stays 1/3 of 7/3 points
    assert part_a["score"] == pytest.approx(4.0 + 0.3333 * 7 / 3, abs=1e-4)
    assert part_b["score"] == pytest.approx(1.5, abs=1e-9)
    assert [c["status"] for c in part_b["checks"]] == ["partial", "partial"]
    assert not part_b["needs_review"]  # the TA decided the review check
    q2 = loaded["questions"][1]
    assert q2 == typed["questions"][1] == graded.to_json()["questions"][1]  # untouched: as stored
    assert loaded["score"] == pytest.approx(
        (part_a["score"] + part_b["score"] + min(5 * 0.987654321, 4.0)) * 0.9, abs=1e-4
    )


def test_ta_status_comes_from_the_fraction_as_check_results_do() -> None:
    scores = {
        "Q1.a.x": TAScore("Q1.a.x", 7 / 3, "", "t"),
        "Q1.a.y": TAScore("Q1.a.y", 0.0, "", "t"),
        "Q1.b.h": TAScore("Q1.b.h", 0.5, "", "t"),
    }
    result = apply_ta_scores(_graded(), scores)
    (a, b) = result.questions[0].parts
    assert [c.result.status for c in a.checks] == [Status.PASS, Status.FAIL]
    assert b.checks[0].result.status == Status.PARTIAL
    assert b.checks[0].result.evidence["auto_status"] == "partial"
    assert b.checks[1].result.status == Status.REVIEW  # no score for it: untouched
    assert apply_ta_scores(_graded(), {}) == _graded()


def test_gradebook_final_results_are_typed_with_ta_scores_applied(tmp_path: Path) -> None:
    db = tmp_path / "gb.db"
    graded = _graded(late=10.0)
    with Gradebook(db) as gb:
        gb.record(graded)
        assert gb.final_all("hw5-rnn") == [graded.to_json()]  # no TA scores: as recorded
        assert gb.latest_result("hw5-rnn", graded.submission).to_json() == graded.to_json()
    with TAScores(db) as ta:
        for s in SCORES.values():
            ta.set("hw5-rnn", graded.submission, s)
    with Gradebook(db) as gb:
        (final,) = gb.final_results("hw5-rnn")
    expected = apply_ta_scores(GradeResult.from_json(graded.to_json(), "hw5-rnn"), SCORES)
    assert final.to_json() == expected.to_json()
    assert final.assignment == "hw5-rnn"


def test_a_checks_maximum_is_one_function_everywhere() -> None:
    spec = load_spec("hw5-rnn")
    graded = _graded()
    part = graded.questions[0].parts[0]
    assert part.check_max(part.checks[1]) == check_max(7.0, 2.0, 3.0) == pytest.approx(14 / 3)
    assert graded.to_json()["questions"][0]["parts"][0]["checks"][1]["max"] == 4.6667
    assert check_max(5.0, 1.0, 0.0) == 0.0
    for q in spec.questions:
        for p in q.parts:
            total = sum(c.weight for c in p.checks)
            for c in p.checks:
                assert item_max(spec, f"{q.id}.{p.id}.{c.id}") == check_max(
                    p.points, c.weight, total
                )


def test_exports_read_the_typed_final_result(tmp_path: Path) -> None:
    """A TA score on a part with a hidden check marks the row `ta-scored` (the hidden check's
    evidence is kept in the typed result, not in its JSON); Gradescope gets the JSON's points."""
    from graders.export.gradescope import gradescope_results
    from graders.export.lms import lms_rows

    db = tmp_path / "gb.db"
    with Gradebook(db) as gb:
        gb.record(_graded())
    with TAScores(db) as ta:
        ta.set("hw5-rnn", "HW5_Ahmadi_810199101", TAScore("Q1.b", 1.5, "", "ta1"))
    with Gradebook(db) as gb:
        (final,) = gb.final_results("hw5-rnn")
    (row,) = lms_rows([final], ["Q1", "Q2"])
    data = final.to_json()
    assert (
        row["status"] == "ta-scored"
        and data["questions"][0]["parts"][1]["checks"][0]["evidence"] == {}
    )
    assert (row["total"], row["Q1"], row["Q2"]) == (
        round(data["score"], 2),
        round(data["questions"][0]["score"], 2),
        4.0,
    )
    tests = gradescope_results(final)["tests"]
    checks = [c for q in data["questions"] for p in q["parts"] for c in p["checks"]]
    assert [t["score"] for t in tests] == [round(c["score"] * c["max"], 4) for c in checks]
    assert (
        [t["max_score"] for t in tests]
        == [c["max"] for c in checks]
        == [2.3333, 4.6667, 1.5, 1.5, 5.0]
    )
    assert [t["visibility"] for t in tests].count("after_published") == 1


def test_an_imported_document_is_stored_as_it_reads(tmp_path: Path) -> None:
    from graders.gradebook.importing import record_document

    doc = json.loads(REVIEW_RESULTS.read_text(encoding="utf-8"))
    with Gradebook(tmp_path / "gb.db") as gb:
        assert len(record_document(gb, doc)) == len(doc["submissions"]) == 4
        stored = gb.latest_all(doc["assignment"])
    # this document predates a question's `notebook` (results of several notebooks): "" added
    for sub in doc["submissions"]:
        for q in sub["questions"]:
            assert "notebook" not in q
            q["notebook"] = ""
    assert sorted(stored, key=lambda r: r["submission"]) == sorted(
        doc["submissions"], key=lambda r: r["submission"]
    )
    bad = doc["submissions"][0] | {"outcome": None, "questions": [{"id": "Q1"}]}
    with Gradebook(tmp_path / "gb.db") as gb, pytest.raises(ResultsFormatError):
        record_document(gb, {"assignment": doc["assignment"], "submissions": [bad]})


def test_self_check_points_are_the_graders_check_maximum() -> None:
    """A part with hidden checks (from the shipped summary): the student's self-check counts
    each public check at the points the grader's result gives it."""
    from graders.selfcheck.grading import HiddenShare, SelfCheck

    spec = load_spec("hw5-rnn")
    q = spec.questions[0]
    p = q.parts[0]
    sc = object.__new__(SelfCheck)  # only the spec and the hidden shares are needed here
    sc.spec, sc.hidden = spec, {(q.id, p.id): HiddenShare(2, 3.0)}
    public = [_check(c.id, 1.0, c.weight) for c in p.checks]
    hidden = [_check("h1", 0.0, 1.0, hidden=True), _check("h2", 0.0, 2.0, hidden=True)]
    part = PartScore(p.id, "", "", p.points, (*public, *hidden))
    for c, outcome in zip(p.checks, public, strict=True):
        assert sc.check_points(q, p, c) == part.check_max(outcome)
    assert sum(part.check_max(o) for o in public) == pytest.approx(
        p.points * sum(c.weight for c in p.checks) / (sum(c.weight for c in p.checks) + 3.0)
    )
