"""Code similarity between submissions' notebooks, for a TA to look at — never a penalty.

Uses copydetect (winnowing over pygments tokens with names normalised, Schleimer et al. 2003):
each notebook's code cells are fingerprinted, the assignment's starter code is boilerplate
whose fingerprints are removed first, and every pair whose overlap (share of each side's
fingerprinted tokens) reaches the threshold is listed with the matching excerpts.
"""

from __future__ import annotations

import io
import itertools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

NOISE_T = 25  # k: matches shorter than this many (normalised) characters are ignored
GUARANTEE_T = 30  # matches at least this long are always found
MAX_EXCERPTS = 3
MAX_EXCERPT_CHARS = 800


@dataclass(frozen=True)
class SimilarPair:
    a: str
    b: str
    similarity_a: float  # share of a's code found in b
    similarity_b: float
    excerpts_a: tuple[str, ...] = field(default=())
    excerpts_b: tuple[str, ...] = field(default=())

    @property
    def similarity(self) -> float:
        return max(self.similarity_a, self.similarity_b)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "similarity_a": round(self.similarity_a, 4),
            "similarity_b": round(self.similarity_b, 4),
            "excerpts_a": list(self.excerpts_a),
            "excerpts_b": list(self.excerpts_b),
        }


def code_of(path: Path) -> str:
    """The code of a notebook (code cells; IPython magics and shell lines dropped) or a .py."""
    if path.suffix == ".py":
        return path.read_text(encoding="utf-8", errors="replace")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return ""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        cells.append("\n".join(lines))
    return "\n\n".join(cells)


def starter_files(folder: Path) -> list[Path]:
    """`assignments/<id>/starter/` notebooks and .py files (the code the assignment ships)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in {".ipynb", ".py"})


def _fingerprint(code: str, win: int, boilerplate: list[int] | None = None) -> Any:
    from copydetect import CodeFingerprint

    return CodeFingerprint("code.py", NOISE_T, win, boilerplate=boilerplate, fp=io.StringIO(code))


def _excerpts(code: str, slices: Any) -> tuple[str, ...]:
    spans = sorted(
        ((int(s), int(e)) for s, e in zip(slices[0], slices[1], strict=True)),
        key=lambda se: se[0] - se[1],
    )[:MAX_EXCERPTS]
    return tuple(code[s:e][:MAX_EXCERPT_CHARS] for s, e in sorted(spans))


def similar_pairs(
    codes: dict[str, str], starter: list[str] = (), threshold: float = 0.5
) -> list[SimilarPair]:
    """Every pair of `codes` (key -> code) at least `threshold` similar, most similar first."""
    from copydetect import compare_files

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))
    win = GUARANTEE_T - NOISE_T + 1
    boilerplate: list[int] = []
    for text in starter:
        boilerplate.extend(_fingerprint(text, 1).hashes)
    prints = {k: _fingerprint(c, win, boilerplate) for k, c in sorted(codes.items()) if c.strip()}
    pairs = []
    for a, b in itertools.combinations(sorted(prints), 2):
        overlap, (sim_a, sim_b), (slices_a, slices_b) = compare_files(prints[a], prints[b])
        if overlap == 0 or max(sim_a, sim_b) < threshold:
            continue
        pairs.append(
            SimilarPair(
                a,
                b,
                float(sim_a),
                float(sim_b),
                _excerpts(prints[a].raw_code, slices_a),
                _excerpts(prints[b].raw_code, slices_b),
            )
        )
    return sorted(pairs, key=lambda p: -p.similarity)
