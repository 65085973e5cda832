"""Checks of hw5-rnn Q6 experiment A: accuracy per sequence length, against the reference band."""

from __future__ import annotations

import math
from typing import Any

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.checks.rnn.figure_spec import CurveAxes, _figure
from graders.checks.rnn.reading import (
    MODEL_NAMES,
    _figures,
    _line_texts,
    _lines,
    _missing,
    model_of,
    reference_band,
)
from graders.facts import Facts
from graders.golden import Golden

ACCURACY_AXES = CurveAxes(
    "دقت آزمون بر حسب طول دنباله (نوار: مرجع)",
    "Test accuracy vs sequence length (band: reference)",
    "sequence length",
    "accuracy",
    "linear",
)


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
    return _figure(ACCURACY_AXES, student, reference)


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
