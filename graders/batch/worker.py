"""The unit of work a batch sends to a process or a Dask worker: grade one submission.

Everything a task needs travels with it (spec, golden values, who the students are, the late
penalty), so a worker on another machine needs only dlgrade installed and the submission path
on a shared filesystem. The result is a `GradeResult` (a plain, picklable value).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from graders.golden import Golden
from graders.scoring import GradeResult
from graders.spec.models import AssignmentSpec


@dataclass(frozen=True)
class GradeTask:
    spec: AssignmentSpec
    golden: Golden
    key: str
    path: str
    students: tuple[dict[str, str], ...] = ()
    late_penalty_percent: float = 0.0
    problems: tuple[tuple[str, str], ...] = ()
    profile: str = "smoke"
    artifacts: str | None = None
    report: str | None = None  # PDF path to render, or None
    assignment_info: dict | None = None
    ta_scores: dict | None = None  # item -> TAScore: a regrade keeps the TA's scores
    device: str = "cpu"  # cuda: the worker's GPU (CUDA_VISIBLE_DEVICES) is passed into the sandbox
    sandbox: bool = True
    mode: str | None = None  # execute | saved | audit (None: each question's spec)
    submitted_at: str | None = None  # ISO upload time, and where it came from (batch/times.py)
    days_late: int = 0
    time_source: str = ""


def grade_task(task: GradeTask) -> GradeResult:
    """Grade one submission, apply what the batch knows about it, render its report."""
    from graders.pipeline import grade_submission

    result = grade_submission(
        task.spec,
        Path(task.path),
        task.golden,
        artifacts=Path(task.artifacts) if task.artifacts else None,
        profile=task.profile,
        sandbox=task.sandbox,
        device=task.device,
        mode=task.mode,
    )
    result = dataclasses.replace(
        result,
        submission=task.key,
        students=task.students or result.students,
        late_penalty_percent=task.late_penalty_percent,
        problems=(*result.problems, *task.problems),
    )
    if task.ta_scores:
        from graders.review import apply_ta_scores

        result = apply_ta_scores(result, task.ta_scores)
    if task.report:
        from graders.report.render import render_student_report

        upload = {
            "submitted_at": task.submitted_at,
            "days_late": task.days_late,
            "time_source": task.time_source,
        }
        render_student_report(
            result.with_upload(upload),
            Path(task.report),
            assignment=task.assignment_info or {"id": task.spec.id},
            artifacts=Path(task.artifacts) if task.artifacts else None,
        )
    return result


def use_gpu(gpu: str) -> None:
    """This process's notebooks get GPU `gpu`, numbered as `nvidia-smi -L` does (PCI order)."""
    os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"
    os.environ["CUDA_VISIBLE_DEVICES"] = str(gpu)


def init_worker(gpu_queue: object | None, threads: int | None = None) -> None:
    """Process-pool initializer: this worker's share of the CPUs (OMP_NUM_THREADS, unless the
    user set it) and one GPU of its own (if any are listed)."""
    if threads is not None:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    if gpu_queue is None:
        return
    try:
        gpu = gpu_queue.get_nowait()  # type: ignore[attr-defined]
    except Exception:
        return
    use_gpu(gpu)
