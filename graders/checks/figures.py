"""Checks on the figures a notebook drew (facts from the matplotlib instrumentation)."""

from __future__ import annotations

import math
import statistics

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import AxesFact, Facts, FigureFact, LineFact
from graders.golden import Golden


def _figure_text(fig: FigureFact) -> str:
    return " ".join([fig.suptitle, *(ax.text() for ax in fig.axes)]).lower()


def _series(
    facts: Facts,
    n_points: int | None = None,
    min_points: int = 1,
    keywords: list[str] | None = None,
) -> list[tuple[FigureFact, AxesFact, LineFact]]:
    """Lines of the requested length; with `keywords`, only from figures whose titles or labels
    mention one of them (when any figure does), so that another plot of the same length
    (e.g. hidden-state norms over 200 steps) is not mistaken for the one being checked."""
    figures = list(facts.probe.figures) if facts.probe else []
    if keywords:
        named = [f for f in figures if any(k.lower() in _figure_text(f) for k in keywords)]
        figures = named or figures
    out = []
    for fig in figures:
        for ax in fig.axes:
            for line in ax.lines:
                n = len(line.y)
                if (n_points is None and n >= min_points) or n == n_points:
                    out.append((fig, ax, line))
    return out


def _by_figure(
    series: list[tuple[FigureFact, AxesFact, LineFact]],
) -> dict[str, list[tuple[FigureFact, AxesFact, LineFact]]]:
    groups: dict[str, list[tuple[FigureFact, AxesFact, LineFact]]] = {}
    for item in series:
        groups.setdefault(item[0].key, []).append(item)
    return groups


def _missing_run(facts: Facts) -> CheckResult | None:
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    return None


class XValuesParams(CheckParams):
    x_values: list[float]
    min_lines: int = 2


@register("figure_x_values", XValuesParams, needs_execution=True)
def figure_x_values(facts: Facts, golden: Golden, p: XValuesParams) -> CheckResult:
    """A figure has `min_lines` lines covering all `x_values` (e.g. accuracy per sequence length)."""
    if (missing := _missing_run(facts)) is not None:
        return missing
    wanted = set(p.x_values)
    best = 0.0
    for items in _by_figure(_series(facts)).values():
        covers = sorted(
            (len(wanted & set(line.x)) / len(wanted) for _, _, line in items), reverse=True
        )
        if len(covers) >= p.min_lines:
            best = max(best, covers[p.min_lines - 1])
    evidence = {"expected_x": p.x_values, "coverage": round(best, 3)}
    if best >= 1.0:
        return CheckResult.passed(
            "نمودار همهٔ طول‌های خواسته‌شده را برای هر دو مدل دارد.",
            "the plot covers every required x value for both models.",
            **evidence,
        )
    return CheckResult(
        best,
        f"نموداری با {p.min_lines} خط که همهٔ مقادیر {p.x_values} را پوشش دهد پیدا نشد.",
        f"no figure with {p.min_lines} lines covering all of {p.x_values} was found.",
        evidence=evidence,
    )


class LinesParams(CheckParams):
    n_points: int | None = None
    min_points: int = 1
    min_lines: int = 1
    keywords: list[str] = []


@register("figure_lines", LinesParams, needs_execution=True)
def figure_lines(facts: Facts, golden: Golden, p: LinesParams) -> CheckResult:
    """Some figure draws at least `min_lines` series of `n_points` (or >= `min_points`) points."""
    if (missing := _missing_run(facts)) is not None:
        return missing
    groups = _by_figure(_series(facts, p.n_points, p.min_points, p.keywords))
    most = max((len(v) for v in groups.values()), default=0)
    size = f"{p.n_points}" if p.n_points else f">= {p.min_points}"
    evidence = {"lines_found": most, "lines_expected": p.min_lines, "points": size}
    if most >= p.min_lines:
        return CheckResult.passed(
            "نمودار خواسته‌شده رسم شده است.", "the required plot is present.", **evidence
        )
    return CheckResult(
        most / p.min_lines,
        f"نموداری با دست‌کم {p.min_lines} خط و {size} نقطه پیدا نشد (بیشترین: {most}).",
        f"no figure with at least {p.min_lines} lines of {size} points (found at most {most}).",
        evidence=evidence,
    )


class LogScaleParams(CheckParams):
    n_points: int
    keywords: list[str] = []


@register("figure_log_y", LogScaleParams, needs_execution=True)
def figure_log_y(facts: Facts, golden: Golden, p: LogScaleParams) -> CheckResult:
    """The axes that plot series of `n_points` points use a logarithmic y axis."""
    if (missing := _missing_run(facts)) is not None:
        return missing
    axes = {id(ax): ax for _, ax, _ in _series(facts, p.n_points, keywords=p.keywords)}
    if not axes:
        return CheckResult.failed(
            f"نموداری با {p.n_points} گام زمانی پیدا نشد.",
            f"no plot with {p.n_points} timesteps was found.",
        )
    scales = sorted({ax.yscale for ax in axes.values()})
    if all(ax.yscale == "log" for ax in axes.values()):
        return CheckResult.passed(
            "محور عمودی لگاریتمی است.", "the y axis is logarithmic.", yscale=scales
        )
    return CheckResult.failed(
        "محور عمودی نمودار گرادیان باید لگاریتمی باشد (ax.set_yscale('log')).",
        "the gradient plot's y axis must be logarithmic (ax.set_yscale('log')).",
        yscale=scales,
    )


class DecayParams(CheckParams):
    n_points: int
    faster: str = "rnn"
    slower: str = "lstm"
    window: int = 10
    keywords: list[str] = []


def _model_of(fig: FigureFact, ax: AxesFact, line: LineFact, names: tuple[str, str]) -> str | None:
    for text in (line.label, ax.title, ax.ylabel, fig.suptitle):
        low = text.lower()
        for name in sorted(names, key=len, reverse=True):  # "lstm" before "rnn"
            if name in low:
                return name
    return None


def _decades(y: list[float], window: int) -> float | None:
    """Orders of magnitude between the end of the sequence (near the loss) and its start."""
    head = [v for v in y[:window] if v > 0 and math.isfinite(v)]
    tail = [v for v in y[-window:] if v > 0 and math.isfinite(v)]
    if not head or not tail:
        return None
    return math.log10(statistics.median(tail)) - math.log10(statistics.median(head))


@register("gradient_decay_contrast", DecayParams, needs_execution=True)
def gradient_decay_contrast(facts: Facts, golden: Golden, p: DecayParams) -> CheckResult:
    """From the student's own plotted data: the simple RNN's gradient decays faster than the LSTM's."""
    if (missing := _missing_run(facts)) is not None:
        return missing
    decay: dict[str, float] = {}
    for fig, ax, line in _series(facts, p.n_points, keywords=p.keywords):
        model = _model_of(fig, ax, line, (p.faster, p.slower))
        value = _decades(line.y, p.window)
        if model and value is not None and model not in decay:
            decay[model] = value
    if set(decay) != {p.faster, p.slower}:
        return CheckResult.failed(
            "در نمودار گرادیان، خط‌های RNN و LSTM با برچسب یا عنوان از هم تشخیص داده نشدند.",
            "the RNN and LSTM gradient series could not be told apart by label or title.",
            found=sorted(decay),
        )
    evidence = {f"decades_{k}": round(v, 3) for k, v in decay.items()}
    if decay[p.faster] > decay[p.slower]:
        return CheckResult.passed(
            "گرادیان RNN ساده سریع‌تر از LSTM محو می‌شود، همان‌طور که انتظار می‌رود.",
            "the simple RNN's gradient vanishes faster than the LSTM's, as expected.",
            **evidence,
        )
    return CheckResult.failed(
        "در داده‌های شما گرادیان RNN ساده کندتر از LSTM محو می‌شود؛ آزمایش را بررسی کنید.",
        "in your data the simple RNN's gradient decays no faster than the LSTM's; check the experiment.",
        **evidence,
    )
