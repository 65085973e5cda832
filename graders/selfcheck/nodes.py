"""The pytest nodes of a self-check: submission -> assignment -> question -> part -> check.

A check's node id ends in `hw5-rnn::Q6::B::log-scale`; a failure prints the check's Persian
and English messages and the expected/found values (`CheckItem.repr_failure`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graders.checks.result import CheckResult, Status
from graders.errors import DlgradeError
from graders.selfcheck.grading import SelfCheck
from graders.selfcheck.target import Target, from_config

SELFCHECKS = pytest.StashKey[list[SelfCheck]]()
SCRATCH = pytest.StashKey[tempfile.TemporaryDirectory]()

STATUS_FA = {
    Status.FAIL: "نادرست",
    Status.PARTIAL: "بخشی درست",
    Status.ERROR: "بررسی نشد (داده‌ای که لازم داشت نبود)",
}
EVIDENCE_SKIPPED = {"figure", "traceback"}


class CheckFailed(AssertionError):
    """A public check did not pass; its text is the failure report."""


def _scratch(config: pytest.Config) -> Path:
    if SCRATCH not in config.stash:
        config.stash[SCRATCH] = tempfile.TemporaryDirectory(prefix="dlgrade-selfcheck-")
    return Path(config.stash[SCRATCH].name)


class _Submission:
    """Mixed into a pytest File (notebook, zip, dlgrade.toml) or Directory (a folder)."""

    def __init__(self, *, target: Target | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target

    def _target(self) -> Target:
        if self.target is not None:
            return self.target
        option = self.config.getoption
        return from_config(
            self.path,
            assignment=option("assignment"),
            answers=Path(option("answers")).resolve() if option("answers") else None,
            execute=not option("no_execute"),
        )

    def collect(self) -> Iterator[pytest.Collector]:
        sc = SelfCheck(self._target(), _scratch(self.config))
        self.config.stash.setdefault(SELFCHECKS, []).append(sc)
        yield AssignmentNode.from_parent(self, name=sc.spec.id, selfcheck=sc)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, DlgradeError):
            return excinfo.value.bilingual()
        return super().repr_failure(excinfo, style)


class SubmissionFile(_Submission, pytest.File):
    pass


class SubmissionDir(_Submission, pytest.Directory):
    pass


class AssignmentNode(pytest.Collector):
    def __init__(self, *, selfcheck: SelfCheck, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.selfcheck = selfcheck

    def collect(self) -> Iterator[pytest.Collector]:
        seen = []
        for q, _, _ in self.selfcheck.public_checks():
            if q.id not in seen:
                seen.append(q.id)
                yield QuestionNode.from_parent(self, name=q.id, selfcheck=self.selfcheck)


class QuestionNode(AssignmentNode):
    def collect(self) -> Iterator[pytest.Collector]:
        seen = []
        for q, p, _ in self.selfcheck.public_checks():
            if q.id == self.name and p.id not in seen:
                seen.append(p.id)
                yield PartNode.from_parent(self, name=p.id, selfcheck=self.selfcheck)


class PartNode(AssignmentNode):
    def collect(self) -> Iterator[pytest.Item]:
        for q, p, c in self.selfcheck.public_checks():
            if q.id == self.parent.name and p.id == self.name:
                yield CheckItem.from_parent(self, name=c.id, selfcheck=self.selfcheck, at=(q, p, c))


class CheckItem(pytest.Item):
    def __init__(self, *, selfcheck: SelfCheck, at: tuple, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.selfcheck = selfcheck
        self.question, self.part, self.check = at
        self.check_id = f"{selfcheck.spec.id}::{self.question.id}::{self.part.id}::{self.check.id}"

    def runtest(self) -> None:
        verdict = self.selfcheck.evaluate(self.question, self.part, self.check)
        if verdict.skipped is not None:
            fa, en = verdict.skipped
            pytest.skip(f"{en} / {fa}")
        result = verdict.result or CheckResult.missing("بدون نتیجه", "no result")
        if result.status == Status.REVIEW:
            pytest.skip(
                f"left to the TA: {result.message_en} / دستیار آموزشی بررسی می‌کند: {result.message_fa}"
            )
        if result.status != Status.PASS:
            raise CheckFailed(self.failure_text(result))

    def failure_text(self, result: CheckResult) -> str:
        q, p, c = self.question, self.part, self.check
        points = self.selfcheck.check_points(q, p, c)
        titles = " / ".join(t for t in (c.title_en, c.title_fa) if t)
        lines = [
            self.check_id + (f": {titles}" if titles else ""),
            f"part {q.id}.{p.id}: {p.title_en} / {p.title_fa}",
            f"result: {result.status} ({result.score:.0%} of {points:.2f} public points)"
            f" / نتیجه: {STATUS_FA.get(result.status, str(result.status))}",
            f"  FA: {result.message_fa}",
            f"  EN: {result.message_en}",
        ]
        labels = {"expected": "expected / مورد انتظار", "found": "found / یافت‌شده"}
        evidence = {
            k: _short(v)
            for k, v in result.evidence.items()
            if k not in EVIDENCE_SKIPPED and not (isinstance(v, str) and v in result.message_en)
        }
        for key in [k for k in labels if k in evidence] + [k for k in evidence if k not in labels]:
            lines.append(f"  {labels.get(key, key)}: {evidence[key]}")
        return "\n".join(lines)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.check_id


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
