"""The self-check pytest plugin, run with pytester on correct and wrong submissions of two
assignments: hw5-rnn (the bundled examples) and mini-gru (tests/files/selfcheck, hidden checks)."""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import pytest
from mini_gru import SUBMISSIONS, make_home

from graders.checks.registry import get_check
from graders.selfcheck import grading
from graders.spec import load_spec

pytest_plugins = ("pytester",)

# The plugin by module name; `no:dlgrade` keeps an installed entry point from loading it twice.
PLUGIN = ("-p", "no:dlgrade", "-p", "graders.selfcheck.plugin", "-p", "no:cacheprovider")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*PLUGIN, "-v", "-rs", *args)


def reports(result: pytest.RunResult) -> dict[str, pytest.TestReport]:
    """The call-phase report of each item, by its check id (`hw5-rnn::Q6::B::log-scale`)."""
    out = {}
    for rep in result.reprec.getreports("pytest_runtest_logreport"):
        if rep.when == "call" or (rep.when == "setup" and rep.outcome != "passed"):
            out[rep.nodeid[rep.nodeid.index("::") + 2 :]] = rep
    return out


def public_ids(assignment: str) -> set[str]:
    spec = load_spec(assignment)
    return {f"{spec.id}::{q.id}::{p.id}::{c.id}" for q, p, c in spec.iter_checks() if not c.hidden}


def counting_runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = grading.execute_notebook

    @functools.wraps(real)
    def counted(notebook, **kwargs):
        calls.append(notebook)
        return real(notebook, **kwargs)

    monkeypatch.setattr(grading, "execute_notebook", counted)
    return calls


@pytest.fixture
def mini_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = make_home(tmp_path / "home")
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    return home


@pytest.mark.slow
def test_hw5_correct_notebook_passes_every_public_check(
    pytester: pytest.Pytester, examples: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = counting_runs(monkeypatch)
    notebook = examples["rezaei"] / "hw5_q6.ipynb"
    result = run(pytester, "--submission", str(notebook), "--assignment", "hw5-rnn")
    reps = reports(result)
    assert set(reps) == public_ids("hw5-rnn")
    assert not [k for k, r in reps.items() if r.failed]
    skipped = [r.longrepr[2] for r in reps.values() if r.skipped]  # free text: the TA decides
    assert all("left to the TA" in reason for reason in skipped)
    assert len([r for r in reps.values() if r.passed]) > len(skipped)
    assert result.ret == 0
    assert [r.name for r in runs] == [notebook.name]  # one kernel run (of the intake copy)
    out = result.stdout.str()
    assert "WITHOUT the sandbox" in out and "بدون سندباکس" in out
    assert "outcome: ok" in out
    spec = load_spec("hw5-rnn")
    assert re.search(rf"^total\s+[\d.]+ / {spec.points:.2f}", out, re.MULTILINE)
    q6 = next(q for q in spec.questions if q.id == "Q6").points
    assert re.search(rf"^Q6\s+{q6:.2f} / {q6:.2f}", out, re.MULTILINE)  # practical: all pass
    assert "All public checks passed" in out and "This is NOT your grade" in out
    assert "قبول‌شدن همهٔ بررسی‌های عمومی به معنای نمرهٔ کامل نیست" in out


@pytest.mark.slow
def test_hw5_wrong_notebook_fails_with_both_messages(
    pytester: pytest.Pytester, examples: dict[str, Path]
) -> None:
    result = run(
        pytester,
        "--submission",
        str(examples["karimi"] / "hw5_q6.ipynb"),
        "--assignment",
        "hw5-rnn",
    )
    reps = reports(result)
    assert set(reps) == public_ids("hw5-rnn")
    failed = {k for k, r in reps.items() if r.failed}
    assert {
        "hw5-rnn::Q6::B::log-scale",
        "hw5-rnn::Q6::C::hidden-state-plot",
        "hw5-rnn::Q1::a::L1-weights",
    } <= failed
    assert reps["hw5-rnn::Q6::B::gradient-plot"].passed
    log = reps["hw5-rnn::Q6::B::log-scale"].longreprtext
    assert "FA: محور عمودی نمودار گرادیان باید لگاریتمی باشد" in log
    assert "EN: the gradient plot's y axis must be logarithmic (ax.set_yscale('log'))" in log
    assert 'yscale: {"RNN": "linear", "LSTM": "linear"}' in log  # the found value, per model
    weights = reps["hw5-rnn::Q1::a::L1-weights"].longreprtext
    assert "expected / مورد انتظار: [3072" in weights
    assert "found / یافت‌شده: 8192" in weights
    out = result.stdout.str()
    q6 = re.search(r"^Q6\s+([\d.]+) / ([\d.]+)", out, re.MULTILINE)
    assert q6 and 0 < float(q6.group(1)) < float(q6.group(2))
    assert "All public checks passed" not in out and "This is NOT your grade" in out
    assert result.ret == 1


def test_no_execute_grades_saved_notebook_and_skips_with_reason(
    pytester: pytest.Pytester, examples: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = counting_runs(monkeypatch)
    result = run(
        pytester,
        "--submission",
        str(examples["karimi"] / "hw5_q6.ipynb"),
        "--assignment",
        "hw5-rnn",
        "--no-execute",
    )
    assert runs == []
    reps = reports(result)
    spec = load_spec("hw5-rnn")
    needs_run = {
        f"hw5-rnn::{q.id}::{p.id}::{c.id}"
        for q, p, c in spec.iter_checks()
        if get_check(c.check).needs_execution
    }
    skipped = {k for k, r in reps.items() if r.skipped and "needs the notebook" in r.longrepr[2]}
    assert needs_run and skipped == needs_run
    reason = reps["hw5-rnn::Q6::B::log-scale"].longrepr[2]
    assert "needs the notebook to run" in reason and "PNG" in reason and "اجرای نوت‌بوک" in reason
    assert reps["hw5-rnn::Q1::a::L1-weights"].failed
    assert reps["hw5-rnn::Q1::a::L2-weights"].passed
    out = result.stdout.str()
    assert "not run (--no-execute); as saved: 9 of 9 code cells were run in order" in out
    assert f"{len(needs_run)} skipped" in out
    assert re.search(r"^Q6\s+0.00 / ([\d.]+)\s+skipped \(needs a run\): \1", out, re.MULTILINE)


def test_no_execute_reports_errors_saved_in_the_notebook(
    pytester: pytest.Pytester, examples: dict[str, Path]
) -> None:
    notebook = examples["mousavi"] / "hw5_q6.ipynb"  # its third code cell raised when it was run
    result = run(pytester, "--submission", str(notebook), "--assignment", "hw5-rnn", "--no-execute")
    out = result.stdout.str()
    assert "its saved outputs show AttributeError in code cell 3" in out
    assert "خطای AttributeError" in out


@pytest.mark.slow
def test_mini_gru_correct_from_dlgrade_toml_counts_public_points_only(
    pytester: pytest.Pytester, mini_home: Path
) -> None:
    for f in (SUBMISSIONS / "correct").iterdir():
        (pytester.path / f.name).write_bytes(f.read_bytes())
    (pytester.path / "dlgrade.toml").write_text(
        'assignment = "mini-gru"\nnotebook = "mini.ipynb"\nanswers = "answers.yaml"\n'
    )
    result = run(pytester)  # plain `pytest` in the folder
    assert "WITHOUT the sandbox" in result.stdout.str()
    reps = reports(result)
    assert set(reps) == {
        "mini-gru::T1::a::gru-params",
        "mini-gru::T1::a::output-shape",
        "mini-gru::P1::a::model",
        "mini-gru::P1::a::loss-log-scale",
    }  # the hidden gru-flops and trained-enough are not items
    assert all(r.passed for r in reps.values()) and result.ret == 0
    out = result.stdout.str()
    # T1.a: 4 points, public weight 2 of 4; P1.a: 6 points, public weight 2 of 3
    assert re.search(r"^T1\s+2.00 / 2.00\s+hidden checks: 2.00", out, re.MULTILINE)
    assert re.search(r"^P1\s+4.00 / 4.00\s+hidden checks: 2.00", out, re.MULTILINE)
    assert re.search(r"^total\s+6.00 / 6.00\s+of the assignment's 10", out, re.MULTILINE)
    assert "All public checks passed. This is NOT your grade" in out
    assert "2 hidden check(s), worth 4.00 points (P1, T1), are not run here" in out
    assert "2 بررسی پنهان به ارزش 4.00 امتیاز" in out


@pytest.mark.slow
def test_mini_gru_wrong_submission_fails_every_check(
    pytester: pytest.Pytester, mini_home: Path
) -> None:
    notebook = SUBMISSIONS / "wrong" / "mini.ipynb"
    result = run(pytester, "--submission", str(notebook), "--assignment", "mini-gru")
    reps = reports(result)
    assert len(reps) == 4 and all(r.failed for r in reps.values())
    model = reps["mini-gru::P1::a::model"].longreprtext
    assert "no model using GRU was found" in model and "لایهٔ GRU" in model
    shape = reps["mini-gru::T1::a::output-shape"].longreprtext
    assert "expected / مورد انتظار: [12, 4]" in shape and "found / یافت‌شده: [12, 8]" in shape
    params = reps["mini-gru::T1::a::gru-params"].longreprtext
    assert "0% of 1.00 public points" in params and "168" in params
    assert re.search(r"^total\s+0.00 / 6.00", result.stdout.str(), re.MULTILINE)


@pytest.mark.parametrize("kind", ["zip", "folder"])
def test_zip_or_folder_submission_is_read_like_the_handed_in_file(
    pytester: pytest.Pytester, examples: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    submission = examples["karimi"]
    if kind == "zip":
        submission = tmp_path / f"{examples['karimi'].name}.zip"
        with zipfile.ZipFile(submission, "w") as zf:
            for f in examples["karimi"].iterdir():
                zf.write(f, f.name)
    result = run(
        pytester, "--submission", str(submission), "--assignment", "hw5-rnn", "--no-execute"
    )
    reps = reports(result)
    assert set(reps) == public_ids("hw5-rnn")
    assert reps["hw5-rnn::Q1::a::L1-weights"].failed
    out = result.stdout.str()
    assert "submission: HW5_Karimi_401100002" in out
    assert "does not follow" not in out  # the zip's or folder's name identifies the student


def test_unknown_assignment_is_a_bilingual_collection_error(
    pytester: pytest.Pytester, examples: dict[str, Path]
) -> None:
    notebook = examples["karimi"] / "hw5_q6.ipynb"
    result = run(pytester, "--submission", str(notebook), "--assignment", "hw9-nothing")
    out = result.stdout.str()
    assert "unknown assignment 'hw9-nothing'" in out and "پیدا نشد" in out
    assert "Traceback" not in out
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_missing_assignment_is_a_usage_error(
    pytester: pytest.Pytester, examples: dict[str, Path]
) -> None:
    result = run(pytester, "--submission", str(examples["karimi"] / "hw5_q6.ipynb"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--assignment" in result.stderr.str() and "شناسهٔ تمرین" in result.stderr.str()


def test_bad_dlgrade_toml_names_the_key(pytester: pytest.Pytester) -> None:
    (pytester.path / "dlgrade.toml").write_text('assignment = "hw5-rnn"\nnotbook = "x.ipynb"\n')
    result = run(pytester)
    out = result.stdout.str()
    assert "['notbook']" in out and "کلیدهای" in out
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_plugin_is_silent_without_a_submission(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_one():\n    assert 1 + 1 == 2\n")
    result = run(pytester)
    result.assert_outcomes(passed=1)
    out = result.stdout.str()
    assert "dlgrade" not in out
