"""The figure probe records what tells groups apart and every allowed presentation (issue 16):
line colours and styles, titles at any location, figure legends, log axes set any way, bar
charts as series; the checks then accept them. The instrumentation runs in a subprocess (it
patches pyplot), under a bare IPython shell, without a kernel: seconds."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graders.checks import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import load_golden

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = textwrap.dedent(
    """
    import builtins, json, sys
    import matplotlib
    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    builtins.get_ipython = lambda: shell
    from graders.probes import source
    exec(compile(source("instrument"), "<instrument>", "exec"), {"__name__": "probe"})
    import matplotlib.pyplot as plt
    import numpy as np
    state = sys.modules["_dlgrade_state"]
    t = np.arange(1, 201)

    # Experiment A as grouped bars under the tick labels 50/100/200/400
    fig, ax = plt.subplots()
    x = np.arange(4)
    ax.bar(x - 0.2, [0.97, 0.6, 0.52, 0.5], 0.4, label="RNN")
    ax.bar(x + 0.2, [1.0, 0.99, 0.98, 0.97], 0.4, label="LSTM")
    ax.set_xticks(x, ["50", "100", "200", "400"])
    ax.set_title("test accuracy", loc="left")
    plt.show()
    # Experiment B: semilogy in one figure, loglog in another
    plt.figure(); plt.semilogy(t, 10.0 ** (-0.07 * (200 - t))); plt.title("RNN gradient"); plt.show()
    plt.figure(); plt.loglog(t, 10.0 ** (-0.002 * (200 - t))); plt.title("LSTM gradient"); plt.show()
    # Experiment C: green/red without a legend; a figure-level legend on another
    plt.figure()
    for i in range(10):
        plt.plot(t, np.ones(200) + i, color="green" if i < 5 else "red")
    plt.title("RNN hidden state")
    plt.show()
    fig = plt.figure()
    for i in range(10):
        plt.plot(t, np.ones(200) + i, linestyle="-" if i < 5 else "--")
    fig.legend(["positive", "negative"])
    plt.title("LSTM cell state")
    plt.show()
    print(json.dumps(list(state.figures.values())))
    """
)


@pytest.fixture(scope="module")
def figures() -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


MODELS = [
    {
        "name": "rnn_model",
        "cls": "C",
        "n_params": 5000,
        "n_trainable": 5000,
        "submodules": {"RNN": 1},
    },
    {
        "name": "lstm_model",
        "cls": "C",
        "n_params": 9000,
        "n_trainable": 9000,
        "submodules": {"LSTM": 1},
    },
]


def test_probe_records_colours_styles_titles_legends_scales_and_bars(figures: list[dict]) -> None:
    acc, rnn_grad, lstm_grad, hidden, cell = figures
    bars = acc["axes"][0]["lines"]
    assert [b["label"] for b in bars] == ["RNN", "LSTM"]
    assert bars[0]["x"] == [50.0, 100.0, 200.0, 400.0] and bars[1]["y"][0] == 1.0
    assert acc["axes"][0]["title"] == "test accuracy"  # a left-aligned title
    assert rnn_grad["axes"][0]["yscale"] == lstm_grad["axes"][0]["yscale"] == "log"
    colours = [ln["color"] for ln in hidden["axes"][0]["lines"]]
    assert colours == ["#008000"] * 5 + ["#ff0000"] * 5
    assert [ln["linestyle"] for ln in cell["axes"][0]["lines"]] == ["-"] * 5 + ["--"] * 5
    assert cell["legend"] == ["positive", "negative"]


@pytest.mark.parametrize(
    "check",
    [
        "accuracy_by_length",
        "gradient_curves",
        "gradient_log_scale",
        "state_norm_curves",
        "cell_state_curves",
    ],
)
def test_checks_accept_these_presentations(figures: list[dict], check: str) -> None:
    facts = Facts(probe=ProbeFacts(figures=figures, modules=MODELS))
    result = get_check(check).run(facts, load_golden("hw5-rnn"), {})
    assert result.status == Status.PASS, result.message_en
