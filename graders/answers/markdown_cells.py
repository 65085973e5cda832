"""Theory answers written in a notebook's Markdown cells, headed or tagged with the question id.

A cell belongs to a question when it starts with a heading such as «## سوال ۲» or «### Q2 (b)»,
or carries a cell tag `Q2` / `Q2.b` / `answer:Q2.b`; cells without either continue the question
above them. The notebook is read as handed in (nothing is executed here).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from graders.answers.sections import split_sections

MAX_MARKDOWN_CHARS = 500_000
_TAG = re.compile(r"^(?:answer[:\-_])?(?P<q>Q\d+)(?:[.\-_](?P<p>[a-j]))?$", re.IGNORECASE)


def notebook_markdown(path: Path) -> str:
    """The Markdown cells of a notebook as one text, cell tags turned into headings."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return ""
    chunks: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        for tag in cell.get("metadata", {}).get("tags", []) or []:
            m = _TAG.match(str(tag))
            if m:
                heading = f"\n{m.group('q').upper()}\n" + (
                    f"({m.group('p')})\n" if m.group("p") else ""
                )
                source = heading + source
                break
        chunks.append(source)
    return "\n\n".join(chunks)[:MAX_MARKDOWN_CHARS]


def markdown_sections(path: Path) -> dict[str, str]:
    """{'Q2': ..., 'Q2.b': ...} from the notebook's Markdown cells."""
    return split_sections(notebook_markdown(path))
