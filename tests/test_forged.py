"""The forgery suite (tests/files/forged): notebooks that claim success without doing the work.

Each forged submission attacks one practical question (fabricated prediction tables, printed-only
numbers, labels copied from predictions, a monkeypatched parameter count, made-up curves of the
right shape, typed-in training histories). None may end with more than a third of that
question's points, and the check it attacks must say what did not add up.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from graders.golden import load_golden
from graders.pipeline import grade_submission
from graders.scoring import GradeResult
from graders.spec.loader import load_spec

pytestmark = pytest.mark.slow

FORGED = Path(__file__).resolve().parent / "files" / "forged"
INDEX = json.loads((FORGED / "index.json").read_text(encoding="utf-8"))

# forged submission -> (the attacked check "part.check", what its English message must say)
EXPECTED = {
    "bonus-llm-captioning/Forged_Q2_copied_table_000000": (
        "cnn-rnn.bleu-band",
        "above the reference band",
    ),
    "bonus-llm-captioning/Forged_Q2_one_row_000000": (
        "cnn-rnn.bleu-band",
        "not images of the data set",
    ),
    "bonus-llm-captioning/Forged_Q2_printed_000000": (
        "bleu.cnn-rnn-reported",
        "no predictions table",
    ),
    "bonus-llm-captioning/Forged_Q1_fabricated_results_000000": (
        "3.loss-decreases",
        "built no LoRA model",
    ),
    "hw5-transformers-ut/Forged_P2_copied_labels_000000": (
        "c.metrics",
        "they are the predictions themselves",
    ),
    "hw5-transformers-ut/Forged_P2_printed_000000": ("c.metrics", "not kept in the notebook"),
    "hw5-transformers-ut/Forged_P2_patched_params_000000": ("b.mlp-architecture", "(patched)"),
    "hw5-rnn/Forged_Q6_made_up_curves_000000": ("B.rnn-decays-faster", "no recurrent model"),
    "hw5-rnn/Forged_Q6_printed_000000": ("A.accuracy-lengths", "no recurrent model"),
}


@pytest.fixture(scope="module")
def graded() -> dict[str, GradeResult]:
    out = {}
    for key in INDEX:
        assignment = key.split("/")[0]
        out[key] = grade_submission(load_spec(assignment), FORGED / key, load_golden(assignment))
    return out


def test_every_forgery_is_listed() -> None:
    assert set(INDEX) == set(EXPECTED)
    assert all((FORGED / key / "forged.ipynb").is_file() for key in INDEX)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_forgery_gets_at_most_a_third(graded: dict[str, GradeResult], key: str) -> None:
    result = graded[key]
    assert result.outcome == "ok", result.run_message  # it ran: the checks, not a crash, decide
    question = next(q for q in result.questions if q.id == INDEX[key]["question"])
    points = min(question.max, question.cap if question.cap is not None else math.inf)
    assert question.score <= points / 3, (key, question.score, points)
    data = next(q for q in result.to_json()["questions"] if q["id"] == question.id)
    checks = {f"{p['id']}.{c['id']}": c for p in data["parts"] for c in p["checks"]}
    check_id, needle = EXPECTED[key]
    attacked = checks[check_id]
    assert attacked["score"] == 0 and attacked["status"] in {"fail", "review"}
    assert needle in attacked["message_en"], attacked["message_en"]
    assert attacked["message_fa"]  # Persian first, for the report
