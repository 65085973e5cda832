"""Long and awkward inputs all render: 200 failed checks, a 10,000-character answer, a name in
Latin letters, plots that are missing or broken, captions beside their references."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders.report import samples
from graders.report.feedback_readback import normalise, page_count, pdftotext
from graders.report.render import render_student_report

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def test_long_inputs_render(tmp_path: Path) -> None:
    result = samples.sample_result(
        11, name="John O'Neil-Smith", extra_failed=200, answer_chars=10_000, figures=False
    )
    checks = result["questions"][1]["parts"][0]["checks"]
    checks[0]["evidence"]["figure"] = {"kind": "curves_over_band", "student": "not a dict"}
    checks[2]["evidence"]["figure"] = None  # a figure key with no picture
    checks.append(dict(checks[1], id="unknown-kind", evidence={"figure": {"kind": "sankey"}}))
    for check in (checks[0], checks[2], checks[-1]):  # figures are drawn where points were lost
        check |= {"status": "fail", "score": 0.0}
    pdf = render_student_report(
        samples.typed(result), tmp_path / "long.pdf", assignment=samples.ASSIGNMENT, artifacts=tmp_path / "a"
    )
    text = pdftotext(pdf)
    assert page_count(pdf) > 15  # 200 failed checks, several pages of them
    assert "John O'Neil-Smith" in text
    assert "check 199 failed: grad_norms" in text  # the last of the 200 (brackets: see feedback_readback)
    assert text.count(normalise("نمودار این بررسی در دسترس نیست")) == 3
    # The whole 10,000-character answer is there (each sentence of it, to the last).
    answer = result["questions"][0]["parts"][1]["checks"][1]["evidence"]["found"]
    assert len(answer) == 10_000
    # (A phrase split by a page break has the page footer inside it in the extracted text.)
    assert text.count(normalise("با جزئیات فراوان")) >= answer.count("با جزئیات فراوان") - 2


def test_captions_beside_references_and_a_broken_image(tmp_path: Path) -> None:
    import pdfplumber

    result = samples.sample_result(12, figures=False)
    figure = samples.captions_figure()
    figure["items"].append(
        {"image_png_b64": "bm90IGEgcG5n", "student": "a cat", "references": ["a dog"]}
    )
    result["questions"][1]["parts"][0]["checks"][2]["evidence"]["figure"] = figure
    pdf = render_student_report(
        samples.typed(result), tmp_path / "c.pdf", assignment=samples.ASSIGNMENT, artifacts=tmp_path / "a"
    )
    text = pdftotext(pdf)
    assert "a white ball on a blue floor" in text
    assert normalise("یک توپ سفید روی زمین") in text
    assert "a white circle on a blue square" in text
    assert normalise("تصویر در دسترس نیست") in text  # "bm90IGEgcG5n" is "not a png"
    with pdfplumber.open(pdf) as doc:
        assert sum(len(page.images) for page in doc.pages) == 2
