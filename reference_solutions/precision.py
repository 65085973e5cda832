"""Mixed precision of the reference solutions' full (GPU) runs, decided in one place.

* Tiny models (the RNN/LSTM of hw5-rnn, the MLP of hw5-transformers-ut) train in float32: at
  their size autocast saves nothing, and cuDNN's RNN autocast always runs fp16, without the
  GradScaler a "bf16" branch would skip.
* Larger models (BEiT, the captioners' backbones) use bf16 where the GPU computes it natively,
  else fp16 *with* a GradScaler. `torch.cuda.is_bf16_supported()` alone also counts emulation
  (True on a T4 or V100, where bf16 is slow); `including_emulation=False` asks for the hardware.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import torch


def native_bf16() -> bool:
    return bool(torch.cuda.is_bf16_supported(including_emulation=False))


@dataclass(frozen=True)
class Precision:
    device: str
    dtype: torch.dtype | None  # None: float32, no autocast

    @property
    def use_scaler(self) -> bool:
        return self.dtype == torch.float16

    def autocast(self) -> Any:
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device, dtype=self.dtype)

    def scaler(self) -> Any:
        return torch.amp.GradScaler(self.device) if self.use_scaler else None


def precision_for(device: str, tiny: bool = False) -> Precision:
    """float32 on the CPU and for tiny models; bf16 on native-bf16 GPUs; else fp16 + scaler."""
    if device != "cuda" or tiny:
        return Precision(device, None)
    return Precision(device, torch.bfloat16 if native_bf16() else torch.float16)


def optimizer_step(loss: torch.Tensor, optimizer: Any, scaler: Any = None) -> None:
    """backward + step, through the GradScaler when fp16 is used."""
    if scaler is None:
        loss.backward()
        optimizer.step()
        return
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
