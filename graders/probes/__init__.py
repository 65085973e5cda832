"""Code injected into the student's kernel: read as text, never imported by the grader.

`instrument.py` runs before the student's cells (records figures); `collect.py` runs after
them and prints the facts as JSON between markers. Their output is untrusted data.

Extra probes: `probe_<name>.py` defines `_dlgrade_probe_<name>(namespace, params) -> dict`
(JSON-able). An assignment asks for them in `notebook.probes: {<name>: {params}}`; their
output lands in `ProbeFacts.extras[<name>]`, and the checks that use it validate it with
their own pydantic model.
"""

from __future__ import annotations

from importlib.resources import files


def source(name: str) -> str:
    return (files(__package__) / f"{name}.py").read_text(encoding="utf-8")


def collector(marker: str, variables: list[str], probes: dict[str, dict]) -> str:
    """The code of the last injected cell: core probes, the requested extra probes, emit."""
    extra = "\n\n".join(source(f"probe_{name}") for name in probes)
    return (
        source("collect")
        .replace(
            "# __DLGRADE_EXTRA_PROBES__ (the sources of the assignment's extra probes are inserted here)",
            extra,
        )
        .replace("__DLGRADE_MARKER__", marker)
        .replace("__DLGRADE_VARIABLES__", repr(list(variables)))
        .replace("__DLGRADE_PROBES__", repr(dict(probes)))
    )


def available() -> list[str]:
    return sorted(
        p.name.removeprefix("probe_").removesuffix(".py")
        for p in files(__package__).iterdir()
        if p.name.startswith("probe_")
    )
