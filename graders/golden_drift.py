"""Does a rebuilt golden document agree with the committed one, key by key?

Computed modules (theory, counts) are compared value by value with `golden_compare` (integers
exact, floats within tolerance). Modules that train (`TRAINS = True`) are compared by bands: every
run of a rebuilt scalar band must lie inside the committed band, integers must be equal, and
run-specific numbers (timings, single-run curves, generations) are left out. Used by
`benchmarks/golden_drift.py` and by the drift tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graders.golden_compare import REL_TOL, golden_differences


@dataclass(frozen=True)
class KeyDrift:
    key: str
    committed: str
    rebuilt: str
    inside: bool


def is_scalar_band(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("low"), int | float)
        and isinstance(value.get("high"), int | float)
    )


def band_runs(value: dict[str, Any]) -> list[float]:
    """The runs a rebuilt band was made of (its mean when it records none)."""
    runs = value.get("runs")
    if isinstance(runs, list) and runs and all(isinstance(r, int | float) for r in runs):
        return [float(r) for r in runs]
    if isinstance(value.get("mean"), int | float):
        return [float(value["mean"])]
    return [float(value["low"]), float(value["high"])]


def inside_band(band: dict[str, Any], x: float, slack: float = 1e-9) -> bool:
    return math.isfinite(x) and band["low"] - slack <= x <= band["high"] + slack


def compare_bands(committed: Any, rebuilt: Any, path: str = "") -> list[KeyDrift]:
    """Walk two documents of a training module; one entry per band or integer compared."""
    out: list[KeyDrift] = []
    if is_scalar_band(committed) and is_scalar_band(rebuilt):
        runs = band_runs(rebuilt)
        ok = all(inside_band(committed, r) for r in runs)
        shown = f"[{committed['low']:.4g}, {committed['high']:.4g}]"
        out.append(KeyDrift(path, shown, ", ".join(f"{r:.4g}" for r in runs), ok))
        return out
    if isinstance(committed, dict) and isinstance(rebuilt, dict):
        for key in sorted(committed.keys() & rebuilt.keys(), key=str):
            out += compare_bands(committed[key], rebuilt[key], f"{path}.{key}" if path else key)
        for key in sorted(committed.keys() - rebuilt.keys(), key=str):
            out.append(KeyDrift(f"{path}.{key}", "present", "missing", False))
        return out
    if isinstance(committed, bool) or isinstance(rebuilt, bool):
        return out
    if isinstance(committed, int) and isinstance(rebuilt, int):
        out.append(KeyDrift(path, str(committed), str(rebuilt), committed == rebuilt))
    return out


def compare_exact(committed: Any, rebuilt: Any, rel_tol: float = REL_TOL) -> list[KeyDrift]:
    """A computed module: one entry per top-level key, inside when every value agrees."""
    out = []
    for key in sorted(committed.keys() | rebuilt.keys(), key=str):
        if key not in committed or key not in rebuilt:
            out.append(KeyDrift(key, str(key in committed), str(key in rebuilt), False))
            continue
        diffs = golden_differences(committed[key], rebuilt[key], rel_tol)
        out.append(KeyDrift(key, "committed", diffs[0] if diffs else "equal", not diffs))
    return out


__all__ = ["KeyDrift", "band_runs", "compare_bands", "compare_exact", "inside_band", "is_scalar_band"]
