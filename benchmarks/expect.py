"""What every benchmark that grades checks before printing a figure: each submission ended with
the outcome (and score) it was made to have. A timing of notebooks that never ran is no timing.

    from expect import require_outcomes, gradebook_outcomes
    require_outcomes(gradebook_outcomes(db, "tiny-batch"), {key: ("ok", 200.0)}, "dlgrade --jobs 1")
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import nbformat

# found: key -> (outcome, score, why); expected: key -> (outcome, score or None for any)
Found = Mapping[str, tuple[str, float, str]]
Expected = Mapping[str, tuple[str, float | None]]


def mismatches(found: Found, expected: Expected) -> list[str]:
    """One line per submission that did not end as expected (missing and unexpected ones too)."""
    lines = []
    for key, (outcome, score) in sorted(expected.items()):
        if key not in found:
            lines.append(f"{key}: no result (expected {outcome})")
            continue
        got, got_score, why = found[key]
        if got != outcome or (score is not None and abs(got_score - score) > 1e-6):
            want = outcome if score is None else f"{outcome} {score:g}"
            because = f": {why[:300]}" if why else ""
            lines.append(f"{key}: {got} {got_score:g}, expected {want}{because}")
    lines += [f"{key}: not expected" for key in sorted(set(found) - set(expected))]
    return lines


def require_outcomes(found: Found, expected: Expected, what: str) -> None:
    """Stop the benchmark (no figure printed) unless every submission ended as expected."""
    wrong = mismatches(found, expected)
    if wrong:
        shown = "\n  ".join(wrong[:20]) + (
            f"\n  ... {len(wrong) - 20} more" if len(wrong) > 20 else ""
        )
        raise SystemExit(
            f"{what}: {len(wrong)} of {len(expected)} submission(s) did not end as expected; "
            f"no figure is reported:\n  {shown}"
        )


def gradebook_outcomes(db: Path, assignment: str) -> dict[str, tuple[str, float, str]]:
    """key -> (outcome, score, run message) of the latest run of each submission in `db`."""
    from graders.gradebook import Gradebook

    with Gradebook(db) as gb:
        return {
            r["submission"]: (r["outcome"], float(r["score"]), str(r.get("run_message") or ""))
            for r in gb.latest_all(assignment)
        }


def notebook_errors(path: Path) -> str:
    """Why an executed notebook does not count as run ('' when every code cell ran cleanly)."""
    if not path.is_file():
        return "no executed notebook"
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        if cell.get("execution_count") is None:
            return f"code cell {i + 1} did not run"
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"code cell {i + 1}: {out.get('ename')}: {str(out.get('evalue'))[:200]}"
    return ""
