"""Sandbox overhead: the same 10 small notebooks run serially, plain nbclient vs dlgrade.

Prints, per notebook and in total: plain nbclient in this process (no instrumentation, no
probes, no sandbox), dlgrade's worker without the sandbox (`--no-sandbox`: worker process,
instrumentation and probes), and dlgrade's sandboxed run (bubblewrap + watchdog), and the
ratios. Target: sandboxed / plain <= 1.15. Timings on a shared machine are pessimistic.

    PYTHONPATH=. .venv/bin/python benchmarks/sandbox_overhead.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from graders.execute.runner import execute_notebook
from graders.spec.models import Limits

TRAIN = """import torch
torch.manual_seed({seed})
x = torch.randn(256, 8); y = (x.sum(1) > 0).long()
net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
history = []
for step in range({steps}):
    loss = torch.nn.functional.cross_entropy(net(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    history.append(loss.item())"""
PLOT = """import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot(range(len(history)), history, label='loss')
ax.set_yscale('log'); ax.legend(); plt.show()"""
PURE = "total = sum(i * i for i in range({n}))\nprint(total)"


def notebooks() -> list[nbformat.NotebookNode]:
    out = []
    for i in range(10):
        cells = [nbformat.v4.new_markdown_cell(f"# notebook {i}")]
        if i % 2 == 0:
            cells.append(nbformat.v4.new_code_cell(TRAIN.format(seed=i, steps=50 + 10 * i)))
            cells.append(nbformat.v4.new_code_cell(PLOT))
        else:
            cells.append(nbformat.v4.new_code_cell(PURE.format(n=100_000 * i)))
        out.append(nbformat.v4.new_notebook(cells=cells))
    return out


def plain(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return time.perf_counter() - start


def dlgrade(path: Path, sandbox: bool) -> float:
    start = time.perf_counter()
    result = execute_notebook(
        path, limits=Limits(), variables=["history"], probes={"files": {}}, sandbox=sandbox
    )
    elapsed = time.perf_counter() - start
    if result.run.outcome != "ok":
        raise SystemExit(f"{path}: {result.run.outcome} {result.run.message}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, nb in enumerate(notebooks()):
            folder = Path(tmp) / f"sub{i}"
            folder.mkdir()
            nbformat.write(nb, folder / f"nb{i}.ipynb")
            paths.append(folder / f"nb{i}.ipynb")
        plain(paths[0])  # warm the page cache for everyone alike
        totals = {"plain": 0.0, "no-sandbox": 0.0, "sandbox": 0.0}
        print(f"{'notebook':<10}{'plain s':>10}{'no-sandbox s':>14}{'sandbox s':>11}{'ratio':>8}")
        for _ in range(args.repeat):
            for path in paths:
                # interleaved, so that load from other users hits all three alike
                t = {
                    "plain": plain(path),
                    "no-sandbox": dlgrade(path, sandbox=False),
                    "sandbox": dlgrade(path, sandbox=True),
                }
                for k, v in t.items():
                    totals[k] += v
                print(
                    f"{path.stem:<10}{t['plain']:>10.2f}{t['no-sandbox']:>14.2f}"
                    f"{t['sandbox']:>11.2f}{t['sandbox'] / t['plain']:>8.2f}"
                )
        print(
            f"{'total':<10}{totals['plain']:>10.2f}{totals['no-sandbox']:>14.2f}"
            f"{totals['sandbox']:>11.2f}{totals['sandbox'] / totals['plain']:>8.2f}"
        )
        print(f"sandboxed / plain nbclient      = {totals['sandbox'] / totals['plain']:.3f}")
        print(f"sandboxed / dlgrade no-sandbox  = {totals['sandbox'] / totals['no-sandbox']:.3f}")


if __name__ == "__main__":
    main()
