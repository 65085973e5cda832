"""Batch speed: N generated submissions of a small notebook graded serially, with --jobs 2,
and by nbgrader's `autograde` (from a separate venv, for comparison only).

    PYTHONPATH=. .venv/bin/python benchmarks/batch_speed.py [--n 40] [--nbgrader-venv /tmp/nbgrader-venv]

The nbgrader venv is made by hand, never a dependency of dlgrade or its tests:
    python3 -m venv /tmp/nbgrader-venv && /tmp/nbgrader-venv/bin/pip install nbgrader ipykernel matplotlib
Prints wall-clock seconds, the speedup of --jobs 2 over serial (target >= 1.7x on 2 cores) and
the dlgrade/nbgrader time ratios. On a shared machine the figures are pessimistic.
Before any figure, every submission must have ended `ok` with full marks (and every notebook
nbgrader autograded must have run without an error): else it stops, reporting nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from batch_helpers import TINY, make_home, make_zip  # noqa: E402
from expect import gradebook_outcomes, notebook_errors, require_outcomes  # noqa: E402

# about 1 s of CPU in the student's cells, on top of the kernel start (a "small notebook")
WORK = "total = 0\nfor i in range(4_000_000):\n    total += i * i\ntotal"
FULL_MARKS = 200.0  # every generated submission plots (Q1) and answers 42 (Q2)


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed


def dlgrade_run(home: Path, export: Path, jobs: int, keys: list[str]) -> float:
    """Seconds of one batch, once every submission is known to have ended `ok`, full marks."""
    env = {**os.environ, "DLGRADE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    db = home / f"gradebook-jobs{jobs}.db"
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "graders", "batch", TINY, str(export), "--jobs", str(jobs),
           "--no-report", "--plain", "--gradebook", str(db)]  # fmt: skip
    elapsed = _timed(cmd, env, home)
    expected = dict.fromkeys(keys, ("ok", FULL_MARKS))
    require_outcomes(gradebook_outcomes(db, TINY), expected, f"dlgrade --jobs {jobs}")
    return elapsed


NBGRADER_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "bench"
c.ExecutePreprocessor.timeout = 120
"""


def nbgrader_run(venv: Path, work: Path, n: int, nb: nbformat.NotebookNode) -> float:
    course = work / "course"
    shutil.rmtree(course, ignore_errors=True)
    (course / "source" / "ps1").mkdir(parents=True)
    nbformat.write(nb, course / "source" / "ps1" / "hw.ipynb")
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(root=str(course)))
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    nbg = str(venv / "bin" / "nbgrader")
    _timed([nbg, "generate_assignment", "ps1", "--force"], env, course)
    for i in range(n):
        folder = course / "submitted" / f"S{i:02d}" / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "hw.ipynb")
    elapsed = _timed([nbg, "autograde", "ps1", "--create", "--force"], env, course)
    ran = {
        f"S{i:02d}": notebook_errors(course / "autograded" / f"S{i:02d}" / "ps1" / "hw.ipynb")
        for i in range(n)
    }
    found = {k: ("ok" if not why else "not-run", 0.0, why) for k, why in ran.items()}
    require_outcomes(found, dict.fromkeys(ran, ("ok", None)), "nbgrader autograde")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--nbgrader-venv", type=Path, default=Path("/tmp/nbgrader-venv"))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/dlgrade-batch-bench"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.workdir, ignore_errors=True)
    home = make_home(args.workdir / "home")
    export = args.workdir / "export"
    keys = [f"HW5_Student{i:02d}_8101993{i:02d}" for i in range(args.n)]
    for key in keys:
        make_zip(export, key, extra=WORK)
    load = os.getloadavg()[0]
    print(f"{args.n} submissions, {os.cpu_count()} cores, load average before: {load:.1f}")
    serial = dlgrade_run(home, export, 1, keys)
    print(f"dlgrade serial (--jobs 1): {serial:7.1f} s  ({serial / args.n:.2f} s/submission)")
    parallel = dlgrade_run(home, export, 2, keys)
    print(f"dlgrade --jobs 2:          {parallel:7.1f} s  ({parallel / args.n:.2f} s/submission)")
    print(f"speedup --jobs 2:          {serial / parallel:7.2f} x  (target >= 1.7x)")
    nbg_bin = args.nbgrader_venv / "bin" / "nbgrader"
    if nbg_bin.exists():
        from batch_helpers import notebook

        nb = notebook(extra=WORK)
        nbg = nbgrader_run(args.nbgrader_venv, args.workdir, args.n, nb)
        print(f"nbgrader autograde:        {nbg:7.1f} s  ({nbg / args.n:.2f} s/submission)")
        print(f"ratio dlgrade serial / nbgrader:  {serial / nbg:.2f}")
        print(f"ratio dlgrade --jobs 2 / nbgrader: {parallel / nbg:.2f}")
    else:
        print(f"nbgrader not found in {args.nbgrader_venv}: skipped (see the docstring)")
    print(
        f"load average after: {os.getloadavg()[0]:.1f} (a shared machine: figures are pessimistic)"
    )


if __name__ == "__main__":
    main()
