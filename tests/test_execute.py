"""Executing a notebook: instrumentation, core probes, extra probes, errors per cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from graders.execute.runner import execute_notebook, notebook_hygiene
from graders.spec.models import Limits

pytestmark = pytest.mark.slow

CELLS = [
    "import torch, matplotlib.pyplot as plt\nnet = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))\nnet[0].weight.requires_grad_(False)",
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [1, 10, 100], label='loss')\nax.set_yscale('log')\nax.set_title('training loss')\nplt.show()",
    "history = [0.5, 0.25, 0.125]\nopen('vocab.txt', 'w').write('<pad>\\n<unk>\\n')",
    "raise ValueError('planted')",
    "after_error = 1",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("sub")
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# title"), *map(nbformat.v4.new_code_cell, CELLS)]
    )
    path = folder / "nb.ipynb"
    nbformat.write(nb, path)
    keep = tmp_path_factory.mktemp("keep")
    result = execute_notebook(
        path,
        limits=Limits(cell_timeout_s=60),
        variables=["history", "missing"],
        probes={"files": {}},
        keep_dir=keep,
    )
    return result, folder


def test_modules_are_counted(executed) -> None:
    result, _ = executed
    (net,) = [m for m in result.probe.modules if m.name == "net"]
    assert net.cls == "Sequential"
    assert net.n_params == 4 * 3 + 3 + 3 * 2 + 2
    assert net.n_trainable == net.n_params - 12
    assert net.submodules["Linear"] == 2


def test_figures_are_recorded(executed) -> None:
    result, _ = executed
    (fig,) = result.probe.figures
    ax = fig.axes[0]
    assert ax.yscale == "log" and ax.title == "training loss"
    assert ax.lines[0].y == [1.0, 10.0, 100.0] and ax.lines[0].label == "loss"


def test_variables_and_extra_probes(executed) -> None:
    result, _ = executed
    assert result.probe.variables == {"history": [0.5, 0.25, 0.125]}
    files = {f["path"]: f["size"] for f in result.probe.extras["files"]["files"]}
    assert files["vocab.txt"] == len("<pad>\n<unk>\n")


def test_errors_are_recorded_per_cell_and_later_cells_still_run(executed) -> None:
    result, folder = executed
    assert result.run.outcome == "cell-error"
    (err,) = result.run.errors
    assert (err.code_cell, err.cell_index, err.ename) == (4, 4, "ValueError")
    assert result.probe is not None  # probes ran after the failing cell
    assert not (folder / "vocab.txt").exists()  # the run used a private copy


def test_executed_notebook_has_no_injected_cells(executed) -> None:
    result, _ = executed
    nb = nbformat.read(result.executed_notebook, as_version=4)
    assert len(nb.cells) == 1 + len(CELLS)
    assert all("dlgrade" not in c.source for c in nb.cells)


def test_hygiene_of_an_unexecuted_notebook(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = 2")]
    )
    nbformat.write(nb, tmp_path / "n.ipynb")
    h = notebook_hygiene(tmp_path / "n.ipynb")
    assert (h.n_code_cells, h.n_executed, h.has_outputs) == (2, 0, False)
