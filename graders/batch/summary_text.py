"""The end of a batch printed for the TA, in Persian and English (from `BatchSummary.to_json`)."""

from __future__ import annotations

from typing import Any


def blocked_lines(section: dict[str, Any]) -> list[str]:
    """One line per module the class needed: how many submissions it blocked, and which."""
    lines = []
    for m in section["modules"]:
        keys = ", ".join(m["submissions"][:5]) + (" …" if len(m["submissions"]) > 5 else "")
        lines.append(
            f"{m['module']}: {m['blocked']} ارسال متوقف شد / blocked {m['blocked']} "
            f"submission(s): {keys}"
        )
    if section["message_fa"]:
        lines.append(f"{section['message_fa']} / {section['message_en']}")
    elif section["modules"]:
        lines.append(
            "پس از افزودن این ماژول‌ها به environment: و ساختن دوبارهٔ محیط: "
            "dlgrade batch ... --regrade-blocked / after adding them to environment: and "
            "rebuilding the environment: dlgrade batch ... --regrade-blocked"
        )
    return lines


def print_summary(summary: Any) -> None:
    """The end of a batch, in Persian and English."""
    from rich.console import Console

    data = summary.to_json()
    console = Console(stderr=True)
    console.print(
        f"نمره‌دهی شد / graded: {len(data['graded'])}   "
        f"قبلاً نمره‌دهی شده / already graded: {len(data['skipped_already_graded'])}   "
        f"خطا / failed: {len(data['failed'])}   "
        f"تکراری / duplicates: {len(data['duplicates'])}   ({data['seconds']:.1f}s)",
        highlight=False,
    )
    sections = [
        (
            "هشدار: زمان‌های ارسال / warning: upload times",
            [f"{w['message_fa']} / {w['message_en']}" for w in data["upload_times"]["warnings"]],
        ),
        (
            "ارسال تکراری (نسخهٔ بعدی شمرده شد) / duplicates (the later upload counts)",
            [f"{k} → {v}" for k, v in data["duplicates"].items()],
        ),
        ("شناسایی نشده / unidentified", data["unidentified"]),
        (
            "دانشجو در دو گروه / student in two groups",
            [f"{n}: {', '.join(keys)}" for n, keys in data["conflicts"].items()],
        ),
        (
            "ارسال نکرده‌اند / did not submit",
            [f"{m['number']} {m['name']} {m['email']}".strip() for m in data["missing"]],
        ),
        ("نادیده (ارسال نیست) / ignored (not a submission)", data["ignored"]),
        ("خطای نمره‌دهی / grader errors", [f"{k}: {v}" for k, v in data["failed"].items()]),
        (
            "ماژول‌هایی که محیط نمره‌دهی نداشت (ارسال‌ها برای دستیار نگه داشته شدند) / "
            "modules the grading environment lacked (submissions held for the TA)",
            blocked_lines(data["environment_missing"]),
        ),
        (
            "بازبینی با اجرای دوباره / audited (re-executed)",
            [f"{a['submission']}: {a['outcome']} {' | '.join(a['flags'])}" for a in data["audit"]],
        ),
    ]
    for title, items in sections:
        if items:
            console.print(f"[bold]{title}[/bold]")
            for item in items:
                console.print(f"  - {item}", highlight=False, markup=False)
    shared = data["grader_problem"]
    if shared:
        console.rule("[bold red]grader-problem[/bold red]")
        for text in (shared["message_fa"], shared["message_en"]):
            console.print(text, style="bold red", highlight=False, markup=False, soft_wrap=True)
        console.rule()
