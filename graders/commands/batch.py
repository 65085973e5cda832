"""`dlgrade batch`: grade a whole class from an LMS export, in parallel, resumably.

Flow: find the submissions → identify students and groups (duplicates, conflicts, roster) →
late penalty from the upload time → skip what is already graded with the same content and
golden version (unless `regrade`) → grade on a local pool or Dask → commit each result as it
arrives (a killed batch loses at most the submissions in flight) → summary. When (nearly) all
runs fail the same way, they are marked `grader-problem` (see `graders.batch.failures`).
`regrade_blocked` grades only what the grading environment blocked (`graders.batch.blocked`).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from graders.batch.blocked import (
    blocked_by_module,
    blocked_json,
    one_regrade_flag,
    regrade_blocked_selection,
    still_undeclared,
)
from graders.batch.discover import FoundSubmission, discover
from graders.batch.executors import detect_gpus, make_executor
from graders.batch.failures import GRADER_PROBLEM, SharedFailure, shared_failure
from graders.batch.plan import Entry, Plan, homework_number, identify, make_plan
from graders.batch.progress import BatchProgress
from graders.batch.roster import read_roster
from graders.batch.times import read_times, settle
from graders.batch.worker import GradeTask
from graders.commands.grade import assignment_info
from graders.dates import to_jalali_text
from graders.environment.declared import declared_for
from graders.errors import SubmissionError
from graders.golden import load_golden
from graders.gradebook import Gradebook
from graders.gradebook.ta_scores import TAScores
from graders.intake import intake
from graders.paths import gradebook_location, reports_dir
from graders.spec import load_spec
from graders.spec.models import AssignmentSpec
from graders.submission_files import SlowStep


@dataclasses.dataclass
class BatchSummary:
    assignment: str
    total: int = 0
    graded: list[str] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)
    failed: dict[str, str] = dataclasses.field(default_factory=dict)
    plan: Plan | None = None
    seconds: float = 0.0
    shared: SharedFailure | None = None  # (nearly) every run failed the same way
    grader_problem: list[str] = dataclasses.field(default_factory=list)
    accepted_failures: bool = False
    audit: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # audited submissions
    time_warnings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    time_sources: dict[str, str] = dataclasses.field(default_factory=dict)
    blocked: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # module -> keys
    still_undeclared: list[str] = dataclasses.field(default_factory=list)
    regrade_blocked: bool = False

    def to_json(self) -> dict[str, Any]:
        plan = self.plan or Plan()
        return {
            "schema": "dlgrade.batch/1",
            "assignment": self.assignment,
            "submissions": self.total,
            "graded": self.graded,
            "skipped_already_graded": self.skipped,
            "failed": self.failed,
            "duplicates": {e.key: kept for e, kept in plan.duplicates},
            "unidentified": [e.key for e in plan.unidentified],
            "conflicts": plan.conflicts,
            "missing": [
                {"number": s.number, "name": s.name, "email": s.email} for s in plan.missing
            ],
            "ignored": plan.ignored,
            "grader_problem": _shared_json(self),
            "flags": {
                e.key: [{"message_fa": fa, "message_en": en} for fa, en in e.flags]
                for e in plan.counted
                if e.flags
            },
            "audit": self.audit,
            "upload_times": {
                "warnings": [{"message_fa": fa, "message_en": en} for fa, en in self.time_warnings],
                "sources": self.time_sources,
            },
            "environment_missing": blocked_json(self.blocked, self.still_undeclared),
            "regrade_blocked": self.regrade_blocked,
            "seconds": round(self.seconds, 2),
        }


def _shared_json(summary: BatchSummary) -> dict[str, Any] | None:
    shared = summary.shared
    if shared is None:
        return None
    fa, en = shared.warning(summary.accepted_failures)
    return {
        "outcome": shared.outcome,
        "error": shared.error,
        "submissions": list(shared.keys),
        "marked": summary.grader_problem,
        "accepted": summary.accepted_failures,
        "message_fa": fa,
        "message_en": en,
    }


def _late(
    spec: AssignmentSpec, found: FoundSubmission, source: str = "file"
) -> tuple[int, float, tuple[tuple[str, str], ...]]:
    days, percent = spec.late_policy.penalty_for(found.submitted_at, spec.deadline)
    if days <= 0:
        return 0, 0.0, ()
    if source == "file-untrusted":  # withheld until a TA confirms the times (graders/batch/times)
        return (
            days,
            0.0,
            (
                (
                    f"زمان فایل {days} روز تأخیر نشان می‌دهد اما قابل اعتماد به نظر نمی‌رسد؛ "
                    "جریمه تا تأیید دستیار اعمال نشد.",
                    f"the file time says {days} day(s) late but looks untrustworthy: no penalty "
                    "until a TA confirms.",
                ),
            ),
        )
    when = to_jalali_text(found.submitted_at, spec.late_policy.timezone)
    return (
        days,
        percent,
        (
            (
                f"ارسال در {when}، {days} روز پس از مهلت؛ جریمهٔ تأخیر {percent:g}٪.",
                f"handed in {days} day(s) late ({found.submitted_at:%Y-%m-%d %H:%M} UTC): "
                f"late penalty {percent:g} %.",
            ),
        ),
    )


def _entries(
    spec: AssignmentSpec, found: list[FoundSubmission], roster: dict | None, scratch: Path
) -> list[Entry]:
    homework = homework_number(spec.id)
    out = []
    progress = SlowStep(
        "خواندن ارسال‌ها", "reading the submissions", len(found), ("ارسال", "submissions")
    )
    for i, f in enumerate(found):
        progress.tick(i)
        try:
            sub = intake(f.path, spec, scratch / str(i))
            sheet, content_hash = sub.students, sub.content_hash
        except SubmissionError:
            sheet, content_hash = (), ""
        out.append(identify(f, sheet, roster, homework, content_hash))
    return out


def main(
    *,
    assignment: str,
    path: Path,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    regrade: bool = False,
    roster: Path | None = None,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
    workdir: Path | None = None,
    render: bool = True,
    profile: str = "smoke",
    gpus: list[str] | None = None,
    plain: bool | None = None,
    accept_failures: bool = False,
    device: str = "cpu",
    sandbox: bool = True,
    mode: str | None = None,
    audit: float = 0.0,
    seed: int = 0,
    times: Path | None = None,
    trust_file_times: bool = False,
    regrade_blocked: bool = False,
) -> BatchSummary:
    """Grade every submission in `path` (a folder or zip exported from the LMS).

    `jobs` worker processes (or the Dask cluster at `scheduler`), results committed one by
    one into `gradebook`; already-graded submissions (same content hash and golden version)
    are skipped unless `regrade`. `roster` (CSV) lists who did not submit. Reports go to
    `reports/<id>/` unless `render` is false; a summary to `reports/<id>/batch-summary.json`.
    Runs that all fail the same way are marked `grader-problem` (their reports removed) unless
    `accept_failures`; a later batch grades them again.
    `device="cuda"`: notebooks run with the GPUs in the sandbox, one of `gpus` (default: the
    detected ones) per worker; with `cpu` no GPU is handed out. `mode` forces execute/saved for every
    question; `audit` > 0 grades in saved mode and re-executes a sample (that fraction, chosen
    by `seed`) to compare its executed facts with its saved ones (`graders.audit`).
    Upload times come from `times` (the LMS grading worksheet) where given, else from the
    files; doubtful file times get no late penalty unless `trust_file_times`.
    `regrade_blocked` grades only the submissions whose latest result is `environment-missing`
    (and those not graded yet); every other graded one is kept (`graders.batch.blocked`).
    """
    from graders.audit import audit_sample, summarize

    started = time.monotonic()
    spec = load_spec(assignment)
    if spec.notebook is not None and mode != "saved":  # issue 17: before any worker starts
        from graders.environment.build import env_for, require

        require(env_for(spec, profile), spec.id, profile)
    golden = load_golden(spec.id, profile=profile)
    reports = reports or reports_dir()
    gradebook = gradebook_location(gradebook, reports)
    workdir = workdir or reports / spec.id / "batch"
    workdir.mkdir(parents=True, exist_ok=True)
    one_regrade_flag(regrade, regrade_blocked)
    roster_list = read_roster(roster) if roster else None
    roster_map = {s.number: s for s in roster_list} if roster_list is not None else None
    found, ignored = discover(Path(path), workdir)
    with tempfile.TemporaryDirectory(prefix="dlgrade-batch-") as scratch:
        entries = _entries(spec, found, roster_map, Path(scratch))
    table = read_times(times, spec.late_policy.timezone) if times else None
    entries, sources, time_warnings = settle(
        entries,
        table,
        spec.late_policy.deadline_at(spec.deadline),
        trust_file_times=trust_file_times,
    )
    plan = make_plan(entries, roster_list, ignored)
    audited = set(audit_sample([e.key for e in plan.counted], audit, seed)) if audit > 0 else set()
    if audit > 0:
        mode = "saved"
    summary = BatchSummary(
        spec.id,
        total=len(found),
        plan=plan,
        time_warnings=time_warnings,
        time_sources=sources,
        regrade_blocked=regrade_blocked,
    )
    info = assignment_info(spec)
    tasks: list[GradeTask] = []
    runs: dict[str, tuple[str, str]] = {}
    with Gradebook(gradebook) as gb, TAScores(gradebook) as ta:
        previous = {r["key"]: r["status"] for r in gb.intake_records(spec.id)}
        selected = None
        if regrade_blocked:
            latest = {r["submission"]: r for r in gb.latest_all(spec.id)}
            keys = [e.key for e in plan.counted]
            selected = set(regrade_blocked_selection(keys, latest, previous))
        for dup, kept in plan.duplicates:
            gb.record_intake(
                spec.id,
                dup.key,
                **_intake_fields(dup),
                status="duplicate",
                duplicate_of=kept,
            )
        for e in plan.counted:
            source = sources.get(e.key, "file")
            days, percent, late_note = _late(spec, e.found, source)
            fields = _intake_fields(e) | {
                "days_late": days,
                "late_penalty_percent": percent,
                "time_source": source,
            }
            if selected is not None and e.key not in selected:
                summary.skipped.append(e.key)  # kept as graded: only the blocked are regraded
                continue
            if (
                not regrade
                and selected is None
                and previous.get(e.key) != GRADER_PROBLEM
                and e.content_hash
                and gb.is_current(spec.id, e.key, e.content_hash, golden.digest)
                and _same_penalty(gb, spec.id, e.key, percent)
            ):
                gb.record_intake(spec.id, e.key, **fields, status="graded")
                summary.skipped.append(e.key)
                continue
            gb.record_intake(spec.id, e.key, **fields, status="pending")
            artifacts = reports / spec.id / e.key
            tasks.append(
                GradeTask(
                    spec=spec,
                    golden=golden,
                    key=e.key,
                    path=str(e.found.path.resolve()),
                    students=tuple({"name": s.name, "number": s.number} for s in e.students),
                    late_penalty_percent=percent,
                    problems=(*e.flags, *late_note),
                    profile=profile,
                    artifacts=str(artifacts.resolve()) if render else None,
                    report=str((reports / spec.id / f"{e.key}.pdf").resolve()) if render else None,
                    assignment_info=info,
                    ta_scores=ta.latest(spec.id, e.key),
                    device=device,
                    sandbox=sandbox,
                    mode="audit" if e.key in audited else mode,
                    submitted_at=e.found.submitted_at.isoformat() if e.found.submitted_at else None,
                    days_late=days,
                    time_source=source,
                )
            )
        if device == "cuda":
            gpus = gpus if gpus is not None else detect_gpus()
        pool = make_executor(executor, jobs, scheduler, gpus if device == "cuda" else None)
        try:
            for task in tasks:
                pool.submit(task)
            rich = None if plain is None else not plain
            with BatchProgress(len(tasks), rich=rich) as progress:
                progress.set_running(pool.running())
                for task, result, error in pool.as_completed():
                    if result is not None:
                        gb.record(result)
                        gb.record_intake(spec.id, task.key, status="graded")
                        summary.graded.append(task.key)
                        runs[task.key] = (result.outcome, result.run_message)
                        if task.key in audited:
                            summary.audit += summarize({task.key: result.problems})
                        line = (
                            f"{task.key}: {result.outcome} {result.total:.2f}/{result.possible:g}"
                        )
                        failed = result.outcome != "ok"
                    else:
                        message = f"{type(error).__name__}: {error}"[:2000]
                        gb.record_intake(spec.id, task.key, status="error")
                        summary.failed[task.key] = message
                        line, failed = f"{task.key}: grader error: {message}", True
                    progress.advance(line, failed=failed, running=pool.running())
        finally:
            pool.close()
        _mark_shared_failure(summary, runs, gb, reports, accept_failures)
        counted = {e.key for e in plan.counted}
        summary.blocked = blocked_by_module(
            r for r in gb.latest_all(spec.id) if r["submission"] in counted
        )
    if summary.blocked:
        summary.still_undeclared = still_undeclared(summary.blocked, declared_for(spec, profile))
    summary.seconds = time.monotonic() - started
    out = reports / spec.id / "batch-summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _mark_shared_failure(
    summary: BatchSummary,
    runs: dict[str, tuple[str, str]],
    gb: Gradebook,
    reports: Path,
    accept: bool,
) -> None:
    """Runs that (nearly) all failed the same way: `grader-problem`, not the students' grade."""
    summary.shared, summary.accepted_failures = shared_failure(runs), accept
    if summary.shared is None or accept:
        return
    for key in summary.shared.keys:
        gb.record_intake(summary.assignment, key, status=GRADER_PROBLEM)
        summary.graded.remove(key)
        summary.grader_problem.append(key)
        (reports / summary.assignment / f"{key}.pdf").unlink(missing_ok=True)


def _same_penalty(gb: Gradebook, assignment: str, key: str, percent: float) -> bool:
    """A penalty changed by new upload times (`--times`, `--trust-file-times`) means a regrade."""
    stored = gb.latest(assignment, key).get("late_penalty_percent") or 0.0
    return abs(float(stored) - percent) < 1e-9


def _intake_fields(e: Entry) -> dict[str, Any]:
    return {
        "origin": e.found.origin,
        "source": str(e.found.path),
        "students": [{"name": s.name, "number": s.number} for s in e.students],
        "identified": e.identified,
        "content_hash": e.content_hash,
        "submitted_at": e.found.submitted_at,
        "flags": [{"message_fa": fa, "message_en": en} for fa, en in e.flags],
    }
