"""Where tasks run: a local process pool (default) or a Dask distributed cluster.

Both expose the same small interface: `submit(task)`, `as_completed()` yielding
`(task, result, error)`, `running()` and `close()`. No home-made scheduler: the pool is
`concurrent.futures.ProcessPoolExecutor`, the cluster is `distributed.Client`.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graders.batch.worker import GradeTask, grade_task, init_worker, use_gpu
from graders.errors import DlgradeError
from graders.scoring import GradeResult

Outcome = tuple[GradeTask, GradeResult | None, BaseException | None]


def _outcomes(
    futures: dict[Any, GradeTask], completed: Callable[[list[Any]], Iterable[Any]]
) -> Iterator[Outcome]:
    """Each future's task with its result or its exception, as `completed` yields them done."""
    for future in completed(list(futures)):
        task = futures.pop(future)
        try:
            yield task, future.result(), None
        except Exception as exc:
            yield task, None, exc


def detect_gpus() -> list[str]:
    """GPU ids from CUDA_VISIBLE_DEVICES, else from `nvidia-smi -L`; none on a CPU machine."""
    env = os.environ.get("CUDA_VISIBLE_DEVICES")
    if env is not None:
        return [g for g in env.split(",") if g.strip() and g.strip() != "-1"]
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(
            ["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [str(i) for i, line in enumerate(out.splitlines()) if line.startswith("GPU")]


class SerialExecutor:
    """`--jobs 1`: grade in this process, one after another (no pool to start); with GPUs
    listed, this process uses the first one, as a pool worker would."""

    def __init__(self, gpus: list[str] | None = None) -> None:
        self._tasks: list[GradeTask] = []
        if gpus:
            use_gpu(gpus[0])

    def submit(self, task: GradeTask) -> None:
        self._tasks.append(task)

    def as_completed(self) -> Iterator[Outcome]:
        while self._tasks:
            task = self._tasks.pop(0)
            try:
                yield task, grade_task(task), None
            except Exception as exc:  # a crash is a failed task, the batch goes on
                yield task, None, exc

    def running(self) -> int:
        return 1 if self._tasks else 0

    def close(self) -> None:
        self._tasks.clear()


class LocalExecutor:
    """A pool of `jobs` worker processes; each gets one GPU of its own when GPUs are listed."""

    def __init__(self, jobs: int, gpus: list[str] | None = None) -> None:
        ctx = multiprocessing.get_context("spawn")
        queue = None
        if gpus:
            queue = ctx.Queue()
            for i in range(jobs):
                queue.put(gpus[i % len(gpus)])
        self.jobs = jobs
        threads = max(1, (os.cpu_count() or 1) // jobs)  # jobs notebooks share the CPUs
        self._pool = cf.ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=init_worker, initargs=(queue, threads)
        )
        self._futures: dict[cf.Future, GradeTask] = {}

    def submit(self, task: GradeTask) -> None:
        self._futures[self._pool.submit(grade_task, task)] = task

    def as_completed(self) -> Iterator[Outcome]:
        return _outcomes(self._futures, cf.as_completed)

    def running(self) -> int:
        return min(self.jobs, sum(1 for f in self._futures if f.running()))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class DaskExecutor:
    """Tasks on a Dask distributed scheduler (`tcp://host:8786`, or a `SLURMCluster`'s)."""

    def __init__(self, scheduler: str | Any) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - a dependency
            raise DlgradeError(
                "the Dask executor needs: pip install 'dask[distributed]'",
                "برای اجرای Dask بستهٔ dask[distributed] را نصب کنید.",
            ) from exc
        if not scheduler:
            raise DlgradeError(
                "--executor dask needs --scheduler ADDRESS",
                "برای --executor dask نشانی زمان‌بند را با --scheduler بدهید.",
            )
        self._client = Client(scheduler, timeout=30)
        self._futures: dict[Any, GradeTask] = {}

    def submit(self, task: GradeTask) -> None:
        key = f"dlgrade-{task.key}-{uuid.uuid4().hex[:8]}"  # a new task on every run
        future = self._client.submit(grade_task, task, pure=False, key=key)
        self._futures[future] = task

    def as_completed(self) -> Iterator[Outcome]:
        from distributed import as_completed

        return _outcomes(self._futures, as_completed)

    def running(self) -> int:
        try:
            return sum(len(v) for v in self._client.processing().values())
        except Exception:
            return 0

    def close(self) -> None:
        for future in self._futures:
            future.cancel()
        self._client.close()


def make_executor(
    kind: str, jobs: int, scheduler: str | None = None, gpus: list[str] | None = None
) -> SerialExecutor | LocalExecutor | DaskExecutor:
    if kind == "dask":
        return DaskExecutor(scheduler)
    if kind != "local":
        raise DlgradeError(f"unknown executor {kind!r}", f"اجراکنندهٔ ناشناخته: {kind}")
    return SerialExecutor(gpus) if jobs <= 1 else LocalExecutor(jobs, gpus)
