"""Figure titles fit: each figure kind is drawn and every title line lies inside the figure.

The titles are the longest ones the checks write (the Q6 gradient figure's, which used to run
off both edges), plus a title far longer than any check writes; the Persian title and the
English subtitle are separate texts (one language per line), each wrapped to the axes width.
"""

from __future__ import annotations

import random

import pytest

from graders.figure_models import CurvesOverBand, Heatmap
from graders.report import samples
from graders.report.plots import (
    build_curves,
    build_heatmap,
    build_histogram,
    one_language_per_line,
)

Q6_FA = "نرم گرادیان در هر گام زمانی، تقسیم بر مقدار آخرین گام (نوار: مرجع)"
Q6_EN = "Gradient norm per timestep over its value at the last step (band: reference)"
LONG_FA = "عنوانی بسیار بلند برای آزمودن شکستن خط‌ها " * 6
LONG_EN = "a very long English subtitle that has to be wrapped several times " * 5


def _texts_inside(fig) -> list[str]:  # type: ignore[no-untyped-def]
    """Draw `fig`; return the non-empty title texts after checking each lies in the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    seen = []
    for ax in fig.axes:
        candidates = [ax.title, *(t for t in ax.texts)]
        for text in candidates:
            if not text.get_text():
                continue
            extent = text.get_window_extent(renderer)
            assert extent.x0 >= box.x0 - 0.5 and extent.x1 <= box.x1 + 0.5, (
                text.get_text(),
                extent,
            )
            assert extent.y0 >= box.y0 - 0.5 and extent.y1 <= box.y1 + 0.5, (
                text.get_text(),
                extent,
            )
            axes_width = ax.get_window_extent(renderer).width
            assert extent.width <= axes_width + 1, (text.get_text(), extent.width, axes_width)
            seen.append(text.get_text())
    return seen


def _curves(fa: str, en: str) -> CurvesOverBand:
    raw = samples.curves_figure(random.Random(1)) | {"title_fa": fa, "title_en": en}
    return CurvesOverBand.model_validate(raw)


@pytest.mark.parametrize(("fa", "en"), [(Q6_FA, Q6_EN), (LONG_FA[:199], LONG_EN[:199])])
def test_curve_titles_inside_the_figure_one_language_per_line(fa: str, en: str) -> None:
    fig = build_curves(_curves(fa, en))
    texts = _texts_inside(fig)
    persian = [t for t in texts if "گرادیان" in t or "عنوانی" in t]
    english = [t for t in texts if "Gradient" in t or "English" in t]
    assert len(persian) == 1 and len(english) == 1
    assert not any(ch.isascii() and ch.isalpha() for ch in persian[0])  # no English beside it
    assert not any("\u0600" <= ch <= "\u06ff" for ch in english[0])
    assert persian[0].replace("\n", " ").split() == fa.split()  # wrapped, nothing dropped
    if len(fa) > 150:
        assert persian[0].count("\n") >= 2 and english[0].count("\n") >= 1


def test_heatmap_title_inside_even_for_a_narrow_map() -> None:
    raw = samples.heatmap_figure(random.Random(2)) | {"title_fa": Q6_FA, "title_en": Q6_EN}
    texts = _texts_inside(build_heatmap(Heatmap.model_validate(raw)))
    assert len(texts) == 2


def test_histogram_labels_one_language_per_line() -> None:
    fig = build_histogram([50.0, 75.0, 90.0], 100.0)
    ax = fig.axes[0]
    assert ax.get_xlabel().split("\n") == ["نمره (درصد)", "score (%)"]
    fig.canvas.draw()
    label = ax.xaxis.label.get_window_extent(fig.canvas.get_renderer())
    assert label.y0 >= 0 and label.x1 <= fig.bbox.x1


def test_one_language_per_line() -> None:
    assert one_language_per_line("گام زمانی t / timestep") == "گام زمانی t\ntimestep"
    assert one_language_per_line("||dL/dx_t|| / ||dL/dx_T||") == "||dL/dx_t||\n||dL/dx_T||"
    assert one_language_per_line("a/b") == "a/b"
