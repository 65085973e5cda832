"""Build and execute the example Q2 (image captioning) notebooks of bonus-llm-captioning.

Fixtures for the captioning graders; both notebooks share their cells and differ only where a
mistake is planted:

* ``HW7_Rahimi_810199104``  - correct: vocabulary file, padding, split by image, plots, the
  three captioners (frozen encoder, loss ignoring <pad>, attention weights, causal mask) and
  BLEU-1..4 reported on NLTK's 0-1 scale.
* ``HW7_Sadeghi_810199105`` - four planted mistakes: the split is made over caption rows, so
  images leak between train/val/test; the loss counts <pad> (no ignore_index); the transformer
  decoder has no causal mask; the reported BLEU is multiplied by 100.

The notebooks use the smoke-profile data (generated images of coloured shapes, five captions
each) and embed the reference data and model code (`reference_solutions/bonus_llm_captioning/
q2_data.py`, `q2_models.py`) as a student's notebook would hold its own code.

Regenerate from the repository root with::

    .venv/bin/python assignments/bonus-llm-captioning/examples/make_examples.py [--no-execute]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parents[2]
REFERENCE = ROOT / "reference_solutions" / "bonus_llm_captioning"
NOTEBOOK = "q2_captioning.ipynb"

CORRECT = "HW7_Rahimi_810199104"
MISTAKES = "HW7_Sadeghi_810199105"


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip("\n"))


def module_source(name: str) -> str:
    return (REFERENCE / name).read_text(encoding="utf-8")


SETUP = """
# ruff: noqa  (a student-style notebook; the grader does not lint it)
import json, random, time
from collections import Counter
import numpy as np
import torch
from torch import nn
import matplotlib.pyplot as plt
from nltk.translate.bleu_score import corpus_bleu

torch.set_num_threads(1)  # tiny models: one thread is faster
torch.manual_seed(0); random.seed(0); np.random.seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
t_start = time.time()
"""

PREP = """
# دادهٔ smoke: تصاویر ساختگی با ۵ کپشن برای هر تصویر (به‌جای Flickr8k)
images, rows = make_shapes_dataset(300, seed=0)
words = [clean_caption(c) for _, c in rows]
MAX_LEN = 16
__SPLIT__
train_ids = set(splits["train"])
vocab = build_vocab([w for (i, _), w in zip(rows, words) if i in train_ids])
save_vocab(vocab, "vocab.json")
inverse = {v: k for k, v in vocab.items()}
encoded_captions = np.array([encode(w, vocab, MAX_LEN) for w in words], dtype=np.int64)
print("vocabulary:", len(vocab), "special:", SPECIALS, "encoded:", encoded_captions.shape)
print({k: len(v) for k, v in splits.items()})

def load_image(image_id):
    return images[image_id]

fig, axes = plt.subplots(1, 5, figsize=(12, 3))
for ax, (image_id, caption) in zip(axes, random.sample(rows, 5)):
    ax.imshow(load_image(image_id)); ax.set_title(caption, fontsize=6); ax.axis("off")
plt.show()
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
plot_caption_lengths([len(w) for w in words], ax1)
plot_top_words(words, ax2)
plt.show()
"""

SPLIT_BY_IMAGE = "splits = split_by_image([i for i, _ in rows], seed=0)"
SPLIT_BY_CAPTION = """
# تقسیم روی سطرهای کپشن (اشتباه: تصاویر میان بخش‌ها نشت می‌کنند)
order = list(range(len(rows))); random.Random(0).shuffle(order)
cut1, cut2 = int(0.8 * len(order)), int(0.9 * len(order))
splits = {"train": [rows[k][0] for k in order[:cut1]], "val": [rows[k][0] for k in order[cut1:cut2]], "test": [rows[k][0] for k in order[cut2:]]}
""".strip()

TRAIN = """
all_ids = list(images)
index = {i: k for k, i in enumerate(all_ids)}
pixels = torch.from_numpy(np.stack([image_tensor(images[i]) for i in all_ids])).to(device)
captions_t = torch.from_numpy(encoded_captions).to(device)
image_of = torch.tensor([index[i] for i, _ in rows], device=device)
rows_in = lambda split: torch.tensor([k for k, (i, _) in enumerate(rows) if i in set(splits[split])], device=device)
train_rows, val_rows = rows_in("train"), rows_in("val")

# «پیش‌آموزش» CNN کوچک روی ویژگی‌های تصاویر آموزش (جایگزین ImageNet در پروفایل smoke)
first = {}
for (i, _), w in zip(rows, words):
    first.setdefault(i, " ".join(w))
labels = {c: k for k, c in enumerate(sorted(set(first.values())))}
tr = [index[i] for i in splits["train"]]
y = torch.tensor([labels[first[all_ids[j]]] for j in tr], device=device)
cnn = SmallCNN(n_classes=len(labels)).to(device)
opt = torch.optim.Adam(cnn.parameters(), lr=3e-3)
for _ in range(8):
    for b in torch.randperm(len(tr)).split(64):
        loss = nn.functional.cross_entropy(cnn(pixels[tr][b]), y[b]); opt.zero_grad(); loss.backward(); opt.step()

__CRITERION__
def make(kind):
    torch.manual_seed(0)
    if kind == "cnn_rnn":
        return ImageCaptioningModel(Encoder(cnn.features, 64, spatial=False), ShowTellDecoder(len(vocab), 64)).to(device)
    if kind == "attention":
        return ImageCaptioningModel(Encoder(cnn.features, 64, spatial=True), AttentionDecoder(len(vocab), 64)).to(device)
    return ImageCaptioningModel(Encoder(cnn.features, 64, spatial=True, project_to=64), TransformerCaptionDecoder(len(vocab), d_model=64, max_len=MAX_LEN)).to(device)

trained, histories = {}, {}
for kind, epochs in [("cnn_rnn", 5), ("attention", 5), ("transformer", 6)]:
    model = make(kind)
    cache = model.encoder.extract(pixels)
    histories[kind] = fit(model, cache, captions_t, image_of, train_rows, val_rows, criterion, epochs, lr=3e-3)
    trained[kind] = model
    print(kind, "val loss", [round(v, 3) for v in histories[kind]["val"]])
cnn_rnn_model, attention_model, transformer_model = trained["cnn_rnn"], trained["attention"], trained["transformer"]

fig, axes = plt.subplots(1, 3, figsize=(12, 3))
for ax, (kind, h) in zip(axes, histories.items()):
    ax.plot(h["train"], label="train"); ax.plot(h["val"], label="val"); ax.set_title(f"{kind} loss"); ax.set_xlabel("epoch"); ax.legend()
plt.show()
"""

CRITERION_OK = "criterion = nn.CrossEntropyLoss(ignore_index=PAD)"
CRITERION_PAD = "criterion = nn.CrossEntropyLoss()  # همهٔ توکن‌ها، حتی <pad>"

EVALUATE = """
test_ids = splits["test"] if len(set(splits["test"])) == len(splits["test"]) else sorted(set(splits["test"]))
references = {}
for (i, _), w in zip(rows, words):
    references.setdefault(i, []).append(" ".join(w))
test_pixels = torch.from_numpy(np.stack([image_tensor(images[i]) for i in test_ids])).to(device)
sample_batch = (test_pixels[:8], torch.tensor([encode(clean_caption(rows[[i for i, _ in rows].index(t)][1]), vocab, MAX_LEN) for t in test_ids[:8]]))

predictions, bleu_scores = {}, {}
for kind, model in trained.items():
    out = greedy_decode(model, test_pixels, START, END, MAX_LEN)
    predictions[kind] = [{"image_id": i, "prediction": decode(s, inverse), "references": references[i]} for i, s in zip(test_ids, out.tolist())]
    refs = [[r.split() for r in row["references"]] for row in predictions[kind]]
    hyps = [row["prediction"].split() for row in predictions[kind]]
    bleu_scores[kind] = {f"bleu{n}": corpus_bleu(refs, hyps, weights=tuple([1 / n] * n))__SCALE__ for n in range(1, 5)}
    print(kind, {k: round(v, 4) for k, v in bleu_scores[kind].items()}, "| e.g.", predictions[kind][0]["prediction"])

_, alphas = attention_model(sample_batch[0][:1].to(device), sample_batch[1][:1].to(device))
plt.figure(figsize=(6, 4))
plt.imshow(alphas[0].detach().cpu().numpy(), aspect="auto"); plt.title("attention heatmap (words x regions)"); plt.xlabel("region"); plt.ylabel("step")
plt.show()
print(f"done in {time.time() - t_start:.0f} s")
"""


def notebook(mistakes: bool) -> nbformat.NotebookNode:
    models_src = module_source("q2_models.py")
    if mistakes:
        models_src = models_src.replace("tgt_mask=causal, ", "")
        if "tgt_mask=causal" in models_src:
            raise RuntimeError("could not plant the missing causal mask")
    prep = PREP.replace("__SPLIT__", SPLIT_BY_CAPTION if mistakes else SPLIT_BY_IMAGE)
    train = TRAIN.replace("__CRITERION__", CRITERION_PAD if mistakes else CRITERION_OK)
    evaluate = EVALUATE.replace("__SCALE__", " * 100" if mistakes else "")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        md(
            "# پرسش ۲ — تولید کپشن برای تصاویر\n**Q2 — image captioning** (smoke data: generated "
            "shapes with five captions each)"
        ),
        code(SETUP),
        md("## ۱. آماده‌سازی داده (data preparation)"),
        code(module_source("q2_data.py")),
        code(prep),
        md("## ۲. مدل‌ها: CNN-RNN، CNN-RNN با توجه، CNN-Transformer"),
        code(models_src),
        code(train),
        md("## ۳. ارزیابی: کپشن‌های حریصانه و BLEU-1..4 (NLTK corpus BLEU)"),
        code(evaluate),
    ]
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true")
    args = parser.parse_args()
    for folder, mistakes in ((CORRECT, False), (MISTAKES, True)):
        nb = notebook(mistakes)
        out = EXAMPLES / folder
        out.mkdir(exist_ok=True)
        if not args.no_execute:
            t0 = time.perf_counter()
            NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(out)}}).execute()
            print(f"{folder}: executed in {time.perf_counter() - t0:.0f} s")
            for extra in out.glob("vocab.json"):
                extra.unlink()  # written by the run; the grader's run writes its own
        nbformat.write(nb, out / NOTEBOOK)


if __name__ == "__main__":
    main()
