"""Render a student's feedback report to PDF (Jinja2 -> HTML -> WeasyPrint).

Only files from `templates/` and the run's own artifact folder may be loaded: a restricted
URL fetcher refuses everything else, so a student's Markdown cannot pull local files or
external URLs into a PDF. All student-controlled text is escaped by Jinja's autoescape.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graders.paths import templates_dir
from graders.report.persian import fa_digits, fa_number, jalali_date

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
    "no-notebook": "نوت‌بوکی پیدا نشد",
    "invalid-notebook": "نوت‌بوک معتبر نیست",
    "invalid-submission": "ارسال نامعتبر",
}


class _GlyphWatch(logging.Handler):
    """WeasyPrint logs `.notdef glyph rendered` for characters no font covers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "notdef" in record.getMessage():
            self.missing.append(record.getMessage())


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()), autoescape=select_autoescape(["html", "j2"])
    )
    env.filters.update(fa_digits=fa_digits, fa_number=fa_number)
    env.globals.update(status_fa=STATUS_FA, outcome_fa=OUTCOME_FA)
    return env


def _fetcher_for(allowed: list[Path]) -> Any:
    from urllib.parse import unquote, urlparse

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


def render_html(
    result: dict[str, Any], *, assignment: dict[str, Any], now: dt.datetime | None = None
) -> str:
    now = now or dt.datetime.now()
    return (
        _environment()
        .get_template("student_report.html.j2")
        .render(
            r=result,
            a=assignment,
            jalali_today=jalali_date(now),
            gregorian_today=now.strftime("%Y-%m-%d"),
        )
    )


def render_student_report(
    result: dict[str, Any],
    out_pdf: Path,
    *,
    assignment: dict[str, Any],
    artifacts: Path | None = None,
) -> Path:
    from weasyprint import HTML

    html = render_html(result, assignment=assignment)
    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        allowed = [templates_dir()] + ([artifacts] if artifacts else [])
        document = HTML(
            string=html, base_url=str(templates_dir()) + "/", url_fetcher=_fetcher_for(allowed)
        )
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(out_pdf)
    finally:
        logger.removeHandler(watch)
    if watch.missing:
        raise RuntimeError(f"characters without a glyph in the report: {watch.missing[:3]}")
    return out_pdf
