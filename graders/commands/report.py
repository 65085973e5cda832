"""`dlgrade report`: render PDF reports from the gradebook (the latest run of each submission)."""

from __future__ import annotations

from pathlib import Path

from graders.commands.grade import assignment_info
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScores
from graders.paths import reports_dir
from graders.report.render import render_student_report
from graders.review import apply_ta_scores_json
from graders.spec import load_spec


def main(
    *,
    assignment: str,
    gradebook: Path | str | None = None,
    out: Path | None = None,
    keys: list[str] | None = None,
) -> list[Path]:
    spec = load_spec(assignment)
    out = out or reports_dir() / spec.id
    written = []
    with Gradebook(gradebook or reports_dir() / "gradebook.db") as gb:
        results = [gb.latest(spec.id, k) for k in keys] if keys else gb.latest_all(spec.id)
        with TAScores(gradebook or reports_dir() / "gradebook.db") as ta:
            results = [
                apply_ta_scores_json(r, ta.latest(spec.id, r["submission"])) for r in results
            ]
        for result in results:
            path = out / f"{result['submission']}.pdf"
            render_student_report(
                result, path, assignment=assignment_info(spec), artifacts=out / result["submission"]
            )
            written.append(path)
            print(path)
    return written
