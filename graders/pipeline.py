"""One submission through the flow: intake -> execute -> check -> score.

`grade_submission` never raises for a student's fault: a broken notebook, a missing file or a
crashing check becomes a value (an outcome and messages) so that a batch always goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import tempfile
import traceback
from pathlib import Path
from typing import Any

import graders
from graders.answers.sources import gather_answers
from graders.binding import bind_notebooks, notebooks_in
from graders.checks.registry import get_check
from graders.checks.result import CheckResult, Status
from graders.environment.build import KernelEnv, env_for, require
from graders.environment.missing import hold_checks
from graders.errors import SubmissionError
from graders.execute.runner import execute_notebook, notebook_hygiene
from graders.facts import Facts, RunFacts
from graders.golden import Golden
from graders.intake import Submission, intake
from graders.paths import project_root
from graders.saved.load import notebook_facts
from graders.saved.mode import effective_mode, run_saved, saved_problems
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore
from graders.spec.models import AssignmentSpec


def spec_hash(spec: AssignmentSpec) -> str:
    return hashlib.sha256(
        json.dumps(spec.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()[:16]


def environment_signature(env: KernelEnv, missing: list[str] | tuple[str, ...] = ()) -> dict:
    """The kernel environment a result was graded in: its key, each declared package's
    installed version (empty when not built) and the modules it lacked."""
    return {
        "key": env.key,
        "declared": [str(r) for r in env.requirements],
        "packages": env.installed(),
        "missing": list(missing),
    }


def signature(
    spec: AssignmentSpec,
    golden: Golden,
    submission: Submission | None,
    profile: str,
    missing: list[str] | tuple[str, ...] = (),
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
        "golden_profile": golden.profile,
        "submission": submission.content_hash if submission else "none",
        "profile": profile,
        "torch": torch_version,
        "python": platform.python_version(),
        "environment": environment_signature(env_for(spec, profile), missing),
    }


def data_root(spec: AssignmentSpec) -> str | None:
    """The assignment's declared data folder on the grader's side (its ground truth lives there)."""
    if not spec.data.data_dir:
        return None
    path = Path(os.path.expandvars(os.path.expanduser(spec.data.data_dir)))
    path = path if path.is_absolute() else project_root() / path
    return str(path) if path.is_dir() else None


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
    spec: AssignmentSpec,
    facts: Facts,
    golden: Golden,
    per_question: dict[str, Facts] | None = None,
    notebooks: dict[str, str] | None = None,
    mode: str | None = None,
) -> tuple[QuestionScore, ...]:
    """Every check of the spec; a question bound to a notebook sees that notebook's facts; a
    question graded in `saved` mode is judged from saved outputs and static facts only."""
    questions = []
    for q in spec.questions:
        q_facts = (per_question or {}).get(q.id, facts)
        saved_mode = effective_mode(q.grading, mode) == "saved"
        parts = []
        for p in q.parts:
            outcomes = []
            for c in p.checks:
                registered = get_check(c.check)
                try:
                    if saved_mode:
                        result = run_saved(c.check, c.params, q_facts, golden, q.grading)
                    else:
                        result = registered.run(q_facts, golden, c.params)
                    if registered.needs_execution and not saved_mode:
                        held = hold_checks(result, q_facts.run)  # environment-missing
                        result = held if held is not result else with_run_context(result, q_facts)
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
            QuestionScore(
                q.id,
                q.title_fa,
                q.title_en,
                q.kind,
                q.bonus,
                q.cap,
                tuple(parts),
                (notebooks or {}).get(q.id, ""),
            )
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
            facts = Facts(data_root=data_root(spec))
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
        if spec.notebook is not None and spec.notebook.bind:
            return grade_bound(
                spec,
                sub,
                golden,
                artifacts=artifacts,
                profile=profile,
                sandbox=sandbox,
                device=device,
                mode=mode,
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
            kernel_env = require(env_for(spec, profile), spec.id, profile)
            executed = execute_notebook(
                sub.notebook,
                limits=spec.limits_for(device),
                variables=spec.notebook.probe_variables,
                probes=spec.notebook.probes,
                keep_dir=artifacts,
                sandbox=sandbox,
                device=device,
                data=spec.data,
                kernel=kernel_env,
            )
            run, probe = executed.run, executed.probe
        # theory answers: answer sheet > notebook Markdown cells > report PDF text
        answers = gather_answers(sub.folder, sub.answers, notebook=sub.notebook)
        facts = Facts(
            answers=answers,
            probe=probe,
            run=run,
            hygiene=hygiene,
            data_root=data_root(spec),
            saved=saved,
            static=static,
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
            run_checks(spec, facts, golden, mode=mode),
            problems=(*sub.problems, *notes),
            signature={
                **signature(spec, golden, sub, profile, run.missing_modules if run else ()),
                "mode": mode or "spec",
            },
            run_message=facts.run_message()[1] if run and run.outcome != "ok" else "",
        )


def grade_bound(
    spec: AssignmentSpec,
    sub: Submission,
    golden: Golden,
    *,
    artifacts: Path | None,
    profile: str,
    sandbox: bool,
    device: str,
    mode: str | None = None,
) -> GradeResult:
    """Several notebooks per submission: each bound notebook runs once in its own sandboxed
    kernel with the probes its bindings need (or, where all its questions are graded in `saved`
    mode, not at all); each question's checks see its own notebook's facts."""
    assert spec.notebook is not None
    bound = bind_notebooks(spec, notebooks_in(sub.folder, spec.notebook.glob))
    by_id = {q.id: q for q in spec.questions}
    root = data_root(spec)
    of_notebook: dict[Path, Facts] = {}  # what each notebook gives, before the theory answers
    notes: list[tuple[str, str]] = []
    for path in dict.fromkeys(b.notebook for b in bound if b.notebook is not None):
        wanted: set[str] = set()
        questions: list[str] = []
        for b in bound:
            if b.notebook == path:
                questions += b.binding.questions
                wanted |= set(
                    spec.notebook.probes if b.binding.probes is None else b.binding.probes
                )
        saved, static = notebook_facts(path) or (None, None)
        kernel = any(
            effective_mode(by_id[q].grading, mode) == "execute"
            for q in questions
            if q in by_id and by_id[q].kind == "practical"
        )
        if not kernel:
            of_notebook[path] = Facts(data_root=root, saved=saved, static=static)
            notes += saved_problems(saved)
            continue
        executed = execute_notebook(
            path,
            kernel=require(env_for(spec, profile), spec.id, profile),
            limits=spec.limits_for(device),
            variables=spec.notebook.probe_variables,
            probes={k: v for k, v in spec.notebook.probes.items() if k in wanted},
            keep_dir=artifacts / path.stem if artifacts else None,
            sandbox=sandbox,
            device=device,
            data=spec.data,
        )
        of_notebook[path] = Facts(
            run=executed.run,
            probe=executed.probe,
            hygiene=notebook_hygiene(path),
            data_root=root,
            saved=saved,
            static=static,
        )
    answers: dict[str, str] = {}
    for path in of_notebook or [None]:  # theory answers: the sheet, each notebook's Markdown, the PDF
        for slot, text in gather_answers(sub.folder, sub.answers, notebook=path).items():
            answers.setdefault(slot, text)
    per_question: dict[str, Facts] = {}
    names: dict[str, str] = {}
    problems = [p for p in sub.problems if not p[1].startswith("several notebooks found")]
    for b in bound:
        if b.notebook is None:
            problems.append(
                (
                    f"نوت‌بوک پرسش‌های {'، '.join(b.binding.questions)} پیدا نشد (نام مانند {b.binding.pattern}).",
                    f"no notebook for {', '.join(b.binding.questions)} (a name like {b.binding.pattern}).",
                )
            )
            continue
        name = b.notebook.relative_to(sub.folder).as_posix()
        facts = of_notebook[b.notebook].model_copy(update={"answers": answers})
        if mode == "audit" and facts.run is not None:
            from graders.audit import audit_problems

            notes += audit_problems(facts)
        for q in b.binding.questions:
            per_question[q] = facts
            names[q] = name
    ran = [f.run for f in of_notebook.values() if f.run is not None]
    # a notebook held for the environment holds the submission, whatever the others did
    held = [r for r in ran if r.outcome == "environment-missing"]
    bad = held[0] if held else next((r for r in ran if r.outcome != "ok"), None)
    from_saved = any(f.run is None for f in of_notebook.values())
    outcome = bad.outcome if bad else ("ok" if ran or from_saved else "no-notebook")
    if from_saved:
        notes.append(
            (
                "از خروجی‌های ذخیره‌شده نمره داده شد (بدون اجرای دوباره).",
                "graded from the saved outputs (not re-run).",
            )
        )
    default = Facts(answers=answers, data_root=root)
    missing = list(dict.fromkeys(m for r in ran for m in r.missing_modules))
    return GradeResult(
        spec.id,
        sub.key,
        tuple({"name": s.name, "number": s.number} for s in sub.students),
        outcome,
        run_checks(spec, default, golden, per_question, names, mode=mode),
        problems=(*problems, *dict.fromkeys(notes)),
        signature={**signature(spec, golden, sub, profile, missing), "mode": mode or "spec"},
        run_message=bad.message[:500] if bad else "",
    )
