"""Figure titles and labels that fit: one language per line, wrapped to the axes' width.

A Persian title and its English subtitle are separate texts (each drawn in one direction), a
label written `فارسی / English` becomes two lines, and every line is wrapped by measuring it
with the figure's renderer, so nothing runs off the figure (`tests/test_report_figures.py`).
"""

from __future__ import annotations

import re
from typing import Any

TITLE_SIZE = 9.5
SUBTITLE_SIZE = 8.0


def one_language_per_line(text: str) -> str:
    """`گام زمانی / timestep` -> two lines: a label never mixes directions on one line."""
    pieces = [p.strip() for p in re.split(r"\s+/\s+", text) if p.strip()]
    return "\n".join(pieces) if len(pieces) > 1 else text


def wrap_to_width(text: str, width_px: float, size: float, renderer: Any) -> list[str]:
    """Greedy word wrap of `text` so each line, drawn at `size` points, is <= `width_px` wide."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size)

    def width(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if current and width(trial) > width_px:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
    return lines


def set_title(fig: Any, ax: Any, fa: str, en: str) -> list[Any]:
    """Persian title above, smaller English subtitle below it, each wrapped to the axes' width.

    The figure is laid out once first (constrained layout) to learn the axes' width. The
    subtitle is an annotation just above the axes and the title is padded above it; both are
    children of the axes, so the layout engine keeps them inside the figure. Returns them.
    """
    if not fa and not en:
        return []
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    width = ax.get_window_extent(renderer).width * 0.98
    texts = []
    pad = 4.0
    en_lines: list[str] = []
    if en:
        en_lines = wrap_to_width(en, width, SUBTITLE_SIZE, renderer)
        texts.append(
            ax.annotate(
                "\n".join(en_lines),
                xy=(0.5, 1.0),
                xycoords="axes fraction",
                xytext=(0, pad),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=SUBTITLE_SIZE,
                color="#555555",
                multialignment="center",
                annotation_clip=False,
            )
        )
        height_pt = texts[-1].get_window_extent(renderer).height * 72 / fig.dpi
        pad += height_pt + 0.45 * TITLE_SIZE  # room for the Persian line's descenders
    fa_lines = wrap_to_width(fa, width, TITLE_SIZE, renderer) if fa else []
    extra = len(fa_lines) + (len(en_lines) if en else 0) - 2
    if extra > 0:  # a long title gets its own room instead of squashing the plot
        fig.set_figheight(fig.get_figheight() + extra * TITLE_SIZE * 1.3 / 72)
    if fa:
        texts.append(
            ax.set_title("\n".join(fa_lines), fontsize=TITLE_SIZE, pad=pad, multialignment="center")
        )
    return texts
