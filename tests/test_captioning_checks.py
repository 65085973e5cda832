"""Captioning checks (bonus-llm-captioning Q2) on hand-made probe facts, and the BLEU code against NLTK."""

from __future__ import annotations

import random
import warnings
from pathlib import Path
from typing import Any

import pytest
from nltk.translate import bleu_score as nltk_bleu

from graders.checks.captioning.bleu_checks import caption_bleu_band, caption_bleu_reported
from graders.checks.captioning.data import (
    caption_padding,
    caption_split_by_image,
    caption_vocab_file,
)
from graders.checks.captioning.models import (
    caption_attention_weights,
    caption_causal_mask,
    caption_encoder_frozen,
    caption_loss_ignores_pad,
)
from graders.checks.ground_truth import Missing, caption_references
from graders.checks.registry import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden, load_golden
from graders.metrics.bleu import bleu_1_to_4, corpus_bleu, sacrebleu_1_to_4, tokens

WORDS = [
    "a",
    "red",
    "blue",
    "green",
    "circle",
    "square",
    "triangle",
    "on",
    "the",
    "left",
    "right",
    "small",
    "big",
]


def facts(**captioning: Any) -> Facts:
    return Facts(probe=ProbeFacts(extras={"captioning": captioning}))


def params(name: str, **kw: Any):
    return get_check(name).params_model.model_validate(kw)


@pytest.mark.parametrize("seed", range(4))
def test_corpus_bleu_matches_nltk(seed: int) -> None:
    rng = random.Random(seed)
    refs = [
        [rng.choices(WORDS, k=rng.randint(2, 9)) for _ in range(rng.randint(1, 5))]
        for _ in range(40)
    ]
    hyps = [rng.choices(WORDS, k=rng.randint(1, 9)) for _ in range(40)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in range(1, 5):
            expected = nltk_bleu.corpus_bleu(refs, hyps, weights=tuple([1 / n] * n))
            assert corpus_bleu(refs, hyps, n) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("refs", "hyp", "expected"),
    [
        (["a red circle on the left"], "A red circle, on the left.", 1.0),  # normalised first
        (["a red circle on the left"], "a red", 0.0),  # no 4-gram: NLTK-style BLEU-4 is 0
        (["a red circle on the left"], "<start> a red circle on the left <end>", 1.0),
    ],
)
def test_bleu4_table(refs: list[str], hyp: str, expected: float) -> None:
    assert bleu_1_to_4([refs], [hyp])["bleu4"] == pytest.approx(expected)


def test_sacrebleu_scale_and_signature() -> None:
    out = sacrebleu_1_to_4([["a big red circle on the left", "a red circle"]], ["a big red circle"])
    nltk_like = bleu_1_to_4(
        [["a big red circle on the left", "a red circle"]], ["a big red circle"]
    )
    assert out["bleu1"] == pytest.approx(100 * nltk_like["bleu1"])  # same words, 0-100 scale
    assert "nrefs:2" in out["signature1"] and "version:" in out["signature4"]
    assert tokens("The <end> Dog!") == ["the", "dog"]


def test_vocab_file_needs_special_tokens_and_a_file() -> None:
    special = {
        k: {"token": k, "id": i} for i, k in enumerate(["<pad>", "<start>", "<end>", "<unk>"])
    }
    ok = caption_vocab_file(
        facts(vocab={"source": "vocab.json", "from_file": True, "size": 30, "special": special}),
        Golden.empty(),
        params("caption_vocab_file"),
    )
    assert ok.status == Status.PASS
    special["<unk>"] = {"token": None, "id": None}
    partial = caption_vocab_file(
        facts(
            vocab={"source": "variable vocab", "from_file": False, "size": 30, "special": special}
        ),
        Golden.empty(),
        params("caption_vocab_file"),
    )
    assert partial.score == pytest.approx(3 / 4 * 0.5)
    assert "<unk>" in partial.message_en and "not saved to a file" in partial.message_en
    assert (
        caption_vocab_file(facts(), Golden.empty(), params("caption_vocab_file")).status
        == Status.FAIL
    )


@pytest.mark.parametrize(
    ("lengths", "has_pad", "score"),
    [({16: 100}, True, 1.0), ({9: 50, 12: 50}, False, 0.0), ({16: 100}, False, 0.5)],
)
def test_padding(lengths: dict[int, int], has_pad: bool, score: float) -> None:
    r = caption_padding(
        facts(captions={"n_rows": 100, "lengths": lengths, "has_pad": has_pad}),
        Golden.empty(),
        params("caption_padding"),
    )
    assert r.score == score


def test_split_leakage_and_fractions() -> None:
    p = params("caption_split_by_image")
    clean = {
        "sizes": {"train": 80, "val": 10, "test": 10},
        "unique": {"train": 80, "val": 10, "test": 10},
        "overlap": {"train&val": 0, "train&test": 0, "val&test": 0},
    }
    assert caption_split_by_image(facts(splits=clean), Golden.empty(), p).status == Status.PASS
    leak = {
        **clean,
        "overlap": {"train&val": 7, "train&test": 9, "val&test": 1},
        "overlap_examples": ["img0003.png"],
    }
    r = caption_split_by_image(facts(splits=leak), Golden.empty(), p)
    assert (
        r.status == Status.FAIL and "not by image" in r.message_en and "img0003.png" in r.message_en
    )
    skewed = {**clean, "unique": {"train": 60, "val": 20, "test": 20}}
    assert caption_split_by_image(facts(splits=skewed), Golden.empty(), p).score == 0.5


@pytest.mark.parametrize(
    ("losses", "status"),
    [
        ([{"name": "criterion", "cls": "CrossEntropyLoss", "ignore_index": 0}], Status.PASS),
        ([{"name": "criterion", "cls": "CrossEntropyLoss", "ignore_index": -100}], Status.FAIL),
        ([], Status.REVIEW),
    ],
)
def test_loss_ignores_pad(losses: list[dict], status: Status) -> None:
    r = caption_loss_ignores_pad(
        facts(losses=losses, pad_id=0), Golden.empty(), params("caption_loss_ignores_pad")
    )
    assert r.status == status


def model(kind: str, **kw: Any) -> dict[str, Any]:
    return {
        "name": f"{kind}_model",
        "cls": "ImageCaptioningModel",
        "classes": ["ImageCaptioningModel", "Module"],
        "kind": kind,
        **kw,
    }


def test_encoder_frozen() -> None:
    p = params("caption_encoder_frozen", kind="transformer")
    projected = model("transformer", encoder_params=60000, encoder_trainable=4160)
    assert (
        caption_encoder_frozen(facts(models=[projected]), Golden.empty(), p).status == Status.PASS
    )
    thawed = model("transformer", encoder_params=60000, encoder_trainable=60000)
    r = caption_encoder_frozen(facts(models=[thawed]), Golden.empty(), p)
    assert r.status == Status.FAIL and "requires_grad=False" in r.message_en
    assert caption_encoder_frozen(facts(models=[]), Golden.empty(), p).status == Status.FAIL


def test_attention_weights_sum_to_one_and_give_a_heatmap() -> None:
    alphas = {
        "shape": [4, 15, 16],
        "sum_min": 0.99999,
        "sum_max": 1.00001,
        "min": 0.0,
        "heatmap": [[1 / 16] * 16] * 3,
        "row_labels": ["<start>", "a", "red"],
    }
    r = caption_attention_weights(
        facts(models=[model("attention", alphas=alphas)]),
        Golden.empty(),
        params("caption_attention_weights"),
    )
    assert r.status == Status.PASS
    assert (
        r.evidence["figure"]["kind"] == "heatmap" and r.evidence["figure"]["row_labels"][1] == "a"
    )
    unnormalised = {**alphas, "sum_min": 3.2, "sum_max": 7.5}
    r = caption_attention_weights(
        facts(models=[model("attention", alphas=unnormalised)]),
        Golden.empty(),
        params("caption_attention_weights"),
    )
    assert r.status == Status.FAIL and "softmax" in r.message_en


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [(0.0, 2.1, Status.PASS), (0.8, 2.1, Status.FAIL), (0.0, 0.0, Status.REVIEW)],
)
def test_causal_mask(before: float, after: float, status: Status) -> None:
    m = model(
        "transformer",
        causal={"position": 5, "max_change_before": before, "max_change_after": after},
    )
    assert (
        caption_causal_mask(facts(models=[m]), Golden.empty(), params("caption_causal_mask")).status
        == status
    )


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
    assert r.evidence["dataset_images"] == 100 and r.evidence["recomputed_corpus_bleu"]["bleu4"] == 1.0
    assert r.status == Status.REVIEW  # BLEU 1.0 is above the band; the references were the file's


def test_untrusted_probe_output_is_validated() -> None:
    r = caption_padding(
        facts(captions={"lengths": {"x": "y"}}), Golden.empty(), params("caption_padding")
    )
    assert r.status == Status.ERROR
    assert (
        caption_padding(Facts(), Golden.empty(), params("caption_padding")).status == Status.ERROR
    )
