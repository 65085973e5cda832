"""`dlgrade report`: render PDF reports from the gradebook (the latest run of each submission).

Writes `<out>/<submission>.pdf` for every graded submission (or the given keys), rendered in
parallel processes, and `<out>/class-summary.pdf` for the TAs over all graded submissions.
Similarity pairs for the summary come from `--similarity FILE.json` or `<out>/similarity.json`
(`[{"a": key, "b": key, "score": 0.93, "excerpt": "..."}]`, as the batch step writes them).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from graders.commands.grade import assignment_info
from graders.errors import DlgradeError
from graders.gradebook import Gradebook
from graders.paths import gradebook_location, reports_dir
from graders.report.batch import StudentJob, render_student_reports
from graders.report.render import render_class_summary
from graders.spec import load_spec

SUMMARY_NAME = "class-summary.pdf"


class ReportError(DlgradeError, RuntimeError):
    """Some reports could not be rendered (the others were written)."""


def pdf_name(submission: str) -> str:
    return re.sub(r"[/\\\x00]", "_", submission) + ".pdf"


def _similarity(path: Path | None, out: Path) -> Any:
    path = path or (out / "similarity.json")
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(
            f"cannot read similarity pairs from {path}: {exc}",
            f"فایل شباهت‌ها ({path}) خوانده نشد.",
        ) from exc


def main(
    *,
    assignment: str,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
    out: Path | None = None,
    keys: list[str] | None = None,
    jobs: int | None = None,
    similarity: Path | None = None,
    summary: bool = True,
    echo: bool = True,
) -> list[Path]:
    """Render the student PDFs (all graded submissions, or `keys`) and the class summary into
    `out` (default `<reports>/<id>/`), from the gradebook `gradebook_location` resolves."""
    spec = load_spec(assignment)
    out = out or (reports or reports_dir()) / spec.id
    info = assignment_info(spec)
    with Gradebook(gradebook_location(gradebook, reports)) as gb:
        every = gb.final_results(spec.id)  # the TA's review scores override automatic ones
        intake = {row["key"]: row for row in gb.intake_records(spec.id)}
        for key in keys or []:
            gb.latest(spec.id, key)  # MissingEntry for a key never graded
    every = [r.with_upload(intake.get(r.submission)) for r in every]
    results = [r for r in every if r.submission in keys] if keys else every
    rendered = render_student_reports(
        [StudentJob(r, out / pdf_name(r.submission), info, out / r.submission) for r in results],
        processes=jobs,
    )
    written = [r.out_pdf for r in rendered if r.error is None]
    failed = [r for r in rendered if r.error is not None]
    if summary and every:
        written.append(
            render_class_summary(
                every,
                out / SUMMARY_NAME,
                assignment=info,
                similarity=_similarity(similarity, out),
                artifacts=out / "class-summary",
            )
        )
    if echo:
        for path in written:
            print(path)
    for r in failed:
        print(f"{r.out_pdf.name}: {r.error}", file=sys.stderr)
    if failed:
        raise ReportError(
            f"{len(failed)} report(s) could not be rendered",
            f"{len(failed)} گزارش ساخته نشد.",
        )
    return written
