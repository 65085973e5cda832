"""What a golden file's numbers depend on besides the code: the CPU, torch's math libraries, threads.

Recorded in every golden file's provenance so that a TA comparing two builds can see why their
last digits differ (another CPU takes another MKL/oneDNN code path; more threads sum in another
order). Bands are widened to cover such differences (see `reference_solutions/bands.py`).
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path
from typing import Any

_SETTINGS = ("BLAS_INFO", "LAPACK_INFO", "USE_MKL", "USE_MKLDNN", "USE_OPENMP", "USE_CUDA", "USE_CUDNN")
_ENV = ("MKL_CBWR", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "CUBLAS_WORKSPACE_CONFIG")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def torch_build() -> dict[str, Any]:
    """The math libraries torch was built with and the CPU capability it dispatches to."""
    import torch

    shown = torch.__config__.show()
    out: dict[str, Any] = {}
    for name in _SETTINGS:
        m = re.search(rf"\b{name}=([^,\s]+)", shown)
        if m:
            out[name] = m.group(1)
    for key, pattern in (
        ("mkl", r"Math Kernel Library Version ([^\s]+)"),
        ("onednn", r"MKL-DNN (v[\d.]+)"),
        ("cpu_capability", r"CPU capability usage: (\S+)"),
    ):
        m = re.search(pattern, shown)
        if m:
            out[key] = m.group(1)
    if torch.cuda.is_available():
        out["cuda"] = torch.version.cuda
        out["cudnn"] = torch.backends.cudnn.version()
        out["gpu"] = torch.cuda.get_device_name(0)
    return out


def numeric_environment() -> dict[str, Any]:
    import torch

    return {
        "cpu": cpu_model(),
        "machine": platform.machine(),
        "torch_build": torch_build(),
        "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "env": {k: os.environ[k] for k in _ENV if k in os.environ},
    }


__all__ = ["cpu_model", "numeric_environment", "torch_build"]
