"""`dlgrade similarity ASSIGNMENT PATH`: pairs of submissions whose notebook code is alike.

The assignment's starter code (`assignments/<id>/starter/`, or `--starter` files) is excluded.
The listing is for a TA to read; it is never a penalty by itself.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from graders.batch.discover import discover
from graders.errors import SubmissionError
from graders.export.similarity import code_of, similar_pairs, starter_files
from graders.intake import intake
from graders.paths import assignments_dir, reports_dir
from graders.spec import load_spec


def main(
    *,
    assignment: str,
    path: Path,
    threshold: float = 0.5,
    starter: list[Path] | None = None,
    out: Path | None = None,
    reports: Path | None = None,
) -> dict[str, Any]:
    """Compare every pair of submissions in `path`; write and return the pairs above `threshold`
    (to `out`, default `<reports>/<id>/similarity.json`, where `dlgrade report` reads them)."""
    spec = load_spec(assignment)
    reports = reports or reports_dir()
    workdir = reports / spec.id / "batch"
    workdir.mkdir(parents=True, exist_ok=True)
    found, _ = discover(Path(path), workdir)
    codes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="dlgrade-sim-") as scratch:
        for i, f in enumerate(found):
            try:
                sub = intake(f.path, spec, Path(scratch) / str(i))
            except SubmissionError:
                continue
            if sub.notebook is not None:
                codes[f.key] = code_of(sub.notebook)
    files = (
        starter if starter is not None else starter_files(assignments_dir() / spec.id / "starter")
    )
    pairs = similar_pairs(codes, [code_of(p) for p in files], threshold)
    data = {
        "schema": "dlgrade.similarity/1",
        "assignment": spec.id,
        "threshold": threshold,
        "compared": sorted(codes),
        "starter": [str(p) for p in files],
        "note_fa": "شباهت کد به‌تنهایی دلیل تقلب نیست؛ دستیار آموزشی باید بررسی کند.",
        "note_en": "Similarity alone is not evidence of cheating: a TA must judge each pair.",
        "pairs": [p.to_json() for p in pairs],
    }
    out = out or reports / spec.id / "similarity.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data
