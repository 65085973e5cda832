"""Golden reference values: load `reference_solutions/<pkg>/golden/*.json` (trusted files).

A reference is addressed as `file:key`, e.g. `q1:L1.weights`. Each golden file carries its
provenance (profile, device, versions, seed, date); its hash goes into every grade's signature.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.errors import GoldenMissingError
from graders.paths import golden_dir


@dataclass(frozen=True)
class Golden:
    documents: dict[str, dict[str, Any]]
    digest: str

    def get(self, ref: str) -> Any:
        name, _, key = ref.partition(":")
        try:
            values = self.documents[name]["values"]
        except KeyError:
            raise KeyError(f"no golden file {name!r} (have: {sorted(self.documents)})") from None
        if key not in values:
            raise KeyError(f"golden file {name!r} has no value {key!r}")
        return values[key]

    def provenance(self, name: str) -> dict[str, Any]:
        return dict(self.documents.get(name, {}).get("provenance", {}))

    @classmethod
    def empty(cls) -> Golden:
        return cls({}, "none")


def load_golden(assignment_id: str, folder: Path | None = None) -> Golden:
    folder = folder or golden_dir(assignment_id)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise GoldenMissingError(
            f"no golden values in {folder}; run: dlgrade reference build {assignment_id} --profile smoke",
            f"مقادیر مرجع ساخته نشده‌اند؛ دستور dlgrade reference build {assignment_id} --profile smoke را اجرا کنید.",
        )
    docs: dict[str, dict[str, Any]] = {}
    sha = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        sha.update(f.name.encode() + b"\0" + data)
        docs[f.stem] = json.loads(data)
    return Golden(docs, sha.hexdigest()[:16])
