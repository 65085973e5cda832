"""Pydantic models of an assignment spec (`assignments/<id>/assignment.yaml`).

An assignment has questions, a question has parts worth points, a part has checks; each
check names a registered check function and its parameters. Scores are never stored here.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graders.environment.declared import EnvironmentSpec
from graders.saved.mode import GradingSpec

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckSpec(_Strict):
    """One check: `check` names a function in the check registry, `params` its arguments."""

    id: str = Field(pattern=_ID)
    check: str
    weight: float = Field(default=1.0, gt=0)
    hidden: bool = False
    title_fa: str = ""
    title_en: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class PartSpec(_Strict):
    id: str = Field(pattern=_ID)
    title_fa: str
    title_en: str
    points: float = Field(ge=0)
    checks: list[CheckSpec] = Field(default_factory=list)


class QuestionSpec(_Strict):
    id: str = Field(pattern=_ID)
    title_fa: str
    title_en: str
    kind: Literal["theory", "practical"]
    bonus: bool = False
    cap: float | None = Field(default=None, ge=0)
    grading: GradingSpec = GradingSpec()  # execute | saved, and the worth of self-reported results
    parts: list[PartSpec] = Field(min_length=1)

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)


class LatePolicy(_Strict):
    """Penalty in percent per late day after `free_days`; zero after `zero_after_days`.

    `deadline` (optional, overrides the assignment's) may be Jalali (`1404/10/08 23:59`) or
    Gregorian (`2025-12-29T23:59`); a time without a zone is local time in `timezone`.
    A day late is any started 24 hours after the deadline (one minute late is day one).
    """

    free_days: int = Field(default=0, ge=0)
    daily_penalty_percent: list[float] = Field(default_factory=list)
    zero_after_days: int | None = Field(default=None, ge=0)
    deadline: str | dt.datetime | None = None
    timezone: str = "Asia/Tehran"

    @field_validator("deadline")
    @classmethod
    def _parsable(cls, value: str | dt.datetime | None) -> str | dt.datetime | None:
        if value is not None:
            from graders.dates import parse_datetime

            parse_datetime(value)
        return value

    def deadline_at(self, fallback: dt.datetime | None = None) -> dt.datetime | None:
        """The deadline as an aware datetime (this policy's, else `fallback`)."""
        from graders.dates import parse_datetime

        value = self.deadline if self.deadline is not None else fallback
        return None if value is None else parse_datetime(value, self.timezone)

    @staticmethod
    def days_late(submitted: dt.datetime, deadline: dt.datetime) -> int:
        seconds = (submitted - deadline).total_seconds()
        return 0 if seconds <= 0 else math.ceil(seconds / 86400)

    def penalty_for(
        self, submitted: dt.datetime | None, fallback_deadline: dt.datetime | None = None
    ) -> tuple[int, float]:
        """(days late, penalty percent) of a submission handed in at `submitted`."""
        deadline = self.deadline_at(fallback_deadline)
        if submitted is None or deadline is None:
            return 0, 0.0
        days = self.days_late(submitted, deadline)
        return days, self.penalty_percent(days)

    def penalty_percent(self, days_late: int) -> float:
        if days_late <= self.free_days:
            return 0.0
        if self.zero_after_days is not None and days_late > self.zero_after_days:
            return 100.0
        index = days_late - self.free_days - 1
        if not self.daily_penalty_percent:
            return 0.0
        return self.daily_penalty_percent[min(index, len(self.daily_penalty_percent) - 1)]


class Limits(_Strict):
    """Execution limits of one notebook run (enforced by the sandbox and its watchdog).

    Memory is the RSS of the whole process tree (worker, kernel and their children), so a
    CUDA process with a huge address space is not penalised. `disk_mb` bounds what the run
    writes into its folder, `max_file_mb` any one file (RLIMIT_FSIZE: the write fails),
    `tmp_mb` the private /tmp and /dev/shm (RAM-backed tmpfs; `shm_mb`, when set, sizes
    /dev/shm alone: DataLoader workers pass batches through it), `max_processes` the
    process tree (the watchdog's count; RLIMIT_NPROC backs it up inside the sandbox).
    """

    cell_timeout_s: float = Field(default=300, gt=0)
    total_timeout_s: float = Field(default=1800, gt=0)
    memory_mb: int = Field(default=4096, gt=0)
    output_bytes_per_cell: int = Field(default=2_000_000, gt=0)
    output_bytes_total: int = Field(default=20_000_000, gt=0)
    disk_mb: int = Field(default=2048, gt=0)
    max_file_mb: int = Field(default=1024, gt=0)
    tmp_mb: int = Field(default=512, gt=0)
    shm_mb: int | None = Field(default=None, gt=0)
    max_processes: int = Field(default=64, gt=1)


# `--device cuda` runs at least this big (a 2B model's host pages, DataLoader workers), before
# the assignment's own `limits_cuda`.
CUDA_FLOOR = {"memory_mb": 16384, "shm_mb": 2048}


class DataMounts(_Strict):
    """Read-only data a notebook may legitimately need, mounted inside the sandbox.

    `data_dir` (absolute, `~`-relative, or relative to the project root; `$VARS` expanded) is
    mounted at `<submission>/<data_mount_at>` and at `/data`. `hf_cache` and `torch_hub`
    mount the grading machine's Hugging Face / torch hub caches (offline mode is always set).
    Missing host folders are skipped: the notebook then fails with the library's own message.
    """

    data_dir: str | None = None
    data_mount_at: str = Field(default="data", pattern=r"^[A-Za-z0-9_.\-]+$")
    hf_cache: bool = False
    torch_hub: bool = False


class NotebookBinding(_Strict):
    """Which notebook answers which questions (see graders/binding.py)."""

    id: str = Field(pattern=_ID)
    pattern: str  # a file-name glob, case-insensitive: "*[Qq]1*.ipynb"
    questions: list[str] = Field(min_length=1)
    content: list[str] = Field(default_factory=list)  # fallback: words its code mentions
    probes: list[str] | None = None  # the extra probes its run needs (None: all of them)


class NotebookSpec(_Strict):
    glob: str = "*.ipynb"
    probe_variables: list[str] = Field(default_factory=list)
    probes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    bind: list[NotebookBinding] = Field(default_factory=list)  # several notebooks per submission

    @field_validator("probes")
    @classmethod
    def _known_probes(cls, probes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        from graders.probes import available

        unknown = sorted(set(probes) - set(available()))
        if unknown:
            raise ValueError(f"unknown probe(s) {unknown}; available: {available()}")
        return probes


class AssignmentSpec(_Strict):
    id: str = Field(pattern=_ID)
    title_fa: str
    title_en: str
    course_fa: str
    course_en: str
    deadline: dt.datetime | None = None
    late_policy: LatePolicy = LatePolicy()
    limits: Limits = Limits()
    limits_cuda: Limits | None = None  # fields set here override `limits` under --device cuda
    data: DataMounts = DataMounts()
    notebook: NotebookSpec | None = None
    answer_sheet: str = "answers.yaml"
    environment: EnvironmentSpec | None = None  # packages its notebooks may import (+ default)
    questions: list[QuestionSpec] = Field(default_factory=list)

    def limits_for(self, device: str) -> Limits:
        """The limits of a run on `device`: `limits`; under cuda raised to `CUDA_FLOOR`, then
        the fields `limits_cuda` sets."""
        if device != "cuda":
            return self.limits
        values = self.limits.model_dump()
        for key, floor in CUDA_FLOOR.items():
            values[key] = max(values[key] or 0, floor)
        if self.limits_cuda is not None:
            values.update(self.limits_cuda.model_dump(exclude_unset=True))
        return Limits(**values)

    @field_validator("questions", mode="before")
    @classmethod
    def _none_is_empty(cls, questions: Any) -> Any:
        return [] if questions is None else questions

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, questions: list[QuestionSpec]) -> list[QuestionSpec]:
        seen: set[str] = set()
        for q in questions:
            if q.id in seen:
                raise ValueError(f"duplicate question id {q.id!r}")
            seen.add(q.id)
            part_ids = [p.id for p in q.parts]
            if len(part_ids) != len(set(part_ids)):
                raise ValueError(f"duplicate part id in question {q.id!r}")
        return questions

    @model_validator(mode="after")
    def _bindings_name_questions(self) -> AssignmentSpec:
        if self.notebook is not None:
            known = {q.id for q in self.questions}
            for b in self.notebook.bind:
                unknown = sorted(set(b.questions) - known)
                if unknown:
                    raise ValueError(f"notebook binding {b.id!r} names unknown questions {unknown}")
                extra = sorted(set(b.probes or []) - set(self.notebook.probes))
                if extra:
                    raise ValueError(
                        f"notebook binding {b.id!r} names probes not declared: {extra}"
                    )
        return self

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions if not q.bonus)

    def iter_checks(self) -> list[tuple[QuestionSpec, PartSpec, CheckSpec]]:
        return [(q, p, c) for q in self.questions for p in q.parts for c in p.checks]
