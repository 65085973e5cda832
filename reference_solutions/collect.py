"""Gather an assignment's golden documents from all modules of its reference package.

Each module of `reference_solutions.<pkg>` that defines
`golden_documents(profile: str, device: str) -> dict[str, dict]` contributes its files; a new
question is a new module, with nothing else to edit. Two modules may not write the same file.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def collect_documents(package: str, profile: str, device: str) -> dict[str, dict[str, Any]]:
    pkg = importlib.import_module(package)
    documents: dict[str, dict[str, Any]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package}.{info.name}")
        produce = getattr(module, "golden_documents", None)
        if produce is None:
            continue
        for name, values in produce(profile=profile, device=device).items():
            if name in documents:
                raise ValueError(f"golden file {name!r} produced twice in {package}")
            documents[name] = values
    return documents
