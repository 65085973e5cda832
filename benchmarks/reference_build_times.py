"""Print the smoke-profile build time of the practical references (target: < 5 min each here).

    PYTHONPATH=. .venv/bin/python benchmarks/reference_build_times.py [--out DIR]

Builds into a temporary folder (the committed golden files are left alone) and prints one line
per assignment with the wall and CPU time. On a machine shared with other jobs wall time is
pessimistic; CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reference_solutions.build import write_golden

ASSIGNMENTS = ("hw5-rnn", "hw5-transformers-ut")
LIMIT_S = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="keep the built files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-") as tmp:
        for assignment in ASSIGNMENTS:
            out = (args.out or Path(tmp)) / assignment
            wall, cpu = time.perf_counter(), time.process_time()
            files = write_golden(assignment, profile="smoke", device="cpu", out_dir=out)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            verdict = "ok" if wall < LIMIT_S else f"OVER {LIMIT_S}s"
            print(
                f"{assignment:22s} smoke build: wall {wall:6.1f} s, cpu {cpu:6.1f} s, "
                f"{len(files)} golden file(s) [{verdict}]"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
