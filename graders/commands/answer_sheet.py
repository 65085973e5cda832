"""`dlgrade answer-sheet ASSIGNMENT`: write the answer-sheet template students fill in.

One slot per answerable theory item (every check with a `slot`), grouped by question and part,
with the question titles in Persian and English and, for label items, the accepted vocabulary.
YAML (`answers.yaml`, read by intake) or Markdown (`answers.md`, read by
`graders.answers.sources.read_markdown_sheet`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from graders.errors import GoldenMissingError
from graders.golden import Golden, load_golden
from graders.spec import load_spec
from graders.spec.models import AssignmentSpec, CheckSpec, PartSpec, QuestionSpec

TEXT_CHECKS = {"rubric_review"}


def _slots(spec: AssignmentSpec) -> Iterator[tuple[QuestionSpec, PartSpec, CheckSpec, str]]:
    seen: set[str] = set()
    for q, p, c in spec.iter_checks():
        slot = c.params.get("slot")
        if q.kind == "theory" and isinstance(slot, str) and slot not in seen:
            seen.add(slot)
            yield q, p, c, slot


def _hint(check: CheckSpec, golden: Golden) -> str:
    """A short Persian/English hint of what the slot expects."""
    if check.check in TEXT_CHECKS:
        return "پاسخ تشریحی / free text"
    if check.check == "true_false_answer":
        return "درست یا نادرست / true or false"
    if check.check in {"label_answer", "choice_answer"}:
        try:
            entry = golden.get(check.params["golden"])
        except KeyError:
            return "برچسب / label"
        keys = list(entry.get("choices") or entry.get("options") or [])
        many = " (یک یا چند / one or more)" if check.check == "choice_answer" else ""
        return "یکی از / one of: " + ", ".join(keys) + many
    if check.check == "vector_answer":
        return "بردار، مثل / a vector, e.g. [0.52, -0.83]"
    if check.check == "shape_answer":
        return "شکل، مثل / a shape, e.g. (B, 50, 32)"
    return "عدد (ارقام فارسی و ۱٬۲۳۴ پذیرفته است) / a number"


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


YAML_HEAD = """\
# هر مقدار را جلوی کلید خودش بنویسید؛ ارقام فارسی، ٬ و ٫ و «۱٫۶ میلیون» پذیرفته می‌شوند.
# Write each value after its key; for free text use a block: `text: |` then indented lines.
student:
  name: ""
  number: ""
"""
MARKDOWN_HINT = (
    "<!-- هر مقدار را جلوی کلیدش، و هر پاسخ تشریحی را زیر عنوانش بنویسید."
    " / Fill each value after its key and each free-text answer under its heading. -->"
)


def render_yaml(spec: AssignmentSpec, golden: Golden) -> str:
    lines = [f"# پاسخ‌نامهٔ {spec.title_fa} — answer sheet of {spec.id}", *YAML_HEAD.splitlines()]
    tree: dict[str, dict[str, list[tuple[str, CheckSpec, QuestionSpec, PartSpec]]]] = {}
    for q, p, c, slot in _slots(spec):
        head, part, *rest = slot.split(".")
        tree.setdefault(head, {}).setdefault(part, []).append((".".join(rest), c, q, p))
    for head, parts in tree.items():
        first = next(iter(parts.values()))[0]
        lines.append(f"{head}:  # {first[2].title_fa} / {first[2].title_en}")
        for part, items in parts.items():
            lines.append(f"  {part}:  # {items[0][3].title_fa} / {items[0][3].title_en}")
            for key, check, *_ in items:
                title = f" — {check.title_en}" if check.title_en else ""
                lines.append(f'    {key or "value"}: ""  # {_hint(check, golden)}{title}')
    return "\n".join(lines) + "\n"


def render_markdown(spec: AssignmentSpec, golden: Golden) -> str:
    lines = [f"# پاسخ‌نامهٔ {spec.title_fa} ({spec.id})", "", MARKDOWN_HINT, ""]
    question = None
    for q, p, c, slot in _slots(spec):
        if q.id != question:
            question = q.id
            lines += [f"## {q.title_fa} / {q.title_en}", ""]
        if c.check in TEXT_CHECKS:
            lines += [
                f"### `{slot}` — {p.title_fa}",
                f"<!-- {p.title_en}: پاسخ را زیر این عنوان بنویسید / write your answer below -->",
                "",
            ]
        else:
            lines += [f"<!-- {_hint(c, golden)} -->", f"- `{slot}`: ", ""]
    return "\n".join(lines)


def main(*, assignment: str, fmt: str = "yaml", out: Path | None = None) -> str:
    """Return the template (and write it to `out` when given)."""
    spec = load_spec(assignment)
    try:
        golden = load_golden(spec.id)
    except GoldenMissingError:
        golden = Golden.empty()
    text = render_markdown(spec, golden) if fmt == "md" else render_yaml(spec, golden)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return text


def slot_ids(spec: AssignmentSpec) -> list[str]:
    return [slot for *_rest, slot in _slots(spec)]
