"""One submission's self-check: the spec and golden values loaded once, the notebook run once.

Every pytest item of the submission asks `SelfCheck.evaluate` for its check; the first one
that needs facts from the notebook runs it (outside the sandbox: this is the student's own
machine), and all of them read the same facts afterwards.
"""

from __future__ import annotations

import inspect
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.answers.sheet import read_answer_sheet
from graders.answers.sources import gather_answers, read_markdown_sheet
from graders.checks.registry import get_check
from graders.checks.result import CheckResult
from graders.errors import GoldenMissingError
from graders.execute.runner import ExecutionResult, execute_notebook, notebook_hygiene
from graders.facts import Facts, Hygiene
from graders.golden import Golden, load_golden
from graders.hidden import read_summary
from graders.intake import Submission, intake
from graders.pipeline import with_run_context
from graders.scoring import check_max
from graders.selfcheck.target import Target
from graders.spec import find_assignment, load_spec
from graders.spec.models import AssignmentSpec, CheckSpec, PartSpec, QuestionSpec

NEEDS_RUN = (
    "این بررسی به اجرای نوت‌بوک نیاز دارد (‎--no-execute): خروجی‌های ذخیره‌شده فقط تصویر (PNG) و متن چاپ‌شده‌اند، نه داده‌های نمودارها و مدل‌هایی که این بررسی می‌خواند",
    "needs the notebook to run (--no-execute): saved outputs keep only pictures (PNG) and printed text, not the plotted data or the models this check reads",
)


def saved_errors(notebook: Path) -> list[tuple[int, str]]:
    """(code cell number, exception name) of the errors saved in the notebook's outputs."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return []
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [
        (i, str(o.get("ename", "error"))[:100])
        for i, c in enumerate(code, 1)
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


@dataclass(frozen=True)
class Verdict:
    """A check's result, or why it was skipped (Persian, English)."""

    result: CheckResult | None = None
    skipped: tuple[str, str] | None = None


@dataclass(frozen=True)
class HiddenShare:
    checks: int = 0
    weight: float = 0.0


def _execute(submission: Submission, spec: AssignmentSpec) -> tuple[ExecutionResult, float]:
    """Run the notebook once, without the sandbox when the runner offers one."""
    kwargs = {}
    if "sandbox" in inspect.signature(execute_notebook).parameters:
        kwargs["sandbox"] = False
    started = time.monotonic()
    executed = execute_notebook(
        submission.notebook,
        limits=spec.limits,
        variables=spec.notebook.probe_variables,
        probes=spec.notebook.probes,
        **kwargs,
    )
    return executed, time.monotonic() - started


class SelfCheck:
    """The public checks of one submission; raises `DlgradeError`s a student can act on."""

    def __init__(self, target: Target, scratch: Path) -> None:
        self.target = target
        spec_path = find_assignment(target.assignment)
        self.spec = load_spec(spec_path)
        try:
            self.golden = load_golden(self.spec.id)
        except GoldenMissingError:
            self.golden = Golden.empty()
        self.hidden = self._hidden_shares(spec_path.parent)
        self.submission = intake(target.submission, self.spec, scratch)
        sheet = dict(self.submission.answers)
        if target.answers is not None:
            if target.answers.suffix.lower() == ".md":
                sheet = read_markdown_sheet(target.answers)
            else:
                sheet, _ = read_answer_sheet(target.answers)
        # as the TA's grading does: the sheet, then the notebook's Markdown cells, then a PDF
        self.answers = gather_answers(
            self.submission.folder, sheet, notebook=self.submission.notebook
        )
        self.problems = list(self.submission.problems)
        self.results: dict[tuple[str, str, str], Verdict] = {}
        self.run_seconds: float | None = None
        self.hygiene: Hygiene | None = None
        self._facts: Facts | None = None

    def _hidden_shares(self, folder: Path) -> dict[tuple[str, str], HiddenShare]:
        """Hidden checks per part: in the spec (a TA's checkout) or the shipped summary."""
        shares: dict[tuple[str, str], HiddenShare] = {}
        entries = [(q.id, p.id, 1, c.weight) for q, p, c in self.spec.iter_checks() if c.hidden]
        for qid, parts in read_summary(folder).items():
            entries += [
                (qid, pid, int(e["checks"]), float(e["weight"])) for pid, e in parts.items()
            ]
        for qid, pid, n, w in entries:
            old = shares.get((qid, pid), HiddenShare())
            shares[(qid, pid)] = HiddenShare(old.checks + n, old.weight + w)
        return shares

    def public_checks(self) -> list[tuple[QuestionSpec, PartSpec, CheckSpec]]:
        return [(q, p, c) for q, p, c in self.spec.iter_checks() if not c.hidden]

    @property
    def executes(self) -> bool:
        return (
            self.target.execute
            and self.submission.notebook is not None
            and self.spec.notebook is not None
        )

    @property
    def ready_facts(self) -> Facts | None:
        """The facts if some check already needed them (never runs the notebook)."""
        return self._facts

    def facts(self, *, run: bool = True) -> Facts:
        """The facts of this submission; the notebook runs once, for the first check needing it.

        With `run=False` (checks that read only the answer sheet), a notebook not yet run stays
        so: selecting theory checks alone (`-k Q1`) does not execute it.
        """
        if self._facts is not None:
            return self._facts
        sub = self.submission
        if self.hygiene is None and sub.notebook is not None:
            self.hygiene = notebook_hygiene(sub.notebook)
        if not (run and self.executes):
            static = Facts(answers=self.answers, hygiene=self.hygiene)
            if self.executes:
                return static
            self._facts = static
            return static
        executed, self.run_seconds = _execute(sub, self.spec)
        self._facts = Facts(
            answers=self.answers, probe=executed.probe, run=executed.run, hygiene=self.hygiene
        )
        return self._facts

    def evaluate(self, q: QuestionSpec, p: PartSpec, c: CheckSpec) -> Verdict:
        key = (q.id, p.id, c.id)
        if key not in self.results:
            self.results[key] = self._evaluate(c)
        return self.results[key]

    def _evaluate(self, c: CheckSpec) -> Verdict:
        registered = get_check(c.check)
        if registered.needs_execution and not self.target.execute:
            return Verdict(skipped=NEEDS_RUN)
        facts = self.facts(run=registered.needs_execution)
        try:
            result = registered.run(facts, self.golden, c.params)
            if registered.needs_execution:
                result = with_run_context(result, facts)
        except Exception as exc:  # a bug in a check: say so, go on with the others
            result = CheckResult.missing(
                "خطای داخلی در اجرای این بررسی؛ به دستیار آموزشی خبر دهید.",
                f"internal error in check {c.check}: {exc!r}",
                traceback=traceback.format_exc(limit=3),
            )
        return Verdict(result=result)

    def share(self, q: QuestionSpec, p: PartSpec) -> tuple[float, float]:
        """(public weight, all weight) of a part: its public checks' share of its points."""
        public = sum(c.weight for c in p.checks if not c.hidden)
        return public, public + self.hidden.get((q.id, p.id), HiddenShare()).weight

    def check_points(self, q: QuestionSpec, p: PartSpec, c: CheckSpec) -> float:
        _, total = self.share(q, p)
        return check_max(p.points, c.weight, total)
