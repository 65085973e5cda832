"""End to end: the hw5-transformers-ut example notebooks through `dlgrade grade --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[1] / "assignments" / "hw5-transformers-ut" / "examples"


@pytest.fixture(scope="module")
def graded() -> dict[str, dict]:
    folders = sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and p.name.startswith("HW"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "graders",
            "grade",
            "hw5-transformers-ut",
            *map(str, folders),
            "--json",
            "--no-report",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    return {s["students"][0]["number"]: s for s in data["submissions"]}


def practical_checks(sub: dict) -> dict[str, dict]:
    return {
        f"{q['id']}.{p['id']}.{c['id']}": c
        for q in sub["questions"]
        if q["id"] in {"P1", "P2"}
        for p in q["parts"]
        for c in p["checks"]
    }


def test_correct_notebook_passes_every_practical_check(graded: dict[str, dict]) -> None:
    sub = graded["402200001"]
    assert sub["outcome"] == "ok"
    c = practical_checks(sub)
    assert {k: v["status"] for k, v in c.items() if v["status"] != "pass"} == {}
    metrics = c["P2.c.metrics"]["evidence"]
    assert metrics["evaluated_on"] == "test" and metrics["n_evaluated"] == 300
    # "Test accuracy: 0.xxxx" and classification_report's rounded accuracy row both agree
    assert len(metrics["printed_test_accuracy"]) == 2
    assert all(
        abs(v - metrics["recomputed_accuracy"]) <= 0.005 for v in metrics["printed_test_accuracy"]
    )
    assert (
        0.2 < metrics["recomputed_accuracy"] < 0.9
    )  # the generated task is neither trivial nor chance


def test_planted_mistakes_are_found(graded: dict[str, dict]) -> None:
    c = practical_checks(graded["402200002"])
    failed = sorted(k for k, v in c.items() if v["status"] != "pass")
    assert failed == ["P2.b.mlp-architecture", "P2.c.confusion-matrix", "P2.c.metrics"]
    assert "3072-4096-1024-512-256-64-10" in c["P2.b.mlp-architecture"]["message_en"]
    metrics = c["P2.c.metrics"]
    assert metrics["score"] == 0  # training labels and a printed accuracy that disagrees
    assert "they are the training labels" in metrics["message_en"]
    assert metrics["evidence"]["evaluated_on"] == "train"
    assert "disagrees" in metrics["message_en"]
    assert metrics["evidence"]["figure"]["kind"] == "heatmap"
