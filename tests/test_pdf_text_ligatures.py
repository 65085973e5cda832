"""Text extraction turns the lam-alef glyph of Persian text, never a Latin ligature beside it.

A report line that mixes Persian with a file name («نوت‌بوک: HW7_Q1_finetuning.ipynb») is
extracted right to left; the font draws «fi» as one glyph whose text is two letters. Only an
Arabic-script glyph (the lam-alef «لا») is reversed before the right-to-left pass.
"""

from __future__ import annotations

from pathlib import Path

from graders.answers.student_report_text import pdf_text
from graders.report import samples
from graders.report.render import render_student_report


def test_latin_ligature_in_a_persian_line_reads_back(tmp_path: Path) -> None:
    result = samples.sample_result(3)
    for q in result["questions"]:
        q["notebook"] = "HW7_Q1_finetuning_office.ipynb"
    pdf = render_student_report(
        samples.typed(result), tmp_path / "r.pdf", assignment=samples.ASSIGNMENT, artifacts=tmp_path / "a"
    )
    text = pdf_text(pdf)
    assert "HW7_Q1_finetuning_office.ipynb" in text
    assert "ifnetuning" not in text and "ofifce" not in text
