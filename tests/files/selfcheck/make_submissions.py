"""Write and execute the two mini-gru submissions used by the self-check tests.

* ``correct/``: a GRU, its loss on a log y axis, right theory answers.
* ``wrong/``: an LSTM instead of the GRU, a linear y axis, wrong theory answers.

Regenerate from the repository root: ``.venv/bin/python tests/files/selfcheck/make_submissions.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

TRAIN = """\
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
model = torch.nn.{layer}(8, 4, batch_first=True)
head = torch.nn.Linear(4, 1)
x = torch.randn(16, 12, 8)
y = x[:, 0, :1]
opt = torch.optim.Adam([*model.parameters(), *head.parameters()], lr=0.05)
losses = []
for _ in range(30):
    out, _ = model(x)
    loss = ((head(out[:, -1]) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
print(f"final loss {{losses[-1]:.4f}}")"""

PLOT = """\
fig, ax = plt.subplots()
ax.plot(range(1, 31), losses, label="training loss")
ax.set_yscale("{scale}")
ax.set_title("training loss")
ax.legend()
plt.show()"""

VARIANTS = {
    "correct": {
        "layer": "GRU",
        "scale": "log",
        "answers": {
            "gru_params": "3 × (4×8 + 4×4 + 4 + 4) = 168",
            "output_shape": "(B, 12, 4)",
            "gru_flops": 3456,
        },
    },
    "wrong": {
        "layer": "LSTM",
        "scale": "linear",
        "answers": {"gru_params": 224, "output_shape": "(B, 12, 8)"},
    },
}


def write(name: str, variant: dict) -> None:
    folder = HERE / "submissions" / name
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# mini-gru — تمرین آزمایشی / test assignment"),
            nbformat.v4.new_code_cell(TRAIN.format(layer=variant["layer"])),
            nbformat.v4.new_code_cell(PLOT.format(scale=variant["scale"])),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    nbformat.write(nb, folder / "mini.ipynb")
    lines = ["# پاسخ‌نامه / answer sheet (mini-gru)", "T1:", "  a:"]
    lines += [
        f"    {k}: {v!r}" if isinstance(v, str) else f"    {k}: {v}"
        for k, v in variant["answers"].items()
    ]
    (folder / "answers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for name, variant in VARIANTS.items():
        write(name, variant)
