"""`dlgrade reference build`: run a reference solution and write its golden files."""

from __future__ import annotations

import time
from pathlib import Path

from graders.paths import import_reference
from graders.spec import load_spec


def build(
    *,
    assignment: str,
    profile: str = "smoke",
    device: str = "auto",
    out: Path | None = None,
    only: list[str] | None = None,
) -> list[Path]:
    """Build golden values for `assignment` under `profile` (smoke: CPU, seconds; full: GPU);
    `only` names reference modules (`q1_peft`); each module's files are written as it ends.
    Without the reference solutions (the student wheel): `ReferencesNotInstalled`."""
    spec = load_spec(assignment)
    write_golden = import_reference("build").write_golden
    started = time.monotonic()
    paths = write_golden(spec.id, profile=profile, device=device, out_dir=out, only=only)
    print(
        f"built {len(paths)} golden file(s) for {spec.id} ({profile}) in {time.monotonic() - started:.1f}s"
    )
    for p in paths:
        print(f"  {p}")
    return paths
