"""Notebooks run in the kernel environment (issue 17): the default one the bootstrap builds.

A notebook collecting its results in pandas and plotting them with seaborn is graded; one
importing a package outside the list ends `environment-missing`, held for the TA; the grader's
own packages (and `graders` itself) are not importable from the kernel.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from graders.checks.result import Status
from graders.environment.build import build, env_for, require
from graders.environment.declared import EnvironmentSpec, course_default, declared
from graders.execute.runner import execute_notebook
from graders.golden import Golden
from graders.pipeline import grade_submission
from graders.spec import load_spec
from graders.spec.models import Limits

pytestmark = pytest.mark.slow

SPEC = Path(__file__).parent / "files" / "env-pandas" / "assignment.yaml"
RESULTS = (
    "import pandas as pd\nimport seaborn as sns\nimport matplotlib.pyplot as plt\n"
    "df = pd.DataFrame({'epoch': [1, 2, 3, 4], 'loss': [0.9, 0.5, 0.3, 0.2]})\n"
    "ax = sns.lineplot(data=df, x='epoch', y='loss', label='train')\nplt.show()"
)
GRADER_ONLY = ["weasyprint", "sqlalchemy", "alembic", "starlette", "uvicorn", "graders", "dask"]


def _submission(folder: Path, *cells: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "hw.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    return path


@pytest.fixture(scope="module")
def spec():
    spec = load_spec(SPEC)
    require(env_for(spec), spec.id)  # the bootstrap builds it: `dlgrade env build`
    return spec


def test_pandas_and_seaborn_notebook_is_graded(spec, tmp_path: Path) -> None:
    nb = _submission(tmp_path / "HW_Ok_1", RESULTS)
    result = grade_submission(spec, nb, Golden.empty())
    assert result.outcome == "ok"
    (check,) = [c for q in result.questions for p in q.parts for c in p.checks]
    assert check.result.status == Status.PASS
    assert (result.total, result.possible) == (pytest.approx(100.0), pytest.approx(100.0))
    env = env_for(spec)
    packages = result.signature["environment"]["packages"]
    assert packages["pandas"] == env.installed()["pandas"] and "seaborn" in packages
    assert result.signature["environment"]["key"] == env.key
    assert result.signature["environment"]["missing"] == []


def test_a_package_outside_the_list_holds_the_submission(spec, tmp_path: Path) -> None:
    assert "polars" not in env_for(spec).modules()  # the premise: not in the default list
    nb = _submission(tmp_path / "HW_Polars_2", "import polars as pl", RESULTS)
    result = grade_submission(spec, nb, Golden.empty(), sandbox=False)  # --no-sandbox too
    assert result.outcome == "environment-missing"
    assert result.signature["environment"]["missing"] == ["polars"]
    (check,) = [c for q in result.questions for p in q.parts for c in p.checks]
    # the plot was drawn after the failed import, yet nothing is scored: a TA decides
    assert (check.result.status, check.result.score) == (Status.REVIEW, 0.0)
    assert "polars" in check.result.message_en and "polars" in check.result.message_fa


@pytest.mark.parametrize("sandbox", [True, False])
def test_grader_packages_are_not_importable_from_the_kernel(
    spec, tmp_path: Path, sandbox: bool
) -> None:
    env = require(env_for(spec), spec.id)
    probe = (
        "import importlib.util, sys\n"
        f"found = {{m: importlib.util.find_spec(m) is not None for m in {GRADER_ONLY + ['pandas', 'seaborn', 'torch']!r}}}\n"
        "exe = sys.executable\n"
        f"grader_venv = __import__('os').path.exists({sys.prefix!r})"
    )
    nb = _submission(tmp_path / "probe", probe)
    result = execute_notebook(
        nb,
        limits=Limits(cell_timeout_s=60),
        variables=["found", "exe", "grader_venv"],
        kernel=env,
        sandbox=sandbox,
    )
    assert result.run.outcome == "ok", result.run.message
    found = result.probe.variables["found"]
    assert {m: found[m] for m in GRADER_ONLY} == dict.fromkeys(GRADER_ONLY, False)
    assert found["pandas"] and found["seaborn"] and found["torch"]
    assert result.probe.variables["exe"] == str(env.python)
    # not even mounted in the sandbox (without it, on disk but not on the kernel's sys.path)
    assert result.probe.variables["grader_venv"] is (not sandbox)


def test_env_show_prints_declared_and_installed_versions(spec, capsys) -> None:
    from graders.cli import run

    assert run(["env", "show", "hw5-rnn"]) == 0
    out = capsys.readouterr().out
    env = env_for(load_spec("hw5-rnn"))
    assert "بسته‌های مجاز / packages a notebook may import:" in out
    assert "ساخته شده / built" in out and env.key in out
    pandas = next(line for line in out.splitlines() if line.strip().startswith("pandas"))
    assert env.installed()["pandas"] in pandas and "import pandas" in pandas
    sklearn = next(line for line in out.splitlines() if "scikit-learn" in line)
    assert "import sklearn" in sklearn


def test_held_then_graded_once_the_list_grows(spec, tmp_path: Path, monkeypatch) -> None:
    """Two small real environments (matplotlib only, then + tabulate), ~35 s of pip."""
    monkeypatch.setenv("DLGRADE_KERNEL_ENVS", str(tmp_path / "envs"))
    without = [r.name for r in declared(None, course_default()) if r.name != "matplotlib"]
    small = spec.model_copy(update={"environment": EnvironmentSpec(without=without)})
    grown = spec.model_copy(
        update={"environment": EnvironmentSpec(without=without, packages=["tabulate>=0.9"])}
    )
    plot = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3, 4], [0.9, 0.5, 0.3, 0.2], label=label)\nplt.show()"
    )
    nb = _submission(tmp_path / "HW_Table_3", "from tabulate import tabulate\nlabel = 'train'", plot)
    build(env_for(small), quiet=True)
    assert "tabulate" not in env_for(small).modules()
    held = grade_submission(small, nb, Golden.empty())
    assert held.outcome == "environment-missing"
    assert held.signature["environment"]["missing"] == ["tabulate"]
    build(env_for(grown), quiet=True)
    again = grade_submission(grown, nb, Golden.empty())
    assert again.outcome == "ok"
    (check,) = [c for q in again.questions for p in q.parts for c in p.checks]
    assert check.result.status == Status.PASS
    env = again.signature["environment"]
    assert env["key"] != held.signature["environment"]["key"] and env["missing"] == []
    assert env["packages"]["tabulate"] == env_for(grown).installed()["tabulate"]
