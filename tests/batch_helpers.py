"""Helpers for the batch tests: a throw-away project home with the tiny assignment, and
generated submissions (zips named like an LMS export, with chosen upload times)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

import nbformat

FILES = Path(__file__).parent / "files"
TINY = "tiny-batch"
# 1404/10/08 23:59 Tehran (UTC+03:30), the tiny assignment's deadline
DEADLINE = dt.datetime(2025, 12, 29, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=3.5)))


def make_home(root: Path) -> Path:
    """A DLGRADE_HOME holding the tiny assignment and its golden values (computed here)."""
    (root / "assignments" / TINY).mkdir(parents=True)
    shutil.copy(FILES / TINY / "assignment.yaml", root / "assignments" / TINY / "assignment.yaml")
    golden = root / "reference_solutions" / TINY.replace("-", "_") / "golden"
    golden.mkdir(parents=True)
    product = 6 * 7
    doc = {
        "values": {
            "product": {"accepted": [{"value": product, "convention": "-", "derivation": "6 × 7"}]}
        },
        "provenance": {"profile": "smoke"},
    }
    (golden / "tiny.json").write_text(json.dumps(doc), encoding="utf-8")
    return root


def notebook(plot: bool = True, extra: str = "") -> nbformat.NotebookNode:
    cells = ["import matplotlib.pyplot as plt\nxs = [1, 2, 3, 4]"]
    if plot:
        cells.append("plt.plot(xs, [x * x for x in xs])\nplt.show()")
    if extra:
        cells.append(extra)
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


def make_zip(
    folder: Path,
    name: str,
    *,
    answer: str = "42",
    plot: bool = True,
    extra: str = "",
    when: dt.datetime | None = None,
) -> Path:
    """Write `folder/name.zip` holding a notebook and answers.yaml; mtime = `when`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}/hw.ipynb", nbformat.writes(notebook(plot, extra)))
        zf.writestr(f"{name}/answers.yaml", f"Q2:\n  a: '{answer}'\n")
        zf.writestr("__MACOSX/._hw.ipynb", "junk")
    when = when or DEADLINE - dt.timedelta(hours=1)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path
