"""Checks are pure functions: tables of facts in, scores and messages out."""

from __future__ import annotations

import math

import pytest

from graders.checks import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts, RunFacts
from graders.golden import Golden

GOLDEN = Golden(
    {
        "q1": {
            "values": {
                "L1.biases": {
                    "accepted": [
                        {"value": 64, "convention": "PyTorch", "derivation": "b_ih + b_hh"},
                        {"value": 32, "convention": "textbook", "derivation": "one bias"},
                    ]
                },
                "L1.output_shape": {"shape": [50, 32]},
                "L1.flops": {
                    "accepted": [{"value": 307200, "convention": "2xMACs", "derivation": "..."}]
                },
            }
        }
    },
    "test",
)


def run(name: str, facts: Facts, **params: object):
    return get_check(name).run(facts, GOLDEN, params)


@pytest.mark.parametrize(
    ("answer", "status", "score"),
    [
        ("64", Status.PASS, 1.0),
        ("۳۲", Status.PASS, 1.0),
        ("48", Status.FAIL, 0.0),
        ("32 or 64", Status.REVIEW, 0.0),
        (None, Status.FAIL, 0.0),
    ],
)
def test_numeric_answer(answer: str | None, status: Status, score: float) -> None:
    facts = Facts(answers={} if answer is None else {"Q1.a.L1.biases": answer})
    result = run("numeric_answer", facts, slot="Q1.a.L1.biases", golden="q1:L1.biases")
    assert result.status == status
    assert result.score == score


def test_numeric_wrong_value_names_conventions() -> None:
    result = run("numeric_answer", Facts(answers={"s": "48"}), slot="s", golden="q1:L1.biases")
    assert "64 (PyTorch: b_ih + b_hh)" in result.message_en
    assert "32 (textbook: one bias)" in result.message_fa


def test_numeric_relative_tolerance() -> None:
    facts = Facts(answers={"s": "308000"})
    assert run("numeric_answer", facts, slot="s", golden="q1:L1.flops", rel_tol=0.005).score == 1.0
    assert run("numeric_answer", facts, slot="s", golden="q1:L1.flops").score == 0.0


@pytest.mark.parametrize(
    ("answer", "ok"),
    [("(B, 50, 32)", True), ("50x32", True), ("(B, 32, 50)", False), ("(1, 2, 50, 32)", False)],
)
def test_shape_answer(answer: str, ok: bool) -> None:
    result = run(
        "shape_answer", Facts(answers={"s": answer}), slot="s", golden="q1:L1.output_shape"
    )
    assert (result.score == 1.0) is ok


def figure(
    key: str, title: str, yscale: str, lines: dict[str, list[float]], x: list[float] | None = None
) -> dict:
    return {
        "key": key,
        "axes": [
            {
                "title": title,
                "yscale": yscale,
                "lines": [
                    {"label": lab, "x": x or list(range(len(y))), "y": y}
                    for lab, y in lines.items()
                ],
            }
        ],
    }


def probe_facts(*figures: dict, modules: list[dict] | None = None) -> Facts:
    return Facts(
        probe=ProbeFacts.model_validate({"figures": list(figures), "modules": modules or []}),
        run=RunFacts(outcome="ok"),
    )


RNN_GRAD = [10 ** (-8 + 8 * t / 199) for t in range(200)]  # vanishes toward the start
LSTM_GRAD = [10 ** (-1 + 1 * t / 199) for t in range(200)]
HIDDEN = {f"seq{i}": [1.0] * 200 for i in range(10)}


def test_log_scale_ignores_other_plots_of_the_same_length() -> None:
    facts = probe_facts(
        figure("f1", "gradient norm", "log", {"RNN": RNN_GRAD, "LSTM": LSTM_GRAD}),
        figure("f2", "hidden state norm", "linear", HIDDEN),
    )
    assert run("figure_log_y", facts, n_points=200, keywords=["grad"]).status == Status.PASS
    assert (
        run("figure_log_y", facts, n_points=200).status == Status.FAIL
    )  # without keywords both count


def test_linear_gradient_axis_fails() -> None:
    facts = probe_facts(
        figure("f1", "gradient norm", "linear", {"RNN": RNN_GRAD, "LSTM": LSTM_GRAD})
    )
    result = run("figure_log_y", facts, n_points=200, keywords=["grad"])
    assert result.status == Status.FAIL
    assert "set_yscale('log')" in result.message_en


@pytest.mark.parametrize(
    ("rnn", "lstm", "ok"), [(RNN_GRAD, LSTM_GRAD, True), (LSTM_GRAD, RNN_GRAD, False)]
)
def test_gradient_decay_contrast(rnn: list[float], lstm: list[float], ok: bool) -> None:
    facts = probe_facts(figure("f1", "gradient", "log", {"simple RNN": rnn, "LSTM": lstm}))
    result = run("gradient_decay_contrast", facts, n_points=200, keywords=["grad"])
    assert (result.status == Status.PASS) is ok
    assert math.isclose(
        result.evidence["decades_rnn"], 8.0 * (190 / 199) if ok else 0.95, rel_tol=0.1
    )


def test_x_values_partial_credit() -> None:
    facts = probe_facts(
        figure("f", "acc", "linear", {"RNN": [0.9, 0.8], "LSTM": [0.9, 0.9]}, x=[50, 100])
    )
    result = run("figure_x_values", facts, x_values=[50, 100, 200, 400], min_lines=2)
    assert result.score == 0.5
    assert result.status == Status.PARTIAL


def test_module_kinds() -> None:
    mods = [
        {"name": "m", "cls": "Net", "n_params": 10, "n_trainable": 10, "submodules": {"GRU": 1}}
    ]
    result = run("module_kinds", probe_facts(modules=mods), kinds=["RNN", "LSTM"])
    assert result.score == 0.0
    assert "RNN" in result.message_en


def test_practical_checks_report_a_crashed_run() -> None:
    facts = Facts(
        run=RunFacts.model_validate(
            {
                "outcome": "cell-error",
                "errors": [{"cell_index": 4, "code_cell": 3, "ename": "NameError", "evalue": "x"}],
            }
        )
    )
    result = run("figure_lines", facts, n_points=200, min_lines=2)
    assert result.status == Status.ERROR
    assert "code cell 3" in result.message_en
