"""The grader's side of a notebook run: a private copy, the sandboxed worker, validated facts.

`execute_notebook` copies the submission into a fresh run folder, starts
`python -m graders.execute.worker` inside bubblewrap (see `sandbox.py`; `sandbox=False` is the
explicit opt-out for a student's own laptop) as a separate process group, and watches the whole
process tree from here (`watchdog.py`): wall time, memory, process count, bytes written. The
worker's output is untrusted: it is read without following links, size-limited and validated
with pydantic; the outcome of a limit the watchdog enforced is decided here, not by the worker.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import psutil
from pydantic import ValidationError

from graders.environment.build import KernelEnv
from graders.environment.missing import reclassify
from graders.execute import cuda_probe
from graders.execute import sandbox as sb
from graders.execute.watchdog import Observed, WatchdogHit, disk_mb, kill_tree, watch
from graders.facts import CellError, Hygiene, LimitHit, ProbeFacts, RunFacts
from graders.paths import project_root
from graders.spec.models import DataMounts, Limits

MAX_RESULT_BYTES = 50_000_000
MAX_NOTEBOOK_BYTES = 200_000_000
STDERR_TAIL = 64_000
OUTCOME_OF_HIT = {
    "total-time": "timeout",
    "memory": "memory",
    "disk": "output-limit",
    "processes": "kernel-died",
}
MESSAGE_OF_HIT = {
    "total-time": "total time limit of {limit:g}s reached",
    "memory": "memory limit of {limit:g} MB reached (the process tree used {observed:g} MB)",
    "disk": "the run wrote more than {limit:g} MB into its folder",
    "processes": "process limit of {limit:g} reached ({observed:g} processes)",
}


@dataclass(frozen=True)
class ExecutionResult:
    run: RunFacts
    probe: ProbeFacts | None
    executed_notebook: Path | None


def notebook_hygiene(path: Path) -> Hygiene | None:
    """Facts about the notebook as handed in: were its cells run in order with outputs saved."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.get("execution_count") for c in code]
    executed = [n for n in counts if isinstance(n, int)]
    return Hygiene(
        n_code_cells=len(code),
        n_executed=len(executed),
        in_order=executed == sorted(executed),
        has_outputs=any(c.get("outputs") for c in code),
    )


def read_untrusted(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, never following a link or blocking on a FIFO; None if too big."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = f.read(limit + 1)
    return data if len(data) <= limit else None


def _fresh_uid() -> int:
    """An unused uid for this run, so RLIMIT_NPROC counts only this run's processes."""
    used = set()
    for p in psutil.process_iter(["uids"]):
        try:
            used.add(p.info["uids"].real)
        except (psutil.Error, AttributeError):
            continue
    while True:
        uid = 1_000_000 + secrets.randbelow(1_000_000)
        if uid not in used:
            return uid


def _chown_tree(folder: Path, uid: int) -> None:
    os.chown(folder, uid, uid)
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, uid, follow_symlinks=False)


def _kill_uid(uid: int) -> None:
    """Belt and braces: no process of the run's uid survives the run."""
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"].real == uid:
                p.kill()
        except (psutil.Error, AttributeError):
            continue


class _Tail(threading.Thread):
    """Drain a pipe, keeping only its last bytes (the worker's stderr is untrusted and unbounded)."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.data = b""

    def run(self) -> None:
        while chunk := self.stream.read(65536):
            self.data = (self.data + chunk)[-STDERR_TAIL:]

    def text(self) -> str:
        return self.data.decode(errors="replace")


def _progress(run_dir: Path) -> tuple[int, list[CellError]]:
    raw = read_untrusted(run_dir / "progress.json", 5_000_000)
    try:
        data = json.loads(raw) if raw else {}
        return int(data.get("n_cells_run", 0)), [
            CellError.model_validate(e) for e in data.get("errors", [])[:500]
        ]
    except (ValueError, TypeError, AttributeError, ValidationError):
        return 0, []


def _validated(raw: Any, sandboxed: bool) -> tuple[RunFacts, ProbeFacts | None]:
    run = RunFacts.model_validate({**raw["run"], "sandboxed": sandboxed})
    probe = ProbeFacts.model_validate(raw["probe"]) if raw.get("probe") is not None else None
    return run, probe


def _job(notebook: Path, limits: Limits, variables: list[str], probes: dict, sandboxed: bool):
    return {
        "notebook": notebook.name,
        "variables": variables,
        "probes": probes,
        "cell_timeout_s": limits.cell_timeout_s,
        "output_bytes_per_cell": limits.output_bytes_per_cell,
        "output_bytes_total": limits.output_bytes_total,
        "sandboxed": sandboxed,
        # threads count against RLIMIT_NPROC: the watchdog enforces max_processes exactly
        "rlimit_nproc": limits.max_processes * 4 + 256,
        "rlimit_fsize": min(limits.max_file_mb, limits.disk_mb) * 2**20,
    }


def execute_notebook(
    notebook: Path,
    *,
    limits: Limits,
    variables: list[str],
    probes: dict[str, dict] | None = None,
    keep_dir: Path | None = None,
    sandbox: bool = True,
    device: str = "cpu",
    data: DataMounts | None = None,
    kernel: KernelEnv | None = None,
) -> ExecutionResult:
    """Run `notebook` (inside its submission folder) on a private copy; return validated facts.

    `kernel`: the built kernel environment whose Python runs the worker and the kernel (the
    grader's own virtualenv is then not even mounted); None only for the student's self-check
    on their own machine, which runs in the Python it was started from.
    """
    python = str(kernel.python) if kernel is not None else sys.executable
    bwrap = None
    if sandbox:
        try:
            bwrap = sb.check_available()
        except sb.SandboxUnavailable as exc:
            return ExecutionResult(
                RunFacts(outcome="sandbox-unavailable", message=exc.bilingual()), None, None
            )
    base = Path(tempfile.mkdtemp(prefix="dlgrade-run-"))
    run_dir = base / "run"
    # as root, the run drops to a fresh uid; otherwise bwrap maps the caller's own uid
    uid = _fresh_uid() if sandbox and os.geteuid() == 0 else None
    try:
        run_dir.mkdir()
        shutil.copytree(notebook.parent, run_dir / "work", symlinks=True)
        job = _job(notebook, limits, variables, probes or {}, sandbox)
        (run_dir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        if sandbox:
            assert bwrap is not None
            if uid is not None:
                _chown_tree(run_dir, uid)
            else:
                job["rlimit_nproc"] = None  # it would count all of the caller's processes
                (run_dir / "job.json").write_text(json.dumps(job), encoding="utf-8")
            data = data or DataMounts()
            mounts, data_env = sb.data_mounts(
                data_dir=data.data_dir,
                data_mount_at=data.data_mount_at,
                hf_cache=data.hf_cache,
                torch_hub=data.torch_hub,
                root=project_root(),
            )
            if device == "cuda":
                ok, seen = cuda_probe.cuda_in_sandbox(
                    bwrap,
                    mounts,
                    lambda: _fresh_uid() if os.geteuid() == 0 else None,
                    _chown_tree,
                    python,
                    kernel.path if kernel is not None else None,
                )
                if not ok:
                    run = RunFacts(
                        outcome="sandbox-unavailable",
                        message=cuda_probe.unavailable_message(seen),
                        sandboxed=True,
                        cuda=False,
                    )
                    return ExecutionResult(run, None, None)
            config = sb.SandboxConfig(
                mounts=mounts,
                device=device,
                env=data_env,
                python_env=kernel.path if kernel is not None else None,
            )
            cmd = sb.command(
                bwrap=bwrap,
                run_dir=run_dir,
                etc_dir=base / "etc",
                uid=uid,
                limits_tmp_mb=limits.tmp_mb,
                limits_shm_mb=limits.shm_mb,
                worker_argv=[python, "-m", "graders.execute.worker", sb.INSIDE_RUN_DIR],
                config=config,
                env=sb.sandbox_env(config, cuda=device == "cuda"),
            )
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        else:
            cmd = [python, "-m", "graders.execute.worker", str(run_dir)]
            env = {
                **(sb.unsandboxed_env(base) if kernel is not None else os.environ),
                "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                "PYTHONHASHSEED": "0",
                "HF_HUB_OFFLINE": "1",
                "HF_DATASETS_OFFLINE": "1",
                **sb.device_env(device),
            }
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        tail = _Tail(proc.stderr)
        tail.start()
        observed = Observed()
        try:
            hit = watch(
                proc,
                wall_s=limits.total_timeout_s,
                memory_mb=limits.memory_mb,
                max_processes=limits.max_processes,
                disk_limit_mb=limits.disk_mb,
                folder=run_dir,
                observed=observed,
            )
        finally:
            kill_tree(proc)
            if uid is not None:
                _kill_uid(uid)
            tail.join(timeout=5)
        result = _result(run_dir, hit, proc.returncode, tail.text(), sandbox, keep_dir)
        used = disk_mb(run_dir)
        if hit is None and used > limits.disk_mb:  # written between two polls, before the end
            record = LimitHit(name="disk", limit=limits.disk_mb, observed=round(min(used, 1e12), 1))
            run = result.run.model_copy(
                update={
                    "outcome": "output-limit",
                    "message": MESSAGE_OF_HIT["disk"].format(limit=limits.disk_mb, observed=used),
                    "limits_hit": [*result.run.limits_hit, record],
                }
            )
            result = ExecutionResult(run, result.probe, result.executed_notebook)
        # grader-set, never the worker's: whether the sandbox's torch was seen to use the GPU
        cuda = True if sandbox and device == "cuda" else None
        # an import the kernel environment lacks: the grader's call, from the cell errors
        run = reclassify(result.run, kernel.modules() if kernel is not None else None)
        run = run.model_copy(update={"cuda": cuda})
        return ExecutionResult(run, result.probe, result.executed_notebook)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _result(
    run_dir: Path,
    hit: WatchdogHit | None,
    returncode: int | None,
    stderr: str,
    sandboxed: bool,
    keep_dir: Path | None,
) -> ExecutionResult:
    if hit is not None:
        n_run, errors = _progress(run_dir)
        record = LimitHit(name=hit.name, limit=hit.limit, observed=hit.observed)  # type: ignore[arg-type]
        run = RunFacts(
            outcome=OUTCOME_OF_HIT[hit.name],  # type: ignore[arg-type]
            message=MESSAGE_OF_HIT[hit.name].format(limit=hit.limit, observed=hit.observed),
            errors=errors,
            n_cells_run=n_run,
            limits_hit=[record],
            sandboxed=sandboxed,
        )
        return ExecutionResult(run, None, _keep(run_dir, keep_dir))
    raw_bytes = read_untrusted(run_dir / "result.json", MAX_RESULT_BYTES)
    if raw_bytes is None:
        if sandboxed and "bwrap:" in stderr:
            line = next(ln for ln in stderr.splitlines() if "bwrap:" in ln)
            why = sb.SandboxUnavailable.because(f"bwrap failed: {line[:300]}")
            return ExecutionResult(
                RunFacts(outcome="sandbox-unavailable", message=why.bilingual(), sandboxed=True),
                None,
                None,
            )
        n_run, errors = _progress(run_dir)
        run = RunFacts(
            outcome="kernel-died",
            message=f"the worker wrote no result (exit {returncode}): {stderr[-2000:]}",
            errors=errors,
            n_cells_run=n_run,
            sandboxed=sandboxed,
        )
        return ExecutionResult(run, None, _keep(run_dir, keep_dir))
    try:
        run, probe = _validated(json.loads(raw_bytes), sandboxed)
    except (ValueError, KeyError, TypeError, ValidationError) as exc:
        return ExecutionResult(
            RunFacts(
                outcome="kernel-died", message=f"invalid facts: {exc}"[:2000], sandboxed=sandboxed
            ),
            None,
            None,
        )
    return ExecutionResult(run, probe, _keep(run_dir, keep_dir))


def _keep(run_dir: Path, keep_dir: Path | None) -> Path | None:
    """Copy the executed notebook out (a regular file, size-limited, valid JSON) if asked."""
    if keep_dir is None:
        return None
    data = read_untrusted(run_dir / "executed.ipynb", MAX_NOTEBOOK_BYTES)
    if data is None:
        return None
    try:
        nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception:
        return None
    keep_dir.mkdir(parents=True, exist_ok=True)
    out = keep_dir / "executed.ipynb"
    out.write_bytes(data)
    return out
