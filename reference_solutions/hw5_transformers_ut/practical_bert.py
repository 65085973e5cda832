"""hw5-transformers-ut Q1 (practical): a BERT sentiment classifier on one sentence, with the
attention weights of every layer and head.

Golden file `p1_bert`: the tokens ([CLS] ... [SEP]), the number of layers and heads, the shape
of each attention map, that each attention row sums to 1, and that the two class probabilities
sum to 1. `smoke`: a tiny randomly initialised BertConfig with a word-level vocabulary written
on the fly (no download). `full`: a fine-tuned checkpoint (`textattack/bert-base-uncased-SST-2`)
through transformers' real loaders; its positive-class probability is recorded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import torch

SENTENCE = "I thought the movie would be good, but in the end it was terrible."
FULL_CHECKPOINT = "textattack/bert-base-uncased-SST-2"


def tiny_bert():
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    words = sorted(set(SENTENCE.lower().replace(",", " ,").replace(".", " .").split()))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vocab.txt"
        path.write_text("\n".join(vocab) + "\n", encoding="utf-8")
        tokenizer = BertTokenizer(str(path))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=2,
        attn_implementation="eager",  # sdpa returns no attention weights
    )
    return tokenizer, BertForSequenceClassification(config).eval()


def real_bert(device: str):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(FULL_CHECKPOINT)
    model = AutoModelForSequenceClassification.from_pretrained(
        FULL_CHECKPOINT, attn_implementation="eager"
    )
    return tokenizer, model.to(device).eval()


def analyse(tokenizer, model, device: str) -> dict[str, Any]:
    enc = tokenizer(SENTENCE, return_tensors="pt").to(device)
    with torch.no_grad():
        out = model(**enc, output_attentions=True)
    probs = out.logits.softmax(-1)[0].float().cpu()
    attentions = [a[0].float().cpu() for a in out.attentions]
    row_error = max(float((a.sum(-1) - 1).abs().max()) for a in attentions)
    if row_error >= ROW_SUM_TOLERANCE:
        raise AssertionError(f"attention rows do not sum to 1 (max error {row_error})")
    return {
        "tokens": tokenizer.convert_ids_to_tokens(enc["input_ids"][0]),
        "n_layers": len(attentions),
        "n_heads": int(attentions[0].shape[0]),
        "attention_shape": list(attentions[0].shape),
        # the raw error (~1e-7) depends on the CPU's code path: only the bound is recorded
        "attention_rows_sum_to_one_within": ROW_SUM_TOLERANCE,
        "probabilities_sum": float(probs.sum()),
        "positive_probability": float(probs[-1]),
        "model": "tiny BertConfig (random weights)"
        if model.config.hidden_size == 32
        else FULL_CHECKPOINT,
    }


# float32 forward passes: a rebuild on another CPU agrees to about 1e-6 relative, not to the last bit
GOLDEN_REL_TOL = 1e-4
ROW_SUM_TOLERANCE = 1e-5


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    tokenizer, model = tiny_bert() if profile == "smoke" else real_bert(device)
    return {"p1_bert": analyse(tokenizer, model.to(device), device)}
