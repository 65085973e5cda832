"""Grade the two bundled Q2 captioning notebooks (bonus-llm-captioning): one correct, one with planted mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.golden import load_golden
from graders.pipeline import grade_submission
from graders.scoring import GradeResult
from graders.spec.loader import load_spec

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[1] / "assignments" / "bonus-llm-captioning" / "examples"


@pytest.fixture(scope="module")
def graded() -> dict[str, GradeResult]:
    spec = load_spec("bonus-llm-captioning")
    golden = load_golden("bonus-llm-captioning")
    return {
        name: grade_submission(spec, EXAMPLES / name, golden)
        for name in ("HW7_Rahimi_810199104", "HW7_Sadeghi_810199105")
    }


def q2_checks(result: GradeResult) -> dict[str, dict]:
    q2 = next(q for q in result.to_json()["questions"] if q["id"] == "Q2")
    return {f"{p['id']}.{c['id']}": c for p in q2["parts"] for c in p["checks"]}


def test_correct_notebook_passes_every_q2_check(graded: dict[str, GradeResult]) -> None:
    result = graded["HW7_Rahimi_810199104"]
    assert result.outcome == "ok", result.run_message
    checks = q2_checks(result)
    assert {k: c["status"] for k, c in checks.items() if c["status"] != "pass"} == {}
    q2 = next(q for q in result.questions if q.id == "Q2")
    assert q2.raw_score == pytest.approx(110) and q2.score == pytest.approx(100)  # capped at 100
    heatmap = checks["attention.attention-weights"]["evidence"]["figure"]
    assert heatmap["kind"] == "heatmap" and len(heatmap["values"]) > 3
    captions = checks["transformer.bleu-band"]["evidence"]["figure"]
    assert captions["kind"] == "captions" and captions["items"][0]["image_png_b64"].startswith(
        "iVBOR"
    )
    assert "tok:13a" in checks["cnn-rnn.bleu-band"]["evidence"]["sacrebleu_signature"]


def test_planted_mistakes_are_found_and_explained(graded: dict[str, GradeResult]) -> None:
    result = graded["HW7_Sadeghi_810199105"]
    assert result.outcome == "ok", result.run_message
    checks = q2_checks(result)
    failed = {k for k, c in checks.items() if c["status"] != "pass"}
    planted = {
        "data.split-by-image",
        "cnn-rnn.loss-ignores-pad",
        "transformer.causal-mask",
        "bleu.cnn-rnn-reported",
        "bleu.attention-reported",
        "bleu.transformer-reported",
    }
    # a decoder that sees the future during training cannot caption on its own: its BLEU drops too
    assert planted <= failed <= planted | {"transformer.bleu-band", "cnn-rnn.bleu-band"}
    # the split that leaks images lifts the CNN-RNN's BLEU-4 above the 5-seed band: a TA decides
    leak = checks["cnn-rnn.bleu-band"]
    assert leak["status"] == "review" and "above the reference band" in leak["message_en"]
    assert "not by image" in checks["data.split-by-image"]["message_en"]
    assert "ignore_index=0" in checks["cnn-rnn.loss-ignores-pad"]["message_en"]
    assert "future" in checks["transformer.causal-mask"]["message_en"]
    assert "100 times" in checks["bleu.attention-reported"]["message_en"]
    assert "۱۰۰ برابر" in checks["bleu.attention-reported"]["message_fa"]
    q2 = next(q for q in result.questions if q.id == "Q2")
    assert 40 < q2.score < 90
