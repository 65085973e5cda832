"""The table of `dlgrade` commands: name, help (Persian, English), function, arguments.

`graders.cli` builds argparse from `COMMANDS`. An argument's dest is the keyword it fills in
the command's function, and its default is that keyword's default (`fn.__kwdefaults__`): set
defaults in the function only (`tests/test_cli_table.py` fails when they would split).

To add a command `dlgrade NAME ...`:
1. write `graders/commands/NAME.py` with a keyword-only `main(*, assignment: str, ...)`, every
   optional keyword with its default; it returns its result (and raises `DlgradeError` with a
   Persian and an English message on bad input: the CLI prints both, exit status 2);
2. add a row here: `Command("NAME", "<Persian help>", "<English help>", "graders.commands.NAME:main",
   (arg("assignment"), arg("--flag", help="... / ..."), ...))`; a flag that turns a keyword off
   is `arg("--no-x", dest="x", action="store_false")`; give `after=` a function
   `(result, args) -> exit status` when the command prints its result or has its own exit
   status; `internal=` names keywords the CLI does not offer; `actions=` for sub-verbs;
3. a new option of an existing command: a keyword with its default in the function, one
   `arg(...)` in its row. Then list it in README's command table.
"""

from __future__ import annotations

from pathlib import Path

from graders.cli import Command, arg
from graders.commands import printing

PROFILE = arg("--profile", choices=["smoke", "full"])
GRADEBOOK = arg(
    "--gradebook",
    help="SQLite path or SQLAlchemy URL / دفتر نمره"
    " (default: $DLGRADE_GRADEBOOK, else <reports>/gradebook.db)",
)
REPORTS = arg(
    "--reports",
    type=Path,
    help="reports folder, whose gradebook.db is the default gradebook (default reports/)"
    " / پوشهٔ گزارش‌ها",
)
NO_REPORT = arg("--no-report", dest="render", action="store_false", help="do not render PDFs")
SANDBOX_HELP = "run notebooks without bubblewrap"


def _gpus(text: str) -> list[str] | None:
    return text.split(",") if text else None


COMMANDS: tuple[Command, ...] = (
    Command(
        "grade",
        "نمره‌دهی ارسال‌ها و ساخت گزارش PDF",
        "grade submissions, record them, render PDF reports",
        "graders.commands.grade:main",
        (
            arg("assignment", help="assignment id, e.g. hw5-rnn / شناسهٔ تمرین"),
            arg("submissions", nargs="+", type=Path, help="folders, zips or notebooks / ارسال‌ها"),
            GRADEBOOK,
            arg("--reports", type=Path, help="output folder for PDFs (default reports/)"),
            NO_REPORT,
            arg(
                "--json",
                dest="as_json",
                action="store_true",
                help="print results as JSON (schema dlgrade.results/1)",
            ),
            PROFILE,
            arg(
                "--no-sandbox",
                dest="sandbox",
                action="store_false",
                help="run notebooks without bubblewrap: only for your own notebook on your own"
                " machine / اجرای بدون محیط ایزوله، فقط برای نوت‌بوک خودتان",
            ),
            arg(
                "--device",
                choices=["cpu", "cuda"],
                help="cuda passes /dev/nvidia* into the sandbox and sets CUDA_VISIBLE_DEVICES",
            ),
            arg(
                "--mode",
                choices=["execute", "saved", "audit"],
                help="saved: no kernel, facts from saved outputs and code; audit: run and compare",
            ),
        ),
    ),
    Command(
        "reference",
        "ساخت مقادیر مرجع (golden) از راه‌حل مرجع",
        "build golden reference values from a reference solution",
        actions=(
            Command(
                "build",
                "ساخت فایل‌های مرجع",
                "build golden files",
                "graders.commands.reference:build",
                (
                    arg("assignment"),
                    PROFILE,
                    arg("--device", choices=["auto", "cpu", "cuda"]),
                    arg(
                        "--out",
                        type=Path,
                        help="folder for golden files (default reference_solutions/<id>/golden)",
                    ),
                    arg(
                        "--only",
                        action="append",
                        metavar="MODULE",
                        help="build only this reference module, e.g. q1_peft (repeatable)"
                        " / فقط این ماژول",
                    ),
                ),
                description=False,
            ),
        ),
    ),
    Command(
        "report",
        "ساخت گزارش‌های PDF از دفتر نمره",
        "render PDF reports from the gradebook",
        "graders.commands.report:main",
        (
            arg("assignment"),
            arg("keys", nargs="*", help="submission keys (default: all graded)"),
            GRADEBOOK,
            REPORTS,
            arg("--out", type=Path, help="output folder (default reports/<id>/)"),
            arg("--jobs", type=int, help="parallel processes (default: CPUs) / تعداد پردازه"),
            arg(
                "--similarity",
                type=Path,
                help="JSON list of similarity pairs (default <out>/similarity.json)",
            ),
            arg(
                "--no-summary",
                dest="summary",
                action="store_false",
                help="skip the class summary PDF",
            ),
        ),
        internal=("echo",),
    ),
    Command(
        "validate",
        "بررسی درستی مشخصات تمرین‌ها",
        "check assignment specs and their references",
        "graders.commands.validate:main",
        (arg("assignments", nargs="*", help="assignment ids (default: all)"),),
        after=printing.after_validate,
    ),
    Command(
        "demo",
        "نمره‌دهی نمونه‌ارسال‌های hw5-rnn",
        "grade the bundled hw5-rnn example submissions",
        "graders.commands.demo:main",
        (arg("--reports", type=Path), arg("--json", dest="as_json", action="store_true")),
    ),
    Command(
        "answer-sheet",
        "ساخت قالب پاسخ‌نامهٔ پرسش‌های تئوری",
        "write the answer-sheet template of the theory questions",
        "graders.commands.answer_sheet:main",
        (
            arg("assignment"),
            arg("--format", choices=["yaml", "md"], dest="fmt"),
            arg("--out", type=Path, help="write here instead of printing / مسیر خروجی"),
        ),
        after=printing.after_answer_sheet,
    ),
    Command(
        "env",
        "محیط اجرای نوت‌بوک دانشجو: ساخت و نمایش",
        "the kernel environment notebooks run in",
        actions=(
            Command(
                "build",
                "ساخت محیط اجرا",
                "build the kernel environment",
                "graders.commands.env:build_main",
                (
                    arg("assignment", nargs="?", help="default: every assignment's environment"),
                    PROFILE,
                    arg("--force", action="store_true", help="rebuild even if built"),
                    arg(
                        "--pip-args",
                        help="extra pip arguments, e.g. the index of the grader's CUDA torch"
                        " (default: $DLGRADE_KERNEL_PIP_ARGS)",
                    ),
                ),
                after=printing.after_env_build,
                description=False,
            ),
            Command(
                "show",
                "فهرست بسته‌ها",
                "the declared packages and versions",
                "graders.commands.env:show_lines",
                (arg("assignment"), PROFILE),
                after=printing.after_env_show,
                description=False,
            ),
        ),
    ),
    Command(
        "score",
        "ثبت نمرهٔ دستیار برای پاسخ‌های تشریحی و موارد بررسی",
        "record a TA's points for free-text and review items",
        actions=(
            Command(
                "set",
                "ثبت نمره",
                "record points for an item",
                "graders.commands.score:set_score",
                (
                    arg("assignment"),
                    arg("submission"),
                    arg("item", help="a part (Q2.b) or a check (Q2.c.h)"),
                    arg("points", type=float),
                    arg("--comment", help="shown to the student / برای دانشجو"),
                    arg("--grader", help="TA name (default: the login name)"),
                    GRADEBOOK,
                    REPORTS,
                ),
                description=False,
            ),
            Command(
                "show",
                "نمایش موارد بررسی",
                "show review items and TA scores",
                "graders.commands.score:show",
                (arg("assignment"), arg("submission"), GRADEBOOK, REPORTS),
                description=False,
            ),
        ),
    ),
    Command(
        "review",
        "برنامهٔ وب بازبینی دستیاران آموزشی",
        "the TA review web app",
        "graders.commands.review:serve",
        (arg("assignment"), arg("--host"), arg("--port", type=int), GRADEBOOK, REPORTS),
    ),
    Command(
        "ta",
        "حساب‌های دستیاران آموزشی",
        "TA accounts of the review app",
        actions=(
            Command(
                "add",
                "افزودن حساب",
                "add an account or reset its password",
                "graders.commands.review:add_account",
                (
                    arg("name"),
                    arg("--role", choices=["ta", "instructor"]),
                    GRADEBOOK,
                    REPORTS,
                    arg(
                        "--password-stdin",
                        action="store_true",
                        help="read the password from stdin",
                    ),
                ),
                description=False,
            ),
        ),
    ),
    Command(
        "batch",
        "نمره‌دهی همهٔ ارسال‌های کلاس (موازی، قابل ادامه)",
        "grade a whole class from an LMS export (parallel, resumable)",
        "graders.commands.batch:main",
        (
            arg("assignment"),
            arg("path", type=Path, help="LMS export: folder or zip / خروجی سامانه"),
            arg("--jobs", type=int, help="worker processes (local executor)"),
            arg("--executor", choices=["local", "dask"]),
            arg("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.1:8786"),
            arg("--regrade", action="store_true", help="grade again even if unchanged"),
            arg(
                "--regrade-blocked",
                action="store_true",
                help="grade only submissions whose latest result is environment-missing (keep"
                " the rest) / فقط ارسال‌هایی که محیط اجرا کم داشت",
            ),
            arg("--roster", type=Path, help="CSV: student number, name, email"),
            GRADEBOOK,
            arg("--reports", type=Path),
            NO_REPORT,
            PROFILE,
            arg(
                "--gpus",
                type=_gpus,
                help="GPU ids for the local workers, e.g. 0,1 (default: detected)",
            ),
            arg(
                "--device",
                choices=["cpu", "cuda"],
                help="cuda: each worker's notebooks see its GPU (--gpus) inside the sandbox",
            ),
            arg("--no-sandbox", dest="sandbox", action="store_false", help=SANDBOX_HELP),
            arg(
                "--plain",
                action="store_const",
                const=True,
                help="plain progress lines, no live bar",
            ),
            arg(
                "--similarity",
                type=float,
                metavar="THRESHOLD",
                help="also list similar pairs",
                cli_only=True,
            ),
            arg(
                "--accept-failures",
                action="store_true",
                help="score runs that all failed the same way as the students' work (exit 0)",
            ),
            arg("--mode", choices=["execute", "saved"], help="grading mode for every question"),
            arg(
                "--audit",
                type=float,
                metavar="FRACTION",
                help="saved mode, re-executing this fraction of submissions (e.g. 0.1)",
            ),
            arg("--seed", type=int, help="seed of the audit sample"),
            arg("--times", type=Path, help="CSV of upload times (Moodle grading worksheet)"),
            arg(
                "--trust-file-times",
                action="store_true",
                help="apply late penalties from file times",
            ),
        ),
        after=printing.after_batch,
        internal=("workdir",),
    ),
    Command(
        "export",
        "خروجی نمره‌ها: CSV سامانه، Gradescope، JSON",
        "export grades: LMS CSV, Gradescope results.json, JSON dump",
        "graders.commands.export:main",
        (
            arg("fmt", choices=["csv", "gradescope", "json"]),
            arg("assignment"),
            arg("--out", type=Path),
            GRADEBOOK,
            REPORTS,
            arg("--roster", type=Path, help="CSV roster: absent students get a row (csv)"),
        ),
        after=lambda out, args: print(out),
    ),
    Command(
        "similarity",
        "شباهت کد نوت‌بوک‌ها (برای بررسی دستیار، نه جریمه)",
        "code similarity between notebooks (for a TA to judge, never a penalty)",
        "graders.commands.similarity:main",
        (
            arg("assignment"),
            arg("path", type=Path),
            arg("--threshold", type=float),
            arg(
                "--starter",
                type=Path,
                nargs="*",
                help="starter code (default: assignments/<id>/starter/)",
            ),
            arg("--out", type=Path),
            arg(
                "--reports",
                type=Path,
                help="pairs go to <reports>/<id>/similarity.json (default reports/)",
            ),
        ),
        after=lambda data, args: printing.print_pairs(data),
    ),
)
