"""Render many student reports in parallel worker processes.

Each worker imports WeasyPrint and matplotlib once (in its initializer) and renders one
report per task; a report that fails is returned as an error string, so one bad grade never
stops the others. Workers are started with `spawn` (no fork of a process that holds Pango
or matplotlib state).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.scoring import GradeResult


@dataclass(frozen=True)
class StudentJob:
    result: GradeResult
    out_pdf: Path
    assignment: dict[str, Any]
    artifacts: Path | None = None


@dataclass(frozen=True)
class Rendered:
    out_pdf: Path
    error: str | None = None


def _warm_up() -> None:
    import weasyprint  # noqa: F401

    from graders.report.glyphs import covered
    from graders.report.plots import _pyplot

    _pyplot()
    covered()


def render_one(job: StudentJob) -> Rendered:
    from graders.report.render import render_student_report

    try:
        render_student_report(
            job.result, job.out_pdf, assignment=job.assignment, artifacts=job.artifacts
        )
    except Exception as exc:  # reported per report; the batch goes on
        return Rendered(job.out_pdf, f"{type(exc).__name__}: {exc}")
    return Rendered(job.out_pdf)


def default_processes() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def render_student_reports(
    jobs: list[StudentJob], *, processes: int | None = None
) -> list[Rendered]:
    """Render `jobs` (in order of `jobs`), with `processes` workers (default: usable CPUs)."""
    processes = min(processes or default_processes(), len(jobs))
    if processes <= 1:
        return [render_one(job) for job in jobs]
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_warm_up,
    ) as pool:
        return list(pool.map(render_one, jobs, chunksize=1))
