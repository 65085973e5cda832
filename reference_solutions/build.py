"""Build golden files: run an assignment's reference solution and write `golden/*.json`.

Each file records its provenance (profile, device, library versions, seed, date), so that a
grade can say exactly which references it was compared against.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from graders.paths import golden_dir, reference_package
from reference_solutions.collect import (
    check_prerequisites,
    iter_documents,
    module_name,
    reference_modules,
)
from reference_solutions.machine import numeric_environment

SEED = 0


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda was asked for but torch sees no CUDA device")
    return device


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("torch", "transformers", "peft", "sacrebleu", "dlgrade"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def provenance(profile: str, device: str) -> dict[str, Any]:
    return {
        "profile": profile,
        "device": device,
        "seed": SEED,
        "versions": _versions(),
        "numeric_environment": numeric_environment(),
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }


def build_documents(assignment_id: str, profile: str, device: str) -> dict[str, dict[str, Any]]:
    """Run the reference solution; return golden documents (values only, no provenance)."""
    import torch

    torch.manual_seed(SEED)
    module = importlib.import_module(reference_package(assignment_id))
    return module.build(profile=profile, device=device)


def write_golden(
    assignment_id: str,
    profile: str = "smoke",
    device: str = "auto",
    out_dir: Path | None = None,
    only: list[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> list[Path]:
    """Build and write the golden files one module at a time: each module's files are on disk
    as soon as it finishes (a later failure keeps them); `only` names modules (`q1_peft`)."""
    import torch

    device = resolve_device(device)
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    out_dir = out_dir or golden_dir(assignment_id, profile)
    torch.manual_seed(SEED)
    modules = reference_modules(reference_package(assignment_id), only)
    check_prerequisites(modules, profile)  # before the first progress line
    written: list[Path] = []
    steps = iter_documents(reference_package(assignment_id), profile, device, only)
    for i in range(1, len(modules) + 1):
        name = module_name(modules[i - 1])
        estimate = getattr(modules[i - 1], "ESTIMATED_SECONDS", {}).get(profile)
        hint = (
            f", about {_duration(estimate)} on a {'GPU' if device == 'cuda' else device}"
            if estimate
            else ""
        )
        log(f"[{i}/{len(modules)}] {name}: running ({profile}{hint})")
        started = time.monotonic()
        _module, documents = next(steps)
        out_dir.mkdir(parents=True, exist_ok=True)
        for doc_name, values in sorted(documents.items()):
            written.append(
                _write_document(out_dir, assignment_id, doc_name, values, profile, device)
            )
        log(
            f"[{i}/{len(modules)}] {name}: {len(documents)} file(s) in {time.monotonic() - started:.1f}s"
        )
    return written


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _write_document(
    out_dir: Path, assignment_id: str, name: str, values: Any, profile: str, device: str
) -> Path:
    path = out_dir / f"{name}.json"
    doc = {
        "name": name,
        "assignment": assignment_id,
        "provenance": provenance(profile, device),
        "values": values,
    }
    path.write_text(
        json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path
