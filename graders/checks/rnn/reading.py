"""Reading the hw5-rnn Q6 facts: which model a curve belongs to, the figures and lines to look at,
the reference bands of golden file `q6`, and why a figure check cannot credit the plots.
"""

from __future__ import annotations

import math
from typing import Any

from graders.checks.result import CheckResult
from graders.facts import AxesFact, Facts, FigureFact, LineFact
from graders.golden import Golden

MODEL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
# longest first so that "lstm" is not read as "rnn"-free text and "gru" is told apart
_MATCH_ORDER = ("lstm", "gru", "rnn")
_ALIASES = {"rnn": ("rnn", "simple", "vanilla", "ساده"), "lstm": ("lstm",), "gru": ("gru",)}

Series = tuple[FigureFact, AxesFact, LineFact]
RECURRENT = ("RNN", "LSTM", "GRU")


def _missing(facts: Facts) -> CheckResult | None:
    """Why a figure check cannot credit the plots: no facts, or no recurrent model at all in the
    notebook (the curves are then tied to nothing the notebook computed; a TA looks)."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    if not any(
        m.cls in RECURRENT or any(m.submodules.get(k, 0) for k in RECURRENT)
        for m in facts.probe.modules
    ):
        return CheckResult.review(
            "در نوت‌بوک هیچ مدل بازگشتی (nn.RNN، nn.LSTM یا nn.GRU) پیدا نشد، پس نمودارها به محاسبه‌ای در نوت‌بوک گره نخورده‌اند و امتیازی نمی‌گیرند؛ دستیار آموزشی بررسی می‌کند.",
            "no recurrent model (nn.RNN, nn.LSTM or nn.GRU) exists in the notebook, so the plots are tied to nothing it computed and are not credited; a TA checks.",
            figures=len(facts.probe.figures),
        )
    return None


def model_of(texts: list[str]) -> str | None:
    """The model a line belongs to, from the first text (label, axes title, ...) naming one."""
    for text in texts:
        low = text.lower()
        for name in _MATCH_ORDER:
            if any(alias in low for alias in _ALIASES[name]):
                return name
    return None


def _line_texts(fig: FigureFact, ax: AxesFact, line: LineFact) -> list[str]:
    label = "" if line.label.startswith("_") else line.label  # matplotlib's "_child0"
    return [label, ax.title, ax.ylabel, fig.suptitle]


def _figure_text(fig: FigureFact) -> str:
    return " ".join([fig.suptitle, *fig.legend, *(ax.text() for ax in fig.axes)]).lower()


def _figures(facts: Facts, keywords: list[str]) -> list[FigureFact]:
    """Figures mentioning a keyword first (all figures when none does)."""
    figures = list(facts.probe.figures) if facts.probe else []
    named = [f for f in figures if any(k.lower() in _figure_text(f) for k in keywords)]
    return named or figures


def _lines(figures: list[FigureFact]) -> list[Series]:
    return [(fig, ax, ln) for fig in figures for ax in fig.axes for ln in ax.lines]


def _finite(values: list[float]) -> bool:
    return any(math.isfinite(v) for v in values)


def reference_band(golden: Golden, ref: str) -> dict[str, Any] | None:
    try:
        return golden.get(ref)
    except KeyError:
        return None

