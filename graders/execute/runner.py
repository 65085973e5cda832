"""The grader's side of a notebook run: a private copy, the worker process, validated facts.

The worker's output is untrusted: it is size-limited and validated with pydantic here.
Issue #3 wraps the worker command in bubblewrap; this module already keeps it a separate
process group with its own time limit, so a hung kernel cannot hang the grader.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from pydantic import ValidationError

from graders.facts import Hygiene, ProbeFacts, RunFacts
from graders.spec.models import Limits

MAX_RESULT_BYTES = 50_000_000


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


def execute_notebook(
    notebook: Path,
    *,
    limits: Limits,
    variables: list[str],
    probes: dict[str, dict] | None = None,
    keep_dir: Path | None = None,
) -> ExecutionResult:
    """Run `notebook` (inside its submission folder) on a private copy; return validated facts."""
    run_dir = Path(tempfile.mkdtemp(prefix="dlgrade-run-"))
    try:
        shutil.copytree(notebook.parent, run_dir / "work", symlinks=True)
        marker = "DLGRADE-FACTS-" + secrets.token_hex(16)
        job = {
            "notebook": notebook.name,
            "marker": marker,
            "variables": variables,
            "probes": probes or {},
            "cell_timeout_s": limits.cell_timeout_s,
        }
        (run_dir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        env = {
            **os.environ,
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYTHONHASHSEED": "0",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "graders.execute.worker", str(run_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            _, stderr = proc.communicate(timeout=limits.total_timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            run = RunFacts(
                outcome="timeout", message=f"total time limit of {limits.total_timeout_s}s reached"
            )
            return ExecutionResult(run, None, None)
        result_file = run_dir / "result.json"
        if not result_file.is_file() or result_file.stat().st_size > MAX_RESULT_BYTES:
            tail = stderr.decode(errors="replace")[-2000:]
            return ExecutionResult(
                RunFacts(outcome="kernel-died", message=f"the worker wrote no result: {tail}"),
                None,
                None,
            )
        try:
            raw = json.loads(result_file.read_text(encoding="utf-8"))
            run = RunFacts.model_validate(raw["run"])
            probe = (
                ProbeFacts.model_validate(raw["probe"]) if raw.get("probe") is not None else None
            )
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            return ExecutionResult(
                RunFacts(outcome="kernel-died", message=f"invalid facts: {exc}"[:2000]), None, None
            )
        executed = None
        if (run_dir / "executed.ipynb").is_file() and keep_dir is not None:
            keep_dir.mkdir(parents=True, exist_ok=True)
            executed = keep_dir / "executed.ipynb"
            shutil.copyfile(run_dir / "executed.ipynb", executed)
        return ExecutionResult(run, probe, executed)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
