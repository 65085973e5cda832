"""Code injected into the student's kernel: read as text, never imported by the grader.

`instrument.py` runs before the student's cells (records figures); `collect.py` runs after
them and prints the facts as JSON between markers. Their output is untrusted data.
"""

from __future__ import annotations

from importlib.resources import files


def source(name: str) -> str:
    return (files(__package__) / f"{name}.py").read_text(encoding="utf-8")
