"""Execute one notebook with nbclient, instrumentation first and probes last; write JSON.

Usage: `python -m graders.execute.worker RUN_DIR`. RUN_DIR holds `job.json` and the private
copy of the submission in `work/`; the worker writes `result.json` and `executed.ipynb`.
Everything this process produces is treated as untrusted by the grader.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from graders.probes import collector, source

INJECTED = "dlgrade-injected"


def _cell(code: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(code)
    cell.metadata["tags"] = [INJECTED]
    return cell


def _probe_output(cell: nbformat.NotebookNode, marker: str) -> dict[str, Any] | None:
    text = "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    parts = text.split(marker)
    if len(parts) != 3:
        return None
    try:
        return json.loads(parts[1])
    except json.JSONDecodeError:
        return None


def _errors(cells: list[nbformat.NotebookNode]) -> list[dict[str, Any]]:
    out = []
    code_index = 0
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            code_index += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                out.append(
                    {
                        "cell_index": index,
                        "code_cell": code_index,
                        "ename": output.get("ename", ""),
                        "evalue": output.get("evalue", "")[:2000],
                        "traceback": "\n".join(output.get("traceback", []))[:20000],
                    }
                )
    return out


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
    student_cells = list(nb.cells)
    n_code = sum(1 for c in student_cells if c.cell_type == "code")
    collect = collector(job["marker"], job.get("variables", []), job.get("probes", {}))
    nb.cells = [_cell(source("instrument")), *student_cells, _cell(collect)]
    client = NotebookClient(
        nb,
        timeout=job["cell_timeout_s"],
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(work)}},
    )
    outcome, message = "ok", ""
    try:
        client.execute()
    except CellTimeoutError as exc:
        outcome, message = "timeout", str(exc)[:2000]
    except DeadKernelError as exc:
        outcome, message = "kernel-died", str(exc)[:2000]
    except Exception as exc:  # nbclient's own failures are a run outcome, not a crash
        outcome, message = "kernel-died", f"{type(exc).__name__}: {exc}"[:2000]
    probe = _probe_output(nb.cells[-1], job["marker"]) if outcome == "ok" else None
    errors = _errors(nb.cells[1:-1])
    if outcome == "ok" and errors:
        outcome = "cell-error"
    if outcome == "ok" and probe is None:
        outcome, message = "kernel-died", "the probes printed no facts"
    nb.cells = [c for c in nb.cells if INJECTED not in c.metadata.get("tags", [])]
    nbformat.write(nb, run_dir / "executed.ipynb")
    return {
        "run": {
            "outcome": outcome,
            "message": message,
            "errors": errors,
            "n_code_cells": n_code,
            "duration_s": round(time.monotonic() - started, 3),
        },
        "probe": probe,
    }


def main() -> None:
    run_dir = Path(sys.argv[1])
    result = run(run_dir)
    (run_dir / "result.json").write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
