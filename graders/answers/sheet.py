"""Answer sheets: a YAML file in the submission with one slot per answerable item.

Nested mappings flatten to slot ids: `{Q1: {a: {L1.weights: 3072}}}` -> `Q1.a.L1.weights`.
An optional `student:` section names the student(s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graders.errors import SubmissionError

MAX_SHEET_BYTES = 1_000_000


def flatten(tree: Any, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(tree, list) and all(not isinstance(v, dict | list) for v in tree):
        out[prefix] = ", ".join(str(v) for v in tree)
    elif tree is not None:
        out[prefix] = str(tree)
    return out


def read_answer_sheet(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Return (answers by slot id, the `student` section)."""
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise SubmissionError(
            f"answer sheet {path.name} is larger than 1 MB",
            f"پاسخ‌نامهٔ {path.name} بزرگ‌تر از ۱ مگابایت است.",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SubmissionError(
            f"answer sheet {path.name} is not valid YAML: {exc}",
            f"پاسخ‌نامهٔ {path.name} قالب YAML معتبری ندارد.",
        ) from exc
    if not isinstance(data, dict):
        raise SubmissionError(
            f"answer sheet {path.name} must be a mapping",
            f"پاسخ‌نامهٔ {path.name} باید به شکل کلید: مقدار باشد.",
        )
    student = data.pop("student", None) or {}
    return flatten(data), student if isinstance(student, dict) else {}
