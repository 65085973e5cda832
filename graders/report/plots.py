"""Draw the pictures a check describes in its evidence (`evidence["figure"]`) with matplotlib.

Figure descriptions are typed in `graders/figure_models.py` (shared with the checks that build
them); they come from checks that read untrusted facts, so they are validated (`parse_figure`,
capped sizes) before drawing; a description that does not validate or fails to draw gives
`None` and the report says the figure is unavailable.

Persian labels are shaped by matplotlib once Vazirmatn is registered with the font manager.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from pathlib import Path
from typing import Any

from graders.figure_models import (
    CaptionItem,
    CurvesOverBand,
    Heatmap,
    parse_figure,
)
from graders.report.glyphs import FONT_FAMILY, font_paths
from graders.report.titles import one_language_per_line, set_title

DPI = 110


@functools.cache
def _pyplot() -> Any:
    """matplotlib with the Agg backend and Vazirmatn first (so Persian labels are shaped)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for path in font_paths():
        font_manager.fontManager.addfont(str(path))
    plt.rcParams.update(
        {
            "font.family": [FONT_FAMILY, "DejaVu Sans"],
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.unicode_minus": False,
            "svg.hashsalt": "dlgrade",
        }
    )
    return plt


def _save(fig: Any, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=DPI, metadata={"Software": None})
    _pyplot().close(fig)
    return out


def width_cm(png: Path) -> float:
    """The printed width of a figure saved at `DPI` (so text in plots keeps one size)."""
    with png.open("rb") as fh:
        header = fh.read(24)
    return round(int.from_bytes(header[16:20], "big") / DPI * 2.54, 2)


def build_curves(fig_desc: CurvesOverBand) -> Any | None:
    """The matplotlib figure of the student's curves over the reference bands (not saved)."""
    plt = _pyplot()
    if not fig_desc.student and not fig_desc.reference:
        return None
    fig, ax = plt.subplots(figsize=(6.0, 2.3), layout="constrained")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, band) in enumerate(fig_desc.reference.items()):
        x, low, high = band.points()
        ax.fill_between(
            x,
            low,
            high,
            color=colors[i % len(colors)],
            alpha=0.18,
            linewidth=0,
            label=f"{label}: بازهٔ مرجع\nreference band",
        )
    for i, (label, series) in enumerate(fig_desc.student.items()):
        x, y = series.points()
        ax.plot(x, y, color=colors[i % len(colors)], linewidth=1.4, label=label)
    if fig_desc.yscale == "log":
        ax.set_yscale("log")
    ax.set_xlabel(one_language_per_line(fig_desc.xlabel))
    ax.set_ylabel(one_language_per_line(fig_desc.ylabel))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6.5, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    set_title(fig, ax, fig_desc.title_fa, fig_desc.title_en)
    return fig


def build_heatmap(fig_desc: Heatmap) -> Any:
    """The matplotlib figure of a heatmap with its row and column labels (not saved)."""
    plt = _pyplot()
    import numpy as np

    values = np.array(fig_desc.values, dtype=float)
    rows, cols = values.shape
    titled = bool(fig_desc.title_fa or fig_desc.title_en)
    fig, ax = plt.subplots(
        figsize=(min(6.2, max(3.4 if titled else 1.5, 1.5 + 0.35 * cols)),
                 min(6.0, 1.2 + 0.3 * rows + (0.6 if titled else 0))),
        layout="constrained",
    )  # fmt: skip
    image = ax.imshow(values, cmap="viridis", aspect="auto")
    fig.colorbar(image, ax=ax, shrink=0.8)
    if fig_desc.col_labels and cols <= 40:
        ax.set_xticks(
            range(cols), [lb for lb in fig_desc.col_labels[:cols]], rotation=60, fontsize=7
        )
    if fig_desc.row_labels and rows <= 40:
        ax.set_yticks(range(rows), [lb for lb in fig_desc.row_labels[:rows]], fontsize=7)
    set_title(fig, ax, fig_desc.title_fa, fig_desc.title_en)
    return fig


def draw_curves(fig_desc: CurvesOverBand, out: Path) -> Path | None:
    fig = build_curves(fig_desc)
    return None if fig is None else _save(fig, out)


def draw_heatmap(fig_desc: Heatmap, out: Path) -> Path | None:
    return _save(build_heatmap(fig_desc), out)


def caption_image(item: CaptionItem, out: Path, max_side: int = 320) -> Path | None:
    """Decode a caption's image, refuse anything that is not a PNG, re-encode it small."""
    from PIL import Image

    try:
        data = base64.b64decode(item.image_png_b64, validate=True)
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            return None
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > 40_000_000:
                return None
            img.thumbnail((max_side, max_side))
            out.parent.mkdir(parents=True, exist_ok=True)
            img.convert("RGB").save(out, format="PNG")
    except (ValueError, OSError, Image.DecompressionBombError):
        return None
    return out


def safe_name(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts))[:120]


def draw_figure(raw: Any, folder: Path, name: str) -> dict[str, Any] | None:
    """Draw `raw` into `folder` and return what the template shows, or None (unavailable).

    `{"kind": "image", "path": Path, "width_cm": float}` for curves and heatmaps;
    `{"kind": "captions", "items": [{"image": Path | None, "student", "references"}]}`.
    """
    desc = parse_figure(raw)
    if desc is None:
        return None
    try:
        if isinstance(desc, CurvesOverBand):
            path = draw_curves(desc, folder / f"{name}.png")
        elif isinstance(desc, Heatmap):
            path = draw_heatmap(desc, folder / f"{name}.png")
        else:
            items = [
                {
                    "image": caption_image(item, folder / f"{name}-{i}.png")
                    if item.image_png_b64
                    else None,
                    "student": item.student,
                    "references": item.references,
                }
                for i, item in enumerate(desc.items)
            ]
            if not items:
                return None
            return {
                "kind": "captions",
                "title_fa": desc.title_fa,
                "title_en": desc.title_en,
                "items": items,
            }
    except (ValueError, TypeError, OverflowError, MemoryError):
        return None
    return None if path is None else {"kind": "image", "path": path, "width_cm": width_cm(path)}


def build_histogram(scores: list[float], maximum: float, *, bins: int = 20) -> Any:
    """The figure of the class summary's score distribution (not saved)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.2, 2.6), layout="constrained")
    percents = [100 * s / maximum if maximum else 0 for s in scores]
    ax.hist(percents, bins=bins, range=(0, 100), color="#3b6ea8", edgecolor="white")
    ax.set_xlabel("نمره (درصد)\nscore (%)")
    ax.set_ylabel("تعداد\ncount")
    ax.set_xlim(0, 100)
    ax.grid(axis="y", alpha=0.3)
    return fig


def score_histogram(scores: list[float], maximum: float, out: Path, *, bins: int = 20) -> Path:
    """The class summary's score distribution (percent of the maximum, `bins` bins)."""
    return _save(build_histogram(scores, maximum, bins=bins), out)
