"""Captioning checks (bonus-llm-captioning Q2) on hand-made probe facts, and the BLEU code against NLTK."""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest
from nltk.translate import bleu_score as nltk_bleu

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
from graders.checks.registry import get_check
from graders.checks.result import Status
from graders.facts import Facts, ProbeFacts
from graders.golden import Golden
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
