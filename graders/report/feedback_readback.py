"""Read our rendered feedback PDFs back (for tests and checks of the output): text, fonts, pages.

(The student's own report PDF is read by `graders.answers.student_report_text`.)

Extractors differ on Persian: pdftotext gives logical order but wraps runs in bidi marks
(U+202A..U+202C), drops ZWNJ and flips the لا ligature; pdfplumber gives glyphs in visual
order with their x positions and font names. `normalise` makes texts comparable.
A PDF maps each glyph to one character, so once a bracket was drawn mirrored in a Persian
sentence, its glyph reads back as the other bracket everywhere on that page
(`grad_norms]199[`): compare text without brackets, or look at the picture.
Needs poppler-utils (`pdftotext`, `pdffonts`, `pdftoppm`); pdfplumber is a dev dependency.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """A comparison key: NFKC (presentation forms to letters), no bidi marks or ZWNJ, single
    spaces, لا spelled ال (pdftotext emits the لا ligature reversed) and هٔ as ه: normalise
    both sides."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = text.replace("\u0644\u0627", "\u0627\u0644")
    # هٔ (heh + hamza above) comes out with the hamza first: compare without it.
    text = text.replace("\u06c0", "\u0647").replace("\u0654", "")
    return re.sub(r"\s+", " ", text).strip()


def _poppler(*command: str) -> str:
    """The standard output of a poppler-utils command (an error if it fails)."""
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdftotext(pdf: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text of `pdf` in logical order, normalised."""
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return normalise(_poppler("pdftotext", *pages, str(pdf), "-"))


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool
    subset: bool


def pdffonts(pdf: Path) -> list[PdfFont]:
    out = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    fonts = []
    for line in out:
        cols = line.split()
        # name type... encoding emb sub uni object ID: the flags are the 5th..3rd from the end.
        fonts.append(PdfFont(cols[0], cols[-5] == "yes", cols[-4] == "yes"))
    return fonts


def page_count(pdf: Path) -> int:
    out = _poppler("pdfinfo", str(pdf))
    return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]


def page_png(pdf: Path, page: int, out_stem: Path, *, dpi: int = 40) -> Path:
    """Page `page` (1-based) as a grey PNG at `dpi` (pdftoppm)."""
    subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(out_stem)],
        check=True,
    )  # fmt: skip
    return out_stem.with_suffix(".png")
