"""One submission through the flow: intake -> execute -> check -> score.

`grade_submission` never raises for a student's fault: a broken notebook, a missing file or a
crashing check becomes a value (an outcome and messages) so that a batch always goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import tempfile
import traceback
from pathlib import Path
from typing import Any

import graders
from graders.answers.sources import gather_answers
from graders.checks.registry import get_check
from graders.checks.result import CheckResult, Status
from graders.errors import SubmissionError
from graders.execute.runner import execute_notebook, notebook_hygiene
from graders.facts import Facts, RunFacts
from graders.golden import Golden
from graders.intake import Submission, intake
from graders.saved.load import notebook_facts
from graders.saved.mode import effective_mode, run_saved, saved_problems
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore
from graders.spec.models import AssignmentSpec


def spec_hash(spec: AssignmentSpec) -> str:
    return hashlib.sha256(
        json.dumps(spec.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()[:16]


def signature(
    spec: AssignmentSpec, golden: Golden, submission: Submission | None, profile: str
) -> dict[str, Any]:
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:  # pragma: no cover - torch is a dependency
        torch_version = "none"
    return {
        "dlgrade": graders.__version__,
        "spec": spec_hash(spec),
        "golden": golden.digest,
        "submission": submission.content_hash if submission else "none",
        "profile": profile,
        "torch": torch_version,
        "python": platform.python_version(),
    }


def with_run_context(result: CheckResult, facts: Facts) -> CheckResult:
    """A failed practical check on a notebook that did not run cleanly says why it may have failed."""
    if (
        result.score >= 1
        or facts.run is None
        or facts.run.outcome == "ok"
        or result.status == Status.ERROR
    ):
        return result
    fa, en = facts.run_message()
    return dataclasses.replace(
        result, message_fa=f"{result.message_fa} ({fa})", message_en=f"{result.message_en} ({en})"
    )


def run_checks(
    spec: AssignmentSpec, facts: Facts, golden: Golden, mode: str | None = None
) -> tuple[QuestionScore, ...]:
    questions = []
    for q in spec.questions:
        saved_mode = effective_mode(q.grading, mode) == "saved"
        parts = []
        for p in q.parts:
            outcomes = []
            for c in p.checks:
                registered = get_check(c.check)
                try:
                    if saved_mode:
                        result = run_saved(c.check, c.params, facts, golden, q.grading)
                    else:
                        result = registered.run(facts, golden, c.params)
                    if registered.needs_execution and not saved_mode:
                        result = with_run_context(result, facts)
                except Exception as exc:  # a bug in a check must not lose the batch
                    result = CheckResult.missing(
                        "خطای داخلی در اجرای این بررسی؛ دستیار آموزشی بررسی می‌کند.",
                        f"internal error in check {c.check}: {exc!r}",
                        traceback=traceback.format_exc(limit=3),
                    )
                outcomes.append(
                    CheckOutcome(c.id, c.check, c.weight, c.hidden, c.title_fa, c.title_en, result)
                )
            parts.append(PartScore(p.id, p.title_fa, p.title_en, p.points, tuple(outcomes)))
        questions.append(
            QuestionScore(q.id, q.title_fa, q.title_en, q.kind, q.bonus, q.cap, tuple(parts))
        )
    return tuple(questions)


def grade_submission(
    spec: AssignmentSpec,
    path: Path,
    golden: Golden,
    *,
    artifacts: Path | None = None,
    profile: str = "smoke",
    sandbox: bool = True,
    device: str = "cpu",
    mode: str | None = None,
) -> GradeResult:
    """`mode`: None (each question's spec), `execute`, `saved` (no kernel) or `audit` (execute)."""
    with tempfile.TemporaryDirectory(prefix="dlgrade-intake-") as scratch:
        try:
            sub = intake(path, spec, Path(scratch))
        except SubmissionError as exc:
            facts = Facts()
            return GradeResult(
                spec.id,
                path.name,
                ({"name": path.name, "number": ""},),
                "invalid-submission",
                run_checks(spec, facts, golden),
                problems=((exc.message_fa, exc.message_en),),
                signature=signature(spec, golden, None, profile),
                run_message=exc.message_en,
            )
        run: RunFacts | None = None
        probe = None
        hygiene = None
        read = notebook_facts(sub.notebook) if sub.notebook is not None else None
        saved, static = read if read else (None, None)
        kernel = any(effective_mode(q.grading, mode) == "execute" for q in spec.questions
                     if q.kind == "practical")
        notes = saved_problems(saved) if not kernel else ()
        if sub.notebook is not None and spec.notebook is not None and kernel:
            hygiene = notebook_hygiene(sub.notebook)
            executed = execute_notebook(
                sub.notebook,
                limits=spec.limits,
                variables=spec.notebook.probe_variables,
                probes=spec.notebook.probes,
                keep_dir=artifacts,
                sandbox=sandbox,
                device=device,
                data=spec.data,
            )
            run, probe = executed.run, executed.probe
        # theory answers: answer sheet > notebook Markdown cells > report PDF text
        answers = gather_answers(sub.folder, sub.answers, notebook=sub.notebook)
        facts = Facts(
            answers=answers, probe=probe, run=run, hygiene=hygiene, saved=saved, static=static
        )
        outcome = run.outcome if run else ("no-notebook" if spec.notebook else "ok")
        if mode == "audit":
            from graders.audit import audit_problems

            notes = (*notes, *audit_problems(facts))
        if run is None and saved is not None:
            outcome = "ok"  # graded from its saved outputs: the student's own run
            notes = (*notes, ("از خروجی‌های ذخیره‌شده نمره داده شد (بدون اجرای دوباره).",
                              "graded from the saved outputs (not re-run)."))
        return GradeResult(
            spec.id,
            sub.key,
            tuple({"name": s.name, "number": s.number} for s in sub.students),
            outcome,
            run_checks(spec, facts, golden, mode),
            problems=(*sub.problems, *notes),
            signature={**signature(spec, golden, sub, profile), "mode": mode or "spec"},
            run_message=facts.run_message()[1] if run and run.outcome != "ok" else "",
        )
