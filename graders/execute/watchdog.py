"""The grader-side watchdog of one run: wall time, tree RSS, process count, bytes written.

It polls the whole process tree under the sandbox's first process (psutil), sums the resident
memory of every process (so a CUDA process with a huge virtual address space is fine), counts
processes, and sums the blocks allocated in the run folder. The first limit reached is
recorded and the whole tree is killed (SIGKILL to the process group and to every descendant;
inside bwrap's PID namespace that ends every process of the run).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

POLL_S = 0.05
DISK_POLL_S = 0.5
MAX_FILES = 100_000


@dataclass
class WatchdogHit:
    name: str  # a LimitHit name: total-time, memory, disk, processes
    limit: float
    observed: float


@dataclass
class Observed:
    peak_rss_mb: float = 0.0
    peak_processes: int = 0
    peak_disk_mb: float = 0.0


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def rss_mb(procs: list[psutil.Process]) -> float:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def disk_mb(folder: Path) -> float:
    """Allocated size of everything under `folder` (blocks, so sparse files count as written)."""
    total = 0
    count = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + dirnames:
            count += 1
            if count > MAX_FILES:
                return float("inf")
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            total += st.st_blocks * 512
    return total / 2**20


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL the process group and every descendant still visible, then reap."""
    procs = tree(proc.pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            continue
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def watch(
    proc: subprocess.Popen,
    *,
    wall_s: float,
    memory_mb: float,
    max_processes: int,
    disk_limit_mb: float,
    folder: Path,
    observed: Observed,
) -> WatchdogHit | None:
    """Block until `proc` exits (None) or a limit is reached (the tree is killed, a WatchdogHit returned)."""
    start = time.monotonic()
    next_disk = start
    hit: WatchdogHit | None = None
    while proc.poll() is None:
        now = time.monotonic()
        if now - start > wall_s:
            hit = WatchdogHit("total-time", wall_s, round(now - start, 2))
            break
        procs = tree(proc.pid)
        observed.peak_processes = max(observed.peak_processes, len(procs))
        if len(procs) >= max_processes:
            hit = WatchdogHit("processes", max_processes, len(procs))
            break
        mem = rss_mb(procs)
        observed.peak_rss_mb = max(observed.peak_rss_mb, mem)
        if mem > memory_mb:
            hit = WatchdogHit("memory", memory_mb, round(mem, 1))
            break
        if now >= next_disk:
            used = disk_mb(folder)
            observed.peak_disk_mb = max(observed.peak_disk_mb, min(used, 1e12))
            if used > disk_limit_mb:
                hit = WatchdogHit("disk", disk_limit_mb, round(min(used, 1e12), 1))
                break
            next_disk = now + DISK_POLL_S
        time.sleep(POLL_S)
    if hit is not None:
        kill_tree(proc)
    return hit
