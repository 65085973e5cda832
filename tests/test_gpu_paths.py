"""GPU paths of the reference solutions, tested on the CPU with device stubs (issue 22)."""

from __future__ import annotations

import torch
from torch import nn

from reference_solutions.hw5_rnn import q1_layers


def test_flops_counted_with_cudnn_off_even_for_device_cuda(monkeypatch) -> None:
    """A stand-in for cuDNN's fused RNN kernel: while cuDNN is enabled, the RNN's output comes
    from an op the flop counter does not see (as `aten._cudnn_rnn` on a GPU). The counting must
    switch cuDNN off and stay on the CPU, so `device="cuda"` still counts 2 x MACs here."""
    real_forward = nn.RNN.forward
    seen: list[bool] = []

    def opaque_when_cudnn(self, x, hx=None):
        seen.append(torch.backends.cudnn.enabled)
        if torch.backends.cudnn.enabled:
            n, t = x.shape[0], x.shape[1]
            d = 2 if self.bidirectional else 1
            return torch.zeros(n, t, d * self.hidden_size), torch.zeros(d, n, self.hidden_size)
        return real_forward(self, x, hx)

    monkeypatch.setattr(nn.RNN, "forward", opaque_when_cudnn)
    got = q1_layers.analyse(q1_layers.Config(), device="cuda")
    assert seen == [False, False]  # both RNN layers ran with cuDNN off
    assert got["L1"]["flops_2macs"] == 2 * 50 * (32 * 64 + 32 * 32)
    assert got["L2"]["flops_2macs"] == 2 * 50 * (64 * 32 + 64 * 64)
    assert got == q1_layers.analyse(q1_layers.Config(), device="cpu")


def test_gradient_norms_backward_in_training_mode_and_mode_restored(monkeypatch) -> None:
    """cuDNN's RNN backward raises in eval mode: the stub raises the same way, so the measure
    must switch to training mode (same function: no dropout) and give back an eval model."""
    import torch.nn.functional as F

    from reference_solutions.hw5_rnn import q6_practical as q6

    cfg = q6.Config(vocab_size=20, emb_dim=4, hidden_dim=8, n_markers=2)
    gen = torch.Generator().manual_seed(0)
    x, y = q6.make_long_range_split(cfg, 6, 30, gen)
    torch.manual_seed(0)
    model = q6.SeqClassifier("lstm", cfg).eval()
    # the expected norms, by hand in eval mode (allowed on the CPU)
    emb = model.embedding(x).detach().requires_grad_(True)
    out, _ = model.rnn(emb)
    F.cross_entropy(model.fc(out[:, -1]), y).backward()
    want = emb.grad.norm(dim=2).mean(dim=0)
    model.zero_grad()

    real_forward = type(model.rnn).forward

    def cudnn_like(self, inp, hx=None):
        if not self.training and torch.is_grad_enabled():
            raise RuntimeError("cudnn RNN backward can only be called in training mode")
        return real_forward(self, inp, hx)

    monkeypatch.setattr(type(model.rnn), "forward", cudnn_like)
    got = q6.embedding_grad_norms(model, (x, y), "cpu")
    assert model.training is False
    assert len(got) == 30
    assert torch.allclose(torch.tensor(got), want, rtol=1e-5, atol=1e-9)


def test_precision_asks_for_native_bf16_and_scales_fp16(monkeypatch) -> None:
    """A T4/V100 stub: bf16 only by emulation. The policy must ask without emulation, then
    choose fp16 with a GradScaler; tiny models and the CPU stay float32 without autocast."""
    from reference_solutions import precision

    asked: list[dict] = []

    def t4(including_emulation: bool = True) -> bool:
        asked.append({"including_emulation": including_emulation})
        return including_emulation  # emulated bf16 only

    monkeypatch.setattr(torch.cuda, "is_bf16_supported", t4)
    p = precision.precision_for("cuda")
    assert asked == [{"including_emulation": False}]
    assert (p.dtype, p.use_scaler) == (torch.float16, True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    p = precision.precision_for("cuda")
    assert (p.dtype, p.use_scaler) == (torch.bfloat16, False)
    for tiny in (precision.precision_for("cuda", tiny=True), precision.precision_for("cpu")):
        assert (tiny.dtype, tiny.use_scaler, tiny.scaler()) == (None, False, None)


def test_optimizer_step_goes_through_the_scaler() -> None:
    from reference_solutions import precision

    calls: list[str] = []

    class Scaler:
        def scale(self, loss):
            calls.append("scale")
            return loss * 2

        def step(self, opt):
            calls.append("step")
            opt.step()

        def update(self):
            calls.append("update")

    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.5)
    precision.optimizer_step((w**2).sum(), opt, Scaler())
    assert calls == ["scale", "step", "update"]
    assert torch.allclose(w.detach(), torch.tensor([-1.0, -1.0]))  # 1 - 0.5 * (2 * 2 * 1)


# import name -> distribution, where they differ or come with a declared dependency
DISTRIBUTION = {"sklearn": "scikit-learn", "PIL": "matplotlib", "tokenizers": "transformers"}
DISTRIBUTION |= {"huggingface_hub": "transformers"}  # both required by transformers/matplotlib
DISTRIBUTION |= {"yaml": "pyyaml"}  # the theory rubrics (reference_solutions/*/rubrics/*.yaml)


def test_every_package_the_references_import_is_declared() -> None:
    """The full profile imported `datasets` and `torchvision`, declared nowhere: each third-party
    import of the reference solutions is a dependency or in the `full` extra."""
    import ast
    import re
    import sys
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(reqs: list[str]) -> set[str]:
        return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower() for r in reqs}

    declared = names(project["dependencies"]) | names(project["optional-dependencies"]["full"])
    assert {"datasets", "torchvision"} <= names(project["optional-dependencies"]["full"])
    imported: set[str] = set()
    for f in (root / "reference_solutions").rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"graders", "reference_solutions"}
    missing = {m for m in third_party if DISTRIBUTION.get(m, m).lower() not in declared}
    assert missing == set()
