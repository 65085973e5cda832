"""Submissions the grading environment blocked (`environment-missing`): the batch summary's
list of modules the class needed, and `dlgrade batch --regrade-blocked` (issue 17)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from batch_helpers import TINY, make_home, make_zip
from packaging.requirements import Requirement

from graders.batch.blocked import (
    ENVIRONMENT_MISSING,
    blocked_by_module,
    blocked_json,
    missing_modules,
    one_regrade_flag,
    regrade_blocked_selection,
    still_undeclared,
)
from graders.batch.summary_text import blocked_lines, print_summary
from graders.checks.result import CheckResult
from graders.commands import batch
from graders.errors import DlgradeError
from graders.gradebook import Gradebook
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore

ROOT = Path(__file__).resolve().parents[1]
ENV = {"key": "0123456789abcdef", "packages": {"numpy": "2.1.0"}}


def _result(key: str, outcome: str = "ok", missing: tuple[str, ...] = ()) -> GradeResult:
    score = 0.0 if outcome != "ok" else 1.0
    check = CheckOutcome("c", "figure_lines", 1.0, False, "", "", CheckResult(score, "پ", "m"))
    question = QuestionScore("Q1", "س", "q", "practical", False, 100, (PartScore("a", "", "", 100, (check,)),))  # fmt: skip
    env = ENV | ({"missing": list(missing)} if outcome == ENVIRONMENT_MISSING else {})
    return GradeResult(
        "hw5",
        key,
        ({"name": "X", "number": "810199100"},),
        outcome,
        (question,),
        signature={"submission": f"h-{key}", "golden": "g1", "environment": env},
    )


def _class_gradebook(db: Path) -> None:
    """Two submissions blocked by the environment, one graded normally."""
    with Gradebook(db) as gb:
        gb.record(_result("s1", ENVIRONMENT_MISSING, ("pandas",)))
        gb.record(_result("s2", ENVIRONMENT_MISSING, ("seaborn", "pandas")))
        gb.record(_result("s3"))


def test_the_modules_the_class_needed_and_how_many_each_blocked(tmp_path: Path) -> None:
    _class_gradebook(tmp_path / "gb.db")
    with Gradebook(tmp_path / "gb.db") as gb:
        latest = gb.latest_all("hw5")
    assert [missing_modules(r) for r in latest] == [["pandas"], ["pandas", "seaborn"], []]
    assert blocked_by_module(latest) == {"pandas": ["s1", "s2"], "seaborn": ["s2"]}
    # a blocked run that named no module still counts, under "?"
    anonymous = _result("s4", ENVIRONMENT_MISSING).to_json()
    assert blocked_by_module([anonymous]) == {"?": ["s4"]}


def test_regrade_blocked_selects_exactly_the_blocked_and_the_never_graded(tmp_path: Path) -> None:
    _class_gradebook(tmp_path / "gb.db")
    with Gradebook(tmp_path / "gb.db") as gb:
        latest = {r["submission"]: r for r in gb.latest_all("hw5")}
        # s1 is regraded once more under the new environment and is fine now
        assert regrade_blocked_selection(["s1", "s2", "s3"], latest) == ["s1", "s2"]
        gb.record(_result("s1"))
        latest = {r["submission"]: r for r in gb.latest_all("hw5")}
    assert regrade_blocked_selection(["s1", "s2", "s3"], latest) == ["s2"]
    # never graded, and marked grader-problem (not counted as graded): graded too
    statuses = {"s3": "grader-problem"}
    assert regrade_blocked_selection(["s0", "s2", "s3"], latest, statuses) == ["s0", "s2", "s3"]


def test_both_regrade_flags_at_once_are_refused_in_both_languages() -> None:
    with pytest.raises(DlgradeError) as err:
        one_regrade_flag(True, True)
    assert "--regrade-blocked" in err.value.message_en and "فقط یکی" in err.value.message_fa
    one_regrade_flag(True, False)
    one_regrade_flag(False, True)


def test_still_undeclared_after_the_list_grows() -> None:
    declared = [Requirement("numpy>=1.26"), Requirement("pandas>=2,<3")]
    blocked = {"pandas": ["s1", "s2"], "seaborn": ["s2"], "?": ["s4"]}
    assert still_undeclared(blocked, declared) == ["seaborn"]
    assert still_undeclared(blocked, [*declared, Requirement("seaborn>=0.13")]) == []


def test_the_batch_summary_lists_the_modules_in_persian_and_english(capsys) -> None:
    summary = batch.BatchSummary("hw5", total=3, graded=["s1", "s2", "s3"])
    summary.blocked = {"pandas": ["s1", "s2"], "seaborn": ["s2"]}
    summary.still_undeclared = ["seaborn"]
    section = summary.to_json()["environment_missing"]
    assert section["submissions"] == ["s1", "s2"]
    assert [(m["module"], m["blocked"]) for m in section["modules"]] == [
        ("pandas", 2),
        ("seaborn", 1),
    ]
    lines = blocked_lines(section)
    assert lines[0] == "pandas: 2 ارسال متوقف شد / blocked 2 submission(s): s1, s2"
    assert lines[1] == "seaborn: 1 ارسال متوقف شد / blocked 1 submission(s): s2"
    assert "seaborn" in lines[2] and "environment:" in lines[2] and "هنوز" in lines[2]
    print_summary(summary)
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "modules the grading environment lacked" in err and "ماژول‌هایی" in err
    assert "blocked 2 submission(s): s1, s2" in err
    # nothing blocked: no section
    assert blocked_lines(blocked_json({})) == []
    print_summary(batch.BatchSummary("hw5", total=1, graded=["s3"]))
    assert "lacked" not in capsys.readouterr().err


@pytest.mark.slow  # about 8 s: three batches of three submissions (saved mode, no kernel)
def test_batch_regrade_blocked_regrades_only_the_blocked_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved mode (no kernel): grade three, mark two `environment-missing` as a kernel lacking
    pandas would; a plain rerun keeps all three, `--regrade-blocked` grades exactly the two."""
    home = make_home(tmp_path / "home")
    shutil.copy(ROOT / "assignments" / "environment.yaml", home / "assignments")
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    export = tmp_path / "export"
    names = ["HW5_Ahmadi_810199101", "HW5_Bagheri_810199102", "HW5_Karimi_810199103"]
    for name in names:
        make_zip(export, name)
    db = tmp_path / "gb.db"
    run = dict(assignment=TINY, path=export, gradebook=db, render=False, plain=True, mode="saved")
    first = batch.main(**run)
    assert first.graded == names and first.blocked == {}
    with Gradebook(db) as gb:
        for key, missing in zip(names[:2], [("pandas",), ("pandas", "seaborn")], strict=True):
            ok = gb.latest(TINY, key)
            blocked = dataclasses.replace(
                _result(key, ENVIRONMENT_MISSING, missing),
                assignment=TINY,
                signature=ok["signature"] | {"environment": ENV | {"missing": list(missing)}},
            )
            gb.record(blocked)
    plain = batch.main(**run)
    assert plain.graded == [] and plain.skipped == names
    assert plain.blocked == {"pandas": names[:2], "seaborn": names[1:2]}
    assert plain.to_json()["environment_missing"]["still_undeclared"] == []  # both declared
    again = batch.main(**run, regrade_blocked=True)
    assert again.graded == names[:2] and again.skipped == names[2:]
    assert again.blocked == {}
    with Gradebook(db) as gb:
        assert [gb.count_runs(TINY, k) for k in names] == [3, 3, 1]
        assert [gb.latest(TINY, k)["outcome"] for k in names] == ["ok", "ok", "ok"]


def test_a_whole_class_blocked_the_same_way_names_the_environment_as_the_cause() -> None:
    from graders.batch.failures import shared_failure

    message = "ModuleNotFoundError: No module named 'pandas'"
    runs = {f"s{i}": (ENVIRONMENT_MISSING, message) for i in range(4)}
    shared = shared_failure(runs)
    assert shared is not None and shared.keys == ("s0", "s1", "s2", "s3")
    fa, en = shared.warning()
    assert "--regrade-blocked" in en and "environment:" in en
    assert "محیط اجرای نوت‌بوک ندارد" in fa and "dlgrade env build" in en
