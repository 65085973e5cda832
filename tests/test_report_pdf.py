"""The PDF report: Persian text in logical order, the student's name, an embedded Persian font."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from graders.report.render import render_student_report

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)

ASSIGNMENT = {
    "id": "hw5-rnn",
    "title_fa": "تمرین پنجم — شبکه‌های بازگشتی",
    "title_en": "HW5",
    "course_fa": "یادگیری عمیق",
    "course_en": "Deep Learning",
}


def result(name: str = "علی رضایی", message_fa: str = "شکل خروجی درست است.") -> dict:
    return {
        "submission": "HW5_Rezaei_401100001",
        "students": [{"name": name, "number": "401100001"}],
        "outcome": "ok",
        "run_message": "",
        "score": 12.5,
        "max": 35,
        "late_penalty_percent": 0,
        "problems": [],
        "signature": {
            "dlgrade": "0.1.0",
            "spec": "s",
            "golden": "g",
            "submission": "h",
            "profile": "smoke",
            "torch": "2",
        },
        "questions": [
            {
                "id": "Q1",
                "title_fa": "سوال ۱",
                "title_en": "Q1",
                "kind": "theory",
                "bonus": False,
                "score": 12.5,
                "max": 15,
                "cap": None,
                "parts": [
                    {
                        "id": "a",
                        "score": 12.5,
                        "max": 15,
                        "needs_review": False,
                        "checks": [
                            {
                                "id": "L1-shape",
                                "check": "shape_answer",
                                "status": "pass",
                                "score": 1,
                                "weight": 1,
                                "hidden": False,
                                "max": 15,
                                "message_fa": message_fa,
                                "message_en": "output shape is correct.",
                                "evidence": {},
                            },
                        ],
                    }
                ],
            }
        ],
    }


def pdftotext(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return unicodedata.normalize("NFC", re.sub("[\u200c\u200e\u200f\u202a-\u202e]", "", text))


@needs_poppler
def test_pdf_has_name_and_persian_text(tmp_path: Path) -> None:
    pdf = render_student_report(result(), tmp_path / "r.pdf", assignment=ASSIGNMENT)
    text = pdftotext(pdf)
    assert "علی رضایی" in text
    assert "شکل خروجی درست است" in text
    assert "نمره" in text
    assert "۱۲٫۵" in text  # Persian digits and decimal separator


@needs_poppler
def test_pdf_embeds_a_persian_font(tmp_path: Path, root: Path) -> None:
    pdf = render_student_report(result(), tmp_path / "r.pdf", assignment=ASSIGNMENT)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    vazir = [line for line in fonts.splitlines() if "Vazirmatn" in line]
    assert vazir and all(" yes " in line for line in vazir)  # embedded
    cmap = TTFont(root / "templates" / "fonts" / "Vazirmatn-Regular.ttf").getBestCmap()
    for ch in "علی رضایی شکل خروجی درست است ۰۱۲۳۴۵۶۷۸۹ پچژگ":
        assert ord(ch) in cmap or ch == " "


def test_student_text_is_escaped_and_local_files_refused(tmp_path: Path) -> None:
    evil = '<img src="file:///etc/passwd"><b>x</b>'
    pdf = render_student_report(result(message_fa=evil), tmp_path / "r.pdf", assignment=ASSIGNMENT)
    data = pdf.read_bytes()
    assert b"root:x:0:0" not in data
    if shutil.which("pdftotext"):
        assert "file:///etc/passwd" in pdftotext(pdf)  # escaped: shown as text, not a tag


def test_fetcher_refuses_files_outside_templates(tmp_path: Path, root: Path) -> None:
    from graders.report.render import _fetcher_for

    fetcher = _fetcher_for([root / "templates", tmp_path])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("https://example.com/x.png")
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((root / "templates" / ".." / "pyproject.toml").resolve().as_uri())
    (tmp_path / "plot.txt").write_text("ok")
    assert fetcher.fetch((tmp_path / "plot.txt").as_uri()).read() == b"ok"
