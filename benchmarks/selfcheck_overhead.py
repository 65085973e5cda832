"""Overhead of the self-check pytest plugin over executing the notebook alone (target <= 2 s).

Runs, alternately and `--repeat` times each:
  A. `python -c "execute_notebook(...)"`: the notebook run alone (worker, kernel, probes);
  B. `python -m pytest --submission NOTEBOOK --assignment ID`: the plugin, the same run, the
     checks, the summary.
and prints wall and CPU seconds (CPU is the fairer figure on a shared machine), the medians,
and the overhead B - A. It also prints B minus the notebook run measured inside B itself.

    .venv/bin/python benchmarks/selfcheck_overhead.py                 # hw5-rnn, the correct example
    .venv/bin/python benchmarks/selfcheck_overhead.py --mini          # the tiny mini-gru notebook
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ALONE = """
import sys
from pathlib import Path
from graders.execute.runner import execute_notebook
from graders.spec import load_spec
spec = load_spec(sys.argv[1])
r = execute_notebook(Path(sys.argv[2]), limits=spec.limits, variables=spec.notebook.probe_variables,
                     probes=spec.notebook.probes)
assert r.run.outcome == "ok", r.run
print("outcome: ok")
"""


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout + proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mini", action="store_true", help="the mini-gru test notebook")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    work = Path(tempfile.mkdtemp(prefix="dlgrade-bench-"))
    if args.mini:
        sys.path.insert(0, str(ROOT / "tests"))
        from mini_gru import SUBMISSIONS, make_home

        env["DLGRADE_HOME"] = str(make_home(work / "home"))
        assignment, notebook = "mini-gru", SUBMISSIONS / "correct" / "mini.ipynb"
    else:
        assignment = "hw5-rnn"
        notebook = ROOT / "assignments/hw5-rnn/examples/HW5_Rezaei_401100001/hw5_q6.ipynb"
    alone = [sys.executable, "-c", ALONE, assignment, str(notebook)]
    plugin = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:dlgrade", "-p", "graders.selfcheck.plugin",
        "-p", "no:cacheprovider", "--submission", str(notebook), "--assignment", assignment,
    ]  # fmt: skip
    rows: dict[str, list[tuple[float, float]]] = {"alone": [], "plugin": []}
    inner: list[float] = []
    for i in range(args.repeat):
        for name, cmd in (("alone", alone), ("plugin", plugin)):
            wall, cpu, out = timed(cmd, env, work)
            if name == "plugin":
                found = re.search(r"without the sandbox in ([\d.]+) s, outcome: ok", out)
                if not found or " passed" not in out:
                    sys.exit(f"the self-check did not run cleanly:\n{out[-3000:]}")
                inner.append(wall - float(found.group(1)))
            elif "outcome: ok" not in out or "Error" in out:
                sys.exit(f"the notebook run failed:\n{out[-3000:]}")
            rows[name].append((wall, cpu))
            print(f"run {i + 1} {name:>6}: wall {wall:6.2f} s   cpu {cpu:6.2f} s", flush=True)
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in rows.items()
    }
    print(
        f"\n{assignment} ({notebook.name}), {args.repeat} runs each, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"notebook alone  : wall {med['alone'][0]:6.2f} s   cpu {med['alone'][1]:6.2f} s (medians)"
    )
    print(
        f"pytest + plugin : wall {med['plugin'][0]:6.2f} s   cpu {med['plugin'][1]:6.2f} s (medians)"
    )
    print(
        f"overhead        : wall {med['plugin'][0] - med['alone'][0]:+6.2f} s   "
        f"cpu {med['plugin'][1] - med['alone'][1]:+6.2f} s   (target <= 2 s)"
    )
    print(f"plugin run minus its own notebook run (median): {statistics.median(inner):.2f} s wall")


if __name__ == "__main__":
    main()
