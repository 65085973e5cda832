"""hw5-transformers-ut practical checks on hand-made `predictions` probe facts."""

from __future__ import annotations

import pytest

from graders.checks import get_check
from graders.checks.mlp_metrics import reported_accuracies
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import load_golden

GOLDEN = load_golden("hw5-transformers-ut")
Y_TEST = [i % 10 for i in range(100)]
Y_PRED = [y if i % 4 else (y + 1) % 10 for i, y in enumerate(Y_TEST)]  # 75 % right
TEST = {"name": "y_test", "n": 100, "sha": "testsha"}
TRAIN = {"name": "y_train", "n": 600, "sha": "trainsha"}


def facts(extra: dict, figures: list[dict] | None = None) -> Facts:
    return Facts(probe=ProbeFacts(extras={"predictions": extra}, figures=figures or []))


def predictions(true_sha: str = "testsha", lines: list[str] | None = None) -> dict:
    return {
        "y_true": {"name": "y_true", "values": Y_TEST, "n": 100, "sha": true_sha},
        "y_pred": {"name": "y_pred", "values": Y_PRED, "n": 100, "sha": "x"},
        "splits": {"train_labels": TRAIN, "test_labels": TEST},
        "reported_lines": lines if lines is not None else ["Test accuracy: 0.7500"],
    }


def run(name: str, f: Facts, **params: object):
    return get_check(name).run(f, GOLDEN, params)


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Test accuracy: 0.7500", 0.75),
        ("دقت آزمون: 75.0%", 0.75),
        ("    accuracy                           0.75       100", 0.75),
        ("epoch 3: train acc 0.99, test acc 0.5", None),
        ("val accuracy 0.8", None),
    ],
)
def test_reported_accuracies(line: str, value: float | None) -> None:
    found = reported_accuracies([line])
    assert (found[0][1] if found else None) == (pytest.approx(value) if value is not None else None)
    if found:  # the rounding a print allows: 0.7500 -> 5e-5, 0.75 -> 5e-3, 75.0% -> 5e-4
        assert found[0][2] == pytest.approx(
            {"0.7500": 5e-5, "75.0%": 5e-4}.get(line.split()[-1], 5e-3)
        )


@pytest.mark.parametrize(
    ("true_sha", "lines", "score", "needles"),
    [
        ("testsha", None, 1.0, ["0.7500"]),
        ("testsha", ["    accuracy      0.75     100", "Test accuracy: 75.00%"], 1.0, ["0.7500"]),
        ("testsha", ["    accuracy      0.74     100"], 0.5, ["disagrees"]),
        ("trainsha", None, 0.5, ["training labels"]),
        ("testsha", ["Test accuracy: 0.9912"], 0.5, ["0.9912", "disagrees"]),
        ("trainsha", ["Test accuracy: 0.9912"], 0.0, ["training labels", "disagrees"]),
    ],
)
def test_metrics_recomputed(
    true_sha: str, lines: list[str] | None, score: float, needles: list[str]
) -> None:
    result = run("metrics_recomputed", facts(predictions(true_sha, lines)), n_classes=10)
    assert result.score == score
    for needle in needles:
        assert needle in result.message_en
    assert result.evidence["recomputed_accuracy"] == 0.75
    assert set(result.evidence["per_class"]["0"]) == {"precision", "recall", "f1-score"}
    if score < 1:
        heat = result.evidence["figure"]
        assert heat["kind"] == "heatmap" and sum(map(sum, heat["values"])) == 100


def test_metrics_without_predictions_go_to_review() -> None:
    extra = predictions()
    del extra["y_pred"]
    result = run("metrics_recomputed", facts(extra))
    assert result.status == Status.REVIEW
    assert run("metrics_recomputed", facts({"probe_error": "boom"})).status == Status.ERROR


def test_mlp_architecture() -> None:
    expected = GOLDEN.get("p2_mlp:n_params")["accepted"][0]["value"]
    widths = [3072, 4096, 2048, 1024, 512, 256, 64, 10]
    layers = [[a, b] for a, b in zip(widths[:-1], widths[1:], strict=True)]
    assert expected == sum(a * b + b for a, b in layers)  # closed form, independent of torch
    good = {"linear_layers": {"mlp": {"linear": layers, "n_params": expected}}}
    assert run("mlp_architecture", facts(good)).status == Status.PASS
    short = layers[:1] + [[4096, 1024]] + layers[3:]
    bad = {"linear_layers": {"mlp": {"linear": short, "n_params": 1}}}
    result = run("mlp_architecture", facts(bad))
    assert result.status == Status.FAIL
    assert "3072-4096-1024-512-256-64-10" in result.message_en


def test_figure_inventory() -> None:
    figs = [
        {"key": "f1", "axes": [{"title": "MLP confusion matrix", "n_images": 1}]},
        {
            "key": "f2",
            "axes": [{"title": "BEiT test accuracy", "lines": [{"x": [1, 2], "y": [0.1, 0.2]}]}],
        },
    ]
    items = [
        {
            "id": "confusion",
            "title_fa": "م",
            "title_en": "confusion matrix",
            "keywords": ["confusion"],
            "image": True,
        },
        {
            "id": "acc",
            "title_fa": "د",
            "title_en": "accuracy",
            "keywords": ["acc"],
            "all_keywords": ["beit"],
        },
        {"id": "loss", "title_fa": "خ", "title_en": "loss curve", "keywords": ["loss"]},
    ]
    result = run("figure_inventory", Facts(probe=ProbeFacts(figures=figs)), items=items)
    assert result.score == pytest.approx(2 / 3)
    assert result.evidence["missing"] == ["loss"] and "loss curve" in result.message_en
