"""Code injected into the student's kernel: read as text, never imported by the grader.

`instrument.py` runs before the student's cells (records figures, captures pristine JSON/os
functions and builtins); `collect.py` runs after them, in a private namespace, and its facts
are written to a file the worker names after the student's cells ran. Their output is
untrusted data all the same.

Extra probes: `probe_<name>.py` defines `_dlgrade_probe_<name>(namespace, params) -> dict`
(JSON-able). An assignment asks for them in `notebook.probes: {<name>: {params}}`; their
output lands in `ProbeFacts.extras[<name>]`, and the checks that use it validate it with
their own pydantic model.
"""

from __future__ import annotations

from importlib.resources import files


def source(name: str) -> str:
    return (files(__package__) / f"{name}.py").read_text(encoding="utf-8")


def collector_source(probes: dict[str, dict]) -> str:
    """The collector's code: core probes plus the sources of the requested extra probes."""
    extra = "\n\n".join(source(f"probe_{name}") for name in probes)
    return source("collect").replace(
        "# __DLGRADE_EXTRA_PROBES__ (the sources of the assignment's extra probes are inserted here)",
        extra,
    )


def instrument_cell() -> str:
    """The first injected cell: run `instrument.py` in a private namespace (copied builtins)."""
    return (
        f"exec(compile({source('instrument')!r}, '<dlgrade-instrument>', 'exec'), "
        "{'__builtins__': __import__('builtins').__dict__.copy(), "
        "'__name__': '_dlgrade_instrument'})"
    )


def collect_cell(variables: list[str], probes: dict[str, dict], facts_path: str) -> str:
    """The last injected cell: hand the namespace to the instrumentation's `finish`."""
    return (
        "__import__('sys').modules['_dlgrade_state'].finish(globals(), "
        f"{collector_source(probes)!r}, {list(variables)!r}, {dict(probes)!r}, {facts_path!r})"
    )


def available() -> list[str]:
    return sorted(
        p.name.removeprefix("probe_").removesuffix(".py")
        for p in files(__package__).iterdir()
        if p.name.startswith("probe_")
    )
