"""A batch whose submissions all fail the same way: detection (pure) and the batch's answer
(warning, `grader-problem`, non-zero exit, `--accept-failures`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batch_helpers import TINY, make_home, make_zip

from graders.batch.failures import failure_signature, shared_failure
from graders.export.lms import lms_rows
from graders.gradebook import Gradebook
from graders.scoring import GradeResult, PartScore, QuestionScore

ROOT = Path(__file__).resolve().parents[1]
MISSING = "ModuleNotFoundError: No module named 'dlgrade_absent_pkg'"


def _cell_error(cell: int) -> tuple[str, str]:
    return (
        "cell-error",
        f"the notebook failed in code cell {cell} (cell {cell + 2} of the notebook) with {MISSING}",
    )


def test_the_same_import_error_in_different_cells_is_one_shared_failure() -> None:
    runs = {f"S{i}": _cell_error(i + 1) for i in range(4)}
    shared = shared_failure(runs)
    assert shared is not None
    assert (shared.outcome, shared.error) == ("cell-error", MISSING)
    assert shared.keys == ("S0", "S1", "S2", "S3") and shared.runs == 4
    fa, en = shared.warning()
    assert en.startswith(f"WARNING: 4 of 4 submissions ended the same way (cell-error: {MISSING})")
    assert "not installed in the grading environment" in en and "grader-problem" in en
    assert fa.startswith("هشدار: 4 ارسال از 4") and "نصب نیست" in fa


def test_kernel_deaths_differing_only_in_numbers_and_paths_are_shared() -> None:
    runs = {
        f"S{i}": (
            "kernel-died",
            f"the notebook run ended with kernel-died: exit -9 after {i}.5 s in /tmp/run{i}/work",
        )
        for i in range(5)
    }
    runs["ok"] = ("ok", "")
    shared = shared_failure(runs)  # 5 of 6: nearly all
    assert shared is not None and shared.outcome == "kernel-died" and len(shared.keys) == 5
    assert shared.error == "exit -# after # s in <path>"
    assert shared.example == "exit -9 after 0.5 s in /tmp/run0/work"  # S0's, as it was
    en = shared.warning()[1]
    assert "(kernel-died: exit -9 after 0.5 s in /tmp/run0/work)" in en
    assert "kernel could not start" in en


@pytest.mark.parametrize(
    "runs",
    [
        {"A": _cell_error(1), "B": _cell_error(2)},  # two runs prove nothing
        {"A": _cell_error(1), "B": _cell_error(2), "C": _cell_error(3), "D": ("ok", "")},  # 3/4
        {
            "A": _cell_error(1),
            "B": _cell_error(1),
            "C": (
                "cell-error",
                "the notebook failed in code cell 1 (cell 1 of the notebook) with NameError: name 'x' is not defined",
            ),
        },
        {"A": ("ok", ""), "B": ("ok", ""), "C": ("ok", "")},
    ],
)
def test_no_shared_failure_when_the_class_fails_in_its_own_ways(runs) -> None:
    assert shared_failure(runs) is None


def test_signature_of_an_ok_run_is_none() -> None:
    assert failure_signature("ok", "") is None
    assert failure_signature("sandbox-unavailable", "") == ("sandbox-unavailable", "")


def test_lms_export_leaves_a_grader_problem_grade_empty() -> None:
    part = PartScore("a", "", "", 200.0, ())
    question = QuestionScore("Q1", "", "", "notebook", False, None, (part,))
    final = GradeResult("hw", "S1", ({"name": "A", "number": "810199101"},), "ok", (question,))
    rows = lms_rows([final], ["Q1"], [{"key": "S1", "status": "grader-problem"}])
    assert rows == [
        {
            "student_number": "810199101",
            "name": "A",
            "total": "",
            "max": 200,
            "late_penalty_percent": 0.0,
            "Q1": "",
            "submitted_at": "",
            "time_source": "",
            "submission": "S1",
            "status": "grader-problem",
        }
    ]


def _batch(home: Path, export: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DLGRADE_HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [sys.executable, "-m", "graders", "batch", TINY, str(export), "--no-report", "--plain"]
    return subprocess.run(
        [*cmd, *args], env=env, cwd=home, capture_output=True, text=True, timeout=240
    )


@pytest.mark.slow
def test_four_submissions_dying_the_same_way_warn_and_exit_non_zero(tmp_path: Path) -> None:
    home = make_home(tmp_path / "home")
    export = tmp_path / "export"
    keys = [f"HW5_S{i}_81019940{i}" for i in range(4)]
    for i, key in enumerate(keys):
        # the same missing package, imported after a different number of cells
        make_zip(export, key, plot=False, extra="\n" * i + "import dlgrade_absent_pkg")
    proc = _batch(home, export, "--jobs", "2")
    assert proc.returncode == 1, proc.stderr
    # an import the kernel environment lacks (issue 17): held, and shared by the whole batch
    assert (
        "WARNING: 4 of 4 submissions ended the same way (environment-missing: the grading "
        "environment lacks dlgrade_absent_pkg" in proc.stderr
    )
    assert "add it to the assignment's `environment:`" in proc.stderr
    assert "هشدار: 4 ارسال از 4" in proc.stderr
    summary = json.loads((home / "reports" / TINY / "batch-summary.json").read_text())
    assert summary["graded"] == [] and summary["grader_problem"]["marked"] == keys
    db = home / "reports" / "gradebook.db"
    with Gradebook(db) as gb:
        assert {r["key"]: r["status"] for r in gb.intake_records(TINY)} == dict.fromkeys(
            keys, "grader-problem"
        )
    # the TA says the students really failed: graded again (not skipped), scored, exit 0
    proc = _batch(home, export, "--jobs", "2", "--accept-failures")
    assert proc.returncode == 0, proc.stderr
    assert "--accept-failures: these results were recorded" in proc.stderr
    summary = json.loads((home / "reports" / TINY / "batch-summary.json").read_text())
    assert sorted(summary["graded"]) == keys and summary["skipped_already_graded"] == []
    with Gradebook(db) as gb:
        assert {r["key"]: r["status"] for r in gb.intake_records(TINY)} == dict.fromkeys(
            keys, "graded"
        )
        assert all(gb.count_runs(TINY, k) == 2 for k in keys)
