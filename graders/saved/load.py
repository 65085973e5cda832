"""Read a submitted notebook once into its saved-output and static facts (no kernel)."""

from __future__ import annotations

from pathlib import Path

from graders.saved.models import SavedFacts, StaticFacts
from graders.saved.outputs import read_notebook, saved_facts
from graders.saved.static import static_facts


def notebook_facts(path: Path) -> tuple[SavedFacts, StaticFacts] | None:
    """Saved and static facts of the notebook at `path`; None when it cannot be read."""
    try:
        nb = read_notebook(path)
    except Exception:  # an unreadable notebook is reported by the run / hygiene facts
        return None
    cells = nb.get("cells") or []
    sources = []
    for c in cells:
        if isinstance(c, dict) and c.get("cell_type") == "code":
            src = c.get("source")
            text = "".join(src) if isinstance(src, list) else str(src or "")
            if text.strip():
                sources.append(text)
    return saved_facts(nb), static_facts(sources)
