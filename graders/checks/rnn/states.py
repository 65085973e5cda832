"""Checks of hw5-rnn Q6 experiment C: hidden-state and cell-state norm curves."""

from __future__ import annotations

from typing import Any

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.checks.rnn.figure_spec import CurveAxes, _figure
from graders.checks.rnn.reading import (
    _figure_text,
    _figures,
    _finite,
    _line_texts,
    _missing,
    model_of,
    reference_band,
)
from graders.facts import AxesFact, Facts, FigureFact, LineFact
from graders.golden import Golden

STATE_AXES = CurveAxes(
    "نرم حالت پنهان و حالت سلول در طول دنباله (نوار: مرجع، ۱۰ دنباله)",
    "Hidden- and cell-state norms over time (band: reference, 10 sequences)",
    "timestep t",
    "L2 norm",
    "linear",
)


class StateParams(CheckParams):
    n_sequences: int = 10
    min_points: int = 150
    keywords: list[str] = ["hidden", "state", "حالت", "norm", "نرم"]
    positive_words: list[str] = ["pos", "مثبت"]
    negative_words: list[str] = ["neg", "منفی"]
    cell_words: list[str] = ["cell", "c_t", "سلول"]
    exclude_keywords: list[str] = ["grad", "گرادیان", "acc", "دقت"]
    golden_file: str = "q6"


def _state_axes(facts: Facts, p: StateParams) -> list[tuple[FigureFact, AxesFact, list[LineFact]]]:
    out = []
    for fig in _figures(facts, p.keywords):
        if any(k.lower() in _figure_text(fig) for k in p.exclude_keywords):
            continue  # Experiment B's gradient norms are norms over time too
        for ax in fig.axes:
            long = [ln for ln in ax.lines if len(ln.y) >= p.min_points and _finite(ln.y)]
            if long:
                out.append((fig, ax, long))
    return out


def _state_figure(golden: Golden, p: StateParams, panels) -> dict[str, Any]:
    reference = {}
    for key, label in (
        ("rnn_h", "RNN ||h_t||"),
        ("lstm_h", "LSTM ||h_t||"),
        ("lstm_c", "LSTM ||c_t||"),
    ):
        b = reference_band(golden, f"{p.golden_file}:state_norm.{key}")
        if b:
            reference[label] = {k: b[k] for k in ("x", "low", "high")}
    student = {}
    for i, (_, ax, lines) in enumerate(panels[:3]):
        line = lines[0]
        name = ax.title or f"panel {i + 1}"
        student[name[:60]] = {
            "x": list(line.x) if len(line.x) == len(line.y) else list(range(1, len(line.y) + 1)),
            "y": list(line.y),
        }
    return _figure(STATE_AXES, student, reference)


def _classes_named(texts: str, p: StateParams) -> bool:
    return any(w in texts for w in p.positive_words) and any(w in texts for w in p.negative_words)


def _state_groups(
    panels: list[tuple[FigureFact, AxesFact, list[LineFact]]], p: StateParams
) -> dict[tuple[str, bool], list[tuple[AxesFact, LineFact]]]:
    """The state-norm curves by (model, cell state or not), across panels and figures: ten
    sequences drawn as one panel, a panel per class or a figure per class count alike."""
    groups: dict[tuple[str, bool], list[tuple[AxesFact, LineFact]]] = {}
    for fig, ax, lines in panels:
        for line in lines:
            texts = _line_texts(fig, ax, line)
            cell = any(w in " ".join(texts).lower() for w in p.cell_words)
            groups.setdefault((model_of(texts) or "?", cell), []).append((ax, line))
    return groups


def _told_apart(
    panels: list[tuple[FigureFact, AxesFact, list[LineFact]]],
    group: list[tuple[AxesFact, LineFact]],
    p: StateParams,
) -> str | None:
    """How positive and negative sequences are told apart: named in a legend, line labels,
    panel or figure titles; or, unnamed, drawn in two colours (or two line styles), or in two
    panels of their own."""
    texts = " ".join(
        " ".join([fig.suptitle, *fig.legend, ax.text(), *(ln.label for ln in lines)])
        for fig, ax, lines in panels
    ).lower()
    if _classes_named(texts, p):
        return "labels"
    for attr in ("color", "linestyle"):
        values = [getattr(line, attr) for _, line in group]
        if all(values) and len(set(values)) == 2:
            return "colour" if attr == "color" else "line style"
    if len({id(ax) for ax, _ in group}) == 2:
        return "panels"
    return None


@register("state_norm_curves", StateParams, needs_execution=True)
def state_norm_curves(facts: Facts, golden: Golden, p: StateParams) -> CheckResult:
    """Experiment C: `n_sequences` hidden-state norm curves of >= `min_points` steps for one
    model, positive and negative sequences told apart.

    Required by the statement: the norms of the ten sequences over time, positive and negative
    distinguishable. Left free: one panel, a panel per class or per model, or a figure each;
    how the classes are told apart (a legend, line labels, panel or figure titles, two
    colours such as green/red, two line styles, or two panels); titles and colours themselves;
    matplotlib, pandas or seaborn (all draw matplotlib lines)."""
    if (missing := _missing(facts)) is not None:
        return missing
    panels = _state_axes(facts, p)
    groups = _state_groups(panels, p)
    best_key = max(groups, key=lambda k: (len(groups[k]), not k[1]), default=None)
    group = groups[best_key] if best_key else []
    best = len(group)
    way = _told_apart(panels, group, p) if group else None
    labelled = way is not None
    evidence: dict[str, Any] = {
        "max_sequences_per_model": best,
        "expected_sequences": p.n_sequences,
        "min_points": p.min_points,
        "classes_told_apart_by": way,
        "panels": len(panels),
    }
    score = 0.7 * min(best / p.n_sequences, 1.0) + 0.3 * labelled
    if score >= 1:
        return CheckResult.passed(
            f"نرم حالت پنهان {best} دنباله رسم شده و دنباله‌های مثبت و منفی از هم جدا شده‌اند ({_WAYS_FA[way]}).",  # type: ignore[index]
            f"hidden-state norms of {best} sequences are plotted, positive and negative told apart by {way}.",
            **evidence,
        )
    evidence["figure"] = _state_figure(golden, p, panels)
    fa, en = [], []
    if best < p.n_sequences:
        fa.append(
            f"انتظار می‌رفت نرم حالت پنهان {p.n_sequences} دنباله با طول دست‌کم {p.min_points} برای یک مدل رسم شود (پیدا شد: {best})"
        )
        en.append(
            f"expected the hidden-state norms of {p.n_sequences} sequences of length >= {p.min_points} for one model (found {best})"
        )
    if not labelled:
        fa.append(
            "دنباله‌های مثبت و منفی از هم جدا نشده‌اند (با راهنما، برچسب، عنوان، دو رنگ یا دو نمودار جدا)"
        )
        en.append(
            "positive and negative sequences are not told apart (a legend, labels, titles, two colours or two panels)"
        )
    return CheckResult(score, "؛ ".join(fa) + ".", "; ".join(en) + ".", evidence=evidence)


_WAYS_FA = {
    "labels": "با راهنما، برچسب یا عنوان",
    "colour": "با دو رنگ",
    "line style": "با دو سبک خط",
    "panels": "با دو نمودار جدا",
}


@register("cell_state_curves", StateParams, needs_execution=True)
def cell_state_curves(facts: Facts, golden: Golden, p: StateParams) -> CheckResult:
    """Experiment C: the LSTM's cell-state norm ||c_t|| is plotted as well.

    Required: a curve named as the cell state ('cell', 'c_t', «سلول») in a label or title.
    Left free: its own panel or figure, or beside ||h_t||; colours; a legend or not."""
    if (missing := _missing(facts)) is not None:
        return missing
    panels = _state_axes(facts, p)
    cell = [
        (ax, lines)
        for fig, ax, lines in panels
        if any(
            w in " ".join([fig.suptitle, ax.text(), *(ln.label for ln in lines)]).lower()
            for w in p.cell_words
        )
    ]
    if cell:
        return CheckResult.passed(
            "نرم حالت سلول LSTM رسم شده است.",
            "the LSTM cell-state norm is plotted.",
            panels=len(cell),
        )
    return CheckResult.failed(
        "نمودار نرم حالت سلول LSTM (‖c_t‖) پیدا نشد؛ عنوان یا برچسب آن باید «cell state» یا «c_t» را داشته باشد.",
        "no plot of the LSTM cell-state norm ||c_t|| was found (its title or label should say 'cell state' or 'c_t').",
        figure=_state_figure(golden, p, panels),
    )
