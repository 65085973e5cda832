"""Q2 captioning reference: committed smoke golden values, a fast rebuild of a subset, and the probe on real models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from graders.probes import source
from reference_solutions.bonus_llm_captioning import q2_captioning as q2
from reference_solutions.bonus_llm_captioning import q2_data as data
from reference_solutions.bonus_llm_captioning import q2_models as models

GOLDEN = (
    Path(__file__).resolve().parents[1]
    / "reference_solutions"
    / "bonus_llm_captioning"
    / "golden"
    / "smoke"
    / "q2_captioning.json"
)


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_committed_golden_models_beat_shuffled_captions(golden: dict) -> None:
    values = golden["values"]
    assert golden["provenance"]["profile"] == "smoke"
    for kind in q2.MODELS:
        for n in range(1, 5):
            band = values[kind]["band"][f"bleu{n}"]
            assert band["baseline"] <= band["low"] < band["high"] <= 1
        worst = min(run["bleu4"] for run in values[kind]["corpus_bleu"])
        assert worst > values["baseline_shuffled"]["bleu4"] + 0.1, kind
        sacre = values[kind]["sacrebleu"][0]
        assert sacre["bleu4"] > 1 and "smooth:exp" in sacre["signature4"]  # 0-100 scale, labelled
    assert values["published_flickr8k"]["source"].startswith("Xu et al. 2015")
    soft = values["published_flickr8k"]["rows"][0]
    assert (soft["bleu1"], soft["bleu4"]) == (67.0, 19.5)


def test_data_preparation_rebuilds_the_committed_facts(golden: dict, tmp_path: Path) -> None:
    prep = q2.prepare(q2.SMOKE)
    facts = golden["values"]["data"]
    assert len(prep.vocab) == facts["vocab_size"]
    assert {k: len(v) for k, v in prep.splits.items()} == facts["split_sizes"]
    assert [list(x) for x in facts["top20"]][:5] == [
        [w, n]
        for w, n in __import__("collections")
        .Counter(w for c in prep.words for w in c)
        .most_common(5)
    ]
    split_sets = [set(v) for v in prep.splits.values()]
    assert not (
        split_sets[0] & split_sets[1]
        or split_sets[0] & split_sets[2]
        or split_sets[1] & split_sets[2]
    )
    assert prep.encoded.shape[1] == q2.SMOKE.max_len and (prep.encoded == data.PAD).any()
    data.save_vocab(prep.vocab, tmp_path / "vocab.json")
    assert [
        w for w, i in sorted(data.load_vocab(tmp_path / "vocab.json").items(), key=lambda x: x[1])
    ][:4] == data.SPECIALS
    assert data.clean_caption("A Dog, 2 cats!") == ["a", "dog", "cats"]


@pytest.mark.slow
def test_cnn_rnn_really_learns(golden: dict) -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the reference build does: tiny models, a busy machine
    try:
        run = q2.run_seed(q2.SMOKE, 0, "cpu", kinds=("cnn_rnn",))
    finally:
        torch.set_num_threads(threads)
    table = run["models"]["cnn_rnn"]["table"]
    bleu = run["models"]["cnn_rnn"]["bleu"]["corpus_bleu"]
    baseline = q2.shuffled_baseline(table)
    assert bleu["bleu4"] > baseline["bleu4"] + 0.1
    assert bleu["bleu4"] >= golden["values"]["cnn_rnn"]["band"]["bleu4"]["low"]
    history = run["models"]["cnn_rnn"]["history"]
    assert history["val"][-1] < 0.6 * history["val"][0]


def _probe(namespace: dict) -> dict:
    code = source("probe_captioning")
    scope: dict = {}
    exec(compile(code, "probe_captioning", "exec"), scope)  # the probe's own source, as injected
    return json.loads(json.dumps(scope["_dlgrade_probe_captioning"](namespace, {})))


def test_probe_finds_attention_weights_and_the_causal_mask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch.manual_seed(0)
    monkeypatch.chdir(tmp_path)
    vocab = data.build_vocab([["a", "red", "circle"], ["a", "big", "blue", "square"]])
    data.save_vocab(vocab, "vocab.json")
    cnn = models.SmallCNN()
    attention = models.ImageCaptioningModel(
        models.Encoder(cnn.features, 64, spatial=True), models.AttentionDecoder(len(vocab), 64)
    )
    masked = models.ImageCaptioningModel(
        models.Encoder(cnn.features, 64, spatial=True, project_to=32),
        models.TransformerCaptionDecoder(len(vocab), d_model=32, max_len=8),
    )
    unmasked = models.ImageCaptioningModel(
        models.Encoder(models.SmallCNN().features, 64, spatial=True, project_to=32),
        models.TransformerCaptionDecoder(len(vocab), d_model=32, max_len=8),
    )
    unmasked.decoder.forward = lambda memory, captions, d=unmasked.decoder: d.fc(
        d.decoder(d.embed(captions) + d.position(torch.arange(captions.shape[1])), memory)
    )
    captions = torch.tensor([data.encode(["a", "big", "blue", "square"], vocab, 8)] * 2)
    namespace = {
        "attention_model": attention,
        "transformer_model": masked,
        "leaky_model": unmasked,
        "criterion": nn.CrossEntropyLoss(ignore_index=data.PAD),
        "splits": {"train": ["a", "b"], "val": ["c"], "test": ["c", "d"]},
        "encoded_captions": np.array([data.encode(["a", "red"], vocab, 8)] * 3),
        "sample_batch": (torch.randn(2, 3, 32, 32), captions),
    }
    out = _probe(namespace)
    assert out["vocab"]["from_file"] and out["vocab"]["special"]["<pad>"]["id"] == 0
    assert out["splits"]["overlap"]["val&test"] == 1
    assert out["captions"]["lengths"] == {"8": 3} and out["captions"]["has_pad"]
    assert out["losses"][0]["ignore_index"] == 0
    by_name = {m["name"]: m for m in out["models"]}
    assert by_name["attention_model"]["kind"] == "attention"
    assert by_name["attention_model"]["alphas"]["sum_min"] == pytest.approx(1, abs=1e-5)
    assert by_name["transformer_model"]["kind"] == "transformer"
    assert by_name["transformer_model"]["causal"]["max_change_before"] < 1e-6
    assert by_name["transformer_model"]["causal"]["max_change_after"] > 1e-4
    assert by_name["leaky_model"]["causal"]["max_change_before"] > 1e-4
    assert (
        0
        < by_name["transformer_model"]["encoder_trainable"]
        < by_name["transformer_model"]["encoder_params"]
    )
    assert masked.training  # the probe puts the model back in its mode
