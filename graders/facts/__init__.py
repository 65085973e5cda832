"""Facts: what the grader knows about one submission, validated before any check sees it.

Everything under `probe` and `run` comes out of the sandbox and is untrusted data: it is
parsed with size limits (lists and strings are capped) and never unpickled or executed.

One module per probe holds that probe's output contract beside this core (`probe` variables,
`run`, saved outputs): `peft.py` (graders/probes/probe_peft.py), `captioning.py`
(probe_captioning.py), `predictions.py` (probe_predictions.py). Every model derives from
`Untrusted`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from graders.saved.models import SavedFacts, StaticFacts

Short = Annotated[str, StringConstraints(max_length=500)]
MAX_POINTS = 5000


class Untrusted(BaseModel):
    """Base of every model of untrusted data (probe output, saved outputs): unknown keys are
    dropped, values frozen. Field limits belong on the subclasses."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def _floats(values: list[Any]) -> list[float]:
    out: list[float] = []
    for v in values[:MAX_POINTS]:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(math.nan)
    return out


class LineFact(Untrusted):
    label: Short = ""
    x: list[float] = Field(default_factory=list)
    y: list[float] = Field(default_factory=list)
    color: Short = ""  # "#rrggbb": groups told apart by colour, without a legend
    linestyle: Short = ""

    @field_validator("x", "y", mode="before")
    @classmethod
    def _clip(cls, v: Any) -> list[float]:
        return _floats(list(v)) if isinstance(v, list | tuple) else []


class AxesFact(Untrusted):
    title: Short = ""
    xlabel: Short = ""
    ylabel: Short = ""
    xscale: Short = "linear"
    yscale: Short = "linear"
    lines: list[LineFact] = Field(default_factory=list, max_length=200)
    legend: list[Short] = Field(default_factory=list, max_length=200)
    n_images: int = 0

    def text(self) -> str:
        return " ".join(
            [self.title, self.xlabel, self.ylabel, *self.legend, *(ln.label for ln in self.lines)]
        )


class FigureFact(Untrusted):
    key: Short
    source: Short = ""
    suptitle: Short = ""
    legend: list[Short] = Field(default_factory=list, max_length=200)  # fig.legend(...)
    axes: list[AxesFact] = Field(default_factory=list, max_length=50)


class SubmoduleFact(Untrusted):
    """One named submodule (`encoder`, `encoder.rnn`...) with its own parameter counts."""

    name: Short
    cls: Short
    n_params: int = 0
    n_trainable: int = 0


class ParamFact(Untrusted):
    name: Short
    shape: list[int] = Field(default_factory=list, max_length=16)
    requires_grad: bool = False


class ModuleFact(Untrusted):
    name: Short
    cls: Short
    n_params: int
    n_trainable: int
    claimed_n_params: int = -1  # what `parameters()` said, when it disagrees: patched
    submodules: dict[Short, int] = Field(default_factory=dict, max_length=200)
    children: list[SubmoduleFact] = Field(default_factory=list, max_length=300)
    params: list[ParamFact] = Field(default_factory=list, max_length=500)
    params_truncated: bool = False

    def trainable_names(self) -> list[str]:
        return [p.name for p in self.params if p.requires_grad]


class ProbeFacts(Untrusted):
    modules: list[ModuleFact] = Field(default_factory=list, max_length=200)
    figures: list[FigureFact] = Field(default_factory=list, max_length=200)
    variables: dict[Short, Any] = Field(default_factory=dict, max_length=100)
    extras: dict[Short, Any] = Field(default_factory=dict, max_length=50)


class CellError(Untrusted):
    cell_index: int
    code_cell: int = 0
    ename: Short = ""
    evalue: Annotated[str, StringConstraints(max_length=2000)] = ""
    traceback: Annotated[str, StringConstraints(max_length=20000)] = ""


Outcome = Literal[
    "ok",
    "cell-error",
    "timeout",
    "memory",
    "kernel-died",
    "output-limit",
    "sandbox-unavailable",
    "not-run",
    "invalid-notebook",
    "environment-missing",  # grader-set: an import the kernel environment cannot satisfy
]


class LimitHit(Untrusted):
    """A limit the run reached: which, its value, what was observed, in which code cell."""

    name: Literal[
        "cell-time", "total-time", "memory", "output-cell", "output-total", "disk", "processes"
    ]
    limit: float
    observed: float = 0.0
    code_cell: int | None = None


class RunFacts(Untrusted):
    outcome: Outcome
    message: Annotated[str, StringConstraints(max_length=5000)] = ""
    errors: list[CellError] = Field(default_factory=list, max_length=500)
    n_code_cells: int = 0
    n_cells_run: int = 0
    duration_s: float = 0.0
    limits_hit: list[LimitHit] = Field(default_factory=list, max_length=20)
    sandboxed: bool = False
    cuda: bool | None = None  # --device cuda: torch saw the GPU inside the sandbox (grader-set)
    # environment-missing (grader-set): top-level modules the kernel environment lacks
    missing_modules: list[Short] = Field(default_factory=list, max_length=50)


class Hygiene(Untrusted):
    """Facts about the notebook as handed in, before re-execution."""

    n_code_cells: int = 0
    n_executed: int = 0
    in_order: bool = True
    has_outputs: bool = False


class Facts(BaseModel):
    model_config = ConfigDict(frozen=True)

    answers: dict[str, str] = Field(default_factory=dict)
    probe: ProbeFacts | None = None
    run: RunFacts | None = None
    hygiene: Hygiene | None = None
    # trusted, set by the grader (not the notebook): the declared data folder on the grader's side
    data_root: str | None = None
    saved: SavedFacts | None = None  # source "saved": the notebook's own outputs (self-reported)
    static: StaticFacts | None = None  # source "static": read from the code with ast

    def run_message(self) -> tuple[str, str]:
        """Why facts from the notebook are missing, in Persian and English."""
        if self.run is None:
            return ("نوت‌بوکی برای اجرا پیدا نشد.", "no notebook was found to execute.")
        if self.run.outcome == "environment-missing":
            from graders.environment.missing import held_message

            return held_message(self.run.missing_modules)
        if self.run.errors:
            err = self.run.errors[0]
            return (
                f"اجرای نوت‌بوک در سلول کد شمارهٔ {err.code_cell} (سلول {err.cell_index + 1} نوت‌بوک) با خطای {err.ename} متوقف شد.",
                f"the notebook failed in code cell {err.code_cell} (cell {err.cell_index + 1} of the notebook) with {err.ename}: {err.evalue[:200]}",
            )
        return (
            f"اجرای نوت‌بوک ناموفق بود ({self.run.outcome}).",
            f"the notebook run ended with {self.run.outcome}: {self.run.message[:200]}",
        )
