"""The self-check's closing summary: points per question out of the PUBLIC points only.

A part's points are shared among its checks by weight, hidden checks included; the summary
counts only the public share, says how many points hidden checks hold, and never reads as a
grade ("all public checks passed" is not full marks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graders.checks.result import Status
from graders.selfcheck.grading import SelfCheck, saved_errors


@dataclass
class QuestionLine:
    id: str
    bonus: bool
    score: float = 0.0
    public: float = 0.0
    hidden: float = 0.0
    manual: float = 0.0
    skipped: float = 0.0
    review: float = 0.0


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    review: int = 0
    skipped: int = 0
    not_run: int = 0
    questions: list[QuestionLine] = field(default_factory=list)


def tally(sc: SelfCheck) -> Tally:
    out = Tally()
    for q in sc.spec.questions:
        line = QuestionLine(q.id, q.bonus)
        for p in q.parts:
            public, total = sc.share(q, p)
            if total == 0:
                line.manual += p.points
                continue
            line.public += p.points * public / total
            line.hidden += p.points * (total - public) / total
            for c in p.checks:
                if c.hidden:
                    continue
                verdict = sc.results.get((q.id, p.id, c.id))
                if verdict is None:
                    out.not_run += 1
                elif verdict.result is None:
                    out.skipped += 1
                    line.skipped += sc.check_points(q, p, c)
                elif verdict.result.status == Status.REVIEW:
                    out.review += 1
                    line.review += sc.check_points(q, p, c)
                else:
                    line.score += sc.check_points(q, p, c) * verdict.result.score
                    if verdict.result.status == Status.PASS:
                        out.passed += 1
                    else:
                        out.failed += 1
        if q.cap is not None:
            line.score = min(line.score, q.cap)
        out.questions.append(line)
    return out


def _run_line(sc: SelfCheck) -> str:
    sub = sc.submission
    if sub.notebook is None:
        return "notebook: none found / نوت‌بوکی پیدا نشد"
    if not sc.executes:
        h = sc.hygiene
        saved = (
            f"{h.n_executed} of {h.n_code_cells} code cells were run"
            f"{' in order' if h.in_order else ' OUT OF ORDER'}"
            if h
            else "unreadable"
        )
        line = f"notebook {sub.notebook.name}: not run (--no-execute); as saved: {saved}"
        for code_cell, ename in saved_errors(sub.notebook)[:3]:
            line += (
                f"\n  its saved outputs show {ename} in code cell {code_cell}"
                f" / خروجی ذخیره‌شدهٔ سلول کد {code_cell} خطای {ename} دارد"
            )
        return line
    facts = sc.ready_facts
    if facts is None:
        return f"notebook {sub.notebook.name}: not run (no check needed it)"
    run = facts.run
    outcome = run.outcome if run else "not run"
    line = (
        f"notebook {sub.notebook.name}: ran on this machine without the sandbox in "
        f"{sc.run_seconds or 0:.1f} s, outcome: {outcome}"
    )
    if run is not None and run.outcome != "ok":
        fa, en = facts.run_message()
        line += f"\n  {en}\n  {fa}"
    return line


def _sheet(sc: SelfCheck) -> str:
    sheet = sc.target.answers or sc.submission.answer_sheet
    if sheet is None:
        return f"none found ({sc.spec.answer_sheet}) / پاسخ‌نامه پیدا نشد"
    folder = sc.submission.folder
    return str(sheet.relative_to(folder)) if sheet.is_relative_to(folder) else str(sheet)


def summary_lines(sc: SelfCheck) -> list[str]:
    t = tally(sc)
    spec = sc.spec
    lines = [
        f"{spec.id}: {spec.title_en} / {spec.title_fa}",
        f"submission: {sc.submission.key}",
        _run_line(sc),
        f"answer sheet: {_sheet(sc)}",
        "",
        f"{'question':<10}{'public points (earned / possible)':>36}   not included here",
    ]
    for q in t.questions:
        extra = []
        if q.skipped:
            extra.append(f"skipped (needs a run): {q.skipped:.2f}")
        if q.review:
            extra.append(f"left to the TA: {q.review:.2f}")
        if q.hidden:
            extra.append(f"hidden checks: {q.hidden:.2f}")
        if q.manual:
            extra.append(f"graded by the TA: {q.manual:.2f}")
        name = q.id + (" (bonus)" if q.bonus else "")
        lines.append(f"{name:<10}{q.score:>26.2f} / {q.public:<7.2f}   {', '.join(extra) or '-'}")
    counted = [q for q in t.questions if not q.bonus]
    earned = sum(q.score for q in t.questions)
    public = sum(q.public for q in counted)
    full = sum(q.public + q.hidden + q.manual for q in counted)
    lines.append(f"{'total':<10}{earned:>26.2f} / {public:<7.2f}   of the assignment's {full:g}")
    counts = [
        f"{t.passed} passed",
        f"{t.failed} failed",
        *([f"{t.review} left to the TA (free text)"] if t.review else []),
        *([f"{t.skipped} skipped"] if t.skipped else []),
        *([f"{t.not_run} not selected"] if t.not_run else []),
    ]
    lines.append(f"public checks: {', '.join(counts)}")
    lines += _notes(sc, t, hidden=sum(q.hidden for q in t.questions))
    return lines


def _notes(sc: SelfCheck, t: Tally, hidden: float) -> list[str]:
    all_passed = t.failed == 0 and t.skipped == 0 and t.not_run == 0
    n_hidden = sum(s.checks for s in sc.hidden.values())
    if n_hidden:
        where = ", ".join(sorted({q for q, _ in sc.hidden}))
        en = f"{n_hidden} hidden check(s), worth {hidden:.2f} points ({where}), are not run here."
        fa = f"{n_hidden} بررسی پنهان به ارزش {hidden:.2f} امتیاز ({where}) اینجا اجرا نمی‌شوند."
    else:
        en = "The TA's grading may also run hidden checks that are not run here."
        fa = "نمره‌دهی دستیار آموزشی ممکن است بررسی‌های پنهانی هم داشته باشد که اینجا اجرا نمی‌شوند."
    review_en = f" ({t.review} answers are left to the TA)" if t.review else ""
    review_fa = f" ({t.review} پاسخ را دستیار آموزشی بررسی می‌کند)" if t.review else ""
    lines = [
        "",
        (f"All public checks passed{review_en}. " if all_passed else "")
        + "This is NOT your grade: public checks only. "
        + en
        + " Passing every public check is not full marks.",
        (f"همهٔ بررسی‌های عمومی قبول شدند{review_fa}. " if all_passed else "")
        + "این نمرهٔ شما نیست: فقط بررسی‌های عمومی اجرا شده‌اند. "
        + fa
        + " قبول‌شدن همهٔ بررسی‌های عمومی به معنای نمرهٔ کامل نیست.",
    ]
    for fa_note, en_note in sc.problems:
        lines.append(f"note: {en_note} / {fa_note}")
    return lines
