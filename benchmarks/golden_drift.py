"""Rebuild every reference (smoke) and say, per golden key, whether it stays inside its band.

    .venv/bin/python benchmarks/golden_drift.py [ASSIGNMENT ...] [--profile smoke] [--all-keys]

For each golden file: computed modules are compared value by value (integers exact, floats
within rel 1e-9 / abs 1e-12 or the module's GOLDEN_REL_TOL); training modules (TRAINS = True)
by bands (every rebuilt run inside the committed band). Prints the committed value or band, the
rebuilt value and whether it is inside; exit status 1 when anything drifts outside. Run it under
other numeric conditions to see a machine's effect, e.g. `MKL_CBWR=COMPATIBLE` or
`OMP_NUM_THREADS=1`. It takes minutes (it trains every smoke model of every seed).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.golden_compare import REL_TOL  # noqa: E402
from graders.golden_drift import compare_bands, compare_exact  # noqa: E402
from graders.paths import golden_dir  # noqa: E402

ASSIGNMENTS = ["hw2-rnn", "hw5-rnn", "hw5-attention-quiz", "hw5-transformers-ut", "bonus-llm-captioning"]


def rebuild(assignment: str, profile: str):
    import torch

    pkg = importlib.import_module("reference_solutions." + assignment.replace("-", "_"))
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if not hasattr(module, "golden_documents"):
            continue
        torch.manual_seed(0)
        start = time.perf_counter()
        docs = module.golden_documents(profile=profile, device="cpu")
        yield module, docs, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("assignments", nargs="*", default=ASSIGNMENTS)
    ap.add_argument("--profile", default="smoke")
    ap.add_argument("--all-keys", action="store_true", help="print keys that agree too")
    args = ap.parse_args(argv)
    outside = total = 0
    for assignment in args.assignments:
        for module, docs, seconds in rebuild(assignment, args.profile):
            trains = getattr(module, "TRAINS", False)
            for name, values in sorted(docs.items()):
                path = golden_dir(assignment, args.profile) / f"{name}.json"
                committed = json.loads(path.read_text("utf-8"))["values"]
                rebuilt = json.loads(json.dumps(values))
                rows = (
                    compare_bands(committed, rebuilt)
                    if trains
                    else compare_exact(committed, rebuilt, getattr(module, "GOLDEN_REL_TOL", REL_TOL))
                )
                bad = [r for r in rows if not r.inside]
                outside += len(bad)
                total += len(rows)
                kind = "bands" if trains else "values"
                print(f"{assignment}/{name}.json ({kind}, {seconds:.0f} s): {len(rows) - len(bad)}/{len(rows)} inside")
                for r in rows if args.all_keys else bad:
                    mark = "inside " if r.inside else "OUTSIDE"
                    print(f"  {mark} {r.key}: committed {r.committed} | rebuilt {r.rebuilt}")
    print(f"golden drift: {total - outside} of {total} keys inside, {outside} outside")
    return 1 if outside else 0


if __name__ == "__main__":
    raise SystemExit(main())
