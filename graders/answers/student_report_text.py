"""The text of a student's report PDF, in logical (reading) order, split into questions.

PDF text comes out in visual order. pdfplumber's right-to-left rendering puts Persian lines in
logical order except their left-to-right runs, which come out reversed: Latin runs are turned
back as a whole, numbers one by one (in an RTL line «3 × 12,416 = 37,248» is laid out as
separate number runs); brackets at the edge of a Latin run may come out swapped. Lines without Arabic
script are taken in plain left-to-right order. `pdftotext`, pypdfium2 and pypdf are fallbacks.
Extraction breaks the lam-alef ligature («لا» -> «ال»): `graders.answers.locate.normalize_text`
folds both spellings together. A scanned report has no text: theory items then go to the TA.
(Our own feedback PDFs are read back, in tests, by `graders.report.feedback_readback`.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

from graders.answers.sections import split_sections

MAX_PDF_BYTES = 50_000_000
MAX_PAGES = 80
MAX_CHARS = 1_000_000
_CONTROL = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Justified Word text: the stretching inside a Persian word comes out as stray Latin letters
# in an embedded run («زب\u202aYY\u202cانی»); such a run between two Arabic letters is dropped.
_KASHIDA = re.compile("(?<=[\u0600-\u06ff])\u202a?(?:YY|Y)\u202c?(?=[\u0600-\u06ff])")
PAGE_BREAK = "\f"
# a page number alone on the line next to a page break
_PAGE_NUMBER = re.compile(r"(?m)^\s*[0-9۰-۹]{1,3}\s*\n(\f)|(?<=\f)\n\s*[0-9۰-۹]{1,3}\s*$")


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_LTR = "A-Za-z0-9۰-۹٠-٩"
_LTR_RUN = re.compile(rf"[{_LTR}](?:[{_LTR}_.,٫٬:;%'’/+\-×*=^()\[\]{{}}<>|\s]*[{_LTR}])?")
_NUMBER_RUN = re.compile(r"[0-9۰-۹٠-٩](?:[.,٫٬:/]?[0-9۰-۹٠-٩])*")


def fix_rtl_line(line: str) -> str:
    """A line rendered right-to-left (Persian in logical order) with its LTR runs restored."""
    out, pos = [], 0
    for m in _LTR_RUN.finditer(line):
        out.append(line[pos : m.start()])
        run = m.group(0)
        if re.search("[A-Za-z]", run):
            out.append(run[::-1])
        else:  # numbers and operators only: each number is its own run
            out.append(_NUMBER_RUN.sub(lambda n: n.group(0)[::-1], run))
        pos = m.end()
    out.append(line[pos:])
    return "".join(out)


_SWAP = str.maketrans("()[]", ")(][")


def fix_ltr_line(line: str) -> str:
    """A Latin line laid out inside a right-to-left paragraph has its edge brackets mirrored:
    «correct )PyTorch(.» -> «correct (PyTorch).»."""
    first = re.search(r"[()\[\]]", line)
    return line.translate(_SWAP) if first and first.group(0) in ")]" else line


def _plumber(path: Path) -> str | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    lines: list[str] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages[:MAX_PAGES]):
                if number:
                    lines.append(PAGE_BREAK)
                ltr = (page.extract_text() or "").splitlines()
                # One glyph standing for two letters (the lam-alef ligature «لا», «هٔ») is one
                # char object; the right-to-left rendering reverses the line, and with it the
                # letters inside that object («ال»). Turning them first makes them come out right.
                # Latin ligatures («fi», «fl») are left alone: only an Arabic-script glyph is turned.
                for char in page.chars:
                    text = char.get("text", "")
                    if len(text) > 1 and _ARABIC_SCRIPT.search(text):
                        char["text"] = text[::-1]
                rtl = (page.extract_text(char_dir_render="rtl") or "").splitlines()
                if len(ltr) != len(rtl):
                    return None
                lines += [
                    fix_rtl_line(b) if _ARABIC_SCRIPT.search(b) else fix_ltr_line(a)
                    for a, b in zip(ltr, rtl, strict=True)
                ]
    except Exception:
        return None
    return "\n".join(lines)


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
    return f"\n{PAGE_BREAK}\n".join(pages).replace("\r\n", "\n")


def _pypdf(path: Path) -> str | None:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n".join(p.extract_text() or "" for p in reader.pages[:MAX_PAGES])
    except Exception:
        return None


def clean_text(text: str) -> str:
    """Presentation forms to letters (NFKC: «ﺳﻮﺍﻝ» -> «سوال», «ﻻ» -> «لا»), justification
    artefacts and direction marks dropped."""
    text = _PAGE_NUMBER.sub("\\1", _KASHIDA.sub("", text))
    return unicodedata.normalize("NFKC", _CONTROL.sub("", text))


def page_of(text: str, pos: int) -> int:
    """The 1-based page of position `pos` in a text of `pdf_text`."""
    return text.count(PAGE_BREAK, 0, max(0, pos)) + 1


def pdf_text(path: Path) -> str:
    """All text of the PDF in reading order ('' when it has none or cannot be read)."""
    if not path.is_file() or path.stat().st_size > MAX_PDF_BYTES:
        return ""
    for reader in (_plumber, _pdftotext, _pdfium, _pypdf):
        text = reader(path)
        if text and text.strip():
            return clean_text(text)[:MAX_CHARS]
    return ""


def pdf_sections(path: Path) -> dict[str, str]:
    return split_sections(pdf_text(path))
