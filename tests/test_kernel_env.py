"""The kernel environment (issue 17): keying, the marker, a real tiny build, missing imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from graders.checks.result import CheckResult, Status
from graders.environment.build import (
    MARKER,
    EnvironmentBuildError,
    EnvironmentNotBuilt,
    build,
    env_for,
    kernel_env,
    pip_requirements,
    require,
)
from graders.environment.declared import EnvironmentSpec, course_default, declared
from graders.environment.missing import hold_checks, missing_modules, reclassify
from graders.facts import CellError, RunFacts
from graders.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
REQS = [Requirement("pandas>=2,<3"), Requirement("torch>=2.1,<3")]


def _error(ename: str, evalue: str) -> CellError:
    return CellError(cell_index=1, code_cell=1, ename=ename, evalue=evalue)


def test_key_depends_on_list_torch_build_and_infra(tmp_path: Path) -> None:
    a = kernel_env(REQS, root=tmp_path, torch="2.13.0+cpu")
    assert kernel_env(list(reversed(REQS)), root=tmp_path, torch="2.13.0+cpu").key == a.key
    assert kernel_env(REQS[:1], root=tmp_path, torch="2.13.0+cpu").key != a.key
    assert kernel_env(REQS, root=tmp_path, torch="2.5.1/cuda12.4").key != a.key
    assert kernel_env(REQS, root=tmp_path, torch="2.13.0+cpu", infra=()).key != a.key
    assert a.path == tmp_path / a.key


def test_torch_is_pinned_to_the_grader_build_within_the_declared_bounds(tmp_path: Path) -> None:
    env = kernel_env(REQS, root=tmp_path, torch="2.13.0+cpu")
    reqs = pip_requirements(env)
    assert "torch==2.13.0+cpu" in reqs and "pandas<3,>=2" in reqs
    assert "ipykernel>=6.29" in reqs  # the kernel itself, whatever is declared
    outside = kernel_env([Requirement("torch<2")], root=tmp_path, torch="2.13.0+cpu")
    with pytest.raises(EnvironmentBuildError, match="does not satisfy"):
        pip_requirements(outside)


def test_full_profile_adds_torchvision_only_there() -> None:
    block = EnvironmentSpec(full=["torchvision>=0.16"], without=["evaluate"])
    smoke = {r.name for r in declared(block, course_default(), "smoke")}
    full = {r.name for r in declared(block, course_default(), "full")}
    assert "torchvision" not in smoke and "evaluate" not in smoke and "pandas" in smoke
    assert full - smoke == {"torchvision"}
    spec = load_spec("bonus-llm-captioning")
    assert "torchvision" in {r.name for r in env_for(spec, "full").requirements}
    assert env_for(spec, "smoke").key == env_for(load_spec("hw5-rnn"), "smoke").key


def test_an_unbuilt_or_half_built_environment_is_refused(tmp_path: Path) -> None:
    env = kernel_env(REQS, root=tmp_path, torch="2.13.0+cpu")
    with pytest.raises(EnvironmentNotBuilt) as exc:
        require(env, "hw5-rnn")
    assert "dlgrade env build hw5-rnn" in exc.value.message_en
    assert "dlgrade env build hw5-rnn" in exc.value.message_fa
    with pytest.raises(EnvironmentNotBuilt, match="dlgrade env build hw5-rnn --profile full"):
        require(env, "hw5-rnn", "full")
    (env.path / "bin").mkdir(parents=True)
    (env.path / "bin" / "python").touch()
    assert not env.ready()  # no marker: a build that stopped half-way
    (env.path / MARKER).write_text("another-key\n")
    assert not env.ready()
    (env.path / MARKER).write_text(env.key + "\n")
    assert require(env, "hw5-rnn") is env


def test_missing_modules_are_top_level_names_the_environment_lacks() -> None:
    errors = [
        _error("ModuleNotFoundError", "No module named 'polars'"),
        _error("ModuleNotFoundError", "No module named 'sklearn.nonexistent'"),
        _error("ModuleNotFoundError", "No module named 'torchvision.models'"),
        _error("ImportError", "cannot import name 'foo' from 'pandas'"),
        _error("ValueError", "No module named 'fake'"),
        _error("ModuleNotFoundError", "No module named 'polars'"),
    ]
    available = frozenset({"sklearn", "pandas", "os"})
    assert missing_modules(errors, available) == ["polars", "torchvision"]


def test_reclassify_is_the_grader_s_decision() -> None:
    failed = RunFacts(
        outcome="cell-error", errors=[_error("ModuleNotFoundError", "No module named 'polars'")]
    )
    held = reclassify(failed, frozenset({"pandas"}))
    assert (held.outcome, held.missing_modules) == ("environment-missing", ["polars"])
    # a worker claiming it without such an error is a cell error again
    forged = RunFacts(outcome="environment-missing", errors=[_error("ValueError", "x")])
    assert reclassify(forged, frozenset()).outcome == "cell-error"
    student_bug = RunFacts(outcome="cell-error", errors=[_error("NameError", "x")])
    assert reclassify(student_bug, frozenset()).outcome == "cell-error"


def test_a_held_check_goes_to_review_naming_the_module() -> None:
    run = RunFacts(outcome="environment-missing", missing_modules=["polars"])
    result = hold_checks(CheckResult.failed("x", "no plot"), run)
    assert (result.status, result.score) == (Status.REVIEW, 0.0)
    assert "polars" in result.message_en and "polars" in result.message_fa
    assert "left out" in result.message_en  # a forgotten file of the submission looks the same
    ok = RunFacts(outcome="cell-error")
    assert hold_checks(CheckResult.failed("x", "no plot"), ok).status == Status.FAIL


def test_a_real_tiny_build_is_reused_until_its_list_changes(tmp_path: Path) -> None:
    """A venv with one small pure-Python package (no infra: the build itself is tested)."""
    env = kernel_env([Requirement("six>=1.10")], root=tmp_path, torch="none", infra=())
    first = build(env, quiet=True)
    assert first.built and env.ready()
    assert env.installed()["six"].startswith("1.")
    manifest = json.loads((env.path / "dlgrade-manifest.json").read_text())
    assert "six" in manifest["modules"] and "pip" not in manifest["packages"]
    assert (env.path / "pyvenv.cfg").read_text().count("include-system-site-packages = false")
    again = build(env, quiet=True)
    assert not again.built and again.seconds < 1.0
    grown = kernel_env(
        [Requirement("six>=1.10"), Requirement("packaging>=20")], root=tmp_path, torch="none", infra=()
    )
    assert grown.key != env.key and not grown.ready()
    assert build(grown, quiet=True).built
    assert set(grown.installed()) == {"six", "packaging"}
    (env.path / MARKER).unlink()  # a half-built one is built again, not used
    assert build(env, quiet=True).built and env.ready()
