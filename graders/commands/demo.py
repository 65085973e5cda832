"""`dlgrade demo`: grade the bundled example submissions of hw5-rnn and render their reports."""

from __future__ import annotations

from pathlib import Path

from graders.commands import grade, report
from graders.golden import GoldenMissingError, load_golden
from graders.paths import assignments_dir, import_reference, reports_dir
from graders.scoring import GradeResult

DEMO_ASSIGNMENT = "hw5-rnn"


def main(*, reports: Path | None = None, as_json: bool = False) -> list[GradeResult]:
    """Grade `assignments/hw5-rnn/examples/*` into the gradebook (`gradebook_location`:
    `<reports>/gradebook.db` by default), then render one PDF per example and the class summary
    into `<reports>/hw5-rnn/`. Golden values missing: built first (needs the references)."""
    try:
        load_golden(DEMO_ASSIGNMENT)
    except GoldenMissingError:
        import_reference("build").write_golden(DEMO_ASSIGNMENT, profile="smoke", device="cpu")
    examples = sorted(
        p
        for p in (assignments_dir() / DEMO_ASSIGNMENT / "examples").iterdir()
        if p.is_dir() and p.name.startswith("HW")
    )
    reports = reports or reports_dir()
    results = grade.main(
        assignment=DEMO_ASSIGNMENT,
        submissions=examples,
        reports=reports,
        as_json=as_json,
        render=False,
    )
    report.main(  # the PDFs in parallel, and the class summary
        assignment=DEMO_ASSIGNMENT,
        reports=reports,
        keys=[r.submission for r in results],
        echo=not as_json,
    )
    return results
