"""Render reports to PDF: Jinja2 templates -> HTML -> WeasyPrint.

Only files from `templates/` and the run's own artifact folder may be loaded: a restricted
URL fetcher refuses everything else (other local files, http(s), ...), so text a student
controls can never pull a file or a URL into a PDF. That text is also escaped (Jinja
autoescape) and made drawable (`glyph_safe`). A character no font can draw makes WeasyPrint
log `.notdef glyph rendered`; rendering then fails with `MissingGlyphError`.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from graders.errors import DlgradeError
from graders.paths import templates_dir
from graders.report.glyphs import glyph_safe
from graders.report.persian import (
    bidi_html,
    fa_digits,
    fa_number,
    jalali_date,
    text_direction,
)
from graders.report.view import format_value, student_number, student_view, when
from graders.scoring import GradeResult

STATUS_FA = {
    "pass": "درست",
    "partial": "نیمه‌درست",
    "fail": "نادرست",
    "error": "اجرا نشد",
    "review": "بررسی دستیار",
}
OUTCOME_FA = {
    "ok": "اجرا کامل شد",
    "cell-error": "خطا در یکی از سلول‌ها",
    "timeout": "پایان مهلت زمانی",
    "memory": "کمبود حافظه",
    "kernel-died": "توقف هسته",
    "output-limit": "خروجی بیش از حد",
    "sandbox-unavailable": "محیط امن در دسترس نیست",
    "not-run": "اجرا نشد",
    "no-notebook": "نوت‌بوکی پیدا نشد",
    "invalid-notebook": "نوت‌بوک معتبر نیست",
    "invalid-submission": "ارسال نامعتبر",
    "environment-missing": "بسته‌ای در محیط اجرا نیست؛ نزد دستیار آموزشی",
}


class MissingGlyphError(DlgradeError, RuntimeError):
    """A character of the report has no glyph in any font (it would print as a box)."""


class _GlyphWatch(logging.Handler):
    """WeasyPrint logs `.notdef glyph rendered` for characters no font covers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "notdef" in record.getMessage():
            self.missing.append(record.getMessage())


def _finalize(value: Any) -> Any:
    """Every `{{ ... }}` output: strings made drawable (Markup from filters already is)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return glyph_safe(value)
    return value


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html", "j2"]),
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        fa_digits=fa_digits,
        fa_number=fa_number,
        bidi=bidi_html,
        value=format_value,
        when=when,
        direction=text_direction,
        student_number=student_number,
    )
    env.globals.update(status_fa=STATUS_FA, outcome_fa=OUTCOME_FA)
    return env


def _fetcher_for(allowed: list[Path]) -> Any:
    from weasyprint.urls import URLFetcher

    roots = [p.resolve() for p in allowed]

    class RestrictedFetcher(URLFetcher):
        """WeasyPrint's documented extension point: only local files under `roots`, or data:."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"dlgrade report: refused to load {url[:200]}")

    return RestrictedFetcher(allowed_protocols={"file", "data"})


def html_to_pdf(html: str, out_pdf: Path, *, allowed: list[Path]) -> Path:
    """Write `html` as a PDF, loading only files under `templates/` and `allowed`."""
    from weasyprint import HTML

    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        document = HTML(
            string=html,
            base_url=str(templates_dir()) + "/",
            url_fetcher=_fetcher_for([templates_dir(), *allowed]),
        )
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(out_pdf)
    finally:
        logger.removeHandler(watch)
    if watch.missing:
        out_pdf.unlink(missing_ok=True)
        raise MissingGlyphError(
            f"characters without a glyph in {out_pdf.name}: {watch.missing[:3]}",
            f"نویسه‌هایی بدون نگاره در گزارش {out_pdf.name}",
        )
    return out_pdf


def _dates(now: dt.datetime) -> dict[str, str]:
    return {"jalali_today": jalali_date(now), "gregorian_today": now.strftime("%Y-%m-%d")}


def render_html(
    result: GradeResult,
    *,
    assignment: dict[str, Any],
    figures: Path,
    now: dt.datetime | None = None,
) -> str:
    """The student report's HTML; pictures of the evidence are drawn into `figures`."""
    now = now or dt.datetime.now()
    context = student_view(result, assignment, figures, now=now) | _dates(now)
    return environment().get_template("student_report.html.j2").render(**context)


def render_student_report(
    result: GradeResult,
    out_pdf: Path,
    *,
    assignment: dict[str, Any],
    artifacts: Path | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """One student's feedback PDF; plots go to `artifacts/report-figures/` (or a temp folder)."""
    with tempfile.TemporaryDirectory(prefix="dlgrade-report-") as scratch:
        figures = (artifacts / "report-figures") if artifacts else Path(scratch)
        html = render_html(result, assignment=assignment, figures=figures, now=now)
        return html_to_pdf(html, out_pdf, allowed=[figures])


def render_class_summary(
    results: list[GradeResult],
    out_pdf: Path,
    *,
    assignment: dict[str, Any],
    similarity: list[dict[str, Any]] | None = None,
    artifacts: Path | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """The TAs' class summary PDF (distribution, per question, failures, lateness, similarity)."""
    from graders.report.summary import summarise

    now = now or dt.datetime.now()
    with tempfile.TemporaryDirectory(prefix="dlgrade-summary-") as scratch:
        figures = artifacts or Path(scratch)
        context = summarise(results, assignment, figures, similarity=similarity) | _dates(now)
        html = environment().get_template("class_summary.html.j2").render(**context)
        return html_to_pdf(html, out_pdf, allowed=[figures])
