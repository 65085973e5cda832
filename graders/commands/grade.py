"""`dlgrade grade`: grade submissions into the gradebook, render their reports, print results."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graders.checks.result import Status
from graders.execute.sandbox import check_available
from graders.golden import load_golden
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScores
from graders.paths import gradebook_location, reports_dir
from graders.pipeline import grade_submission
from graders.report.render import render_student_report
from graders.review import apply_ta_scores
from graders.scoring import GradeResult
from graders.spec import load_spec
from graders.spec.models import AssignmentSpec

SCHEMA = "dlgrade.results/1"


def assignment_info(spec: AssignmentSpec) -> dict[str, Any]:
    """The assignment as a report's header shows it (grade, batch and report all use this)."""
    header = spec.model_dump(include={"id", "title_fa", "title_en", "course_fa", "course_en"})
    return header | {"deadline": spec.deadline.isoformat() if spec.deadline else None}


def results_table(results: list[GradeResult]) -> Table:
    table = Table(title="dlgrade results / نتایج")
    table.add_column("submission", no_wrap=True)
    table.add_column("outcome")
    table.add_column("score", justify="right")
    for q in results[0].questions if results else ():
        table.add_column(f"{q.id}/{q.max:g}", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("TA review", justify="right")
    for r in results:
        table.add_row(
            r.submission,
            r.outcome,
            f"{r.total:.2f}/{r.possible:g}",
            *(f"{q.score:.2f}" for q in r.questions),
            str(len(failed_checks(r))),
            str(
                sum(
                    1
                    for q in r.questions
                    for p in q.parts
                    for c in p.checks
                    if c.result.status == Status.REVIEW
                )
            ),
        )
    return table


def failed_checks(result: GradeResult) -> list[tuple[str, str]]:
    """(question.part.check, English message) of every check that did not pass and is not
    waiting for a TA (free-text items are counted apart, in the "TA review" column)."""
    return [
        (f"{q.id}.{p.id}.{c.id}", c.result.message_en)
        for q in result.questions
        for p in q.parts
        for c in p.checks
        if c.result.score < 1 and c.result.status != Status.REVIEW
    ]


def explanations(results: list[GradeResult], per_submission: int = 8) -> list[str]:
    """Why each submission lost points: its failed checks, one short line each."""
    lines = []
    for r in results:
        failed = failed_checks(r)
        if r.run_message:
            lines.append(f"{r.submission}: notebook: {r.run_message[:160]}")
        for key, message in failed[:per_submission]:
            lines.append(f"{r.submission}: {key}: {message[:160]}")
        if len(failed) > per_submission:
            lines.append(
                f"{r.submission}: ... and {len(failed) - per_submission} more (see the PDF report)"
            )
    return lines


def main(
    *,
    assignment: str,
    submissions: list[Path],
    gradebook: Path | str | None = None,
    reports: Path | None = None,
    render: bool = True,
    as_json: bool = False,
    profile: str = "smoke",
    sandbox: bool = True,
    device: str = "cpu",
    mode: str | None = None,
) -> list[GradeResult]:
    """Grade each submission (folder, zip or notebook), record it, render its PDF report.

    Notebooks run inside bubblewrap; where it is missing or refuses, grading an assignment
    with notebooks refuses
    (SandboxUnavailable, exit 2) unless `sandbox=False` (`--no-sandbox`) was asked for.
    """
    spec = load_spec(assignment)
    if sandbox and spec.notebook is not None and mode != "saved":
        check_available()
    if spec.notebook is not None and mode != "saved":  # issue 17: the kernel environment
        from graders.environment.build import env_for, require

        require(env_for(spec, profile), spec.id, profile)
    golden = load_golden(spec.id, profile=profile)
    reports = reports or reports_dir()
    gradebook = gradebook_location(gradebook, reports)
    run = {"profile": profile, "sandbox": sandbox, "device": device, "mode": mode}
    console = Console(stderr=True)
    results: list[GradeResult] = []
    with Gradebook(gradebook) as gb:
        for path in submissions:
            console.print(f"[dim]grading {path.name} …[/dim]")
            artifacts = reports / spec.id / path.stem
            result = grade_submission(spec, Path(path), golden, artifacts=artifacts, **run)
            with TAScores(gradebook) as ta:  # a regrade keeps the TA's review scores
                result = apply_ta_scores(result, ta.latest(spec.id, result.submission))
            gb.record(result)
            if render:
                render_student_report(
                    result,
                    reports / spec.id / f"{result.submission}.pdf",
                    assignment=assignment_info(spec),
                    artifacts=artifacts,
                )
            results.append(result)
    if as_json:
        json.dump(
            {
                "schema": SCHEMA,
                "assignment": spec.id,
                "submissions": [r.to_json() for r in results],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        console_out = Console(width=None if sys.stdout.isatty() else 160)  # logs and CI: no squeezing
        console_out.print(results_table(results))
        for line in explanations(results):
            console_out.print(line, markup=False, highlight=False)
        if render:
            Console().print(f"reports: {reports / spec.id}  gradebook: {gradebook}")
    return results
