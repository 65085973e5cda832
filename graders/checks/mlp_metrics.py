"""Checks of a classifier's architecture and reported metrics (hw5-transformers-ut, the MLP on
CIFAR-10), from the `predictions` probe: Linear layer widths, the kept labels/predictions, and
the accuracy lines the handed-in notebook printed.

Nothing printed is believed: accuracy, per-class precision/recall/F1 (scikit-learn's
`classification_report`) and the confusion matrix are recomputed from the predictions; a
printed test accuracy that disagrees is flagged. The ground truth is not the notebook's: the
kept `y_true` must equal the test labels the grader knows itself (`ground_truth`: the generated
labels rebuilt from their seed in smoke, CIFAR-10's `test_batch` under the data mount in full),
in the data set's order; otherwise the metrics are not credited and the report says why
(training labels, a subset, labels copied from the predictions, a shuffled test loader -> TA).

What the statement requires: the test-set accuracy, per-class precision/recall/F1 and the
confusion matrix of the MLP. What it leaves free: the variable names (any of the probe's
aliases), tensors, arrays or lists, printing with `classification_report` or by hand, percent
or fraction, and how the confusion matrix is drawn (sklearn's display, seaborn, imshow).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from graders.checks.ground_truth import Labels, Missing, classification_labels
from graders.checks.probe_facts import probe_extra
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.predictions import LinearLayers, PredictionFacts
from graders.golden import Golden


def prediction_facts(facts: Facts) -> PredictionFacts | CheckResult:
    return probe_extra(
        facts,
        "predictions",
        PredictionFacts,
        nothing=(
            "داده‌های پیش‌بینی از نوت‌بوک خوانده نشد.",
            "the predictions probe returned nothing usable",
        ),
        invalid=("داده‌های پیش‌بینی نوت‌بوک نامعتبر بود.", "invalid predictions facts"),
    )


# ---------------------------------------------------------------------------------- architecture


class MlpParams(CheckParams):
    widths: list[int] = [3072, 4096, 2048, 1024, 512, 256, 64, 10]
    golden: str = "p2_mlp:n_params"


def _widths(layers: LinearLayers) -> list[int]:
    if not layers.linear:
        return []
    return [layers.linear[0][0], *(out for _, out in layers.linear)]


@register("mlp_architecture", MlpParams, needs_execution=True, probe_facts=prediction_facts)
def mlp_architecture(
    facts: Facts, golden: Golden, p: MlpParams, pf: PredictionFacts
) -> CheckResult:
    """A model whose Linear layers have exactly the required widths, and the matching number of
    parameters (weights + biases, computed by the reference from the built module)."""
    accepted = [a["value"] for a in golden.get(p.golden)["accepted"]]
    candidates = {
        name: (_widths(layers), layers.n_params) for name, layers in pf.linear_layers.items()
    }
    exact = {n: c for n, c in candidates.items() if c[0] == p.widths}
    evidence: dict[str, Any] = {
        "expected_widths": p.widths,
        "expected_params": accepted,
        "found": {n: {"widths": w, "params": k} for n, (w, k) in list(candidates.items())[:5]},
    }
    if exact:
        name, (_, n_params) = next(iter(exact.items()))
        if n_params in accepted:
            return CheckResult.passed(
                f"معماری MLP درست است ({n_params:,} پارامتر).",
                f"the MLP architecture is right ({n_params:,} parameters).",
                **evidence,
            )
        return CheckResult(
            0.7,
            f"لایه‌ها درست‌اند اما تعداد پارامترها {n_params:,} است؛ انتظار می‌رفت {accepted[0]:,} (وزن‌ها و بایاس‌ها).",
            f"the layer widths are right but the model has {n_params:,} parameters; expected {accepted[0]:,} (weights and biases).",
            evidence=evidence,
        )
    # the closest: an MLP on the same input size (not a transformer's many Linear layers)
    same_input = [c for c in candidates.values() if c[0][:1] == p.widths[:1]]
    longest = max(same_input or candidates.values(), key=lambda c: len(c[0]), default=([], 0))
    patched = [
        m
        for m in (facts.probe.modules if facts.probe else [])
        if m.claimed_n_params >= 0 and m.claimed_n_params != m.n_params
    ]
    note_fa = note_en = ""
    if patched:
        m = patched[0]
        evidence["patched"] = {m.name: {"claimed": m.claimed_n_params, "tensors": m.n_params}}
        note_fa = f" parameters() مدل {m.name} عدد {m.claimed_n_params:,} را می‌گوید اما تانسورهای آن {m.n_params:,} پارامتر دارند (تغییر داده شده است)."
        note_en = f" The parameters() of {m.name} claims {m.claimed_n_params:,} but its tensors hold {m.n_params:,} (patched)."
    return CheckResult.failed(
        f"MLP با لایه‌های {'-'.join(map(str, p.widths))} پیدا نشد (نزدیک‌ترین: {'-'.join(map(str, longest[0])) or 'هیچ'}).{note_fa}",
        f"no MLP with layers {'-'.join(map(str, p.widths))} was found (closest: {'-'.join(map(str, longest[0])) or 'none'}).{note_en}",
        **evidence,
    )


# ---------------------------------------------------------------------------------- metrics


class MetricsParams(CheckParams):
    tolerance: float = 0.005
    n_classes: int = 10
    class_names: list[str] = []
    golden_file: str = "p2_mlp"
    above_band_margin: float = 0.25  # above the best reference run by more than this -> TA


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%?)")
_TEST_WORDS = ("test", "آزمون", "accuracy  ")


def reported_accuracies(lines: list[str]) -> list[tuple[str, float, float]]:
    """(line, value in [0, 1], half its last printed digit) for printed test-accuracy lines: a
    line naming the test split (or classification_report's `accuracy` row) and accuracy;
    training-log lines are skipped. The third item is the rounding the print allows."""
    out = []
    for line in lines:
        low = line.lower()
        if "epoch" in low or "train" in low or "val" in low:
            continue
        if not any(w in low for w in _TEST_WORDS) and not low.strip().startswith("accuracy"):
            continue
        for number, percent in _NUMBER.findall(line.split(":", 1)[-1] if ":" in line else line):
            value = float(number)
            rounding = 0.5 * 10 ** -len(number.partition(".")[2])
            if percent or 1 < value <= 100 and "." in number:
                value, rounding = value / 100, rounding / 100
            if 0 <= value <= 1 and "." in number:
                out.append((line.strip()[:200], value, rounding))
                break
    return out


def _confusion_figure(matrix: list[list[int]], names: list[str]) -> dict[str, Any]:
    return {
        "kind": "heatmap",
        "title_fa": "ماتریس درهم‌ریختگی بازمحاسبه‌شده از پیش‌بینی‌های شما",
        "title_en": "Confusion matrix recomputed from your predictions",
        "values": matrix,
        "row_labels": names,
        "col_labels": names,
    }


@register("metrics_recomputed", MetricsParams, needs_execution=True)
def metrics_recomputed(facts: Facts, golden: Golden, p: MetricsParams) -> CheckResult:
    """Recompute accuracy, per-class precision/recall/F1 and the confusion matrix from the kept
    labels and predictions; the labels must be the test split's, and the printed test accuracy
    must agree with the recomputed one (within `tolerance`)."""
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    pf = prediction_facts(facts)
    if isinstance(pf, CheckResult):
        return pf
    if pf.y_true is None or pf.y_pred is None or len(pf.y_true.values) != len(pf.y_pred.values):
        return CheckResult.review(
            "برچسب‌ها و پیش‌بینی‌های ارزیابی (مثلاً y_true و y_pred) در نوت‌بوک نگه داشته نشده‌اند؛ معیارها را نمی‌توان بازمحاسبه کرد و دستیار آموزشی بررسی می‌کند.",
            "the evaluation labels and predictions (e.g. y_true, y_pred) are not kept in the notebook, "
            "so the metrics cannot be recomputed; sent to the TA.",
            found={
                "y_true": pf.y_true.name if pf.y_true else None,
                "y_pred": pf.y_pred.name if pf.y_pred else None,
            },
        )
    y_true, y_pred = pf.y_true.values, pf.y_pred.values
    labels = list(range(p.n_classes))
    names = p.class_names or [str(i) for i in labels]
    acc = float(accuracy_score(y_true, y_pred))
    report = classification_report(
        y_true, y_pred, labels=labels, target_names=names, output_dict=True, zero_division=0
    )
    matrix = confusion_matrix(y_true, y_pred, labels=labels).tolist()
    truth = classification_labels(golden, facts.data_root, p.golden_file)
    printed = reported_accuracies(pf.reported_lines)
    disagree = [(line, v) for line, v, r in printed if abs(v - acc) > max(p.tolerance, r) + 1e-9]
    evaluated_on = _evaluated_on(y_true, y_pred, truth)
    evidence: dict[str, Any] = {
        "recomputed_accuracy": round(acc, 4),
        "n_evaluated": len(y_true),
        "per_class": {
            n: {k: round(report[n][k], 4) for k in ("precision", "recall", "f1-score")}
            for n in names
        },
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "printed_test_accuracy": [round(v, 4) for _, v, _ in printed],
        "evaluated_on": evaluated_on,
        "ground_truth": truth.source if not isinstance(truth, Missing) else truth.message_en,
        "figure": _confusion_figure(matrix, names),
    }
    band = None
    try:
        band = golden.get(f"{p.golden_file}:accuracy")
        evidence["reference_accuracy"] = [round(band["low"], 4), round(band["high"], 4)]
    except KeyError:
        pass
    if isinstance(truth, Missing):
        return CheckResult.review(truth.message_fa, truth.message_en, **evidence)
    n_test = len(truth.test)
    if evaluated_on == "shuffled":
        return CheckResult.review(
            "برچسب‌های ارزیابی همان برچسب‌های آزمون‌اند اما با ترتیبی دیگر (DataLoader آزمون با shuffle؟)؛ گرادر نمی‌تواند جفت‌شدن آن‌ها با پیش‌بینی‌ها را بسنجد و دستیار آموزشی بررسی می‌کند.",
            "the evaluation labels are the test labels in another order (a shuffled test loader?); the grader cannot tell they pair with the predictions, a TA checks.",
            **evidence,
        )
    if evaluated_on != "test":
        why_fa, why_en = _WHY[evaluated_on]
        fa = [
            f"برچسب‌های ارزیابی ({pf.y_true.name}، {len(y_true)} برچسب) با {n_test} برچسب آزمونی که گرادر از دادگان می‌شناسد یکی نیستند: {why_fa}؛ معیارها پذیرفته نمی‌شوند"
        ]
        en = [
            f"the evaluation labels ({pf.y_true.name}, {len(y_true)} labels) are not the {n_test} test labels the grader knows from the data set: {why_en}; the metrics are not credited"
        ]
    else:
        fa, en = [], []
    if disagree:
        line, value = disagree[0]
        fa.append(
            f"دقت چاپ‌شده ({value:.4f} در «{line}») با دقت بازمحاسبه‌شده از پیش‌بینی‌های خودتان ({acc:.4f}) نمی‌خواند"
        )
        en.append(
            f"the printed accuracy ({value:.4f} in {line!r}) disagrees with the accuracy recomputed from your own predictions ({acc:.4f})"
        )
    # the best reference run itself (the band's high end adds the band rule's margin already)
    best = float(band.get("runs_high", band["high"])) if band is not None else None
    if not fa and best is not None and acc > best + p.above_band_margin:
        return CheckResult.review(
            f"دقت بازمحاسبه‌شده {acc:.4f} از بهترین اجرای مرجع ({best:.4f}) به‌اندازهٔ بیش از {p.above_band_margin} بیشتر است؛ دستیار آموزشی بررسی می‌کند که پیش‌بینی‌ها را واقعاً مدل ساخته باشد.",
            f"the recomputed accuracy {acc:.4f} exceeds the best reference run ({best:.4f}) by more than {p.above_band_margin}; a TA checks that the model itself made the predictions.",
            **evidence,
        )
    if not fa:
        evidence.pop("figure")
        note_fa = "" if printed else " (دقت آزمونی در خروجی‌ها چاپ نشده بود)"
        note_en = "" if printed else " (no printed test accuracy was found)"
        return CheckResult.passed(
            f"معیارها روی {n_test} برچسب آزمون از پیش‌بینی‌ها بازمحاسبه شدند: دقت {acc:.4f}، میانگین F1 {evidence['macro_f1']:.4f}{note_fa}.",
            f"metrics recomputed from the predictions on the {n_test} test labels: accuracy {acc:.4f}, macro F1 {evidence['macro_f1']:.4f}{note_en}.",
            **evidence,
        )
    score = 0.0 if evaluated_on != "test" else 0.5
    return CheckResult(score, "؛ ".join(fa) + ".", "; ".join(en) + ".", evidence=evidence)


_WHY = {
    "train": (
        "این‌ها برچسب‌های دادهٔ آموزش‌اند و معیارها باید روی دادهٔ آزمون محاسبه شوند",
        "they are the training labels, and the metrics must be computed on the test set",
    ),
    "copied": (
        "برچسب‌ها همان پیش‌بینی‌ها هستند (y_true از روی y_pred ساخته شده است)",
        "they are the predictions themselves (y_true was made from y_pred)",
    ),
    "subset": (
        "فقط بخشی از دادهٔ آزمون ارزیابی شده است",
        "only part of the test set was evaluated",
    ),
    "unknown": (
        "این برچسب‌ها از دادهٔ آزمون نیستند",
        "they are not the test set's labels",
    ),
}


def _evaluated_on(y_true: list[int], y_pred: list[int], truth: Labels | Missing) -> str:
    """Which labels the notebook evaluated on, judged against the grader's own labels."""
    if isinstance(truth, Missing):
        return "unknown"
    test = list(truth.test)
    if y_true == test:
        return "test"
    if truth.train and y_true == list(truth.train):
        return "train"
    if len(y_true) == len(test) and sorted(y_true) == sorted(test):
        return "shuffled"
    if y_true == y_pred:
        return "copied"
    if 0 < len(y_true) < len(test) and y_true == test[: len(y_true)]:
        return "subset"
    return "unknown"


# ---------------------------------------------------------------------------------- figures


class FigureItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title_fa: str
    title_en: str
    keywords: list[str]
    all_keywords: list[str] = []  # each of these must appear as well (e.g. the model's name)
    image: bool = False  # an image or heatmap (imshow, or an axes drawn without lines)


class FigureInventoryParams(CheckParams):
    items: list[FigureItem]


@register("figure_inventory", FigureInventoryParams, needs_execution=True)
def figure_inventory(facts: Facts, golden: Golden, p: FigureInventoryParams) -> CheckResult:
    """Each listed plot is present: some axes whose title, labels or legend (or its figure's
    title) mention one of the item's keywords and that draws an image or curves as required."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    found, lacking = [], []
    for item in p.items:
        hit = False
        for fig in facts.probe.figures:
            for ax in fig.axes:
                text = f"{fig.suptitle} {ax.text()}".lower()
                if not any(k.lower() in text for k in item.keywords):
                    continue
                if not all(k.lower() in text for k in item.all_keywords):
                    continue
                drawn = (
                    (ax.n_images > 0 or not ax.lines)
                    if item.image
                    else any(len(ln.y) >= 2 for ln in ax.lines)
                )
                hit = hit or drawn
        (found if hit else lacking).append(item)
    evidence = {"found": [i.id for i in found], "missing": [i.id for i in lacking]}
    score = len(found) / len(p.items) if p.items else 1.0
    if not lacking:
        return CheckResult.passed(
            "همهٔ نمودارهای خواسته‌شده رسم شده‌اند.", "every required plot is present.", **evidence
        )
    return CheckResult(
        score,
        "این نمودارها پیدا نشدند: "
        + "، ".join(i.title_fa for i in lacking)
        + " (عنوان یا برچسب محورها باید موضوع نمودار را بگوید).",
        "these plots were not found: "
        + ", ".join(i.title_en for i in lacking)
        + " (a title or axis label should name what is plotted).",
        evidence=evidence,
    )
