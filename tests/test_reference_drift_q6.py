"""hw5-rnn Q6 rebuilt as another machine would: results stay inside the committed bands.

Each case rebuilds a fast subset (one seed, lengths 50 and 200: experiments A, B and C) in a
fresh subprocess under other numeric conditions: MKL's conditional-numerical-reproducibility
path forced to COMPATIBLE (what another CPU takes), one vs two torch threads, and seeds the
committed build never saw. Every rebuilt band run must lie inside the committed band.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graders.golden import load_golden
from graders.golden_drift import compare_bands, is_scalar_band

ROOT = Path(__file__).resolve().parents[1]

SUBSET = """
import json, sys, torch
from dataclasses import replace
from reference_solutions.hw5_rnn import q6_practical as q6
threads, seeds = int(sys.argv[1]), tuple(int(s) for s in sys.argv[2].split(","))
torch.set_num_threads(threads)
cfg = replace(q6.SMOKE, seeds=seeds, lengths=(50, 200))
raw = q6.run_experiments(cfg, lambda n: q6.smoke_data(cfg, n), "cpu")
print(json.dumps(q6.golden_values(raw, cfg)))
"""

CONDITIONS = {
    "mkl-compatible-1-thread-seed0": ({"MKL_CBWR": "COMPATIBLE"}, 1, "0"),
    "2-threads-unseen-seed7": ({}, 2, "7"),
    "omp1-unseen-seeds-9-5": ({"OMP_NUM_THREADS": "1"}, 1, "9,5"),
}


def rebuild_subset(env: dict[str, str], threads: int, seeds: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", SUBSET, str(threads), seeds],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_q6_subset_inside_committed_bands(condition: str) -> None:
    env, threads, seeds = CONDITIONS[condition]
    rebuilt = rebuild_subset(env, threads, seeds)
    committed = load_golden("hw5-rnn").documents["q6"]["values"]
    keys = [k for k, v in rebuilt.items() if is_scalar_band(v) and "runs" in v]
    assert {"acc.rnn.50", "acc.lstm.200", "train_acc.rnn.200", "grad_decay.rnn"} <= set(keys)
    rows = compare_bands({k: committed[k] for k in keys}, {k: rebuilt[k] for k in keys})
    outside = [r for r in rows if not r.inside]
    assert not outside, outside
    # the property the task is built on, on this condition too
    assert rebuilt["grad_decay.rnn"]["mean"] > 5 * rebuilt["grad_decay.lstm"]["mean"]
    for n in (50, 200):
        assert rebuilt[f"acc.lstm.{n}"]["runs_low"] >= 0.95
        assert rebuilt[f"acc.rnn.{n}"]["runs_high"] <= 0.6
        assert rebuilt[f"train_acc.rnn.{n}"]["runs_low"] >= 0.8  # memorised noise, not the marker


def test_q6_bands_are_built_by_the_rule() -> None:
    """At least 5 seeds; every band records its runs, spread and margin, and covers its runs."""
    from graders.metrics.curve_math import MIN_SEEDS

    values = load_golden("hw5-rnn").documents["q6"]["values"]
    assert values["n_seeds"] >= MIN_SEEDS
    bands = {k: v for k, v in values.items() if is_scalar_band(v) and "runs" in v}
    assert len(bands) >= 2 * 4 * 2 + 2
    for key, band in bands.items():
        assert len(band["runs"]) >= MIN_SEEDS, key
        assert band["spread"] == pytest.approx(band["runs_high"] - band["runs_low"], abs=1e-12)
        assert band["low"] <= band["runs_low"] <= band["runs_high"] <= band["high"], key
        assert band["margin"] >= 0.5 * band["spread"] - 1e-12, key


def test_q6_full_prerequisites_are_checked_first(tmp_path: Path, monkeypatch) -> None:
    """The full profile names a bad IMDb folder before anything runs; smoke needs nothing."""
    from reference_solutions.hw5_rnn import q6_practical as q6

    assert q6.prerequisites("smoke") == []
    monkeypatch.setenv("DLGRADE_IMDB_PATH", str(tmp_path))
    (problem,) = q6.prerequisites("full")
    assert "DLGRADE_IMDB_PATH" in problem[1] and "aclImdb" in problem[1]
    (tmp_path / "train" / "pos").mkdir(parents=True)
    assert q6.prerequisites("full") == []
