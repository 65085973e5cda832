"""Checks of the simple-RNN-vs-LSTM experiments (hw5-rnn Q6), judged from the student's figures.

Experiment A (accuracy per sequence length), B (per-timestep gradient norms, log axis, decay)
and C (hidden/cell-state norms) are read from the matplotlib facts; the models from the module
facts. Values are compared with the reference bands of golden file `q6` (several seeds). A
failed check says what was expected and carries a `figure` (kind `curves_over_band`): the
student's curves drawn over the reference band, for the report.
"""

from __future__ import annotations

import math
from typing import Any

from graders.checks.curve_math import decay_rate, downsample, normalised
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import AxesFact, Facts, FigureFact, LineFact
from graders.golden import Golden

MODEL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
# longest first so that "lstm" is not read as "rnn"-free text and "gru" is told apart
_MATCH_ORDER = ("lstm", "gru", "rnn")
_ALIASES = {"rnn": ("rnn", "simple", "vanilla", "ساده"), "lstm": ("lstm",), "gru": ("gru",)}

Series = tuple[FigureFact, AxesFact, LineFact]


# ---------------------------------------------------------------------------------- helpers


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


def _figure(
    title_fa: str,
    title_en: str,
    xlabel: str,
    ylabel: str,
    yscale: str,
    student: dict[str, dict[str, list[float]]],
    reference: dict[str, dict[str, list[float]]],
) -> dict[str, Any]:
    def clean(values: list[float]) -> list[float | None]:
        return [round(v, 8) if math.isfinite(v) else None for v in values]

    small_student = {}
    for label, curve in student.items():
        x, y = downsample(curve["x"], curve["y"])
        small_student[label] = {"x": clean(x), "y": clean(y)}
    return {
        "kind": "curves_over_band",
        "title_fa": title_fa,
        "title_en": title_en,
        "xlabel": xlabel,
        "ylabel": ylabel,
        "yscale": yscale,
        "student": small_student,
        "reference": reference,
    }


# ---------------------------------------------------------------------------------- models


class RecurrentModelsParams(CheckParams):
    required: list[str] = ["RNN", "LSTM"]
    substitutes: dict[str, list[str]] = {"LSTM": ["GRU"], "RNN": ["GRU"]}
    min_params: int = 500
    max_params: int = 50_000_000


@register("recurrent_models", RecurrentModelsParams, needs_execution=True)
def recurrent_models(facts: Facts, golden: Golden, p: RecurrentModelsParams) -> CheckResult:
    """The notebook builds one model per required recurrent layer type (e.g. nn.RNN and
    nn.LSTM), each of a sensible size; a GRU where an LSTM was asked for is named."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in p.required}
    others: dict[str, list[str]] = {}
    for m in facts.probe.modules:
        for kind in p.required:
            if m.cls == kind or m.submodules.get(kind, 0) > 0:
                found[kind].append({"name": m.name, "params": m.n_params})
        for subs in p.substitutes.values():
            for kind in subs:
                if m.cls == kind or m.submodules.get(kind, 0) > 0:
                    others.setdefault(kind, []).append(m.name)
    problems_fa, problems_en = [], []
    ok = 0
    for kind in p.required:
        # the layer itself is found too (e.g. `model.rnn`); judge the largest module using it
        sizes = [f["params"] for f in found[kind]]
        if not sizes:
            subs = [s for s in p.substitutes.get(kind, []) if s in others and s not in p.required]
            if subs:
                problems_fa.append(
                    f"به‌جای {kind} از {subs[0]} استفاده شده است ({others[subs[0]][0]})"
                )
                problems_en.append(f"a {subs[0]} ({others[subs[0]][0]}) was used instead of {kind}")
            else:
                problems_fa.append(f"مدلی با لایهٔ nn.{kind} پیدا نشد")
                problems_en.append(f"no model using nn.{kind} was found")
            continue
        if not p.min_params <= max(sizes) <= p.max_params:
            problems_fa.append(
                f"اندازهٔ مدل {kind} ({max(sizes):,} پارامتر) خارج از بازهٔ معقول {p.min_params:,} تا {p.max_params:,} است"
            )
            problems_en.append(
                f"the {kind} model has {max(sizes):,} parameters, outside {p.min_params:,}-{p.max_params:,}"
            )
            continue
        ok += 1
    evidence = {
        "expected": p.required,
        "found": {k: v[:5] for k, v in found.items()},
        "other_recurrent": {k: v[:5] for k, v in others.items()},
        "params_range": [p.min_params, p.max_params],
    }
    score = ok / len(p.required)
    if not problems_en:
        return CheckResult(
            score,
            "هر دو مدل RNN ساده و LSTM ساخته شده‌اند.",
            "both models were built.",
            evidence=evidence,
        )
    want = " و ".join(f"nn.{k}" for k in p.required)
    return CheckResult(
        score,
        "؛ ".join(problems_fa) + f". انتظار می‌رفت یک مدل با {want} ساخته شود.",
        "; ".join(problems_en) + f". Expected one model built on each of {', '.join(p.required)}.",
        evidence=evidence,
    )


# ---------------------------------------------------------------------------------- Experiment A


class AccuracyParams(CheckParams):
    lengths: list[int] = [50, 100, 200, 400]
    models: list[str] = ["rnn", "lstm"]
    keywords: list[str] = ["acc", "دقت"]
    golden_file: str = "q6"
    variable: str = "acc_by_length"


def student_accuracy(facts: Facts, p: AccuracyParams) -> dict[str, dict[int, float]]:
    """model -> {length: accuracy} from the accuracy figure (lines whose x values are sequence
    lengths), else from the variable `p.variable` ({model: {length: acc}})."""
    wanted = set(p.lengths)
    out: dict[str, dict[int, float]] = {}
    lines = [
        s
        for s in _lines(_figures(facts, p.keywords))
        if len(wanted & {int(x) for x in s[2].x if math.isfinite(x) and x == int(x)}) >= 2
    ]
    lines.sort(key=lambda s: "train" in s[2].label.lower())  # a test curve before a train one
    for fig, ax, line in lines:
        model = model_of(_line_texts(fig, ax, line))
        if model is None or model in out:
            continue
        out[model] = {
            int(x): float(y)
            for x, y in zip(line.x, line.y, strict=False)
            if math.isfinite(x) and math.isfinite(y) and x == int(x)
        }
    if out or facts.probe is None:
        return out
    raw = facts.probe.variables.get(p.variable)
    if isinstance(raw, dict):
        for key, per_len in raw.items():
            model = model_of([str(key)])
            if model and isinstance(per_len, dict):
                values = {}
                for n, v in per_len.items():
                    try:
                        values[int(float(n))] = float(v)
                    except (TypeError, ValueError):
                        continue
                out.setdefault(model, values)
    return {m: v for m, v in out.items() if v}  # e.g. {"rnn": {}} left by a crashed loop


def _accuracy_figure(
    golden: Golden, p: AccuracyParams, acc: dict[str, dict[int, float]]
) -> dict[str, Any]:
    reference = {}
    for model in p.models:
        bands = [reference_band(golden, f"{p.golden_file}:acc.{model}.{n}") for n in p.lengths]
        if all(bands):
            reference[MODEL_NAMES[model]] = {
                "x": list(p.lengths),
                "low": [b["low"] for b in bands],  # type: ignore[index]
                "high": [b["high"] for b in bands],  # type: ignore[index]
            }
    student = {
        MODEL_NAMES.get(m, m): {"x": sorted(v), "y": [v[n] for n in sorted(v)]}
        for m, v in acc.items()
    }
    return _figure(
        "دقت آزمون بر حسب طول دنباله (نوار: مرجع)",
        "Test accuracy vs sequence length (band: reference)",
        "sequence length",
        "accuracy",
        "linear",
        student,
        reference,
    )


@register("accuracy_by_length", AccuracyParams, needs_execution=True)
def accuracy_by_length(facts: Facts, golden: Golden, p: AccuracyParams) -> CheckResult:
    """Experiment A's plot has an accuracy for every required length, for both models.

    Required: test accuracy at each length for the RNN and the LSTM, the models named in a
    label or title. Left free: a line, markers or (grouped) bars, one axes or two, a log x
    axis, matplotlib or pandas (`df.plot()`, `df.plot.bar()`); the probe reads bars as series."""
    if (missing := _missing(facts)) is not None:
        return missing
    acc = student_accuracy(facts, p)
    gaps: dict[str, list[int]] = {}
    covered = 0.0
    for model in p.models:
        have = {n for n, v in acc.get(model, {}).items() if math.isfinite(v)}
        gaps[model] = [n for n in p.lengths if n not in have]
        covered += 1 - len(gaps[model]) / len(p.lengths)
    score = covered / len(p.models)
    evidence: dict[str, Any] = {
        "expected_lengths": p.lengths,
        "found": {m: sorted(v) for m, v in acc.items()},
        "missing": {m: g for m, g in gaps.items() if g},
    }
    if score >= 1:
        return CheckResult.passed(
            "دقت هر دو مدل برای هر چهار طول رسم شده است.",
            "accuracy is plotted for both models at every length.",
            **evidence,
        )
    evidence["figure"] = _accuracy_figure(golden, p, acc)
    missing_fa = "، ".join(
        f"{MODEL_NAMES[m]}: {', '.join(map(str, g))}" for m, g in gaps.items() if g
    )
    others = sorted(set(acc) - set(p.models))
    extra_fa = (
        f" (خط‌های دیگر: {', '.join(MODEL_NAMES.get(o, o) for o in others)})" if others else ""
    )
    extra_en = (
        f" (other lines: {', '.join(MODEL_NAMES.get(o, o) for o in others)})" if others else ""
    )
    return CheckResult(
        score,
        f"نمودار آزمایش A باید دقت هر دو مدل را در طول‌های {p.lengths} نشان دهد؛ جاافتاده: {missing_fa}{extra_fa}.",
        f"Experiment A's plot must show both models' accuracy at lengths {p.lengths}; missing: "
        + "; ".join(f"{MODEL_NAMES[m]}: {g}" for m, g in gaps.items() if g)
        + f"{extra_en}.",
        evidence=evidence,
    )


class AccuracyReferenceParams(AccuracyParams):
    long_lengths: list[int] = [200, 400]
    tolerance: float = 0.06


@register("accuracy_vs_reference", AccuracyReferenceParams, needs_execution=True)
def accuracy_vs_reference(facts: Facts, golden: Golden, p: AccuracyReferenceParams) -> CheckResult:
    """At long lengths the LSTM is at least as accurate as the simple RNN, and no accuracy is
    above the reference band of held-out accuracy (a sign of accuracy measured on the
    training set, which the reference's training-accuracy band is used to name)."""
    if (missing := _missing(facts)) is not None:
        return missing
    acc = student_accuracy(facts, p)
    rnn, lstm = acc.get("rnn", {}), acc.get("lstm", {})
    long_pairs = [n for n in p.long_lengths if n in rnn and n in lstm]
    evidence: dict[str, Any] = {"tolerance": p.tolerance}
    worse = [n for n in long_pairs if lstm[n] < rnn[n] - p.tolerance]
    too_high: list[dict[str, Any]] = []
    for model, values in (("rnn", rnn), ("lstm", lstm)):
        for n, v in sorted(values.items()):
            test_band = reference_band(golden, f"{p.golden_file}:acc.{model}.{n}")
            if test_band is None or v <= test_band["high"] + p.tolerance:
                continue
            train_band = reference_band(golden, f"{p.golden_file}:train_acc.{model}.{n}")
            too_high.append(
                {
                    "model": MODEL_NAMES[model],
                    "length": n,
                    "found": round(v, 4),
                    "reference_test": [round(test_band["low"], 4), round(test_band["high"], 4)],
                    "reference_train": (
                        [round(train_band["low"], 4), round(train_band["high"], 4)]
                        if train_band
                        else None
                    ),
                }
            )
    evidence |= {
        "lstm_below_rnn_at": worse,
        "above_reference_band": too_high,
        "compared_lengths": long_pairs,
    }
    no_pairs = not long_pairs
    # nothing to judge earns nothing: the plausibility half needs some accuracy to look at
    score = 0.5 * (not worse and not no_pairs) + 0.5 * (not too_high and bool(acc))
    if score >= 1:
        return CheckResult.passed(
            "در طول‌های بلند LSTM دست‌کم به خوبی RNN است و دقت‌ها در بازهٔ مرجع‌اند.",
            "at long lengths the LSTM is at least as good as the RNN, and accuracies are within the reference band.",
            **evidence,
        )
    evidence["figure"] = _accuracy_figure(golden, p, acc)
    fa, en = [], []
    if no_pairs:
        fa.append(f"دقت RNN و LSTM هر دو در طول‌های بلند {p.long_lengths} پیدا نشد تا مقایسه شوند")
        en.append(
            f"no accuracy of both the RNN and the LSTM at the long lengths {p.long_lengths} to compare"
        )
    if worse:
        fa.append(
            f"در طول‌های {worse} دقت LSTM از RNN کمتر است، در حالی که انتظار می‌رود LSTM در دنباله‌های بلند دست‌کم به خوبی RNN باشد"
        )
        en.append(
            f"at lengths {worse} the LSTM is less accurate than the RNN; the LSTM is expected to be at least as good on long sequences"
        )
    if too_high:
        where = ", ".join(f"{t['model']}@{t['length']}={t['found']}" for t in too_high)
        fa.append(
            f"دقت‌های {where} بالاتر از بازهٔ مرجع دقت روی دادهٔ آزمون است و به دقت روی دادهٔ آموزش شبیه است؛ دقت باید روی دادهٔ آزمون/اعتبارسنجی محاسبه شود"
        )
        en.append(
            f"accuracies {where} are above the reference band of held-out accuracy and look like "
            "training-set accuracy; accuracy must be computed on the test/validation split"
        )
    return CheckResult(score, "؛ ".join(fa) + ".", "; ".join(en) + ".", evidence=evidence)


# ---------------------------------------------------------------------------------- Experiment B


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
    return _figure(
        "نرم گرادیان در هر گام زمانی، تقسیم بر مقدار آخرین گام (نوار: مرجع)",
        "Gradient norm per timestep over its value at the last step (band: reference)",
        "timestep t",
        "||dL/dx_t|| / ||dL/dx_T||",
        "log",
        student,
        reference,
    )


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


# ---------------------------------------------------------------------------------- Experiment C


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
    return _figure(
        "نرم حالت پنهان و حالت سلول در طول دنباله (نوار: مرجع، ۱۰ دنباله)",
        "Hidden- and cell-state norms over time (band: reference, 10 sequences)",
        "timestep t",
        "L2 norm",
        "linear",
        student,
        reference,
    )


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
