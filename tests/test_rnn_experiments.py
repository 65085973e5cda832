"""hw5-rnn Q6 checks on hand-made facts, against the committed smoke golden values."""

from __future__ import annotations

import math

import pytest

from graders.checks import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import load_golden
from graders.metrics.curve_math import decay_rate, downsample, normalised

GOLDEN = load_golden("hw5-rnn")
LENGTHS = [50, 100, 200, 400]


def line(label: str, x: list[float], y: list[float], **style: str) -> dict:
    return {"label": label, "x": x, "y": y, **style}


def figure(key: str, axes: list[dict], suptitle: str = "") -> dict:
    return {"key": key, "suptitle": suptitle, "axes": axes}


def axes(title: str, lines: list[dict], yscale: str = "linear", ylabel: str = "") -> dict:
    return {"title": title, "ylabel": ylabel, "yscale": yscale, "lines": lines}


MODELS = [
    {
        "name": "rnn_model",
        "cls": "SeqClassifier",
        "n_params": 5000,
        "n_trainable": 5000,
        "submodules": {"RNN": 1},
    },
    {
        "name": "lstm_model",
        "cls": "SeqClassifier",
        "n_params": 9000,
        "n_trainable": 9000,
        "submodules": {"LSTM": 1},
    },
]


def facts(figures: list[dict], modules: list[dict] | None = None) -> Facts:
    return Facts(probe=ProbeFacts(figures=figures, modules=MODELS if modules is None else modules))


def run(name: str, f: Facts, **params: object):
    return get_check(name).run(f, GOLDEN, params)


def acc_figure(rnn: dict[int, float], second: dict[int, float], second_label: str = "LSTM") -> dict:
    return figure(
        "acc",
        [
            axes(
                "accuracy vs length",
                [
                    line("RNN", list(rnn), list(rnn.values())),
                    line(second_label, list(second), list(second.values())),
                ],
            )
        ],
    )


def grad_figure(rnn_rate: float, lstm_rate: float, yscale: str = "log") -> dict:
    t = list(range(1, 201))
    return figure(
        "grad",
        [
            axes(
                "RNN gradient", [line("RNN", t, [10 ** (-rnn_rate * (200 - i)) for i in t])], yscale
            ),
            axes(
                "LSTM gradient",
                [line("LSTM", t, [10 ** (-lstm_rate * (200 - i)) for i in t])],
                yscale,
            ),
        ],
    )


GOOD_RNN = {50: 0.5, 100: 0.5, 200: 0.5, 400: 0.5}  # the smoke task: chance at every length
GOOD_LSTM = {50: 1.0, 100: 1.0, 200: 1.0, 400: 1.0}


def test_decay_rate_recovers_an_exponential_and_skips_underflow() -> None:
    y = [10 ** (-0.05 * (199 - i)) for i in range(200)]
    assert decay_rate(y) == pytest.approx(0.05)
    assert decay_rate([0.0] * 100 + y[100:]) == pytest.approx(0.05)  # zeros (underflow) left out
    assert decay_rate([0.0, math.nan, 1.0]) is None
    assert normalised([2.0, 4.0])[0] == 0.5
    x, y2 = downsample(list(range(1000)), list(range(1000)))
    assert len(x) == 400 and x[0] == 0 and x[-1] == 999 and y2 == x


@pytest.mark.parametrize(
    ("rnn", "lstm", "status", "needle"),
    [
        (GOOD_RNN, GOOD_LSTM, Status.PASS, "every length"),
        ({50: 1.0, 400: 0.5}, {50: 1.0, 400: 1.0}, Status.PARTIAL, "[100, 200]"),
    ],
)
def test_accuracy_by_length(rnn: dict, lstm: dict, status: Status, needle: str) -> None:
    result = run("accuracy_by_length", facts([acc_figure(rnn, lstm)]), lengths=LENGTHS)
    assert result.status == status
    assert needle in result.message_en
    if status != Status.PASS:
        fig = result.evidence["figure"]
        assert fig["kind"] == "curves_over_band"
        assert set(fig["reference"]) == {"RNN", "LSTM"}
        assert fig["reference"]["LSTM"]["x"] == LENGTHS


def test_accuracy_vs_reference_names_training_set_accuracy() -> None:
    train_like = {n: GOLDEN.get(f"q6:train_acc.rnn.{n}")["high"] for n in LENGTHS}
    result = run("accuracy_vs_reference", facts([acc_figure(train_like, GOOD_LSTM)]))
    assert result.status == Status.PARTIAL and result.score == 0.5
    assert "training-set accuracy" in result.message_en
    assert {t["length"] for t in result.evidence["above_reference_band"]} >= {200, 400}
    good = run("accuracy_vs_reference", facts([acc_figure(GOOD_RNN, GOOD_LSTM)]))
    assert good.status == Status.PASS


def test_accuracy_vs_reference_lstm_worse_and_gru() -> None:
    worse = run(
        "accuracy_vs_reference",
        facts([acc_figure(GOOD_RNN, {50: 1.0, 100: 0.5, 200: 0.4, 400: 0.4})]),
    )
    assert worse.evidence["lstm_below_rnn_at"] == [200, 400]
    assert "at least as good" in worse.message_en
    gru = run("accuracy_vs_reference", facts([acc_figure(GOOD_RNN, GOOD_LSTM, "GRU")]))
    assert gru.score == 0.5 and "no accuracy of both" in gru.message_en
    nothing = run("accuracy_vs_reference", facts([]))
    assert nothing.score == 0
    crashed = Facts(probe=ProbeFacts(variables={"acc_by_length": {"rnn": {}, "lstm": {}}}))
    assert run("accuracy_vs_reference", crashed).score == 0  # an empty dict judges nothing


def test_gradient_log_scale_fails_on_linear_axis_with_reference_figure() -> None:
    result = run("gradient_log_scale", facts([grad_figure(0.07, 0.002, yscale="linear")]))
    assert result.status == Status.FAIL
    assert "set_yscale('log')" in result.message_en
    fig = result.evidence["figure"]
    assert fig["kind"] == "curves_over_band" and fig["yscale"] == "log"
    assert set(fig["student"]) == {"RNN", "LSTM"} and set(fig["reference"]) == {"RNN", "LSTM"}
    ref = fig["reference"]["RNN"]
    assert len(ref["x"]) == len(ref["low"]) == len(ref["high"]) <= 400
    assert all(lo <= hi for lo, hi in zip(ref["low"], ref["high"], strict=True))
    assert fig["student"]["RNN"]["y"][-1] == pytest.approx(1.0)  # normalised at the last step
    ok = run("gradient_log_scale", facts([grad_figure(0.07, 0.002)]))
    assert ok.status == Status.PASS


@pytest.mark.parametrize(
    ("rnn_rate", "lstm_rate", "status"), [(0.07, 0.002, Status.PASS), (0.001, 0.02, Status.FAIL)]
)
def test_gradient_decay_rates(rnn_rate: float, lstm_rate: float, status: Status) -> None:
    result = run("gradient_decay_rates", facts([grad_figure(rnn_rate, lstm_rate)]))
    assert result.status == status
    assert result.evidence["decay_rate_per_step"]["rnn"] == pytest.approx(rnn_rate, rel=1e-3)
    assert set(result.evidence["reference_decay_rate"]) == {"rnn", "lstm"}
    assert ("figure" in result.evidence) == (status == Status.FAIL)


def test_reference_bands_show_the_contrast() -> None:
    """The committed smoke golden values themselves show what the assignment teaches."""
    rnn, lstm = GOLDEN.get("q6:grad_decay.rnn"), GOLDEN.get("q6:grad_decay.lstm")
    assert rnn["low"] > 5 * lstm["high"]
    assert GOLDEN.get("q6:acc.rnn.400")["runs_high"] < 0.6  # every seed at chance
    assert GOLDEN.get("q6:acc.rnn.400")["high"] < GOLDEN.get("q6:acc.lstm.400")["low"]
    assert GOLDEN.get("q6:acc.lstm.200")["low"] > 0.9
    assert GOLDEN.get("q6:train_acc.rnn.400")["low"] > GOLDEN.get("q6:acc.rnn.400")["high"]


def test_recurrent_models_names_a_gru_substitute() -> None:
    modules = [
        {
            "name": "rnn_model",
            "cls": "SeqClassifier",
            "n_params": 2466,
            "n_trainable": 2466,
            "submodules": {"RNN": 1},
        },
        {
            "name": "lstm_model",
            "cls": "SeqClassifier",
            "n_params": 5000,
            "n_trainable": 5000,
            "submodules": {"GRU": 1},
        },
    ]
    result = run("recurrent_models", facts([], modules))
    assert result.score == 0.5
    assert "GRU (lstm_model) was used instead of LSTM" in result.message_en
    modules[1]["submodules"] = {"LSTM": 1}
    assert run("recurrent_models", facts([], modules)).status == Status.PASS
    modules[0]["n_params"] = 10
    assert "outside" in run("recurrent_models", facts([], modules)).message_en


def state_figure(n: int, labels: bool, cell: bool) -> dict:
    t = list(range(1, 201))
    lines = [
        line(
            ("positive" if i == 0 else "negative" if i == 5 else "_nolegend_") if labels else "",
            t,
            [1.0] * 200,
        )
        for i in range(n)
    ]
    panels = [axes("RNN: ||h_t||", lines)]
    if cell:
        panels.append(axes("LSTM: ||c_t|| (cell state)", lines))
    return figure("states", panels, "hidden-state norms")


@pytest.mark.parametrize(
    ("n", "labels", "cell", "hidden_score", "cell_status"),
    [
        (10, True, True, 1.0, Status.PASS),
        (10, False, False, 0.7, Status.FAIL),
        (5, True, True, 0.35, Status.PASS),
    ],
)
def test_state_norm_checks(
    n: int, labels: bool, cell: bool, hidden_score: float, cell_status: Status
) -> None:
    f = facts([grad_figure(0.07, 0.002), state_figure(n, labels, cell)])
    assert run("state_norm_curves", f).score == pytest.approx(hidden_score)
    result = run("cell_state_curves", f)
    assert result.status == cell_status
    if cell_status == Status.FAIL:
        assert set(result.evidence["figure"]["reference"]) == {
            "RNN ||h_t||",
            "LSTM ||h_t||",
            "LSTM ||c_t||",
        }


T = list(range(1, 201))
GREEN, RED = "#008000", "#ff0000"
CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"] * 2  # matplotlib's default colours


def seqs(n: int, colours: list[str] | None = None, styles: list[str] | None = None) -> list[dict]:
    out = []
    for i in range(n):
        style = {"color": colours[i]} if colours else {}
        if styles:
            style["linestyle"] = styles[i]
        out.append(line(f"_child{i}", T, [1.0 + 0.01 * i] * 200, **style))
    return out


PRESENTATIONS = {
    # issue 16, gap 3: green positive, red negative, no legend (0.7 of the points before)
    "green-red, no legend": [
        figure("c", [axes("RNN hidden-state norm ||h_t||", seqs(10, [GREEN] * 5 + [RED] * 5))])
    ],
    "a panel per class, titled": [
        figure(
            "c",
            [axes("RNN ||h_t||: positive", seqs(5)), axes("RNN ||h_t||: negative", seqs(5))],
        )
    ],
    "a figure per class, in Persian": [
        figure("c1", [axes("نرم حالت پنهان RNN — دنباله‌های مثبت", seqs(5))]),
        figure("c2", [axes("نرم حالت پنهان RNN — دنباله‌های منفی", seqs(5))]),
    ],
    "two untitled-class panels": [
        figure("c", [axes("RNN ||h_t||", seqs(5)), axes("RNN ||h_t|| ", seqs(5))], "hidden state")
    ],
    "solid vs dashed": [
        figure("c", [axes("LSTM hidden state", seqs(10, styles=["-"] * 5 + ["--"] * 5))])
    ],
    "figure-level legend": [
        {**figure("c", [axes("RNN hidden state", seqs(10))]), "legend": ["positive", "negative"]}
    ],
}


@pytest.mark.parametrize("style", sorted(PRESENTATIONS))
def test_state_norms_accept_every_presentation_the_statement_allows(style: str) -> None:
    result = run("state_norm_curves", facts([grad_figure(0.07, 0.002), *PRESENTATIONS[style]]))
    assert result.status == Status.PASS, result.message_en
    assert result.evidence["max_sequences_per_model"] == 10


def test_state_norms_not_told_apart() -> None:
    """Ten lines in matplotlib's default colour cycle, one panel, no names: the classes are lost."""
    f = facts([figure("c", [axes("RNN hidden state", seqs(10, CYCLE))])])
    result = run("state_norm_curves", f)
    assert result.score == pytest.approx(0.7)
    assert "not told apart" in result.message_en and "two colours" in result.message_en


def test_curves_without_any_model_are_not_credited() -> None:
    """Made-up curves of the right shape, drawn by a notebook that built no recurrent model."""
    f = facts([grad_figure(0.07, 0.002), acc_figure(GOOD_RNN, GOOD_LSTM)], modules=[])
    for name in (
        "gradient_curves",
        "gradient_log_scale",
        "gradient_decay_rates",
        "accuracy_by_length",
    ):
        result = run(name, f)
        assert result.status == Status.REVIEW and result.score == 0
        assert "no recurrent model" in result.message_en
