"""Notebook execution: the worker (runs beside the kernel, on the untrusted side) and the
runner (the grader's side: prepares a private copy, starts the worker, validates its output)."""

from graders.execute.runner import ExecutionResult, execute_notebook

__all__ = ["ExecutionResult", "execute_notebook"]
