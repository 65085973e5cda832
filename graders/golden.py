"""Golden reference values: load `reference_solutions/<pkg>/golden/<profile>/*.json` (trusted).

Each profile's files live apart (`golden/smoke/`, committed; `golden/full/`, built on a GPU), so
a full build never overwrites the smoke files, and a grade names the profile it used. A flat
`golden/*.json` folder (older checkouts, the student package) counts as the smoke profile.
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
from graders.paths import golden_dir, golden_root


@dataclass(frozen=True)
class Golden:
    documents: dict[str, dict[str, Any]]
    digest: str
    profile: str = "smoke"  # the profile whose golden files these are

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


def golden_folder(assignment_id: str, profile: str = "smoke") -> Path:
    """`golden/<profile>/`; for smoke, a flat `golden/` folder when there is no `smoke/`."""
    folder = golden_dir(assignment_id, profile)
    if profile == "smoke" and not any(folder.glob("*.json")):
        flat = golden_root(assignment_id)
        if any(flat.glob("*.json")):
            return flat
    return folder


def load_golden(assignment_id: str, folder: Path | None = None, profile: str = "smoke") -> Golden:
    folder = folder or golden_folder(assignment_id, profile)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise GoldenMissingError(
            f"no {profile} golden values in {folder}; run: dlgrade reference build "
            f"{assignment_id} --profile {profile}",
            f"مقادیر مرجع {profile} ساخته نشده‌اند؛ دستور dlgrade reference build {assignment_id} "
            f"--profile {profile} را اجرا کنید.",
        )
    docs: dict[str, dict[str, Any]] = {}
    sha = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        sha.update(f.name.encode() + b"\0" + data)
        docs[f.stem] = json.loads(data)
    return Golden(docs, sha.hexdigest()[:16], profile)
