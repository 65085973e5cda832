"""Compare golden values the way they mean something on every machine.

Integers, booleans and strings must be equal; floats agree within a stated tolerance (relative
1e-9, absolute 1e-12 for analytic values: BLAS code paths and thread counts change the last bits
of a float, never an integer count). Every golden test and `benchmarks/golden_drift.py` use this.
"""

from __future__ import annotations

import math
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-12


def golden_differences(
    committed: Any, rebuilt: Any, rel_tol: float = REL_TOL, abs_tol: float = ABS_TOL, path: str = ""
) -> list[str]:
    """Where two golden values differ (empty when they agree); each entry names the key path."""
    here = path or "<root>"
    if isinstance(committed, bool) or isinstance(rebuilt, bool):
        return [] if committed is rebuilt else [f"{here}: {committed!r} != {rebuilt!r}"]
    if isinstance(committed, int) and isinstance(rebuilt, int):
        return [] if committed == rebuilt else [f"{here}: {committed} != {rebuilt} (integer)"]
    if isinstance(committed, int | float) and isinstance(rebuilt, int | float):
        a, b = float(committed), float(rebuilt)
        if math.isnan(a) and math.isnan(b):
            return []
        if math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol):
            return []
        return [f"{here}: {a!r} vs {b!r} (beyond rel {rel_tol:g}, abs {abs_tol:g})"]
    if isinstance(committed, dict) and isinstance(rebuilt, dict):
        out = [f"{path}.{k}: only in the committed file" for k in committed.keys() - rebuilt.keys()]
        out += [f"{path}.{k}: only in the rebuild" for k in rebuilt.keys() - committed.keys()]
        for key in sorted(committed.keys() & rebuilt.keys(), key=str):
            out += golden_differences(
                committed[key], rebuilt[key], rel_tol, abs_tol, f"{path}.{key}" if path else key
            )
        return sorted(out)
    if isinstance(committed, list) and isinstance(rebuilt, list):
        if len(committed) != len(rebuilt):
            return [f"{here}: length {len(committed)} != {len(rebuilt)}"]
        out = []
        for i, (a, b) in enumerate(zip(committed, rebuilt, strict=True)):
            out += golden_differences(a, b, rel_tol, abs_tol, f"{path}[{i}]")
        return out
    return [] if committed == rebuilt else [f"{here}: {committed!r} != {rebuilt!r}"]


def golden_close(committed: Any, rebuilt: Any, rel_tol: float = REL_TOL, abs_tol: float = ABS_TOL) -> bool:
    return not golden_differences(committed, rebuilt, rel_tol, abs_tol)


__all__ = ["ABS_TOL", "REL_TOL", "golden_close", "golden_differences"]
