"""Pages of a fixed sample report compared with stored pictures, so a broken layout fails.

The sample (`graders.report.samples.sample_result(3)`, report date fixed) is rendered,
pages 1 and 2 are rasterised with pdftoppm (grey, 40 dpi) and compared with
`tests/files/report_reference/student_p{1,2}.png`. The comparison tolerates antialiasing
and sub-pixel shifts: both pictures are blurred with a 3x3 box, and the test fails when more
than 1.5 % of the pixels differ by more than 64 grey levels (a moved table, text in the wrong
direction, a missing font or plot changes far more).

To regenerate after an intended layout change, look at the new pages first, then:

    DLGRADE_UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/test_report_visual.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graders.report import samples
from graders.report.feedback_readback import page_png
from graders.report.render import render_student_report

REFERENCE = Path(__file__).parent / "files" / "report_reference"
UPDATE = os.environ.get("DLGRADE_UPDATE_REFERENCE") == "1"
THRESHOLD = 64
MAX_DIFFERENT = 0.015

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")


def _blur(a: np.ndarray) -> np.ndarray:
    p = np.pad(a, 1, mode="edge")
    return sum(p[i : i + a.shape[0], j : j + a.shape[1]] for i in range(3) for j in range(3)) / 9


def different_fraction(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(_blur(a) - _blur(b)) > THRESHOLD))


def _grey(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("visual")
    pdf = render_student_report(
        samples.typed(samples.sample_result(3)),
        out / "r.pdf",
        assignment=samples.ASSIGNMENT,
        artifacts=out / "art",
        now=dt.datetime(2026, 1, 5, 10, 0),
    )
    return {n: page_png(pdf, n, out / f"p{n}") for n in (1, 2)}


@pytest.mark.parametrize("page", [1, 2])
def test_page_matches_reference(pages: dict[int, Path], page: int) -> None:
    reference = REFERENCE / f"student_p{page}.png"
    if UPDATE:
        reference.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pages[page], reference)
        pytest.skip(f"updated {reference}")
    new, old = _grey(pages[page]), _grey(reference)
    assert new.shape == old.shape
    assert (new < 128).mean() > 0.003  # the page is not blank
    fraction = different_fraction(new, old)
    assert fraction < MAX_DIFFERENT, f"{fraction:.2%} of page {page} differs from {reference.name}"


def test_the_comparison_catches_a_changed_layout(pages: dict[int, Path]) -> None:
    """The tolerance is not so loose that a shifted or mirrored page passes."""
    page = _grey(pages[1])
    assert different_fraction(page, page) == 0
    assert different_fraction(page, np.roll(page, 1, axis=1)) < MAX_DIFFERENT  # antialiasing-size
    assert different_fraction(page, np.roll(page, 12, axis=0)) > MAX_DIFFERENT  # a line lower
    assert different_fraction(page, page[:, ::-1]) > MAX_DIFFERENT  # left-to-right layout
