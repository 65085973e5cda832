"""hw5-transformers-ut practical checks on hand-made `predictions` probe facts."""

from __future__ import annotations

import pytest

from graders.checks import get_check
from graders.checks.ground_truth import Missing, classification_labels
from graders.checks.mlp_metrics import reported_accuracies
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden, load_golden

GOLDEN = load_golden("hw5-transformers-ut")
LABELS = classification_labels(
    GOLDEN, None
)  # the grader's own: the smoke data rebuilt from its seed
assert not isinstance(LABELS, Missing)
Y_TEST = list(LABELS.test)
Y_TRAIN = list(LABELS.train)
N = len(Y_TEST)  # 300 in smoke


def about(y_true: list[int], right: float = 0.3) -> list[int]:
    """Predictions right on the first `right` share of the items (inside the reference band)."""
    k = round(right * len(y_true))
    return [y if i < k else (y + 1) % 10 for i, y in enumerate(y_true)]


Y_PRED = about(Y_TEST)  # 30 % right: inside the smoke band 0.15-0.45
TEST = {"name": "y_test", "n": N, "sha": "testsha"}
TRAIN = {"name": "y_train", "n": len(Y_TRAIN), "sha": "trainsha"}


def facts(extra: dict, figures: list[dict] | None = None) -> Facts:
    return Facts(probe=ProbeFacts(extras={"predictions": extra}, figures=figures or []))


def predictions(
    y_true: list[int] | None = None, lines: list[str] | None = None, y_pred: list[int] | None = None
) -> dict:
    y_true = Y_TEST if y_true is None else y_true
    y_pred = about(y_true) if y_pred is None else y_pred
    return {
        "y_true": {"name": "y_true", "values": y_true, "n": len(y_true), "sha": "a"},
        "y_pred": {"name": "y_pred", "values": y_pred, "n": len(y_pred), "sha": "b"},
        "splits": {"train_labels": TRAIN, "test_labels": TEST},
        "reported_lines": lines if lines is not None else ["Test accuracy: 0.3000"],
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
    ("split", "lines", "score", "needles"),
    [
        ("test", None, 1.0, ["0.3000", "300 test labels"]),
        ("test", ["    accuracy      0.30     300", "Test accuracy: 30.00%"], 1.0, ["0.3000"]),
        ("test", ["    accuracy      0.29     300"], 0.5, ["disagrees"]),
        ("train", ["Test accuracy: 0.3000"], 0.0, ["training labels", "not credited"]),
        ("test", ["Test accuracy: 0.9912"], 0.5, ["0.9912", "disagrees"]),
        ("train", ["Test accuracy: 0.9912"], 0.0, ["training labels", "disagrees"]),
    ],
)
def test_metrics_recomputed(
    split: str, lines: list[str] | None, score: float, needles: list[str]
) -> None:
    y_true = Y_TEST if split == "test" else Y_TRAIN
    result = run("metrics_recomputed", facts(predictions(y_true, lines)), n_classes=10)
    assert result.score == score
    for needle in needles:
        assert needle in result.message_en
    assert result.evidence["recomputed_accuracy"] == 0.3
    assert set(result.evidence["per_class"]["0"]) == {"precision", "recall", "f1-score"}
    if score < 1:
        heat = result.evidence["figure"]
        assert heat["kind"] == "heatmap" and sum(map(sum, heat["values"])) == len(y_true)


def test_three_matching_samples_are_not_credited() -> None:
    """Gap 2 of issue 16: three samples with y_true == y_pred scored 1.0 against a 0.15-0.45 band."""
    forged = predictions([3, 1, 4], ["Test accuracy: 1.0000"], y_pred=[3, 1, 4])
    result = run("metrics_recomputed", facts(forged), n_classes=10)
    assert result.score == 0.0 and result.status == Status.FAIL
    assert "not the 300 test labels the grader knows" in result.message_en
    assert "برچسب آزمونی که گرادر" in result.message_fa
    assert result.evidence["evaluated_on"] == "copied"


@pytest.mark.parametrize(
    ("y_true", "y_pred", "status", "needle"),
    [
        (Y_TEST[:200], about(Y_TEST[:200]), Status.FAIL, "only part of the test set"),
        ([(y + 3) % 10 for y in Y_TEST], about(Y_TEST), Status.FAIL, "not the test set's labels"),
        (Y_TEST[::-1], about(Y_TEST[::-1]), Status.REVIEW, "another order"),
        (
            Y_TEST,
            Y_TEST,
            Status.REVIEW,
            "exceeds the best reference run",
        ),  # y_pred copied from y_true
    ],
)
def test_labels_the_grader_does_not_know(
    y_true: list[int], y_pred: list[int], status: Status, needle: str
) -> None:
    result = run("metrics_recomputed", facts(predictions(y_true, [], y_pred)), n_classes=10)
    assert result.status == status and result.score == 0.0
    assert needle in result.message_en


def test_metrics_without_ground_truth_go_to_review() -> None:
    full = Golden(
        {
            "p2_mlp": {
                "provenance": {"profile": "full"},
                "values": GOLDEN.documents["p2_mlp"]["values"],
            }
        },
        "t",
    )
    result = get_check("metrics_recomputed").run(facts(predictions()), full, {"n_classes": 10})
    assert result.status == Status.REVIEW and "CIFAR-10" in result.message_en


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


def test_full_profile_reads_cifar_test_labels_from_the_data_mount(tmp_path) -> None:
    import pickle

    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    labels = [(7 * i) % 10 for i in range(50)]
    (folder / "test_batch").write_bytes(pickle.dumps({b"labels": labels, b"data": b""}))
    full = Golden(
        {
            "p2_mlp": {
                "provenance": {"profile": "full"},
                "values": GOLDEN.documents["p2_mlp"]["values"],
            }
        },
        "t",
    )
    found = classification_labels(full, str(tmp_path))
    assert not isinstance(found, Missing) and list(found.test) == labels
    f = Facts(
        probe=ProbeFacts(extras={"predictions": predictions(labels, [], about(labels))}),
        data_root=str(tmp_path),
    )
    result = get_check("metrics_recomputed").run(f, full, {"n_classes": 10})
    assert result.status == Status.PASS and result.evidence["evaluated_on"] == "test"
