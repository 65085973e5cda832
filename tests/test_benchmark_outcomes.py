"""Benchmarks that grade report no figure unless each submission ended as it was made to."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from graders.gradebook import Gradebook
from graders.scoring import GradeResult

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from expect import gradebook_outcomes, notebook_errors, require_outcomes  # noqa: E402


def _record(db: Path, key: str, outcome: str, message: str = "") -> None:
    with Gradebook(db) as gb:
        gb.record(
            GradeResult(
                "tiny-batch", key, ({"name": key, "number": ""},), outcome, (), run_message=message
            )
        )


def test_a_kernel_that_died_stops_the_benchmark_naming_the_submission(tmp_path: Path) -> None:
    db = tmp_path / "gb.db"
    _record(db, "S1", "ok")
    _record(db, "S2", "kernel-died", "the notebook run ended with kernel-died: no kernel")
    found = gradebook_outcomes(db, "tiny-batch")
    assert found == {
        "S1": ("ok", 0.0, ""),
        "S2": ("kernel-died", 0.0, "the notebook run ended with kernel-died: no kernel"),
    }
    with pytest.raises(SystemExit) as exc:
        require_outcomes(found, {"S1": ("ok", 0.0), "S2": ("ok", 0.0)}, "dlgrade --jobs 1")
    text = str(exc.value)
    assert text.startswith("dlgrade --jobs 1: 1 of 2 submission(s) did not end as expected")
    assert "S2: kernel-died 0, expected ok 0: the notebook run ended with kernel-died" in text
    assert "S1" not in text.split("\n", 1)[1]


def test_a_wrong_score_a_missing_and_an_unexpected_submission_stop_it_too() -> None:
    found = {"A": ("ok", 100.0, ""), "C": ("ok", 200.0, "")}
    with pytest.raises(SystemExit) as exc:
        require_outcomes(found, {"A": ("ok", 200.0), "B": ("ok", 200.0)}, "bench")
    lines = str(exc.value).splitlines()[1:]
    assert [line.strip() for line in lines] == [
        "A: ok 100, expected ok 200",
        "B: no result (expected ok)",
        "C: not expected",
    ]
    require_outcomes({"A": ("ok", 200.0, "")}, {"A": ("ok", 200.0)}, "bench")  # all as expected


def test_notebook_errors_reads_an_executed_notebook(tmp_path: Path) -> None:
    ran = nbformat.v4.new_code_cell("x = 1", execution_count=1)
    failed = nbformat.v4.new_code_cell("import nope", execution_count=2)
    failed.outputs = [
        nbformat.v4.new_output(
            "error", ename="ModuleNotFoundError", evalue="No module named 'nope'", traceback=[]
        )
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[ran]), path)
    assert notebook_errors(path) == ""
    nbformat.write(nbformat.v4.new_notebook(cells=[ran, failed]), path)
    assert notebook_errors(path) == "code cell 2: ModuleNotFoundError: No module named 'nope'"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")]), path)
    assert notebook_errors(path) == "code cell 1 did not run"
    assert notebook_errors(tmp_path / "absent.ipynb") == "no executed notebook"


@pytest.mark.slow
def test_batch_speed_refuses_to_report_when_a_notebook_did_not_run(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import batch_speed

    monkeypatch.setattr(batch_speed, "WORK", "import dlgrade_absent_pkg")
    argv = ["--n", "1", "--workdir", str(tmp_path / "w"), "--nbgrader-venv", str(tmp_path / "none")]
    with pytest.raises(SystemExit) as exc:
        batch_speed.main(argv)
    assert "dlgrade --jobs 1: 1 of 1 submission(s) did not end as expected" in str(exc.value)
    assert "HW5_Student00_810199300: environment-missing" in str(exc.value)  # issue 17
    assert "ModuleNotFoundError" in str(exc.value)
    out = capsys.readouterr().out
    assert "dlgrade serial" not in out and "speedup" not in out and " s/submission" not in out
