"""Timing figures of the Q2 captioning grader: the smoke reference build and grading one notebook.

Targets (issue 6): smoke reference build < 10 minutes; grading one captioning notebook in smoke
mode < 3 minutes. Run from the repository root:

    PYTHONPATH=. .venv/bin/python benchmarks/captioning_times.py [--skip-build]

The build writes to a temporary folder (the committed golden files are not touched). On a
machine shared with other jobs the figures are pessimistic; the load average is printed.
A grading time is printed only for a notebook that ran (`ok`); else the benchmark stops.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from expect import require_outcomes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    if not args.skip_build:
        from reference_solutions.build import write_golden

        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            write_golden("bonus-llm-captioning", "smoke", "cpu", Path(out))
            print(
                f"smoke reference build (bonus-llm-captioning, Q1 + Q2 modules): {time.perf_counter() - t0:.1f} s (target < 600 s)"
            )
    from graders.golden import load_golden
    from graders.pipeline import grade_submission
    from graders.spec.loader import load_spec

    spec = load_spec("bonus-llm-captioning")
    golden = load_golden("bonus-llm-captioning")
    for name in ("HW7_Rahimi_810199104", "HW7_Sadeghi_810199105"):
        t0 = time.perf_counter()
        result = grade_submission(
            spec, ROOT / "assignments" / "bonus-llm-captioning" / "examples" / name, golden
        )
        elapsed = time.perf_counter() - t0
        found = {name: (result.outcome, result.total, result.run_message)}
        require_outcomes(found, {name: ("ok", None)}, "grading")  # a notebook that did not run
        print(
            f"grade {name}: {elapsed:.1f} s (target < 180 s), outcome {result.outcome}, score {result.total:.1f}"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
