"""Notebook execution: the worker (runs beside the kernel, on the untrusted side), the runner
(the grader's side: prepares a private copy, starts the sandboxed worker, validates its output),
the bubblewrap command line (`sandbox`) and the limits watchdog (`watchdog`).

Nothing is imported here: the worker starts inside the sandbox and must not pay for the
runner's imports (pydantic models, psutil).
"""
