"""Build and execute the example student notebooks for hw5-rnn, practical question 6.

The three notebooks are fixtures for the dlgrade graders; they share most of their cell
sources and differ only where a mistake is planted:

* ``HW5_Rezaei_401100001``  - fully correct: experiments A, B (log-scale y axis) and C.
* ``HW5_Karimi_401100002``  - Experiment B plotted on a linear y axis; Experiment C missing.
* ``HW5_Mousavi_401100003`` - the third code cell raises (``nn.LTSM`` typo), so every later
  code cell fails with ``NameError``; saved outputs contain the tracebacks.
* ``HW5_Nazari_401100005``  - fully correct in another style: ``plt.semilogy``, one figure per
  model, Experiment C drawn green (positive) / red (negative) with no legend.
* ``HW5_Ahmadi_401100004``  - an ``nn.GRU`` where the LSTM belongs, only two sequence lengths
  (50 and 400), and Experiment A's accuracy computed on the training set.

Real IMDb cannot be downloaded in the grading sandbox, so the notebooks generate a
long-range-dependency "sentiment" task, the same task as the smoke profile of the reference
solution (``reference_solutions/hw5_rnn/q6_practical.py``, other random draws): the label is
only visible in the first five tokens (token 1 = positive marker, token 2 = negative marker),
everything after is uniform noise from tokens 3..999.

Regenerate (from the repository root) with::

    .venv/bin/python assignments/hw5-rnn/examples/make_examples.py

``--no-execute`` only writes the unexecuted notebooks; ``--only NAME`` restricts the run to
the example directories whose name contains ``NAME``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES_DIR = Path(__file__).resolve().parent
NOTEBOOK_NAME = "hw5_q6.ipynb"
KERNEL_NAME = "python3"
EXECUTE_TIMEOUT = 120  # seconds per cell

Cell = tuple[str, str]  # (cell type: "markdown" | "code", source)


def md(source: str) -> Cell:
    return ("markdown", source.strip("\n"))


def code(source: str) -> Cell:
    return ("code", source.strip("\n"))


# --------------------------------------------------------------------------------------
# Shared cell sources
# --------------------------------------------------------------------------------------


def title_cell(name: str, student_id: str) -> Cell:
    return md(
        f"""
# تمرین ۵ — سؤال ۶ (عملی): مقایسهٔ RNN ساده و LSTM در وابستگی‌های بلند
**HW5 — Q6 (practical): simple RNN vs LSTM on long-range dependencies**

- نام دانشجو (student): {name}
- شمارهٔ دانشجویی (student ID): {student_id}

> چون دانلود IMDb در این محیط ممکن نیست، از یک دادهٔ مصنوعی «احساسات» با وابستگی بلند
> استفاده می‌کنیم: برچسب فقط در ۵ توکن اول دیده می‌شود (توکن ۱ = نشانگر مثبت، توکن ۲ =
> نشانگر منفی) و بقیهٔ توکن‌ها نویز یکنواخت از ۳ تا ۴۹ هستند، پس طبقه‌بند (که حالت پنهان
> آخر را می‌خواند) باید اطلاعات را در کل طول دنباله حفظ کند.
>
> *Synthetic long-dependency sentiment task (IMDb is not downloadable here): the label is
> only visible in the first 5 tokens; the classifier reads the final hidden state.*
"""
    )


SETUP_MD = md(
    """
## ۱. تنظیمات و کتابخانه‌ها (Setup)
"""
)


def imports_cell(lengths: Sequence[int] = (50, 100, 200, 400), second: str = "nn.LSTM") -> Cell:
    label = second.removeprefix("nn.").upper()
    return code(
        f"""
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
plt.rcParams.update({{"figure.dpi": 60, "savefig.dpi": 60}})

VOCAB_SIZE = 1000  # 1 = positive marker, 2 = negative marker, 3..999 = noise
POS_MARKER, NEG_MARKER = 1, 2
N_MARKERS = 5  # the label is written in the first 5 positions
EMB_DIM, HIDDEN_DIM = 16, 32
LENGTHS = {list(lengths)}
N_TRAIN, N_TEST, N_VAL = 512, 512, 64
BATCH_SIZE, MAX_STEPS, LR = 64, 200, 1e-2
EARLY_STOP_LOSS = 0.01  # stop once a training batch is (almost) perfectly classified
FORGET_BIAS = 6.0  # forget-gate bias init (long memory at initialisation)
INPUT_BIAS = -3.0  # input-gate bias init: noise stays out of the cell state until learnt
SECOND = {second}  # the gated model compared with the simple RNN
LABELS = {{"rnn": "RNN", "lstm": "{label}"}}
print("torch", torch.__version__)
"""
    )


DATA_MD = md(
    """
## ۲. ساخت داده (Data generation)

هر دنباله دقیقاً `L` توکن دارد: ۵ نشانگر برچسب و پس از آن نویز. مجموعهٔ آموزش ۵۱۲ دنباله
است (هزینهٔ زمانی فقط به تعداد گام‌های آموزش بستگی دارد).
"""
)

DATA = code(
    """
def make_dataset(n: int, length: int, generator: torch.Generator):
    \"\"\"Return (tokens [n, length], labels [n]) for the long-range task.\"\"\"
    labels = torch.randint(0, 2, (n,), generator=generator)
    tokens = torch.randint(3, VOCAB_SIZE, (n, length), generator=generator)  # noise
    markers = torch.where(labels == 1, POS_MARKER, NEG_MARKER)
    tokens[:, :N_MARKERS] = markers[:, None]  # the only label information
    return tokens, labels


datasets = {}
for length in sorted(set(LENGTHS) | {200}):  # experiments B and C use length 200
    gen = torch.Generator().manual_seed(length)
    datasets[length] = {
        "train": make_dataset(N_TRAIN, length, gen),
        "test": make_dataset(N_TEST, length, gen),
    }
val_x, val_y = make_dataset(N_VAL, 200, torch.Generator().manual_seed(1234))

x0, y0 = datasets[50]["train"]
print("example (L=50):", x0[0].tolist(), "label =", y0[0].item())
print("positive fraction (L=200 test):", datasets[200]["test"][1].float().mean().item())
"""
)

MODEL_MD = md(
    """
## ۳. مدل‌ها (Models)

`Embedding(1000, 16) → RNN(16, 32) / LSTM(16, 32) → Linear(32, 2)` روی حالت پنهان آخرین گام.
(مدل دوم در متغیر `SECOND` تعریف شده است.)
RNN ساده با مقداردهی اولیهٔ پیش‌فرض PyTorch؛ برای LSTM بایاس بزرگ دروازهٔ فراموشی (حافظهٔ بلند)
و بایاس منفی دروازهٔ ورودی (نویز تا وقتی مدل یاد نگرفته وارد حالت سلول نمی‌شود).
"""
)


def model_cell(lstm_class: str = "SECOND") -> Cell:
    return code(
        f"""
RNN_CLASSES = {{"rnn": nn.RNN, "lstm": {lstm_class}}}


class SeqClassifier(nn.Module):
    \"\"\"Embedding -> RNN/LSTM -> Linear on the hidden state of the last timestep.\"\"\"

    def __init__(self, cell: str):
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(VOCAB_SIZE, EMB_DIM)
        self.rnn = RNN_CLASSES[cell](EMB_DIM, HIDDEN_DIM, batch_first=True)
        self.fc = nn.Linear(HIDDEN_DIM, 2)
        with torch.no_grad():
            if cell != "rnn":  # LSTM gates i, f, g, o (GRU: r, z, n): the second block keeps memory
                self.rnn.bias_hh_l0[HIDDEN_DIM : 2 * HIDDEN_DIM].fill_(FORGET_BIAS)
            if isinstance(self.rnn, nn.LSTM):  # a closed input gate at initialisation
                self.rnn.bias_ih_l0[:HIDDEN_DIM].zero_()
                self.rnn.bias_hh_l0[:HIDDEN_DIM].fill_(INPUT_BIAS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        emb = self.embedding(x)  # (B, T, EMB_DIM)
        out, _ = self.rnn(emb)  # (B, T, HIDDEN_DIM)
        return self.fc(out[:, -1])  # classify from the final hidden state


for cell in RNN_CLASSES:
    n_params = sum(p.numel() for p in SeqClassifier(cell).parameters())
    print(f"{{LABELS[cell]:4s}} parameters: {{n_params}}")
"""
    )


TRAIN_HELPERS = code(
    """
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def train_model(cell: str, train_data, max_steps: int = MAX_STEPS):
    \"\"\"Adam on random mini-batches; return (model, last batch loss, steps taken).\"\"\"
    torch.manual_seed(0)  # same init / batches for every run
    model = SeqClassifier(cell)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    x, y = train_data
    model.train()
    step, loss = 0, torch.tensor(float("nan"))
    while step < max_steps:
        step += 1
        idx = torch.randint(0, len(x), (BATCH_SIZE,))
        loss = F.cross_entropy(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if loss.item() < EARLY_STOP_LOSS:
            break
    return model, loss.item(), step
"""
)

EXP_A_MD = md(
    """
## ۴. آزمایش A: دقت بر حسب طول دنباله (Experiment A: accuracy vs length)

برای هر طول `L ∈ {50, 100, 200, 400}` یک مدل جداگانه آموزش می‌دهیم.
"""
)


def exp_a_train_cell(split: str = "test") -> Cell:
    return code(
        f"""
acc_by_length = {{"rnn": {{}}, "lstm": {{}}}}
models_200 = {{}}
start = time.perf_counter()
for length in sorted(set(LENGTHS) | {{200}}):  # experiments B and C need the models of L = 200
    x_test, y_test = datasets[length]["{split}"]
    for cell in ("rnn", "lstm"):
        model, last_loss, steps = train_model(cell, datasets[length]["train"])
        if length in LENGTHS:
            acc_by_length[cell][length] = accuracy(model, x_test, y_test)
        if length == 200:
            models_200[cell] = model
        print(
            f"L={{length:3d}}  {{LABELS[cell]:4s}}  steps={{steps:3d}}  last batch loss={{last_loss:.3f}}"
            f"  acc={{accuracy(model, x_test, y_test):.3f}}"
        )
rnn_model, lstm_model = models_200["rnn"], models_200["lstm"]
print(f"training time: {{time.perf_counter() - start:.1f}} s")
"""
    )


EXP_A_PLOT = code(
    """
fig, ax = plt.subplots(figsize=(5, 3.2))
for cell, marker in (("rnn", "o"), ("lstm", "s")):
    ax.plot(LENGTHS, [acc_by_length[cell][n] for n in LENGTHS], marker=marker, label=LABELS[cell])
ax.set_xticks(LENGTHS)
ax.set_ylim(0.4, 1.05)
ax.set_xlabel("sequence length")
ax.set_ylabel("test accuracy")
ax.set_title("Experiment A: test accuracy vs length (chance = 0.5)")
ax.legend()
fig.tight_layout()
plt.show()
"""
)

EXP_B_MD = md(
    """
## ۵. آزمایش B: نرم گرادیان نسبت به ورودی جاسازی‌شده (Experiment B: gradient norms)

با یک `forward hook` روی لایهٔ `Embedding`، روی خروجی آن `register_hook` ثبت می‌کنیم تا
گرادیان تابع هزینه نسبت به ورودی جاسازی‌شدهٔ هر گام زمانی را بگیریم (یک دستهٔ اعتبارسنجی با
طول ۲۰۰). برای هر گام `t`، نرم L2 روی بُعد جاسازی گرفته و روی نمونه‌های دسته میانگین می‌گیریم.
"""
)

EXP_B_COMPUTE = code(
    """
def embedding_grad_norms(model: SeqClassifier, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    \"\"\"Per-timestep L2 norm of dLoss/d(embedded input), averaged over the batch.\"\"\"
    captured = {}

    def save_grad(grad: torch.Tensor) -> None:
        captured["grad"] = grad.detach().clone()

    def forward_hook(module, inputs, output):
        output.register_hook(save_grad)  # tensor hook on the embedding output

    handle = model.embedding.register_forward_hook(forward_hook)
    try:
        model.eval()
        model.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    finally:
        handle.remove()
        model.zero_grad()
    grad = captured["grad"]  # (B, T, EMB_DIM)
    return grad.norm(dim=2).mean(dim=0).tolist()


grad_norms = {
    "rnn": embedding_grad_norms(rnn_model, val_x, val_y),
    "lstm": embedding_grad_norms(lstm_model, val_x, val_y),
}
timesteps = list(range(1, len(grad_norms["rnn"]) + 1))  # 1..200
for cell in ("rnn", "lstm"):
    g = grad_norms[cell]
    print(f"{LABELS[cell]:4s}  t=1: {g[0]:.3e}   t=200: {g[-1]:.3e}   ratio: {g[0] / g[-1]:.3e}")
"""
)


def exp_b_plot_cell(log_scale: bool) -> Cell:
    yscale = '    ax.set_yscale("log")\n' if log_scale else ""
    return code(
        f"""
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
for ax, cell, color in zip(axes, ("rnn", "lstm"), ("tab:blue", "tab:orange"), strict=True):
    label = LABELS[cell]
    ax.plot(timesteps, grad_norms[cell], color=color, label=label)
{yscale}    ax.set_xlabel("timestep t")
    ax.set_title(f"{{label}}: ||dL/d emb_t|| (L = 200)")
    ax.legend()
axes[0].set_ylabel("L2 norm of gradient")
fig.suptitle("Experiment B: gradient w.r.t. embedded input per timestep")
fig.tight_layout()
plt.show()
"""
    )


EXP_C_MD = md(
    """
## ۶. آزمایش C: نرم حالت پنهان در طول زمان (Experiment C: hidden-state norms)

ده دنباله (۵ مثبت، ۵ منفی) با طول ۲۰۰ (≥ ۱۵۰) از دادهٔ آزمون انتخاب می‌کنیم و نرم L2 حالت
پنهان `h_t` را در هر گام رسم می‌کنیم؛ برای LSTM نرم حالت سلول `c_t` هم رسم شده است.
"""
)

EXP_C = code(
    """
def state_norms(model: SeqClassifier, x: torch.Tensor):
    \"\"\"Per-timestep L2 norms of h_t, and of c_t for the LSTM (None for the RNN).\"\"\"
    model.eval()
    with torch.no_grad():
        emb = model.embedding(x)
        if not isinstance(model.rnn, nn.LSTM):
            out, _ = model.rnn(emb)
            return out.norm(dim=2), None
        h = torch.zeros(1, x.shape[0], HIDDEN_DIM)
        c = torch.zeros_like(h)
        h_norms, c_norms = [], []
        for t in range(x.shape[1]):  # step manually: nn.LSTM only returns the last c_t
            _, (h, c) = model.rnn(emb[:, t : t + 1], (h, c))
            h_norms.append(h[0].norm(dim=1))
            c_norms.append(c[0].norm(dim=1))
        return torch.stack(h_norms, dim=1), torch.stack(c_norms, dim=1)


x_test, y_test = datasets[200]["test"]
pos_idx = torch.nonzero(y_test == 1).flatten()[:5]
neg_idx = torch.nonzero(y_test == 0).flatten()[:5]
sel = torch.cat([pos_idx, neg_idx])
x_sel, y_sel = x_test[sel], y_test[sel]
print("selected length:", x_sel.shape[1], "labels:", y_sel.tolist())

rnn_h, _ = state_norms(rnn_model, x_sel)
lstm_h, lstm_c = state_norms(lstm_model, x_sel)
with torch.no_grad():  # sanity check: manual stepping == full forward pass
    full_out, _ = lstm_model.rnn(lstm_model.embedding(x_sel))
assert torch.allclose(full_out.norm(dim=2), lstm_h, atol=1e-5)

steps_c = range(1, x_sel.shape[1] + 1)
panels = [(rnn_h, "RNN: ||h_t||"), (lstm_h, f"{LABELS['lstm']}: ||h_t||")]
if lstm_c is not None:
    panels.append((lstm_c, "LSTM: ||c_t|| (cell state)"))
fig, axes = plt.subplots(1, len(panels), figsize=(3.7 * len(panels), 3))
for ax, (norms, title) in zip(axes, panels, strict=True):
    for i in range(len(sel)):
        positive = y_sel[i].item() == 1
        label = None
        if i == 0:
            label = "positive"
        elif i == len(pos_idx):
            label = "negative"
        color = "tab:green" if positive else "tab:red"
        ax.plot(steps_c, norms[i], color=color, alpha=0.6, linewidth=0.8, label=label)
    ax.set_title(title)
    ax.set_xlabel("timestep t")
    ax.legend()
axes[0].set_ylabel("L2 norm")
fig.suptitle("Experiment C: hidden-state norms, 5 positive / 5 negative sequences (L = 200)")
fig.tight_layout()
plt.show()
"""
)

# Another correct presentation (issue 16): one figure per model, `plt.semilogy` instead of
# `set_yscale("log")`, and Experiment C's classes told apart by colour alone (green positive,
# red negative), without any legend.
EXP_B_PLOT_SEMILOGY = code(
    """
for cell in ("rnn", "lstm"):
    plt.figure(figsize=(4.5, 3))
    plt.semilogy(timesteps, grad_norms[cell], color="black")
    plt.title(f"{LABELS[cell]} gradient norm per timestep")
    plt.xlabel("t")
    plt.show()
"""
)

EXP_C_GREEN_RED = code(
    """
x_test, y_test = datasets[200]["test"]
sel = torch.cat([torch.nonzero(y_test == 1).flatten()[:5], torch.nonzero(y_test == 0).flatten()[:5]])
x_sel, y_sel = x_test[sel], y_test[sel]
colours = ["green" if y == 1 else "red" for y in y_sel.tolist()]  # green: positive, red: negative


def norms_over_time(model, x):
    model.eval()
    with torch.no_grad():
        emb = model.embedding(x)
        if not isinstance(model.rnn, nn.LSTM):
            return model.rnn(emb)[0].norm(dim=2), None
        h = c = torch.zeros(1, x.shape[0], HIDDEN_DIM)
        hs, cs = [], []
        for t in range(x.shape[1]):
            _, (h, c) = model.rnn(emb[:, t : t + 1], (h, c))
            hs.append(h[0].norm(dim=1))
            cs.append(c[0].norm(dim=1))
        return torch.stack(hs, 1), torch.stack(cs, 1)


rnn_h, _ = norms_over_time(rnn_model, x_sel)
lstm_h, lstm_c = norms_over_time(lstm_model, x_sel)
for title, norms in (("RNN hidden state", rnn_h), ("LSTM hidden state", lstm_h), ("LSTM cell state", lstm_c)):
    plt.figure(figsize=(4.5, 3))
    for row, colour in zip(norms, colours, strict=True):
        plt.plot(range(1, len(row) + 1), row, color=colour, linewidth=0.8)
    plt.title(title)
    plt.show()
"""
)

SUMMARY = code(
    """
print("acc_by_length:")
for cell in ("rnn", "lstm"):
    print(f"  {LABELS[cell]:4s}", {n: round(a, 3) for n, a in acc_by_length[cell].items()})
print("grad_norms lengths:", {cell: len(v) for cell, v in grad_norms.items()})
"""
)

ANALYSIS_FULL = md(
    """
## ۷. تحلیل (Analysis)

- **آزمایش A:** RNN ساده نشانگر ابتدای دنباله را حتی در طول ۵۰ یاد نمی‌گیرد و دقت آزمونش در حد
  شانس (۰٫۵) می‌ماند (فقط نویز دادهٔ آموزش را حفظ می‌کند)، در حالی که LSTM در همهٔ طول‌ها به دقت
  کامل می‌رسد.
  *The simple RNN stays at chance at every length (it only memorises training noise); the LSTM keeps the start-of-sequence marker up to L = 400.*
- **آزمایش B:** در مقیاس لگاریتمی، نرم گرادیان RNN با دور شدن از انتهای دنباله به‌صورت نمایی
  (چندین مرتبهٔ بزرگی) کوچک می‌شود — محو شدگی گرادیان — ولی در LSTM افت گرادیان تا گام‌های
  اول بسیار ملایم‌تر است، چون مسیر حالت سلول (با دروازهٔ فراموشی نزدیک ۱) گرادیان را منتقل می‌کند.
  *Vanishing gradients: exponential decay for the RNN, a much flatter profile for the LSTM.*
- **آزمایش C:** نرم حالت پنهان RNN پس از چند گام فقط تابع نویز اخیر است و منحنی‌های مثبت و
  منفی درهم می‌روند. در LSTM نرم `h_t` (به‌خاطر `tanh` و دروازهٔ خروجی) محدود می‌ماند، ولی نرم
  حالت سلول `c_t` در طول دنباله انباشته می‌شود و منحنی‌های مثبت و منفی به‌وضوح از هم جدا
  می‌شوند: اطلاعات نشانگر ابتدای دنباله تا گام آخر در `c_t` باقی است.
  *The RNN's hidden state forgets the marker; the LSTM's cell state carries it to the end.*
"""
)


ANALYSIS_NO_C = md(
    """
## ۶. تحلیل (Analysis)

- LSTM در طول‌های بلندتر دقت بهتری از RNN دارد. *The LSTM beats the RNN on long sequences.*
- گرادیان RNN برای گام‌های اول بسیار کوچک است (محو شدگی گرادیان).
  *The RNN's gradient is tiny at the first timesteps (vanishing gradients).*
"""
)

ANALYSIS_TODO = md(
    """
## ۷. تحلیل (Analysis)

(کامل نشده — TODO)
"""
)


# --------------------------------------------------------------------------------------
# The three example submissions
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    directory: str
    student: str
    student_id: str
    planted: str  # human-readable description of the planted mistakes
    cells: tuple[Cell, ...]  # everything after the title cell


def _examples() -> list[Example]:
    head = (SETUP_MD, imports_cell(), DATA_MD, DATA, MODEL_MD)
    exp_a = (TRAIN_HELPERS, EXP_A_MD, exp_a_train_cell(), EXP_A_PLOT)
    return [
        Example(
            "HW5_Rezaei_401100001",
            "علی رضایی (Ali Rezaei)",
            "401100001",
            "none - fully correct",
            (
                *head,
                model_cell(),
                *exp_a,
                EXP_B_MD,
                EXP_B_COMPUTE,
                exp_b_plot_cell(log_scale=True),
                EXP_C_MD,
                EXP_C,
                SUMMARY,
                ANALYSIS_FULL,
            ),
        ),
        Example(
            "HW5_Karimi_401100002",
            "مریم کریمی (Maryam Karimi)",
            "401100002",
            "Experiment B uses a linear y axis; Experiment C is missing",
            (
                *head,
                model_cell(),
                *exp_a,
                EXP_B_MD,
                EXP_B_COMPUTE,
                exp_b_plot_cell(log_scale=False),
                SUMMARY,
                ANALYSIS_NO_C,
            ),
        ),
        Example(
            "HW5_Nazari_401100005",
            "نگار نظری (Negar Nazari)",
            "401100005",
            "none - correct, another presentation: semilogy, a figure per model, green/red without a legend",
            (
                *head,
                model_cell(),
                *exp_a,
                EXP_B_MD,
                EXP_B_COMPUTE,
                EXP_B_PLOT_SEMILOGY,
                EXP_C_MD,
                EXP_C_GREEN_RED,
                SUMMARY,
                ANALYSIS_FULL,
            ),
        ),
        Example(
            "HW5_Mousavi_401100003",
            "سارا موسوی (Sara Mousavi)",
            "401100003",
            "third code cell raises AttributeError (nn.LTSM); later cells raise NameError",
            (
                *head,
                model_cell(lstm_class="nn.LTSM"),
                *exp_a,
                EXP_B_MD,
                EXP_B_COMPUTE,
                exp_b_plot_cell(log_scale=True),
                EXP_C_MD,
                EXP_C,
                SUMMARY,
                ANALYSIS_TODO,
            ),
        ),
        Example(
            "HW5_Ahmadi_401100004",
            "رضا احمدی (Reza Ahmadi)",
            "401100004",
            "nn.GRU instead of nn.LSTM; only lengths 50 and 400; accuracy on the training set",
            (
                SETUP_MD,
                imports_cell(lengths=(50, 400), second="nn.GRU"),
                DATA_MD,
                DATA,
                MODEL_MD,
                model_cell(),
                TRAIN_HELPERS,
                EXP_A_MD,
                exp_a_train_cell(split="train"),
                EXP_A_PLOT,
                EXP_B_MD,
                EXP_B_COMPUTE,
                exp_b_plot_cell(log_scale=True),
                EXP_C_MD,
                EXP_C,
                SUMMARY,
                ANALYSIS_FULL,
            ),
        ),
    ]


def build_notebook(example: Example) -> nbformat.NotebookNode:
    """Assemble an unexecuted nbformat v4 notebook from the example's cell sources."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source in (title_cell(example.student, example.student_id), *example.cells):
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    for index, cell in enumerate(nb.cells):  # stable ids keep regenerated diffs small
        cell["id"] = f"q6-cell-{index:02d}"
    return nb


def execute_notebook(nb: nbformat.NotebookNode, workdir: Path) -> float:
    """Execute ``nb`` in place (errors are kept in the outputs); return wall time in seconds."""
    client = NotebookClient(
        nb,
        timeout=EXECUTE_TIMEOUT,
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def count_errors(nb: nbformat.NotebookNode) -> int:
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        and any(output.get("output_type") == "error" for output in cell.get("outputs", []))
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true", help="write unexecuted notebooks")
    parser.add_argument("--only", default="", help="only examples whose directory contains this")
    args = parser.parse_args(argv)

    for example in _examples():
        if args.only and args.only not in example.directory:
            continue
        workdir = EXAMPLES_DIR / example.directory
        workdir.mkdir(parents=True, exist_ok=True)
        nb = build_notebook(example)
        status = "not executed"
        if not args.no_execute:
            seconds = execute_notebook(nb, workdir)
            status = f"executed in {seconds:.1f} s, {count_errors(nb)} code cell(s) with errors"
        path = workdir / NOTEBOOK_NAME
        nbformat.validate(nb)
        nbformat.write(nb, path)
        size_kb = path.stat().st_size / 1024
        print(f"{path.relative_to(EXAMPLES_DIR)}: {status}, {size_kb:.0f} KiB [{example.planted}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
