"""`dlgrade export csv|gradescope|json`: grades out of the gradebook (manual scores applied)."""

from __future__ import annotations

import json
from pathlib import Path

from graders.batch.roster import read_roster
from graders.export.gradescope import gradescope_results
from graders.export.lms import lms_csv, lms_rows
from graders.gradebook import Gradebook
from graders.paths import gradebook_location, reports_dir
from graders.spec import load_spec


def main(
    *,
    assignment: str,
    fmt: str,
    out: Path | None = None,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
    roster: Path | None = None,
) -> Path:
    """Write the export `fmt` (csv, gradescope, json) of `assignment`; return where it went.

    csv: `<reports>/<id>/grades.csv`; gradescope: `<reports>/<id>/gradescope/<key>/results.json`;
    json: `<reports>/<id>/gradebook.json` (`reports` default `reports/`).
    """
    spec = load_spec(assignment)
    base = (reports or reports_dir()) / spec.id
    with Gradebook(gradebook_location(gradebook, reports)) as gb:
        if fmt == "csv":
            qids = [q.id for q in spec.questions]
            rows = lms_rows(
                gb.final_results(spec.id),
                qids,
                gb.intake_records(spec.id),
                read_roster(roster) if roster else None,
            )
            out = out or base / "grades.csv"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(lms_csv(rows, qids), encoding="utf-8-sig")
        elif fmt == "gradescope":
            out = out or base / "gradescope"
            intake = {row["key"]: row for row in gb.intake_records(spec.id)}
            for final in gb.final_results(spec.id):
                final = final.with_upload(intake.get(final.submission))
                target = out / final.submission / "results.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(
                    json.dumps(gradescope_results(final), ensure_ascii=False, indent=1),
                    encoding="utf-8",
                )
        elif fmt == "json":
            out = out or base / "gradebook.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(
                json.dumps(gb.dump(spec.id), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    return out
