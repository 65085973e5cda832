"""The report font (Vazirmatn, shipped in `templates/fonts/`) and the characters it can draw.

A report must never show a missing-glyph box: template text is covered by the font (and
WeasyPrint's `.notdef` log makes rendering fail otherwise), and text a student controls
passes through `glyph_safe`, which spells Greek letters and a few symbols in ASCII (the
font has neither), drops bidi controls, and
 replaces any other character the font lacks with U+FFFD (which the font has).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from graders.paths import templates_dir

FONT_FAMILY = "Vazirmatn"
FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")
REPLACEMENT = "\ufffd"
_ASCII_FOR = {
    "→": "->",
    "←": "<-",
    "⇒": "=>",
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "■": "*",
    "●": "*",
    "□": "[]",
    "\t": "    ",
    "∂": "d",
    "‖": "||",
    "∑": "sum",
    "√": "sqrt",
    "∇": "grad",
    "∞": "inf",
    "≈": "~",
    "≠": "!=",
    "⊙": "*",
    "∈": " in ",
}


def _spelled(ch: str) -> str:
    """Greek letters by name (`α` -> `alpha`), a few symbols in ASCII, else U+FFFD."""
    if ch in _ASCII_FOR:
        return _ASCII_FOR[ch]
    name = unicodedata.name(ch, "")
    if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
        letter = name.rsplit(" ", 1)[-1].lower()
        return letter.capitalize() if "CAPITAL" in name else letter
    return REPLACEMENT


# Explicit bidi embeddings/overrides/isolates in untrusted text could reorder the report.
_DROP = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_KEEP = set("\n ")


def font_paths() -> list[Path]:
    return [templates_dir() / "fonts" / name for name in FONT_FILES]


@functools.cache
def covered() -> frozenset[int]:
    """Code points every weight of the report font maps to a glyph."""
    from fontTools.ttLib import TTFont

    sets = [set(TTFont(path, lazy=True).getBestCmap()) for path in font_paths()]
    return frozenset(set.intersection(*sets))


def glyph_safe(text: str) -> str:
    """`text` with every character drawable by the report font."""
    cmap = covered()
    out = []
    for ch in text:
        if ch in _DROP or ch == "\r":
            continue
        if ch in _KEEP or (ord(ch) in cmap and ord(ch) >= 0x20):
            out.append(ch)
        else:
            out.append(_spelled(ch))
    return "".join(out)
