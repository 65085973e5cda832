"""Which notebook of a submission answers which questions (several notebooks per submission).

An assignment handed in as several notebooks (bonus-llm-captioning: a Q1 fine-tuning notebook,
a Q2 captioning notebook and a report PDF) lists bindings under `notebook.bind` in its spec:

    notebook:
      glob: "*.ipynb"
      bind:
        - {id: q1, pattern: "*[Qq]1*.ipynb", content: [q1_results, LoraConfig], questions: [Q1]}
        - {id: q2, pattern: "*[Qq]2*.ipynb", content: [bleu_scores, predictions], questions: [Q2]}

A binding takes the first notebook whose file name matches its pattern (case-insensitive) and
no other binding took; else the first notebook whose code mentions one of its `content` words;
else, when the submission holds a single notebook, that one (one notebook may answer every
question). Each bound notebook runs once, in its own sandboxed kernel, and its facts go to its
questions' checks only; the report names the notebook each question's results came from.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

from graders.spec.models import AssignmentSpec, NotebookBinding

MAX_SOURCE_CHARS = 2_000_000


@dataclass(frozen=True)
class Bound:
    binding: NotebookBinding
    notebook: Path | None
    how: str  # "name", "content", "single" or "none"


def notebooks_in(folder: Path, glob: str) -> list[Path]:
    """The submission's notebooks (hidden folders and checkpoints skipped), in name order."""
    return sorted(
        p
        for p in folder.rglob(glob)
        if p.is_file()
        and ".ipynb_checkpoints" not in p.parts
        and not any(part.startswith((".", "__")) for part in p.relative_to(folder).parts)
    )


def code_text(path: Path) -> str:
    """The code cells' source of a notebook (empty when it is not readable JSON)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8", errors="replace")[:MAX_SOURCE_CHARS])
    except (OSError, ValueError):
        return ""
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    out = []
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            out.append("".join(src) if isinstance(src, list) else str(src))
    return "\n".join(out)


def bind_notebooks(spec: AssignmentSpec, notebooks: list[Path]) -> list[Bound]:
    """One `Bound` per binding of the spec, in the spec's order."""
    if spec.notebook is None:
        return []
    bindings = spec.notebook.bind
    chosen: dict[str, Bound] = {}
    taken: set[Path] = set()
    for b in bindings:  # by file name first
        hit = next(
            (
                p
                for p in notebooks
                if p not in taken and fnmatch.fnmatch(p.name.lower(), b.pattern.lower())
            ),
            None,
        )
        if hit is not None:
            chosen[b.id] = Bound(b, hit, "name")
            taken.add(hit)
    texts = {p: code_text(p) for p in notebooks}
    for b in bindings:  # then by content: untaken notebooks first, then any
        if b.id in chosen or not b.content:
            continue
        ordered = [p for p in notebooks if p not in taken] + [p for p in notebooks if p in taken]
        hit = next((p for p in ordered if any(w in texts[p] for w in b.content)), None)
        if hit is not None:
            chosen[b.id] = Bound(b, hit, "content")
            taken.add(hit)
    for b in bindings:
        if b.id not in chosen:
            single = notebooks[0] if len(notebooks) == 1 else None
            chosen[b.id] = Bound(b, single, "single" if single else "none")
    return [chosen[b.id] for b in bindings]


def question_notebooks(bound: list[Bound]) -> dict[str, Bound]:
    """Question id -> the binding that answers it."""
    return {q: b for b in bound for q in b.binding.questions}
