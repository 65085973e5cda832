"""Captioning BLEU checks against the grader's own references (the smoke data set rebuilt from
its seed): reported BLEU recomputed, the golden band, fabricated rows, the test split's coverage,
the full profile's Flickr captions, untrusted probe output. Split from test_captioning_checks.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graders.checks.captioning.bleu_checks import caption_bleu_band, caption_bleu_reported
from graders.checks.captioning.data import caption_padding
from graders.checks.ground_truth import Missing, caption_references
from graders.checks.registry import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden, load_golden
from graders.metrics.bleu import bleu_1_to_4


def facts(**captioning: Any) -> Facts:
    return Facts(probe=ProbeFacts(extras={"captioning": captioning}))


def params(name: str, **kw: Any):
    return get_check(name).params_model.model_validate(kw)


GOLDEN = load_golden("bonus-llm-captioning")
REFS = caption_references(
    GOLDEN, None
)  # the grader's own: the smoke data set rebuilt from its seed
assert not isinstance(REFS, Missing)
SPLIT = sorted(REFS)[-30:]  # a test split of 30 images (10 % of 300)


WRONG = (
    {c: "purple" for c in ("red", "green", "blue", "yellow")}
    | {s: "hexagon" for s in ("circle", "square", "triangle")}
    | {"left": "top", "right": "top", "small": "huge", "big": "huge"}
)


def table(ids: list[str], good: int) -> list[dict[str, Any]]:
    """The first `good` images captioned with a reference, the rest with the wrong attributes."""
    rows = []
    for k, i in enumerate(ids):
        words = REFS[i][0].split()
        if k >= good:
            words = [WRONG.get(w, w) for w in words]
        rows.append(
            {
                "image_id": i,
                "prediction": " ".join(words).capitalize() + ".",
                "references": list(REFS[i]),
            }
        )
    return rows


def split_facts(rows: list[dict[str, Any]], test: list[str] | None = SPLIT, **kw: Any) -> Facts:
    splits = {"unique": {"train": 240, "val": 30, "test": 30}, "test_ids": test or []}
    return facts(predictions={"cnn_rnn": rows}, splits=splits, **kw)


def rows_inside_band() -> list[dict[str, Any]]:
    """The fewest correctly captioned images whose BLEU-4 lies well inside the cnn_rnn band."""
    band = GOLDEN.get("q2_captioning:cnn_rnn")["band"]["bleu4"]
    for good in range(len(SPLIT) + 1):
        rows = table(SPLIT, good)
        bleu4 = bleu_1_to_4([r["references"] for r in rows], [r["prediction"] for r in rows])
        if band["low"] + 0.02 <= bleu4["bleu4"] <= band["high"] - 0.02:
            return rows
    raise AssertionError(f"no table of this test lands inside {band}")


ROWS = rows_inside_band()  # BLEU-4 inside the cnn_rnn band, below its upper end


def test_reported_bleu_recomputed_and_x100_flagged() -> None:
    true = bleu_1_to_4([r["references"] for r in ROWS], [r["prediction"] for r in ROWS])
    p = params("caption_bleu_reported", model="cnn_rnn")
    ok = caption_bleu_reported(split_facts(ROWS, bleu_reported={"cnn_rnn": true}), GOLDEN, p)
    assert ok.status == Status.PASS, ok.message_en
    x100 = {k: 100 * v for k, v in true.items()}
    r = caption_bleu_reported(split_facts(ROWS, bleu_reported={"cnn_rnn": x100}), GOLDEN, p)
    assert r.status == Status.FAIL and "100 times" in r.message_en
    off = {k: v + 0.05 for k, v in true.items()}
    r = caption_bleu_reported(split_facts(ROWS, bleu_reported={"cnn_rnn": off}), GOLDEN, p)
    assert r.status == Status.FAIL and "does not match" in r.message_en


def test_bleu_band_against_golden() -> None:
    band = GOLDEN.get("q2_captioning:cnn_rnn")["band"]["bleu4"]
    p = params("caption_bleu_band", model="cnn_rnn")
    good = caption_bleu_band(split_facts(ROWS, thumbnails={SPLIT[0]: "iVBO"}), GOLDEN, p)
    assert good.status == Status.PASS, good.message_en
    assert band["low"] <= good.evidence["recomputed_corpus_bleu"]["bleu4"] <= band["high"]
    fig = good.evidence["figure"]
    assert fig["kind"] == "captions" and fig["items"][0]["image_png_b64"] == "iVBO"
    bad = caption_bleu_band(split_facts(table(SPLIT, 0)), GOLDEN, p)
    assert bad.status != Status.PASS and "below the reference band" in bad.message_en
    assert bad.score < 1


def test_one_fabricated_row_is_not_credited() -> None:
    """Gap 1 of issue 16: one row whose prediction equals its own reference scored BLEU 1.0."""
    fake = [
        {
            "image_id": "x",
            "prediction": "a dog runs on the grass",
            "references": ["a dog runs on the grass"],
        }
    ]
    p = params("caption_bleu_band", model="cnn_rnn")
    r = caption_bleu_band(facts(predictions={"cnn_rnn": fake}), GOLDEN, p)
    assert r.status == Status.FAIL and r.score == 0
    assert "not images of the data set" in r.message_en and "only 0 images" in r.message_en
    assert "تصویری از دادگان نیست" in r.message_fa
    # the same trick on real image ids: the grader's references are used, not the table's
    own = [{"image_id": i, "prediction": "a cat", "references": ["a cat"]} for i in SPLIT]
    r = caption_bleu_band(split_facts(own), GOLDEN, p)
    assert r.evidence["recomputed_corpus_bleu"]["bleu4"] == 0.0 and r.score == 0
    assert r.evidence["rows_whose_references_differ_from_the_data_set"] == 30


@pytest.mark.parametrize(
    ("rows", "test", "needle"),
    [
        (
            table(SPLIT[:20], 8),
            SPLIT,
            "10 of the 30 images of your test split have no generated caption",
        ),
        (table(sorted(REFS)[:30], 12), SPLIT, "not in your test split"),
        (table(SPLIT[:15], 6), None, "only 15 images were evaluated"),
    ],
)
def test_predictions_must_cover_the_test_split(
    rows: list[dict[str, Any]], test: list[str] | None, needle: str
) -> None:
    for name in ("caption_bleu_band", "caption_bleu_reported"):
        r = get_check(name).run(split_facts(rows, test), GOLDEN, {"model": "cnn_rnn"})
        assert r.status == Status.FAIL and r.score == 0
        assert needle in r.message_en


def test_bleu_above_the_band_goes_to_a_ta() -> None:
    """Predictions equal to a reference caption: BLEU-4 1.0, above any reference run plus margin."""
    perfect = table(SPLIT, 30)
    r = caption_bleu_band(
        split_facts(perfect), GOLDEN, params("caption_bleu_band", model="cnn_rnn")
    )
    assert r.status == Status.REVIEW and r.score == 0
    assert "above the reference band" in r.message_en


def test_bleu_without_the_graders_references_goes_to_a_ta() -> None:
    full = Golden(
        {"q2_captioning": {**GOLDEN.documents["q2_captioning"], "provenance": {"profile": "full"}}},
        "t",
    )
    r = caption_bleu_band(split_facts(ROWS), full, params("caption_bleu_band", model="cnn_rnn"))
    assert r.status == Status.REVIEW and "captions.txt" in r.message_en


def test_full_profile_reads_flickr_captions_from_the_data_mount(tmp_path: Path) -> None:
    ids = [f"{k}.jpg" for k in range(100)]
    lines = ["image,caption"] + [f"{i},A dog, running on grass." for i in ids]
    (tmp_path / "captions.txt").write_text("\n".join(lines), encoding="utf-8")
    full = Golden(
        {"q2_captioning": {**GOLDEN.documents["q2_captioning"], "provenance": {"profile": "full"}}},
        "t",
    )
    rows = [
        {"image_id": i, "prediction": "a dog running on grass", "references": []} for i in ids[:10]
    ]
    f = Facts(
        probe=ProbeFacts(
            extras={
                "captioning": {"predictions": {"cnn_rnn": rows}, "splits": {"test_ids": ids[:10]}}
            }
        ),
        data_root=str(tmp_path),
    )
    r = caption_bleu_band(f, full, params("caption_bleu_band", model="cnn_rnn"))
    assert (
        r.evidence["dataset_images"] == 100 and r.evidence["recomputed_corpus_bleu"]["bleu4"] == 1.0
    )
    assert r.status == Status.REVIEW  # BLEU 1.0 is above the band; the references were the file's


def test_untrusted_probe_output_is_validated() -> None:
    r = caption_padding(
        facts(captions={"lengths": {"x": "y"}}), Golden.empty(), params("caption_padding")
    )
    assert r.status == Status.ERROR
    assert (
        caption_padding(Facts(), Golden.empty(), params("caption_padding")).status == Status.ERROR
    )
