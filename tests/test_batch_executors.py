"""Executors: GPU assignment per worker, executor choice."""

from __future__ import annotations

import os
import queue

import pytest

from graders.batch.executors import SerialExecutor, detect_gpus, make_executor
from graders.batch.worker import init_worker
from graders.errors import DlgradeError


def test_each_worker_takes_its_own_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    q: queue.Queue = queue.Queue()
    for gpu in ["3", "5"]:
        q.put(gpu)
    seen = []
    for _ in range(2):  # two worker processes start, each runs the initializer once
        monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
        init_worker(q)

        seen.append(os.environ["CUDA_VISIBLE_DEVICES"])
    assert seen == ["3", "5"]


def test_detect_gpus_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,2")
    assert detect_gpus() == ["0", "2"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")
    assert detect_gpus() == []


def test_executor_choice() -> None:
    assert isinstance(make_executor("local", 1), SerialExecutor)
    with pytest.raises(DlgradeError, match="--scheduler"):
        make_executor("dask", 2, None)
    with pytest.raises(DlgradeError, match="unknown executor"):
        make_executor("slurm", 2)
