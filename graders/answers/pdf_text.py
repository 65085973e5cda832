"""The text of a student's report PDF, in logical (reading) order, split into questions.

`pdftotext` (poppler) keeps Persian lines in logical order; without it, pypdfium2 (installed
with pdfplumber) is nearly as good; pypdf is the last resort. Bidi control characters are
dropped. A scanned report has no text: the sections are then empty and theory items go to
the TA rather than to zero.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from graders.answers.sections import split_sections

MAX_PDF_BYTES = 50_000_000
MAX_PAGES = 80
MAX_CHARS = 1_000_000
_CONTROL = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdftotext(path: Path) -> str | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-enc", "UTF-8", "-l", str(MAX_PAGES), str(path), "-"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _pdfium(path: Path) -> str | None:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(str(path))
        pages = [pdf[i].get_textpage().get_text_range() for i in range(min(len(pdf), MAX_PAGES))]
    except Exception:
        return None
    return "\n".join(pages).replace("\r\n", "\n")


def _pypdf(path: Path) -> str | None:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n".join(p.extract_text() or "" for p in reader.pages[:MAX_PAGES])
    except Exception:
        return None


def pdf_text(path: Path) -> str:
    """All text of the PDF in reading order ('' when it has none or cannot be read)."""
    if not path.is_file() or path.stat().st_size > MAX_PDF_BYTES:
        return ""
    for reader in (_pdftotext, _pdfium, _pypdf):
        text = reader(path)
        if text and text.strip():
            return _CONTROL.sub("", text)[:MAX_CHARS]
    return ""


def pdf_sections(path: Path) -> dict[str, str]:
    return split_sections(pdf_text(path))
