"""What a student report shows, prepared from one typed grade (`graders.scoring.GradeResult`).

Points are shown as the `dlgrade.results/1` JSON records them (rounded to 4 places), so a
report rendered at grading time and one re-rendered from the gradebook are the same. The
upload fields a result may carry in `extra` (a submission time, the days late, where the time
came from) are optional: absent ones render as "unknown". Hidden checks keep only their status
and points. Evidence becomes rows of (label, value); pictures described in `evidence["figure"]`
are drawn into the run's artifact folder.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from graders.report.glyphs import glyph_safe
from graders.report.layout import group_similar, losses, merge_alike_parts, statement_order
from graders.report.persian import (
    bidi_html,
    fa_digits,
    fa_number,
    jalali_datetime,
    parse_moment,
)
from graders.report.plots import draw_figure, safe_name
from graders.scoring import (
    CheckOutcome,
    GradeResult,
    PartScore,
    QuestionScore,
    as_recorded,
    part_fields,
    question_fields,
)

MAX_TEXT = 12_000
LONG_TEXT = 600  # longer values go below the evidence table, free to break across pages
MAX_CODE = 3_000
EVIDENCE_LABELS = {
    "found": ("پاسخ شما", "found"),
    "expected": ("مقدار مورد انتظار", "expected"),
    "derivation": ("روش به‌دست آوردن", "derivation"),
    "slot": ("خانهٔ پاسخ", "answer slot"),
    "coverage": ("پوشش", "coverage"),
    "expected_x": ("مقادیر خواسته‌شدهٔ محور افقی", "required x values"),
    "lines_found": ("خط‌های پیدا شده", "lines found"),
    "lines_expected": ("خط‌های لازم", "lines required"),
    "points": ("تعداد نقطه‌ها", "points per line"),
    "yscale": ("مقیاس محور عمودی", "y scale"),
}
# Where a submission's upload time came from (`time_source` of a result, see graders/batch/times.py).
TIME_SOURCES = {
    "lms": {"fa": "از کاربرگ نمره‌دهی سامانهٔ درس", "en": "from the LMS grading worksheet"},
    "file": {"fa": "از زمان فایل در خروجی سامانه", "en": "from the file time in the export"},
    "file-confirmed": {
        "fa": "از زمان فایل، تأییدشده توسط دستیار",
        "en": "from the file time, confirmed by a TA",
    },
    "file-untrusted": {
        "fa": "از زمان فایل، که قابل اعتماد به نظر نمی‌رسد",
        "en": "from the file time, which looks untrustworthy",
    },
}
_FIRST = ["found", "expected", "derivation"]
TA_ONLY = {"rubric", "reference_fa", "reference_en", "key_points_seen"}
SHORT_VALUE = 70  # evidence of only short values is set as one line, not a table
_SEPARATE = {"figure", "traceback"}


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … (+{len(text) - limit:,} characters)"


def format_value(value: Any) -> Markup:
    """An evidence value as HTML: Persian digits for numbers, LTR code for lists and dicts."""
    if value is None or value == "":
        return Markup("—")
    if isinstance(value, bool):
        return Markup("بله" if value else "خیر")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return Markup(f'<span class="ltr" dir="ltr">{value}</span>')
        if isinstance(value, float) and value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e15):
            return Markup(f'<span class="ltr" dir="ltr">{value:.4g}</span>')
        return Markup(fa_number(value, 4))
    if isinstance(value, str):
        return bidi_html(_truncate(value, MAX_TEXT))
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(
        f'<code class="ltr" dir="ltr">{escape(glyph_safe(_truncate(text, MAX_CODE)))}</code>'
    )


def _evidence_rows(evidence: dict[str, Any]) -> list[dict[str, Any]]:
    keys = [k for k in _FIRST if k in evidence] + sorted(
        k for k in evidence if k not in _FIRST and k not in _SEPARATE
    )
    rows = []
    for key in keys[:40]:
        fa, en = EVIDENCE_LABELS.get(key, ("", str(key)))
        value = evidence[key]
        long = isinstance(value, str) and len(value) > LONG_TEXT
        rows.append(
            {
                "key": key,
                "fa": fa,
                "en": en,
                "value": format_value(value),
                "long": long,
                "raw": value,
            }
        )
    return rows


def _points(p: PartScore, c: CheckOutcome) -> tuple[float, float]:
    """(earned, maximum) of a check, as its JSON records them."""
    top = as_recorded(p.check_max(c))
    return top * as_recorded(c.result.score), top


def _check_view(
    q: QuestionScore,
    p: PartScore,
    c: CheckOutcome,
    index: int,
    figures: Path,
    reveal_hidden: bool,
    drawn: dict[str, str],
) -> dict[str, Any]:
    earned, top = _points(p, c)
    hidden = c.hidden and not reveal_hidden
    status = str(c.result.status)
    view: dict[str, Any] = {
        "id": c.id,
        "status": status,
        "hidden": hidden,
        "earned": earned,
        "max": top,
        "lost": max(0.0, top - earned),
        "title_fa": c.title_fa,
        "title_en": c.title_en,
        "index": index,
        "anchor": f"check-{index}",
        # Full feedback only for what lost points or waits for the TA; the rest is one line.
        "detailed": status != "pass" or top - earned > 1e-9,
    }
    if hidden or not view["detailed"]:
        return view
    evidence = {} if c.hidden else c.result.evidence  # a hidden check's is never stored
    view |= {
        "message_fa": _truncate(c.result.message_fa, MAX_TEXT),
        "message_en": _truncate(c.result.message_en, MAX_TEXT),
        "evidence": _evidence_rows(evidence),
        "traceback": _truncate(str(evidence.get("traceback", "")), MAX_CODE),
        "has_figure": "figure" in evidence,
        "figure": None,
    }
    view["slot"] = str(evidence.get("slot") or "")
    said = f"{view['message_fa']}\n{view['message_en']}"
    view["evidence"] = [
        r
        for r in view["evidence"]
        if not _empty(r["raw"])
        and not _already_said(r["raw"], said)
        and not (status == "review" and r["key"] in TA_ONLY)  # the TA's rubric and model answers
    ]
    view["inline"] = all(
        not r["long"] and len(json.dumps(r["raw"], ensure_ascii=False, default=str)) <= SHORT_VALUE
        for r in view["evidence"]
    )
    if "figure" in evidence:
        name = safe_name(q.id, p.id, c.id)
        key = json.dumps(evidence["figure"], sort_keys=True, default=str)
        if key in drawn:  # the same picture as an earlier check's: point to it, draw it once
            view["same_figure_as"] = drawn[key]
        else:
            view["figure"] = draw_figure(evidence["figure"], figures, name or f"figure-{index}")
            drawn[key] = view["anchor"]
    return view


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and not value)


def _already_said(value: Any, message: str) -> bool:
    """An evidence value the message already states (a derivation, a number) is not repeated.

    Only values unlikely to appear by coincidence: text of 8+ characters (slot names,
    derivations) and numbers of 4+ digits; a small number stays in the table, since the
    message may use it for something else (a layer size, a count)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    if isinstance(value, str):
        return len(value) >= 8 and value in message
    if not math.isfinite(float(value)) or abs(float(value)) < 1000:
        return False
    if float(value).is_integer():
        value = int(value)
        texts = {str(value), f"{value:,}"}
    else:
        texts = {str(value)}
    return any(re.search(rf"(?<![\d.,]){re.escape(t)}(?![\d]|[.,]\d)", message) for t in texts)


def _lateness(result: GradeResult, assignment: dict[str, Any]) -> dict[str, Any]:
    submitted = parse_moment(result.extra.get("submitted_at"))
    deadline = parse_moment(assignment.get("deadline"))
    days_late = result.extra.get("days_late")
    if days_late is None and submitted and deadline:
        try:
            late_s = (submitted - deadline).total_seconds()
            days_late = max(0, math.ceil(late_s / 86400))
        except TypeError:  # one aware, one naive
            days_late = None
    source = str(result.extra.get("time_source") or "")
    return {
        "submitted": submitted,
        "deadline": deadline,
        "days_late": days_late,
        "penalty": float(result.late_penalty_percent or 0),
        "source": TIME_SOURCES.get(source, {"fa": source, "en": source}) if source else None,
        "withheld": source == "file-untrusted" and bool(days_late),
    }


def students(result: GradeResult) -> list[dict[str, str]]:
    """The result's students, each with a name and a number (empty where not known)."""
    return [
        {"name": str(s.get("name") or ""), "number": str(s.get("number") or "")}
        for s in result.students
        if isinstance(s, dict)
    ]


def _part_view(p: PartScore, checks: list[dict[str, Any]]) -> dict[str, Any]:
    return part_fields(p) | {
        "check_views": checks,
        "passed": [c for c in checks if not c["detailed"]],
        "detailed": group_similar([c for c in checks if c["detailed"]]),
    }


def _question_view(q: QuestionScore, parts: list[dict[str, Any]]) -> dict[str, Any]:
    fields = question_fields(q)
    raw = sum(as_recorded(p.score) for p in q.parts)
    return fields | {
        "part_views": merge_alike_parts(parts),
        "raw_score": raw,
        "capped": q.cap is not None and raw > fields["score"] + 1e-9,
    }


def student_view(
    result: GradeResult,
    assignment: dict[str, Any],
    figures: Path,
    *,
    now: dt.datetime,
    top_losses: int = 5,
) -> dict[str, Any]:
    """The template context of one student's report."""
    reveal = bool(assignment.get("reveal_hidden"))
    people = students(result)
    questions = []
    index = 0
    totals = {"pass": 0, "partial": 0, "fail": 0, "error": 0, "review": 0}
    drawn: dict[str, str] = {}
    for q in statement_order(result.questions):
        parts = []
        for p in q.parts:
            checks = []
            for c in p.checks:
                index += 1
                checks.append(_check_view(q, p, c, index, figures, reveal, drawn))
                totals[str(c.result.status)] += 1
            parts.append(_part_view(p, checks))
        questions.append(_question_view(q, parts))
    return {
        "r": result.header(),
        "a": assignment,
        "student": people[0] if people else {"name": result.submission, "number": ""},
        "partners": people[1:],
        "questions": questions,
        "raw_total": sum(as_recorded(q.score) for q in result.questions),
        "late": _lateness(result, assignment),
        "counts": totals,
        "n_checks": index,
        "losses": losses(questions, top_losses),
        "now": now,
    }


def when(moment: dt.datetime | None) -> Markup:
    """Jalali date and time with the Gregorian beside it, or "unknown"."""
    if moment is None:
        return Markup('نامشخص <span class="en-inline">(unknown)</span>')
    greg = moment.strftime("%Y-%m-%d %H:%M")
    return Markup(
        f'{escape(jalali_datetime(moment))} (<span class="ltr nowrap" dir="ltr">{greg}</span>)'
    )


def student_number(value: Any) -> str:
    return fa_digits(value) if value else ""
