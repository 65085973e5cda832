"""Build golden files: run an assignment's reference solution and write `golden/*.json`.

Each file records its provenance (profile, device, library versions, seed, date), so that a
grade can say exactly which references it was compared against.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from graders.paths import golden_dir, reference_package
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
    assignment_id: str, profile: str = "smoke", device: str = "auto", out_dir: Path | None = None
) -> list[Path]:
    device = resolve_device(device)
    documents = build_documents(assignment_id, profile, device)
    out_dir = out_dir or golden_dir(assignment_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, values in sorted(documents.items()):
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
        written.append(path)
    return written
