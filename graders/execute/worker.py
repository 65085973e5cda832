"""Execute one notebook with nbclient, instrumentation first and probes last; write JSON.

Usage: `python -m graders.execute.worker RUN_DIR`. RUN_DIR holds `job.json` and the private
copy of the submission in `work/`; the worker writes `progress.json` after every cell,
`result.json` and `executed.ipynb` at the end. In the sandbox this whole process tree runs as
an unprivileged uid with RLIMIT_NPROC/RLIMIT_FSIZE set here; memory, wall time, disk and
process count are watched from outside by the runner. Here: the per-cell timeout (the kernel
is interrupted, the remaining student cells are skipped, the probes still run), the output
size per cell and in total (the same, enforced per message by `client.LimitedClient`; the
first limit a cell crosses decides its outcome), and the probes' facts file. Everything this process
produces is treated as untrusted by the grader.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import resource
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from graders.execute.client import LimitedClient
from graders.probes import collect_cell, instrument_cell

INJECTED = "dlgrade-injected"
MAX_FACTS_BYTES = 20_000_000
COLLECT_TIMEOUT_S = 30


def _seconds(value: float) -> int:
    """nbclient's timeouts are whole seconds."""
    return max(1, math.ceil(value))


def _cell(code: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(code)
    cell.metadata["tags"] = [INJECTED]
    return cell


def _errors(cells: list[nbformat.NotebookNode], upto: int) -> list[dict[str, Any]]:
    out = []
    code_index = 0
    for index, cell in enumerate(cells[:upto]):
        if cell.get("cell_type") == "code":
            code_index += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                out.append(
                    {
                        "cell_index": index,
                        "code_cell": code_index,
                        "ename": output.get("ename", "")[:400],
                        "evalue": output.get("evalue", "")[:2000],
                        "traceback": "\n".join(output.get("traceback", []))[:20000],
                    }
                )
    return out[:500]


def _code_number(cells: list[nbformat.NotebookNode], index: int) -> int:
    return sum(1 for c in cells[: index + 1] if c.get("cell_type") == "code")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _read_facts(path: Path) -> dict[str, Any] | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_FACTS_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FACTS_BYTES:
        return None
    try:
        facts = json.loads(data)
    except ValueError:
        return None
    return facts if isinstance(facts, dict) else None


async def _execute(job: dict[str, Any], run_dir: Path, nb: nbformat.NotebookNode) -> dict[str, Any]:
    work = run_dir / "work"
    student = list(nb.cells)
    nb.cells = [_cell(instrument_cell()), *student]
    client = LimitedClient(
        nb,
        timeout=_seconds(job["cell_timeout_s"]),
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(work)}},
        per_cell=job["output_bytes_per_cell"],
        total=job["output_bytes_total"],
    )
    outcome, message, hits = "ok", "", []
    ran = 0  # student cells (of any type) whose turn has passed
    probe = None
    client.reset_execution_trackers()
    async with client.async_setup_kernel():
        stop = False
        for index, cell in enumerate(nb.cells):
            if index > 0:
                ran = index - 1
            if cell.cell_type != "code":
                continue
            client.current_cell = index
            client.limits_on = index > 0
            failure = None  # what nbclient raised: the cell timed out twice, or the kernel died
            try:
                await client.async_execute_cell(
                    cell, index, execution_count=client.code_cells_executed + 1
                )
            except CellTimeoutError as exc:
                failure, stop = ("timeout", str(exc)[:2000]), True
            except DeadKernelError as exc:
                failure, stop = ("kernel-died", str(exc)[:2000]), True
            if client._interrupt is not None:
                await client._interrupt
            if index > 0:
                ran = index
                _write_json(
                    run_dir / "progress.json", {"n_cells_run": ran, "errors": _errors(student, ran)}
                )
            code_cell = _code_number(student, index - 1)
            time_hit = {"name": "cell-time", "limit": job["cell_timeout_s"], "code_cell": code_cell}
            if client.first_limit.get(index) == "output":
                # the first limit crossed decides: a timeout or a dead kernel while the cell
                # was being stopped follows from it
                hit = client.output_hit
                assert hit is not None
                outcome = "output-limit"
                message = (
                    f"code cell {code_cell} printed more than {hit['limit']} bytes ({hit['name']})"
                )
                hits.append(
                    {
                        "name": hit["name"],
                        "limit": hit["limit"],
                        "observed": hit["observed"],
                        "code_cell": code_cell,
                    }
                )
                break
            if failure is not None:
                outcome, message = failure
                if outcome == "timeout":
                    hits.append(time_hit)
                break
            if index in client.timed_out:
                outcome = "timeout"
                message = (
                    f"code cell {code_cell} exceeded {job['cell_timeout_s']}s and was interrupted"
                )
                hits.append(time_hit)
                break
        if not stop:
            # The facts file is named only now, after every student cell ran.
            facts_path = run_dir / f"facts-{secrets.token_hex(16)}.json"
            cell = _cell(
                collect_cell(job.get("variables", []), job.get("probes", {}), str(facts_path))
            )
            nb.cells.append(cell)
            client.limits_on = False
            client.timeout = max(_seconds(job["cell_timeout_s"]), COLLECT_TIMEOUT_S)
            client.current_cell = len(nb.cells) - 1
            try:
                await client.async_execute_cell(cell, len(nb.cells) - 1)
                probe = _read_facts(facts_path)
            except (CellTimeoutError, DeadKernelError) as exc:
                if outcome == "ok":
                    outcome, message = "kernel-died", f"the probes did not finish: {exc}"[:2000]
            if probe is None and outcome == "ok":
                outcome, message = "kernel-died", "the probes wrote no facts"
    errors = _errors(student, ran)
    if outcome == "ok" and errors:
        outcome = "cell-error"
    nb.cells = [c for c in nb.cells if INJECTED not in c.metadata.get("tags", [])]
    return {
        "run": {
            "outcome": outcome,
            "message": message,
            "errors": errors,
            "n_cells_run": ran,
            "limits_hit": hits,
        },
        "probe": probe,
    }


def run(run_dir: Path) -> dict[str, Any]:
    job = json.loads((run_dir / "job.json").read_text(encoding="utf-8"))
    work = run_dir / "work"
    started = time.monotonic()
    try:
        nb = nbformat.read(work / job["notebook"], as_version=4)
    except Exception as exc:  # malformed JSON, unknown nbformat, unreadable file
        return {
            "run": {
                "outcome": "invalid-notebook",
                "message": f"{type(exc).__name__}: {exc}"[:2000],
            },
            "probe": None,
        }
    n_code = sum(1 for c in nb.cells if c.cell_type == "code")
    try:
        result = asyncio.run(_execute(job, run_dir, nb))
    except Exception as exc:  # nbclient's own failures are a run outcome, not a crash
        result = {
            "run": {"outcome": "kernel-died", "message": f"{type(exc).__name__}: {exc}"[:2000]},
            "probe": None,
        }
    result["run"]["n_code_cells"] = n_code
    result["run"]["duration_s"] = round(time.monotonic() - started, 3)
    with contextlib.suppress(Exception):  # an unserialisable output must not lose the facts
        nbformat.write(nb, run_dir / "executed.ipynb")
    return result


def _apply_rlimits(job: dict[str, Any]) -> None:
    """Hard per-uid process cap (counts threads) and per-file size cap; meaningful as non-root."""
    for name, value in (
        ("RLIMIT_NPROC", job.get("rlimit_nproc")),
        ("RLIMIT_FSIZE", job.get("rlimit_fsize")),
    ):
        if value:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> None:
    # `graders` was on PYTHONPATH for this process only: the kernel it starts sees the kernel
    # environment's packages, not the grader's package
    os.environ.pop("PYTHONPATH", None)
    run_dir = Path(sys.argv[1])
    job = json.loads((run_dir / "job.json").read_text(encoding="utf-8"))
    if job.get("sandboxed"):
        _apply_rlimits(job)
        for d in (
            "/tmp/home/.config/matplotlib",
            "/tmp/home/.jupyter-runtime",
            "/tmp/home/.ipython",
        ):
            os.makedirs(d, exist_ok=True)
    result = run(run_dir)
    _write_json(run_dir / "result.json", result)


if __name__ == "__main__":
    main()
