"""Build and execute the example notebooks of hw5-transformers-ut (the practical questions).

* ``HW5_Sadeghi_402200001`` - correct: a BERT classifier with its attention map, BEiT
  segmentation, the MLP 3072-4096-2048-1024-512-256-64-10 with test metrics recomputable from
  ``y_true``/``y_pred``, a confusion matrix, and the BEiT classifier's curves.
* ``HW5_Bahrami_402200002`` - planted mistakes: the MLP lacks the 2048 layer, its metrics are
  computed on the training set, the printed "test accuracy" is the last training batch's, and
  the confusion matrix is not drawn.

Nothing is downloaded: tiny ``BertConfig``/``BeitConfig`` models with random weights, and the
generated 32x32 images of the reference's smoke profile stand in for CIFAR-10: a fixed template
per class, a quarter of each class's images showing its look-alike's template (class c+1),
under mild noise; the same task as `practical_mlp.make_images`, so a correct MLP reaches the
reference's accuracy band (about 72%, the share of images that show their own template).
Regenerate from the repository root:

    .venv/bin/python assignments/hw5-transformers-ut/examples/make_examples.py [--no-execute]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES_DIR = Path(__file__).resolve().parent
NOTEBOOK_NAME = "hw5_practical.ipynb"

SETUP_TEMPLATE = """
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.metrics import {metrics}
from torch import nn
from transformers import (
    BeitConfig,
    BeitForImageClassification,
    BeitForSemanticSegmentation,
    BertConfig,
    BertForSequenceClassification,
    BertTokenizer,
)

torch.manual_seed(0)
torch.set_num_threads(2)
plt.rcParams.update({"figure.dpi": 60})
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
"""

BERT = """
# Q1: BERT sentiment of one sentence, with attention weights (a tiny random BERT stands in for a
# fine-tuned checkpoint, which cannot be downloaded here)
sentence = "I thought the movie would be good, but in the end it was terrible."
words = sorted(set(sentence.lower().replace(",", " ,").replace(".", " .").split()))
with open("vocab.txt", "w") as f:
    f.write("\\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\\n")
tokenizer = BertTokenizer("vocab.txt")
bert = BertForSequenceClassification(BertConfig(
    vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, num_labels=2, attn_implementation="eager")).eval()
enc = tokenizer(sentence, return_tensors="pt")
with torch.no_grad():
    out = bert(**enc, output_attentions=True)
sentiment_score = out.logits.softmax(-1)[0, 1].item()
tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"][0])
print("tokens:", tokens)
print(f"positive probability: {sentiment_score:.3f}")

fig, ax = plt.subplots(figsize=(5, 4.5))
ax.imshow(out.attentions[-1][0, 0], cmap="viridis")
ax.set_xticks(range(len(tokens)), tokens, rotation=90)
ax.set_yticks(range(len(tokens)), tokens)
ax.set_title("BERT attention (last layer, head 0)")
plt.show()
"""

BEIT_SEG = """
# Q2a: BEiT semantic segmentation of a sample image (tiny random BEiT)
seg_model = BeitForSemanticSegmentation(BeitConfig(
    image_size=32, patch_size=4, hidden_size=32, num_hidden_layers=4, num_attention_heads=2,
    intermediate_size=64, num_labels=5, out_indices=[1, 2, 3, 4], use_auxiliary_head=False,
    pool_scales=[1, 2], channels=16)).eval()
image = torch.rand(1, 3, 32, 32)
with torch.no_grad():
    seg = seg_model(pixel_values=image).logits.argmax(1)[0]
fig, axes = plt.subplots(1, 2, figsize=(6, 3))
axes[0].imshow(image[0].permute(1, 2, 0))
axes[0].set_title("input image")
axes[1].imshow(seg, cmap="tab10")
axes[1].set_title("BEiT segmentation")
plt.show()
"""

DATA = """
# Q2b: generated CIFAR-like data: a fixed template per class; a quarter of a class's images show
# its look-alike's template (class c+1), as a cat can look like a dog; mild noise
def make_images(n, noise, seed, look_alike=0.25):
    templates = torch.randn(10, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=gen)
    alike = torch.rand(n, generator=gen) < look_alike
    shown = torch.where(alike, (labels + 1) % 10, labels)
    return templates[shown] + noise * torch.randn(n, 3, 32, 32, generator=gen), labels

x_train, y_train = make_images(600, 1.0, 1)
x_test, y_test = make_images(300, 1.0, 2)
print(x_train.shape, x_test.shape)
"""


def mlp_cell(widths: str) -> str:
    return f"""
WIDTHS = {widths}
layers = [nn.Flatten()]
for i, (a, b) in enumerate(zip(WIDTHS[:-1], WIDTHS[1:], strict=True)):
    layers.append(nn.Linear(a, b))
    if i < len(WIDTHS) - 2:
        layers.append(nn.ReLU())
mlp = nn.Sequential(*layers)
print("MLP parameters:", sum(p.numel() for p in mlp.parameters()))

torch.manual_seed(0)
opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
history = {{"loss": [], "test_acc": []}}
gen = torch.Generator().manual_seed(0)
for epoch in range(2):
    mlp.train()
    total = 0.0
    for idx in torch.randperm(len(y_train), generator=gen).split(50):
        logits = mlp(x_train[idx])
        loss = F.cross_entropy(logits, y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
        last_batch_acc = (logits.argmax(1) == y_train[idx]).float().mean().item()
    mlp.eval()
    with torch.no_grad():
        epoch_acc = (mlp(x_test).argmax(1) == y_test).float().mean().item()
    history["loss"].append(total / len(y_train))
    history["test_acc"].append(epoch_acc)
    print(f"epoch {{epoch + 1}}: train loss {{history['loss'][-1]:.3f}}")
"""


def metrics_cell(split: str, printed: str) -> str:
    return f"""
mlp.eval()
with torch.no_grad():
    y_pred = mlp(x_{split}).argmax(1)
y_true = y_{split}
print(f"Test accuracy: {{{printed}:.4f}}")
print(classification_report(y_true, y_pred, target_names=CLASSES, zero_division=0))
"""


CONFUSION = """
fig, ax = plt.subplots(figsize=(5, 5))
ConfusionMatrixDisplay(confusion_matrix(y_true, y_pred), display_labels=CLASSES).plot(
    ax=ax, xticks_rotation=90, colorbar=False)
ax.set_title("MLP confusion matrix (test set)")
plt.show()
"""

BEIT_CLS = """
# Q2c: a BEiT classifier on the same images, accuracy and loss per epoch
torch.manual_seed(0)
beit = BeitForImageClassification(BeitConfig(
    image_size=32, patch_size=4, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, num_labels=10, use_mean_pooling=True))
opt = torch.optim.AdamW(beit.parameters(), lr=1e-3)
beit_history = {"loss": [], "acc": []}
gen = torch.Generator().manual_seed(0)
for _epoch in range(3):
    beit.train()
    total = 0.0
    for idx in torch.randperm(600, generator=gen).split(100):
        loss = beit(pixel_values=x_train[idx], labels=y_train[idx]).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    beit.eval()
    with torch.no_grad():
        acc = (beit(pixel_values=x_test).logits.argmax(1) == y_test).float().mean().item()
    beit_history["loss"].append(total / 600)
    beit_history["acc"].append(acc)

epochs = range(1, 4)
fig, axes = plt.subplots(1, 2, figsize=(8, 3))
axes[0].plot(epochs, beit_history["acc"], marker="o", label="BEiT")
axes[0].plot(range(1, 3), history["test_acc"], marker="s", label="MLP")
axes[0].set_title("BEiT vs MLP: test accuracy")
axes[0].set_xlabel("epoch")
axes[0].legend()
axes[1].plot(epochs, beit_history["loss"], marker="o", label="BEiT")
axes[1].plot(range(1, 3), history["loss"], marker="s", label="MLP")
axes[1].set_title("BEiT vs MLP: training loss")
axes[1].set_xlabel("epoch")
axes[1].legend()
plt.show()
"""

SETUP = SETUP_TEMPLATE.replace(
    "{metrics}", "ConfusionMatrixDisplay, classification_report, confusion_matrix"
)
SETUP_NO_CONFUSION = SETUP_TEMPLATE.replace("{metrics}", "classification_report")
CORRECT_WIDTHS = "[3072, 4096, 2048, 1024, 512, 256, 64, 10]"
EXAMPLES = {
    "HW5_Sadeghi_402200001": [
        SETUP, BERT, BEIT_SEG, DATA, mlp_cell(CORRECT_WIDTHS),
        metrics_cell("test", "(y_pred == y_true).float().mean().item()"), CONFUSION, BEIT_CLS,
    ],
    "HW5_Bahrami_402200002": [
        SETUP_NO_CONFUSION, BERT, BEIT_SEG, DATA, mlp_cell("[3072, 4096, 1024, 512, 256, 64, 10]"),
        metrics_cell("train", "last_batch_acc"), BEIT_CLS,
    ],
}  # fmt: skip


def build(name: str, cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    student = name.split("_")[1]
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            f"# تمرین ۵ — بخش عملی (BERT، BEiT، MLP)\n**HW5 practical** — {student}, {name.split('_')[2]}"
        )
    )
    nb.cells.extend(nbformat.v4.new_code_cell(src.strip("\n")) for src in cells)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"tut-cell-{i:02d}"
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true")
    args = parser.parse_args()
    for name, cells in EXAMPLES.items():
        folder = EXAMPLES_DIR / name
        folder.mkdir(exist_ok=True)
        nb = build(name, cells)
        if not args.no_execute:
            start = time.perf_counter()
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute()  # fmt: skip
            print(f"{name}: executed in {time.perf_counter() - start:.1f} s")
        (folder / "vocab.txt").unlink(missing_ok=True)  # written by the notebook itself
        nbformat.write(nb, folder / NOTEBOOK_NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
