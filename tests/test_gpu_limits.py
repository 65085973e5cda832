"""GPU-sized limits per assignment and per device, /dev/shm sized apart, CPU threads shared
between workers (issue 22)."""

from __future__ import annotations

import os
from pathlib import Path

from graders.batch.worker import init_worker
from graders.execute import sandbox as sb
from graders.spec import load_spec
from graders.spec.models import CUDA_FLOOR


def test_cuda_limits_of_the_bonus_assignment() -> None:
    spec = load_spec("bonus-llm-captioning")
    cpu, cuda = spec.limits_for("cpu"), spec.limits_for("cuda")
    assert cpu == spec.limits
    assert (cpu.memory_mb, cpu.total_timeout_s, cpu.shm_mb) == (4096, 1800, None)
    assert (cuda.memory_mb, cuda.total_timeout_s, cuda.cell_timeout_s, cuda.shm_mb) == (
        40960,
        14400,
        5400,
        8192,
    )
    assert cuda.max_processes == cpu.max_processes  # what limits_cuda does not set is kept
    assert spec.data.hf_cache and spec.data.torch_hub


def test_cuda_floor_without_limits_cuda() -> None:
    spec = load_spec("hw2-rnn")
    cuda = spec.limits_for("cuda")
    assert (cuda.memory_mb, cuda.shm_mb) == (CUDA_FLOOR["memory_mb"], CUDA_FLOOR["shm_mb"])
    assert cuda.total_timeout_s == spec.limits.total_timeout_s


def test_dev_shm_has_its_own_size(tmp_path: Path) -> None:
    config = sb.SandboxConfig()
    argv = sb.command(
        bwrap="/usr/bin/bwrap",
        run_dir=tmp_path,
        etc_dir=tmp_path / "etc",
        uid=None,
        limits_tmp_mb=512,
        limits_shm_mb=2048,
        worker_argv=["python"],
        config=config,
        env=sb.sandbox_env(config, cuda=False),
    )
    mib = 1024 * 1024
    i = argv.index("/dev/shm", argv.index("--tmpfs"))
    assert argv[i - 3 : i + 1] == ["--size", str(2048 * mib), "--tmpfs", "/dev/shm"]
    j = argv.index("/tmp")
    assert argv[j - 3 : j + 1] == ["--size", str(512 * mib), "--tmpfs", "/tmp"]


def test_each_worker_gets_its_share_of_the_cpus(monkeypatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "")  # restored after the test, whatever the code sets
    monkeypatch.delenv("OMP_NUM_THREADS")
    init_worker(None, 3)
    assert os.environ["OMP_NUM_THREADS"] == "3"
    monkeypatch.setenv("OMP_NUM_THREADS", "7")  # the user's choice wins
    init_worker(None, 3)
    assert os.environ["OMP_NUM_THREADS"] == "7"
