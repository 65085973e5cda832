"""End to end: the bonus Q1 (PEFT) example notebooks through `dlgrade grade --json`, smoke mode.

One correct notebook and two with planted mistakes (labels not masked + LoRA with the base not
frozen; an optimizer that never trains the virtual tokens + the wrong layers unfrozen).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[1] / "assignments" / "bonus-llm-captioning" / "examples"
NAMES = ["HW7_Ahmadi_810199101", "HW7_Bagheri_810199102", "HW7_Karimi_810199103"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("q1")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "graders",
            "grade",
            "bonus-llm-captioning",
            *(str(EXAMPLES / n) for n in NAMES),
            "--json",
            "--no-report",
            "--gradebook",
            str(out / "gradebook.db"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    return {s["submission"]: s for s in data["submissions"]}


def q1(sub: dict) -> tuple[dict, dict[str, dict]]:
    question = next(q for q in sub["questions"] if q["id"] == "Q1")
    checks = {f"{p['id']}.{c['id']}": c for p in question["parts"] for c in p["checks"]}
    return question, checks


def not_passed(sub: dict) -> list[str]:
    return sorted(k for k, c in q1(sub)[1].items() if c["status"] != "pass")


def test_correct_notebook_gets_full_marks(graded: dict[str, dict]) -> None:
    sub = graded["HW7_Ahmadi_810199101"]
    assert sub["outcome"] == "ok"
    question, checks = q1(sub)
    assert not_passed(sub) == []
    assert question["score"] == 100  # 105 with the DoRA/rsLoRA bonus, capped at 100
    # r=4 is not the reference's r=8: counted for the student's own config
    count = checks["3.trainable-count"]["evidence"]["models"][0]
    assert count["found"] == count["expected"][0] == 6 * 4 * (2 * (64 + 64) + 2 * (64 + 32))
    assert checks["2.base-frozen"]["evidence"]["tensors_compared"] > 0


def test_unmasked_labels_and_unfrozen_lora(graded: dict[str, dict]) -> None:
    sub = graded["HW7_Bagheri_810199102"]
    question, checks = q1(sub)
    assert not_passed(sub) == [
        "1.labels-masked",
        "3-bonus.variant",
        "3.base-frozen",
        "3.trainable-count",
    ]
    assert "not masked" in checks["1.labels-masked"]["message_en"]
    assert "not frozen" in checks["3.base-frozen"]["message_en"]
    assert "10,752" in checks["3.trainable-count"]["message_en"]
    assert question["score"] == pytest.approx(35 + 35 * 4 / 8 + 15 + 5)


def test_untrained_prompt_and_wrong_layers(graded: dict[str, dict]) -> None:
    sub = graded["HW7_Karimi_810199103"]
    question, checks = q1(sub)
    failed = not_passed(sub)
    assert {"2.prompt-trained", "2.loss-decreases", "4.layers"} <= set(failed)
    assert set(failed) <= {"2.prompt-trained", "2.loss-decreases", "2.generations", "4.layers"}
    assert "[0, 1, 3, 4]" in checks["4.layers"]["message_en"]
    assert "vocabulary rows" in checks["2.prompt-trained"]["message_en"]
    assert checks["4.trainable-count"]["status"] == "pass"  # four whole layers, just the wrong ones
    generations = checks["2.generations"]["score"]  # untrained prompt: answers may not change
    assert question["score"] == pytest.approx(
        10 + 35 * (8 - 3 - (1 - generations)) / 8 + 35 + 5 + 15 * 4 / 6 + 5
    )
