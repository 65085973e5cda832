"""Q1's training loop, shared by the smoke and full profiles: a fresh base model per method,
AdamW steps on answer tokens only (no Trainer), the loss checked at every step, validation loss
and greedy answers before and after, time per step and peak memory.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from reference_solutions.bonus_llm_captioning import q1_data
from reference_solutions.bonus_llm_captioning.q1_full import (
    check_finite,
    stop_token_ids,
    upcast_trainable,
)

if TYPE_CHECKING:
    from reference_solutions.bonus_llm_captioning.q1_peft import Method


def _memory_bytes(model: Any, device: str) -> tuple[int, str]:
    import torch

    if device.startswith("cuda"):
        return int(torch.cuda.max_memory_allocated()), "cuda_max_memory_allocated"
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    trainable = sum(p.numel() * p.element_size() for p in model.parameters() if p.requires_grad)
    return weights + 3 * trainable, "estimate: weights + grads + 2 AdamW states"


def generate(
    model: Any,
    tokenizer: Any,
    prompts: list[str],
    system_role: bool,
    device: str,
    max_new_tokens: int,
) -> list[str]:
    import torch

    answers = []
    model.eval()
    for prompt in prompts:
        messages = q1_data.to_messages(
            [{"from": "system", "value": q1_data.SYSTEM_FA}, {"from": "human", "value": prompt}],
            system_role,
        )
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        batch = tokenizer(text, add_special_tokens=False, return_tensors="pt").to(device)
        with torch.no_grad():
            out = model.generate(
                **batch,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=stop_token_ids(tokenizer),
            )
        answers.append(
            tokenizer.decode(out[0, batch["input_ids"].shape[1] :], skip_special_tokens=True)
        )
    return answers


def evaluate(model: Any, data: list[dict], pad_id: int, device: str, batch_size: int) -> float:
    import torch

    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(data), batch_size):
            batch = {
                k: v.to(device)
                for k, v in q1_data.collate(data[i : i + batch_size], pad_id).items()
            }
            n = int((batch["labels"][:, 1:] != q1_data.IGNORE_INDEX).sum())
            total += float(model(**batch).loss) * n
            tokens += n
    return total / max(tokens, 1)


def train_method(
    method: Method,
    make_base: Any,
    tokenizer: Any,
    train: list[dict],
    val: list[dict],
    *,
    device: str,
    steps: int,
    batch_size: int,
    system_role: bool,
    max_new_tokens: int,
    autocast_dtype: Any = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Fresh base model -> method -> AdamW steps; a plain loop (no Trainer), loss on answers only.

    `make_base(method)` builds the base model for that method; with `autocast_dtype` (full
    profile: bf16) the trainable weights are float32 and the forward runs under autocast.
    `seed` (default: the reference's SEED) draws the adapter's initialisation and the batch order."""
    import contextlib

    import torch

    from reference_solutions.bonus_llm_captioning.q1_peft import (
        SEED,
        apply_method,
        trainable_count,
    )

    seed = SEED if seed is None else seed
    torch.manual_seed(seed)
    model = make_base(method)
    before = generate(
        model, tokenizer, q1_data.TEST_PROMPTS_FA, system_role, device, max_new_tokens
    )
    model = apply_method(model, method)

    def autocast() -> Any:
        if autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=device.split(":")[0], dtype=autocast_dtype)

    if autocast_dtype is not None:
        upcast_trainable(model)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=method.lr, weight_decay=0.0)
    pad = tokenizer.pad_token_id
    with autocast():
        val_before = evaluate(model, val, pad, device, batch_size)
    generator = torch.Generator().manual_seed(seed)
    losses = []
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
        torch.cuda.synchronize()
    start = time.perf_counter()
    model.train()
    for step in range(1, steps + 1):
        idx = torch.randint(len(train), (batch_size,), generator=generator).tolist()
        batch = {k: v.to(device) for k, v in q1_data.collate([train[i] for i in idx], pad).items()}
        with autocast():
            loss = model(**batch).loss
        losses.append(check_finite(float(loss.detach()), method.name, step))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = (time.perf_counter() - start) / steps
    memory, memory_kind = _memory_bytes(model, device)
    with autocast():
        val_after = evaluate(model, val, pad, device, batch_size)
    after = generate(model, tokenizer, q1_data.TEST_PROMPTS_FA, system_role, device, max_new_tokens)
    return {
        "trainable": trainable_count(model),
        "train_loss": [round(v, 5) for v in losses],
        "val_loss_before": round(val_before, 5),
        "val_loss_after": round(val_after, 5),
        "time_per_step_s": round(seconds, 5),
        "peak_memory_mb": round(memory / 2**20, 3),
        "memory_kind": memory_kind,
        "generations_before": before,
        "generations_after": after,
    }
