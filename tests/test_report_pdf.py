"""The student PDF: Persian in logical order, one embedded font covering every character,
left-to-right runs kept intact, the header, the score table, hidden checks, plots."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest

from graders.report import samples
from graders.report.feedback_readback import normalise, page_count, pdffonts, pdftotext
from graders.report.glyphs import covered
from graders.report.render import render_student_report
from graders.scoring import GradeResult

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)
NOW = dt.datetime(2026, 1, 5, 10, 0)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[GradeResult, Path, Path]:
    out = tmp_path_factory.mktemp("report")
    result = samples.sample_result(3)
    result["questions"][0]["parts"][0]["checks"][0] |= {
        "status": "fail",
        "score": 0.0,
        "message_fa": "شکل خروجی [50, 64] است اما [50, 32] انتظار می‌رفت؛ بایاس‌ها b_ih + b_hh هستند.",
        "message_en": "output shape [50, 64], expected [50, 32]; biases are b_ih + b_hh.",
    }
    result = samples.typed(result)
    pdf = render_student_report(
        result, out / "r.pdf", assignment=samples.ASSIGNMENT, artifacts=out / "art", now=NOW
    )
    return result, pdf, out / "art"


@pytest.fixture(scope="module")
def text(sample: tuple[GradeResult, Path, Path]) -> str:
    return pdftotext(sample[1])


def lines_left_to_right(pdf: Path) -> list[str]:
    """Each printed line as its glyphs read from left to right (pdfplumber x positions)."""
    import pdfplumber

    lines: dict[tuple[int, int], list[dict]] = {}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            for ch in page.chars:
                lines.setdefault((number, round(ch["top"])), []).append(ch)
    return [
        "".join(ch["text"] for ch in sorted(chars, key=lambda c: c["x0"]))
        for _, chars in sorted(lines.items())
    ]


def test_persian_sentences_in_logical_order(sample: tuple[GradeResult, Path, Path], text: str) -> None:
    result = sample[0]
    for sentence in [
        "محور عمودی نمودار گرادیان باید لگاریتمی باشد",
        "پاسخ تشریحی شما را دستیار آموزشی بررسی می‌کند",
        "گزارش بازخورد تمرین پنجم",
        result.students[0]["name"],
        result.students[1]["name"],
    ]:
        assert normalise(sentence) in text
    # A passed check is one line (its title), without its message or figure.
    assert normalise("نمودار خواسته‌شده رسم شده است") not in text
    assert "gradient-plot" in text
    assert 2 <= page_count(sample[1]) <= 3


def test_only_the_persian_font_is_embedded(sample: tuple[GradeResult, Path, Path]) -> None:
    fonts = pdffonts(sample[1])
    assert {f.name.split("+")[-1] for f in fonts} == {"Vazirmatn", "Vazirmatn-Bold"}
    assert all(f.embedded and f.subset for f in fonts)


def test_every_character_is_in_the_embedded_font(sample: tuple[GradeResult, Path, Path]) -> None:
    import pdfplumber

    cmap = covered()
    seen = 0
    with pdfplumber.open(sample[1]) as doc:
        for page in doc.pages:
            for ch in page.chars:
                assert "Vazirmatn" in ch["fontname"], ch
                for code in ch["text"]:
                    assert code.isspace() or ord(code) in cmap, f"U+{ord(code):04X} not in font"
                    seen += 1
    assert seen > 1500


def test_ltr_runs_intact_and_persian_right_to_left(sample: tuple[GradeResult, Path, Path]) -> None:
    lines = lines_left_to_right(sample[1])
    code_line = next(line for line in lines if "set_yscale" in line)
    # The code reads left to right inside the sentence, the Persian words right to left.
    assert "ax.set_yscale('log')" in code_line
    assert "نمودار گرادیان"[::-1] in code_line
    assert code_line.index("ax.set_yscale") < code_line.index("نمودار گرادیان"[::-1])
    shape_line = next(line for line in lines if "b_ih + b_hh" in line)
    # (Brackets around an LTR run are drawn mirrored: their code points read "]50, 32[".)
    assert "50, 32" in shape_line and "50, 64" in shape_line
    # Persian order: "[50, 64]" comes first in the sentence, so it is printed further right.
    assert shape_line.index("50, 32") < shape_line.index("50, 64")
    assert any("(2 days late)" in line for line in lines)


def test_header_fields(sample: tuple[GradeResult, Path, Path], text: str) -> None:
    result = sample[0]
    partner = result.students[1]
    assert normalise(partner["name"]) in text
    assert partner["number"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in text
    printed = "\n".join(lines_left_to_right(sample[1]))
    assert "2025-12-31 21:03" in printed  # submitted, Gregorian beside the Jalali date
    assert "2025-12-29 23:59" in printed  # the deadline
    assert "days late 2" in text or "2 days late" in text
    assert "۱۴۰۴" in text and "دی" in text
    assert "2026-01-05" in text  # the report date
    assert "۲۰٪" in text  # the penalty applied


def test_score_table_shows_cap_and_penalty(sample: tuple[GradeResult, Path, Path], text: str) -> None:
    result = sample[0]
    assert "cap 6" in text
    assert "before penalty" in text and "late penalty" in text
    assert f"final score {round(result.total, 4):g} / {result.possible:g}" in text


def test_absent_fields_render_as_unknown(tmp_path: Path) -> None:
    result = samples.sample_result(1, partner=False, figures=False)
    for key in ("submitted_at", "days_late", "late_penalty_percent", "signature", "problems"):
        del result[key]
    assignment = {k: v for k, v in samples.ASSIGNMENT.items() if k != "deadline"}
    report = render_student_report(samples.typed(result), tmp_path / "r.pdf", assignment=assignment)
    text = pdftotext(report)
    assert text.count("نامشخص") >= 3  # submitted, deadline, lateness
    assert "none" in text and "unknown" in text and "ندارد" in text


def test_hidden_checks_show_status_and_points_only(tmp_path: Path) -> None:
    result = samples.sample_result(2, figures=False)
    part = result["questions"][0]["parts"][1]
    hidden = copy.deepcopy(part["checks"][0])
    hidden |= {
        "id": "secret-check-id",
        "hidden": True,
        "status": "fail",
        "score": 0.0,
        "weight": 1.5,  # a sample check's weight is its points
        "message_fa": "مقدار مخفی ۴۲۴۲ است",
        "message_en": "the hidden expected value is 4242",
        "evidence": {"expected": 4242, "derivation": "SECRET-DERIVATION"},
    }
    part["checks"].append(hidden)
    text = pdftotext(
        render_student_report(samples.typed(result), tmp_path / "r.pdf", assignment=samples.ASSIGNMENT)
    )
    assert "Hidden check (fail, 0 / 1.5 points)" in text
    assert "بررسی پنهان" in text
    for secret in ("4242", "۴۲۴۲", "SECRET", "secret-check-id"):
        assert secret not in text
    revealed = pdftotext(
        render_student_report(
            samples.typed(result),
            tmp_path / "r2.pdf",
            assignment=samples.ASSIGNMENT | {"reveal_hidden": True},
        )
    )
    assert "the hidden expected value is 4242" in revealed


def test_plots_are_drawn_into_the_artifacts_and_embedded(sample: tuple[GradeResult, Path, Path]) -> None:
    import pdfplumber

    figures = sorted(p.name for p in (sample[2] / "report-figures").iterdir())
    # Only the check that lost points gets its figure; the passed gradient plot is one line.
    assert figures == ["Q6-B-attention.png"]
    for name in figures:
        assert (sample[2] / "report-figures" / name).read_bytes().startswith(b"\x89PNG")
    with pdfplumber.open(sample[1]) as doc:
        assert sum(len(page.images) for page in doc.pages) == 1
