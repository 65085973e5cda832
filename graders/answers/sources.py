"""Gather a submission's theory answers from its three sources, in order of preference.

1. the answer sheet (`answers.yaml`, or the Markdown sheet `answers.md` that
   `dlgrade answer-sheet --format md` writes): one value per slot;
2. the notebook's Markdown cells headed or tagged with the question id;
3. the text of the report PDF, split by headings («سوال ۲», «پرسش ۲», «Question 2», «Q2»).

Free text is kept whole too (`@md:@doc`, `@pdf:@doc`): `graders.answers.find` searches it
for an item's anchors when no heading of the question is found.

Everything goes into the one `Facts.answers` mapping: sheet slots under their own ids
(`Q2.c.h`), free-text sections under `@md:Q2.b` and `@pdf:Q2.b`. `AnswerView` reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graders.answers.markdown_cells import notebook_markdown
from graders.answers.sections import split_sections
from graders.answers.student_report_text import pdf_text

SOURCES = ("sheet", "md", "pdf")
SOURCE_FA = {"sheet": "پاسخ‌نامه", "md": "سلول‌های Markdown نوت‌بوک", "pdf": "متن گزارش PDF"}
MAX_SECTION_CHARS = 20_000
MAX_DOC_CHARS = 200_000
_SLOT_LINE = re.compile(
    r"^\s*[-*]?\s*\**`?(?P<slot>Q\d+[A-Za-z]?(?:[.\-][\w\-]+)+)`?\**\s*[:：]\s*(?P<value>.*)$"
)
_SLOT_HEADING = re.compile(
    r"^\s*#+\s*`?(?P<slot>Q\d+[A-Za-z]?(?:[.\-][\w\-]+)+)`?\s*(?:[—–\-:].*)?$"
)


def read_markdown_sheet(path: Path) -> dict[str, str]:
    """`- Q2.a.L1.weights: 3072` lines, and `### Q2.b.text` headings followed by paragraphs."""
    out: dict[str, str] = {}
    block: str | None = None
    for line in path.read_text(encoding="utf-8", errors="replace")[:1_000_000].splitlines():
        if line.lstrip().startswith("<!--"):
            continue
        heading = _SLOT_HEADING.match(line)
        if heading:
            block = heading.group("slot")
            out[block] = ""
            continue
        if line.lstrip().startswith("#"):
            block = None
            continue
        slot_line = _SLOT_LINE.match(line)
        if slot_line:
            block = None
            if slot_line.group("value").strip():
                out[slot_line.group("slot")] = slot_line.group("value").strip()
            continue
        if block is not None:
            out[block] = (out[block] + "\n" + line).strip()
    return {k: v for k, v in out.items() if v.strip()}


def _visible(path: Path, root: Path) -> bool:
    return not any(p.startswith(".") or p == "__MACOSX" for p in path.relative_to(root).parts)


def find_report_pdf(folder: Path) -> Path | None:
    """The submission's report: the largest visible PDF (a report is longer than a figure)."""
    pdfs = [p for p in folder.rglob("*.pdf") if p.is_file() and _visible(p, folder)]
    pdfs += [p for p in folder.rglob("*.PDF") if p.is_file() and _visible(p, folder)]
    return max(pdfs, key=lambda p: p.stat().st_size, default=None)


def gather_answers(
    folder: Path | None,
    sheet: Mapping[str, str],
    *,
    notebook: Path | None = None,
    report: Path | None = None,
) -> dict[str, str]:
    """Sheet slots, plus `@md:` and `@pdf:` sections (the sheet always wins for a slot)."""
    answers: dict[str, str] = {}
    if folder is not None and folder.is_dir():
        md_sheet = next(
            (p for p in sorted(folder.rglob("answers.md")) if _visible(p, folder)), None
        )
        if md_sheet is not None and md_sheet.stat().st_size < 1_000_000:
            answers.update(read_markdown_sheet(md_sheet))
        report = report or find_report_pdf(folder)
    answers.update({k: str(v) for k, v in sheet.items()})
    if notebook is None and folder is not None and folder.is_dir():
        notebook = next(
            (
                p
                for p in sorted(folder.rglob("*.ipynb"))
                if _visible(p, folder) and ".ipynb_checkpoints" not in p.parts
            ),
            None,
        )
    docs = {
        "md": notebook_markdown(notebook) if notebook is not None and notebook.is_file() else "",
        "pdf": pdf_text(report) if report is not None else "",
    }
    for source, doc in docs.items():
        if not doc.strip():
            continue
        # the whole text too: an answer without a heading is located by its anchors
        answers[f"@{source}:@doc"] = doc[:MAX_DOC_CHARS]
        for key, text in split_sections(doc).items():
            answers[f"@{source}:{key}"] = text[:MAX_SECTION_CHARS]
    return answers


@dataclass(frozen=True)
class Text:
    source: str
    key: str
    text: str


class AnswerView:
    """Read a slot or a question's free text back out of `Facts.answers`."""

    def __init__(self, answers: Mapping[str, str]) -> None:
        self.answers = answers

    def slot(self, slot: str) -> str | None:
        value = self.answers.get(slot)
        return value if value is not None and str(value).strip() else None

    def texts(self, sections: list[str]) -> list[Text]:
        """Free text for the first of `sections` (most specific first) found in each source,
        in order of preference (Markdown cells before the PDF)."""
        out: list[Text] = []
        for source in ("md", "pdf"):
            for section in sections:
                text = self.answers.get(f"@{source}:{section}")
                if text and text.strip():
                    out.append(Text(source, section, text))
                    break
        return out


def sheet_slot(answers: Mapping[str, str], slot: str) -> tuple[AnswerView, str | None]:
    """A view of a submission's answers and the answer sheet's value of `slot` (None when blank):
    what every theory check reads first."""
    view = AnswerView(answers)
    return view, view.slot(slot)


def sections_for(slot: str, section: str | None = None) -> list[str]:
    """`Q2.c.h` -> ['Q2.c', 'Q2']: the part's text first, then the whole question's."""
    if section:
        return [section, section.split(".")[0]] if "." in section else [section]
    head = slot.split(".")
    out = []
    if len(head) >= 2 and len(head[1]) == 1:
        out.append(f"{head[0]}.{head[1]}")
    out.append(re.sub(r"[-_].*$", "", head[0]))
    return out
