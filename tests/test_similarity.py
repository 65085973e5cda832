"""Code similarity between notebooks, with the starter code excluded."""

from __future__ import annotations

from pathlib import Path

import nbformat

from graders.export.similarity import code_of, similar_pairs

STARTER = """import torch
from torch import nn

def load_data(path, batch_size=32):
    dataset = torch.load(path)
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True)
"""
SOLUTION = """class Net(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, 64)
        self.rnn = nn.LSTM(64, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 2)

    def forward(self, x):
        out, (h, c) = self.rnn(self.embed(x))
        return self.head(h[-1])

def train(model, loader, epochs=5):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for x, y in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
"""
OTHER = """def accuracy(preds, labels):
    correct = sum(int(p == l) for p, l in zip(preds, labels))
    return correct / max(len(labels), 1)

scores = {name: accuracy(p, labels_by_name[name]) for name, p in predictions.items()}
best = sorted(scores.items(), key=lambda kv: kv[1])[-3:]
print("best runs:", best)
"""


def test_a_renamed_copy_is_listed_with_excerpts_and_the_starter_is_not() -> None:
    renamed = SOLUTION.replace("model", "clf").replace("loader", "batches").replace("Net", "Model")
    codes = {"a": STARTER + SOLUTION, "b": STARTER + renamed, "c": STARTER + OTHER}
    pairs = similar_pairs(codes, starter=[STARTER], threshold=0.5)
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    assert pairs[0].similarity > 0.8
    assert any("optim.Adam" in e for e in pairs[0].excerpts_a)
    assert any("clf" in e for e in pairs[0].excerpts_b)
    assert not any("load_data" in e for e in pairs[0].excerpts_a)
    # without excluding the starter code, the shared starter makes a and c look alike
    loose = similar_pairs({"a": STARTER + OTHER[:60], "c": STARTER + OTHER[60:]}, threshold=0.3)
    strict = similar_pairs(
        {"a": STARTER + OTHER[:60], "c": STARTER + OTHER[60:]}, starter=[STARTER], threshold=0.3
    )
    assert loose and not strict


def test_notebook_code_skips_markdown_and_magics(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# title"),
            nbformat.v4.new_code_cell("%matplotlib inline\n!pip install x\nx = 1"),
        ]
    )
    nbformat.write(nb, tmp_path / "n.ipynb")
    assert code_of(tmp_path / "n.ipynb") == "x = 1"
