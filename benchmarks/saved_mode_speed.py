"""How fast `saved` mode grades: seconds per bonus submission, with no kernel started.

    .venv/bin/python benchmarks/saved_mode_speed.py [--n 40]

Copies the bundled bonus Q1 examples into `--n` submissions (cycling through the three),
grades each in `saved` mode in this process (facts from saved outputs and static analysis,
no kernel: the executor is replaced by one that raises, so a kernel start would fail the run),
checks that every submission got the Q1 verdicts its fixture should get, and prints the wall
and CPU seconds per submission (the first one, which imports transformers for the base
config, is shown apart). Target on the 2-core machine: < 2 s per submission. The machine is
shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import graders.pipeline as pipeline  # noqa: E402
from graders.golden import load_golden  # noqa: E402
from graders.spec import load_spec  # noqa: E402

EXAMPLES = ROOT / "assignments" / "bonus-llm-captioning" / "examples"
# the Q1 checks saved mode must fail for each fixture (every other decided one passes)
FAILS = {
    "HW7_Ahmadi_810199101": set(),
    "HW7_Bagheri_810199102": {"3-bonus.variant", "3.base-frozen", "3.trainable-count"},
    "HW7_Karimi_810199103": {"4.layers"},
}


def _no_kernel(*args: object, **kwargs: object) -> None:
    raise AssertionError("saved mode started a kernel")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    pipeline.execute_notebook = _no_kernel  # type: ignore[assignment]
    spec = load_spec("bonus-llm-captioning")
    golden = load_golden(spec.id)
    names = sorted(FAILS)
    wrong: list[str] = []
    times: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        subs = []
        for i in range(args.n):
            src = names[i % len(names)]
            last, number = src.split("_")[1], 810199200 + i
            dst = Path(tmp) / f"HW7_{last}{i}_{number}"
            shutil.copytree(EXAMPLES / src, dst)
            subs.append((src, dst))
        for src, dst in subs:
            wall, cpu = time.perf_counter(), time.process_time()
            result = pipeline.grade_submission(spec, dst, golden, mode="saved")
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
            q1 = next(q for q in result.questions if q.id == "Q1")
            failed = {
                f"{p.id}.{c.id}" for p in q1.parts for c in p.checks if c.result.status == "fail"
            }
            if result.outcome != "ok" or failed != FAILS[src]:
                wrong.append(f"{dst.name}: {result.outcome}, failed {sorted(failed)}")
    if wrong:
        print("saved mode gave unexpected verdicts; no figure:\n  " + "\n  ".join(wrong))
        return 1
    rest = times[1:] or times
    per_wall = sum(w for w, _ in rest) / len(rest)
    per_cpu = sum(c for _, c in rest) / len(rest)
    total = sum(w for w, _ in times)
    print(
        f"saved mode, {args.n} bonus submissions, no kernel started (load {os.getloadavg()[0]:.1f}):"
    )
    print(f"  first submission (imports): {times[0][0]:.2f} s wall")
    print(f"  per submission after it:    {per_wall:.3f} s wall, {per_cpu:.3f} s CPU")
    print(f"  all {args.n}: {total:.1f} s wall = {total / args.n:.3f} s each (target < 2 s)")
    return 0 if total / args.n < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
