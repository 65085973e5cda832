"""The kernel environment's cost (issue 17): build time and size, and per-notebook start time.

Prints the default environment's build time (recorded by the build, or measured afresh with
`--rebuild`, into a temporary folder) and size on disk, then the time from starting the worker
to the end of a one-cell notebook (`import torch; x = 1`: kernel start, instrumentation, the
cell, the probes), sandboxed, in the grader's virtualenv (before issue 17) and in the kernel
environment (after), `--repeat` times each, alternating.

    PYTHONPATH=. .venv/bin/python benchmarks/kernel_env.py [--repeat 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from graders.environment.build import build, env_for, kernel_env, require, size_mb
from graders.execute.runner import execute_notebook
from graders.spec import load_spec
from graders.spec.models import Limits

CELL = "import torch\nx = torch.zeros(3).sum().item()"


def start_time(notebook: Path, kernel) -> tuple[float, float]:
    """(wall seconds of the whole run, seconds the worker measured)."""
    started = time.monotonic()
    result = execute_notebook(notebook, limits=Limits(cell_timeout_s=120), variables=["x"], kernel=kernel)
    wall = time.monotonic() - started
    assert result.run.outcome == "ok", result.run.message
    assert result.probe.variables["x"] == 0.0
    return wall, result.run.duration_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="time a fresh build of the default")
    args = parser.parse_args()
    spec = load_spec("hw5-rnn")
    env = require(env_for(spec), spec.id)
    manifest = env.manifest()
    print(f"default kernel environment {env.key}: {len(manifest['packages'])} distributions")
    print(f"  size on disk: {size_mb(env.path):.0f} MB ({env.path})")
    print(f"  build time (recorded by its build): {manifest.get('built_s', '?')} s")
    if args.rebuild:
        with tempfile.TemporaryDirectory(prefix="dlgrade-envbench-") as tmp:
            fresh = kernel_env(env.requirements, root=Path(tmp))
            report = build(fresh, quiet=True)
            print(f"  build time (fresh, now): {report.seconds:.1f} s, {size_mb(fresh.path):.0f} MB")
    with tempfile.TemporaryDirectory(prefix="dlgrade-envbench-") as tmp:
        nb = Path(tmp) / "sub" / "nb.ipynb"
        nb.parent.mkdir()
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)]), nb)
        runs: dict[str, list[tuple[float, float]]] = {"grader venv": [], "kernel env": []}
        start_time(nb, env)  # warm the page cache of both once
        start_time(nb, None)
        for _ in range(args.repeat):
            runs["grader venv"].append(start_time(nb, None))
            runs["kernel env"].append(start_time(nb, env))
    print(f"one-cell notebook, sandboxed, median of {args.repeat}:")
    for name, values in runs.items():
        wall = statistics.median(v[0] for v in values)
        worker = statistics.median(v[1] for v in values)
        print(f"  {name:12s} wall {wall:6.2f} s   worker (kernel start to probes done) {worker:6.2f} s")


if __name__ == "__main__":
    main()
