"""Checks of hw5-rnn Q6 experiment B: per-timestep gradient norms, log axis, decay rates."""

from __future__ import annotations

from typing import Any

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.checks.rnn.figure_spec import CurveAxes, _figure
from graders.checks.rnn.reading import (
    MODEL_NAMES,
    _figures,
    _finite,
    _line_texts,
    _lines,
    _missing,
    model_of,
    reference_band,
)
from graders.facts import AxesFact, Facts, LineFact
from graders.golden import Golden
from graders.metrics.curve_math import decay_rate, normalised

GRADIENT_AXES = CurveAxes(
    "نرم گرادیان در هر گام زمانی، تقسیم بر مقدار آخرین گام (نوار: مرجع)",
    "Gradient norm per timestep over its value at the last step (band: reference)",
    "timestep t",
    "||dL/dx_t|| / ||dL/dx_T||",
    "log",
)


class GradientParams(CheckParams):
    n_points: int = 200
    models: list[str] = ["rnn", "lstm"]
    keywords: list[str] = ["grad", "گرادیان"]
    golden_file: str = "q6"


def student_gradients(facts: Facts, p: GradientParams) -> dict[str, tuple[AxesFact, LineFact]]:
    out: dict[str, tuple[AxesFact, LineFact]] = {}
    for fig, ax, line in _lines(_figures(facts, p.keywords)):
        if len(line.y) != p.n_points or not _finite(line.y):
            continue
        model = model_of(_line_texts(fig, ax, line))
        if model is not None and model not in out:
            out[model] = (ax, line)
    return out


def _gradient_figure(
    golden: Golden, p: GradientParams, grads: dict[str, tuple[AxesFact, LineFact]]
) -> dict[str, Any]:
    reference = {}
    for model in p.models:
        curve = reference_band(golden, f"{p.golden_file}:grad_curve.{model}")
        if curve:
            reference[MODEL_NAMES[model]] = {k: curve[k] for k in ("x", "low", "high")}
    student = {
        MODEL_NAMES.get(m, m): {
            "x": list(line.x) if len(line.x) == len(line.y) else list(range(1, len(line.y) + 1)),
            "y": normalised(list(line.y)),
        }
        for m, (_, line) in grads.items()
    }
    return _figure(GRADIENT_AXES, student, reference)


@register("gradient_curves", GradientParams, needs_execution=True)
def gradient_curves(facts: Facts, golden: Golden, p: GradientParams) -> CheckResult:
    """Experiment B plots a gradient norm for each of the `n_points` timesteps, for each model.

    Required: one curve of `n_points` values per model, told apart by a line label, panel or
    figure title naming the model. Left free: one axes, subplots or one figure per model;
    colours, markers, matplotlib or pandas/seaborn (Line2D objects all)."""
    if (missing := _missing(facts)) is not None:
        return missing
    grads = student_gradients(facts, p)
    have = [m for m in p.models if m in grads]
    evidence: dict[str, Any] = {"expected_points": p.n_points, "found_models": sorted(grads)}
    if len(have) == len(p.models):
        return CheckResult.passed(
            f"نرم گرادیان هر دو مدل در {p.n_points} گام رسم شده است.",
            f"gradient norms of both models over {p.n_points} timesteps are plotted.",
            **evidence,
        )
    evidence["figure"] = _gradient_figure(golden, p, grads)
    lacking = [MODEL_NAMES[m] for m in p.models if m not in grads]
    return CheckResult(
        len(have) / len(p.models),
        f"نمودار آزمایش B باید نرم گرادیان را در هر {p.n_points} گام زمانی برای RNN و LSTM (با برچسب) نشان دهد؛ پیدا نشد برای: {', '.join(lacking)}.",
        f"Experiment B's plot must show the gradient norm at each of {p.n_points} timesteps for the RNN and the LSTM (labelled); not found for: {', '.join(lacking)}.",
        evidence=evidence,
    )


@register("gradient_log_scale", GradientParams, needs_execution=True)
def gradient_log_scale(facts: Facts, golden: Golden, p: GradientParams) -> CheckResult:
    """The gradient-norm plot uses a logarithmic y axis (vanishing gradients span decades).

    Required: a log y axis. Left free: `ax.set_yscale('log')`, `plt.semilogy`, `plt.loglog`
    or pandas' `logy=True` (all set the axes' y scale to log); one panel or a figure per model."""
    if (missing := _missing(facts)) is not None:
        return missing
    grads = student_gradients(facts, p)
    if not grads:
        return CheckResult.failed(
            f"نمودار نرم گرادیان با {p.n_points} گام زمانی پیدا نشد.",
            f"no gradient-norm plot with {p.n_points} timesteps was found.",
            figure=_gradient_figure(golden, p, grads),
        )
    scales = {MODEL_NAMES[m]: ax.yscale for m, (ax, _) in grads.items()}
    if all(s == "log" for s in scales.values()):
        return CheckResult.passed(
            "محور عمودی نمودار گرادیان لگاریتمی است.",
            "the gradient plot's y axis is logarithmic.",
            yscale=scales,
        )
    return CheckResult.failed(
        "محور عمودی نمودار گرادیان باید لگاریتمی باشد (ax.set_yscale('log'))؛ در مقیاس خطی محو شدن گرادیان در گام‌های اول دیده نمی‌شود. نمودار مرجع در مقیاس لگاریتمی آمده است.",
        "the gradient plot's y axis must be logarithmic (ax.set_yscale('log')): on a linear axis the vanishing "
        "gradient at early timesteps cannot be seen. The reference figure is drawn on a log axis.",
        yscale=scales,
        expected_yscale="log",
        figure=_gradient_figure(golden, p, grads),
    )


class DecayRateParams(GradientParams):
    faster: str = "rnn"
    slower: str = "lstm"


@register("gradient_decay_rates", DecayRateParams, needs_execution=True)
def gradient_decay_rates(facts: Facts, golden: Golden, p: DecayRateParams) -> CheckResult:
    """From the student's own plotted data: the decay rate (decades per timestep of distance
    from the loss, a least-squares fit of log10 norm) of the simple RNN exceeds the LSTM's;
    both are reported beside the reference bands."""
    if (missing := _missing(facts)) is not None:
        return missing
    grads = student_gradients(facts, p)
    rates = {m: decay_rate(list(line.y)) for m, (_, line) in grads.items()}
    reference = {}
    for m in (p.faster, p.slower):
        b = reference_band(golden, f"{p.golden_file}:grad_decay.{m}")
        if b:
            reference[m] = [round(b["low"], 5), round(b["high"], 5)]
    evidence: dict[str, Any] = {
        "decay_rate_per_step": {
            m: (round(r, 5) if r is not None else None) for m, r in rates.items()
        },
        "reference_decay_rate": reference,
    }
    ref_text = ", ".join(f"{MODEL_NAMES[m]} {lo:.4f}–{hi:.4f}" for m, (lo, hi) in reference.items())
    fast, slow = rates.get(p.faster), rates.get(p.slower)
    if fast is None or slow is None:
        evidence["figure"] = _gradient_figure(golden, p, grads)
        return CheckResult.failed(
            "خط‌های گرادیان RNN و LSTM (با برچسب یا عنوان) پیدا نشدند تا نرخ محو شدن آن‌ها مقایسه شود.",
            "the RNN and LSTM gradient series (told apart by label or title) were not found, so their decay could not be compared.",
            **evidence,
        )
    if fast > slow:
        return CheckResult.passed(
            f"گرادیان RNN ساده ({fast:.4f} دهه در هر گام) سریع‌تر از LSTM ({slow:.4f}) محو می‌شود؛ مرجع: {ref_text}.",
            f"the simple RNN's gradient decays faster ({fast:.4f} decades/step) than the LSTM's ({slow:.4f}); reference: {ref_text}.",
            **evidence,
        )
    evidence["figure"] = _gradient_figure(golden, p, grads)
    return CheckResult.failed(
        f"در داده‌های شما گرادیان RNN ساده ({fast:.4f} دهه در هر گام) سریع‌تر از LSTM ({slow:.4f}) محو نمی‌شود؛ انتظار می‌رفت (مرجع: {ref_text}). گرادیان‌ها را نسبت به ورودی هر گام و روی یک دسته با طول ۲۰۰ بگیرید.",
        f"in your data the simple RNN's gradient ({fast:.4f} decades/step) does not decay faster than the LSTM's "
        f"({slow:.4f}); expected it to (reference: {ref_text}). Take the gradients w.r.t. each step's input on one batch of length 200.",
        **evidence,
    )
