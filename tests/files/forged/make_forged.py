"""Write the forgery suite: notebooks that claim success without doing the work (issue 16).

One folder per forged submission, `<assignment>/<name>/<notebook>.ipynb`, unexecuted (the grader
runs them). Each forgery names the question it attacks; `tests/test_forged.py` grades them and
asserts that none ends with more than a third of that question's points and that the report
says what did not add up. Regenerate from the repository root with:

    .venv/bin/python tests/files/forged/make_forged.py
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def _shapes_source() -> str:
    from reference_solutions.bonus_llm_captioning import q2_data

    return inspect.getsource(q2_data)  # a student's notebook would hold the same data code


CAPTION_DATA = """
images, rows = make_shapes_dataset(300, seed=0)
splits = split_by_image([i for i, _ in rows], seed=0)
references = {}
for image_id, caption in rows:
    references.setdefault(image_id, []).append(" ".join(clean_caption(caption)))
"""

# Q2: the predictions table copied from the references; BLEU 1.0 "reported"
Q2_COPIED_TABLE = """
predictions = {
    kind: [{"image_id": i, "prediction": references[i][0], "references": references[i]} for i in splits["test"]]
    for kind in ("cnn_rnn", "attention", "transformer")
}
bleu_scores = {kind: {"bleu1": 1.0, "bleu2": 1.0, "bleu3": 1.0, "bleu4": 1.0} for kind in predictions}
print(bleu_scores)
"""

# Q2: one fabricated row per model whose prediction equals its own reference
Q2_ONE_ROW = """
predictions = {kind: [{"image_id": "my_best_image", "prediction": "a dog runs on the grass",
                       "references": ["a dog runs on the grass"]}]
               for kind in ("cnn_rnn", "attention", "transformer")}
bleu_scores = {kind: {"bleu1": 1.0, "bleu2": 1.0, "bleu3": 1.0, "bleu4": 1.0} for kind in predictions}
"""

# Q2: numbers printed, nothing computed
Q2_PRINTED = """
bleu_scores = {"cnn_rnn": {"bleu4": 0.41}, "attention": {"bleu4": 0.52}, "transformer": {"bleu4": 0.55}}
for kind, s in bleu_scores.items():
    print(f"{kind}: BLEU-4 = {s['bleu4']}")
"""

# P2 (MLP): labels copied from the predictions; accuracy 1.0 printed; a confusion matrix drawn
MLP_COPIED_LABELS = """
import matplotlib.pyplot as plt
import torch

y_pred = torch.randint(0, 10, (300,), generator=torch.Generator().manual_seed(5))
y_true = y_pred.clone()
print("Test accuracy:", (y_true == y_pred).float().mean().item())
fig, ax = plt.subplots()
ax.imshow(torch.eye(10))
ax.set_title("confusion matrix")
plt.show()
"""

# P2 (MLP): printed-only numbers
MLP_PRINTED = """
print("Test accuracy: 0.5312")
print("              precision    recall  f1-score   support")
print("    accuracy                           0.53     10000")
"""

# P2 (MLP): a one-layer model dressed up as the asked MLP (in_features overwritten,
# parameters() patched to report the asked count)
MLP_PATCHED = """
import torch
import torch.nn as nn

mlp = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
widths = [3072, 4096, 2048, 1024, 512, 256, 64, 10]
fake = [nn.Linear(3, 3) for _ in widths[1:]]
for layer, (a, b) in zip(fake, zip(widths[:-1], widths[1:], strict=True), strict=True):
    layer.in_features, layer.out_features = a, b
mlp[1].in_features = 3072
nn.Module.parameters = lambda self, recurse=True: iter([torch.zeros(23_749_066)])
print("parameters:", sum(p.numel() for p in mlp.parameters()))
"""

# Q6: made-up curves of the right shape, no model built
Q6_MADE_UP = """
import matplotlib.pyplot as plt
import numpy as np

lengths = [50, 100, 200, 400]
acc_by_length = {
    "rnn": dict(zip(lengths, [0.95, 0.6, 0.52, 0.5], strict=True)),
    "lstm": dict(zip(lengths, [1.0, 0.99, 0.98, 0.97], strict=True)),
}
fig, ax = plt.subplots()
ax.plot(lengths, list(acc_by_length["rnn"].values()), label="RNN")
ax.plot(lengths, list(acc_by_length["lstm"].values()), label="LSTM")
ax.set_title("test accuracy vs sequence length")
ax.legend()
plt.show()

t = np.arange(1, 201)
fig, ax = plt.subplots()
ax.semilogy(t, 10.0 ** (-0.05 * (200 - t)), label="RNN")
ax.semilogy(t, 10.0 ** (-0.002 * (200 - t)), label="LSTM")
ax.set_title("gradient norm per timestep")
ax.legend()
plt.show()

fig, axes = plt.subplots(1, 2)
rng = np.random.default_rng(0)
for ax, title in zip(axes, ("RNN hidden state ||h_t||", "LSTM cell state ||c_t||"), strict=True):
    for i in range(10):
        ax.plot(t, 1 + 0.1 * rng.standard_normal(200) + (0.01 * t if i < 5 else 0), color="green" if i < 5 else "red")
    ax.set_title(title)
plt.show()
"""

# Q6: printed-only numbers
Q6_PRINTED = """
print("accuracy RNN: 50 -> 0.97, 100 -> 0.61, 200 -> 0.52, 400 -> 0.50")
print("accuracy LSTM: 50 -> 1.00, 100 -> 0.99, 200 -> 0.98, 400 -> 0.97")
print("the RNN gradient vanishes 25 decades faster than the LSTM's")
"""

# Q1: histories, answers and the comparison table typed in; no model built or trained
Q1_FABRICATED = """
steps = list(range(40))


def fake(start):
    return {
        "train_loss": [start * 0.97**s for s in steps],
        "val_loss": [start * 0.98**s for s in steps[::10]],
        "generations_before": ["..."],
        "generations_after": ["سلام! پایتخت ایران تهران است."],
    }


test_prompts = ["پایتخت ایران کجاست؟"]
q1_results = {"test_prompts": test_prompts, "prompt_tuning": fake(3.0), "lora": fake(2.8), "freeze": fake(2.9)}
comparison = [
    {"method": "prompt_tuning", "time_s": 61.0, "memory_mb": 900.0, "trainable_params": 15360},
    {"method": "lora", "time_s": 75.0, "memory_mb": 1100.0, "trainable_params": 1081344},
    {"method": "freeze", "time_s": 90.0, "memory_mb": 1500.0, "trainable_params": 59637248},
]
print(comparison)
"""

FORGERIES: dict[str, dict[str, tuple[str, str, list[str]]]] = {
    # assignment -> name -> (question, what it fakes, code cells)
    "bonus-llm-captioning": {
        "Q2_copied_table": (
            "Q2",
            "predictions copied from the references",
            ["SHAPES", CAPTION_DATA, Q2_COPIED_TABLE],
        ),
        "Q2_one_row": ("Q2", "one fabricated row scored against itself", [Q2_ONE_ROW]),
        "Q2_printed": ("Q2", "printed-only BLEU", [Q2_PRINTED]),
        "Q1_fabricated_results": ("Q1", "histories and table typed in, no model", [Q1_FABRICATED]),
    },
    "hw5-transformers-ut": {
        "P2_copied_labels": ("P2", "y_true copied from y_pred", [MLP_COPIED_LABELS]),
        "P2_printed": ("P2", "printed-only metrics", [MLP_PRINTED]),
        "P2_patched_params": ("P2", "monkeypatched parameter count", [MLP_PATCHED]),
    },
    "hw5-rnn": {
        "Q6_made_up_curves": ("Q6", "made-up curves of the right shape", [Q6_MADE_UP]),
        "Q6_printed": ("Q6", "printed-only numbers", [Q6_PRINTED]),
    },
}


def build(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    shapes = _shapes_source() if "SHAPES" in cells else ""
    nb.cells = [nbformat.v4.new_code_cell((shapes if c == "SHAPES" else c).strip()) for c in cells]
    for index, cell in enumerate(nb.cells):  # stable ids keep regenerated diffs small
        cell["id"] = f"forged-{index:02d}"
    return nb


def main() -> int:
    index = {}
    for assignment, items in FORGERIES.items():
        for name, (question, fakes, cells) in items.items():
            folder = HERE / assignment / f"Forged_{name}_000000"
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(build(cells), folder / "forged.ipynb")
            index[f"{assignment}/{folder.name}"] = {"question": question, "fakes": fakes}
    (HERE / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(index)} forged submissions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
