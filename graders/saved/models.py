"""Typed facts from a notebook that was not re-run, each carrying its source.

`saved` facts are parsed from the outputs the student's own run left in the notebook (the
student could have edited them: self-reported); `static` facts are read from the code with
`ast`. Both are untrusted: strings and lists are capped, nothing is executed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Source = Literal["executed", "saved", "static"]
Short = Annotated[str, StringConstraints(max_length=500)]


class _Fact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TrainableLine(_Fact):
    """PEFT's `print_trainable_parameters()` line as saved in a cell's output."""

    cell: int
    trainable: int
    total: int
    percent: float
    model_var: Short = ""  # the variable whose method printed it, when the cell says
    source: Source = "saved"


class LossLog(_Fact):
    """A loss curve printed by transformers.Trainer (dict logs or its HTML table) or by hand."""

    cell: int
    kind: Literal["trainer", "trainer-table", "hand"]
    steps: list[float] = Field(default_factory=list, max_length=5000)
    train: list[float] = Field(default_factory=list, max_length=5000)
    val: list[float] = Field(default_factory=list, max_length=5000)
    label: Short = ""
    source: Source = "saved"


class Metric(_Fact):
    """A printed metric: `BLEU-4: 0.21`, `test accuracy = 87.5%`..."""

    cell: int
    name: Short  # bleu, bleu1..bleu4, accuracy
    value: float
    percent: bool = False  # printed with a % sign
    label: Short = ""  # the text before the metric on its line (which model, which length)
    source: Source = "saved"


class SavedTable(_Fact):
    """A table in the outputs: a pandas HTML table, a DataFrame's text, or printed records."""

    cell: int
    kind: Literal["html", "text", "records"]
    columns: list[Short] = Field(default_factory=list, max_length=100)
    rows: list[list[Any]] = Field(default_factory=list, max_length=1000)
    source: Source = "saved"

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=False)) for r in self.rows]


class SavedImage(_Fact):
    """A `display_data` image kept for the report and the review page (base64, capped)."""

    cell: int
    mime: Short
    data: Annotated[str, StringConstraints(max_length=3_000_000)] = ""
    source: Source = "saved"


class CellText(_Fact):
    cell: int
    execution_count: int | None = None
    text: Annotated[str, StringConstraints(max_length=200_000)] = ""


class SavedFacts(_Fact):
    """Everything parsed from one notebook's saved outputs."""

    n_code_cells: int = 0
    n_with_outputs: int = 0
    execution_counts: list[int | None] = Field(default_factory=list, max_length=5000)
    trainable: list[TrainableLine] = Field(default_factory=list, max_length=200)
    losses: list[LossLog] = Field(default_factory=list, max_length=200)
    metrics: list[Metric] = Field(default_factory=list, max_length=2000)
    tables: list[SavedTable] = Field(default_factory=list, max_length=200)
    images: list[SavedImage] = Field(default_factory=list, max_length=100)
    texts: list[CellText] = Field(default_factory=list, max_length=5000)

    @property
    def stripped(self) -> bool:
        return self.n_code_cells > 0 and self.n_with_outputs == 0

    @property
    def in_order(self) -> bool:
        counts = [c for c in self.execution_counts if c is not None]
        return counts == sorted(counts) and len(set(counts)) == len(counts)

    @property
    def unexecuted(self) -> int:
        return sum(c is None for c in self.execution_counts)


class PeftConfigFact(_Fact):
    """A PEFT config constructor in the code, with its literal arguments."""

    var: Short = ""
    cls: Short
    peft_type: Short
    kwargs: dict[Short, Any] = Field(default_factory=dict)
    unresolved: list[Short] = Field(default_factory=list)  # arguments that are not literals
    cell: int = 0
    line: int = 0
    source: Source = "static"


class SavedPeftModel(_Fact):
    """`VAR = get_peft_model(BASE, CONFIG)`: which config a PEFT model was built with."""

    var: Short
    base: Short = ""
    config_var: Short = ""
    cell: int = 0
    line: int = 0
    source: Source = "static"


class GradLoop(_Fact):
    """A loop that sets `requires_grad` on parameters."""

    cell: int
    line: int
    value: bool
    model_var: Short = ""  # the model whose parameters it sets
    whole_model: bool = False  # over `model.parameters()` itself
    layers: list[int] | None = None  # decoder layers it sets, when they can be worked out
    layers_text: Short = ""  # the loop's iterable as written (layers, or their indices)
    index_loop: bool = False  # the loop runs over layer indices, not layer modules
    source: Source = "static"


class StaticFacts(_Fact):
    """What the code says, read with `ast` (no cell executed)."""

    peft_configs: list[PeftConfigFact] = Field(default_factory=list, max_length=100)
    peft_models: list[SavedPeftModel] = Field(default_factory=list, max_length=100)
    pretrained: list[Short] = Field(default_factory=list, max_length=100)  # from_pretrained ids
    model_configs: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    grad_loops: list[GradLoop] = Field(default_factory=list, max_length=200)
    log_scale_calls: list[Short] = Field(default_factory=list, max_length=200)
    ignore_index: list[Any] = Field(default_factory=list, max_length=50)
    label_masking: list[Short] = Field(default_factory=list, max_length=50)
    print_trainable: dict[int, list[Short]] = Field(default_factory=dict)  # cell -> model vars
    syntax_errors: list[int] = Field(default_factory=list, max_length=5000)
    bindings: list[tuple[Short, int, int]] = Field(default_factory=list, max_length=20000)

    def binding_before(self, var: str, cell: int, line: int) -> tuple[int, int] | None:
        """(cell, line) of the last assignment to `var` before that position."""
        earlier = [(c, ln) for v, c, ln in self.bindings if v == var and (c, ln) < (cell, line)]
        return max(earlier, default=None)
