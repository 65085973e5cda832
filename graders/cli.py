"""The `dlgrade` command: a thin argparse layer over `graders.commands.*.main`.

Every user-facing error is printed in Persian and English, with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders import __version__
from graders.errors import DlgradeError

DESCRIPTION = """\
dlgrade — سامانهٔ نمره‌دهی خودکار و گزارش بازخورد فارسی برای درس یادگیری عمیق
dlgrade — automated grading and Persian feedback reports for a deep-learning course
"""

COMMANDS = {
    "grade": (
        "نمره‌دهی ارسال‌ها و ساخت گزارش PDF",
        "grade submissions, record them, render PDF reports",
    ),
    "reference": (
        "ساخت مقادیر مرجع (golden) از راه‌حل مرجع",
        "build golden reference values from a reference solution",
    ),
    "report": ("ساخت گزارش‌های PDF از دفتر نمره", "render PDF reports from the gradebook"),
    "validate": ("بررسی درستی مشخصات تمرین‌ها", "check assignment specs and their references"),
    "demo": ("نمره‌دهی نمونه‌ارسال‌های hw5-rnn", "grade the bundled hw5-rnn example submissions"),
    "answer-sheet": (
        "ساخت قالب پاسخ‌نامهٔ پرسش‌های تئوری",
        "write the answer-sheet template of the theory questions",
    ),
    "score": (
        "ثبت نمرهٔ دستیار برای پاسخ‌های تشریحی و موارد بررسی",
        "record a TA's points for free-text and review items",
    ),
    "batch": (
        "نمره‌دهی همهٔ ارسال‌های کلاس (موازی، قابل ادامه)",
        "grade a whole class from an LMS export (parallel, resumable)",
    ),
    "export": (
        "خروجی نمره‌ها: CSV سامانه، Gradescope، JSON",
        "export grades: LMS CSV, Gradescope results.json, JSON dump",
    ),
    "similarity": (
        "شباهت کد نوت‌بوک‌ها (برای بررسی دستیار، نه جریمه)",
        "code similarity between notebooks (for a TA to judge, never a penalty)",
    ),
    "review": ("برنامهٔ وب بازبینی دستیاران آموزشی", "the TA review web app"),
    "ta": ("حساب‌های دستیاران آموزشی", "TA accounts of the review app"),
    "env": ("محیط اجرای نوت‌بوک دانشجو: ساخت و نمایش", "the kernel environment notebooks run in"),
}


def _help(name: str) -> str:
    fa, en = COMMANDS[name]
    return f"{en} / {fa}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlgrade",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dlgrade {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser("grade", help=_help("grade"), description=_help("grade"))
    g.add_argument("assignment", help="assignment id, e.g. hw5-rnn / شناسهٔ تمرین")
    g.add_argument("submissions", nargs="+", type=Path, help="folders, zips or notebooks / ارسال‌ها")
    g.add_argument(
        "--gradebook", help="SQLite path or SQLAlchemy URL (default reports/gradebook.db)"
    )
    g.add_argument("--reports", type=Path, help="output folder for PDFs (default reports/)")
    g.add_argument("--no-report", action="store_true", help="do not render PDFs")
    g.add_argument(
        "--json", action="store_true", help="print results as JSON (schema dlgrade.results/1)"
    )
    g.add_argument("--profile", choices=["smoke", "full"], default="smoke")
    g.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run notebooks without bubblewrap: only for your own notebook on your own machine"
        " / اجرای بدون محیط ایزوله، فقط برای نوت‌بوک خودتان",
    )
    g.add_argument(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="cuda passes /dev/nvidia* into the sandbox and sets CUDA_VISIBLE_DEVICES",
    )
    g.add_argument("--mode", choices=["execute", "saved", "audit"],
                   help="saved: no kernel, facts from saved outputs and code; audit: run and compare")

    r = sub.add_parser("reference", help=_help("reference"), description=_help("reference"))
    rsub = r.add_subparsers(dest="action", required=True, metavar="ACTION")
    rb = rsub.add_parser("build", help="build golden files / ساخت فایل‌های مرجع")
    rb.add_argument("assignment")
    rb.add_argument("--profile", choices=["smoke", "full"], default="smoke")
    rb.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    rb.add_argument(
        "--out", type=Path, help="folder for golden files (default reference_solutions/<id>/golden)"
    )
    rb.add_argument(
        "--only",
        action="append",
        metavar="MODULE",
        help="build only this reference module, e.g. q1_peft (repeatable) / فقط این ماژول",
    )

    rp = sub.add_parser("report", help=_help("report"), description=_help("report"))
    rp.add_argument("assignment")
    rp.add_argument("keys", nargs="*", help="submission keys (default: all graded)")
    rp.add_argument("--gradebook")
    rp.add_argument("--out", type=Path, help="output folder (default reports/<id>/)")
    rp.add_argument("--jobs", type=int, help="parallel processes (default: CPUs) / تعداد پردازه")
    rp.add_argument(
        "--similarity", type=Path, help="JSON list of similarity pairs (default <out>/similarity.json)"
    )
    rp.add_argument("--no-summary", action="store_true", help="skip the class summary PDF")

    v = sub.add_parser("validate", help=_help("validate"), description=_help("validate"))
    v.add_argument("assignments", nargs="*", help="assignment ids (default: all)")

    d = sub.add_parser("demo", help=_help("demo"), description=_help("demo"))
    d.add_argument("--reports", type=Path)
    d.add_argument("--json", action="store_true")

    a = sub.add_parser(
        "answer-sheet", help=_help("answer-sheet"), description=_help("answer-sheet")
    )
    a.add_argument("assignment")
    a.add_argument("--format", choices=["yaml", "md"], default="yaml", dest="fmt")
    a.add_argument("--out", type=Path, help="write here instead of printing / مسیر خروجی")

    s = sub.add_parser("score", help=_help("score"), description=_help("score"))
    ssub = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    ss = ssub.add_parser("set", help="record points for an item / ثبت نمره")
    ss.add_argument("assignment")
    ss.add_argument("submission")
    ss.add_argument("item", help="a part (Q2.b) or a check (Q2.c.h)")
    ss.add_argument("points", type=float)
    ss.add_argument("--comment", default="", help="shown to the student / برای دانشجو")
    ss.add_argument("--grader", help="TA name (default: the login name)")
    ss.add_argument("--gradebook")
    sh = ssub.add_parser("show", help="show review items and TA scores / نمایش موارد بررسی")
    sh.add_argument("assignment")
    sh.add_argument("submission")
    sh.add_argument("--gradebook")

    rv = sub.add_parser("review", help=_help("review"), description=_help("review"))
    rv.add_argument("assignment")
    rv.add_argument("--host", default="127.0.0.1")
    rv.add_argument("--port", type=int, default=8765)
    rv.add_argument("--gradebook", help="SQLite path or SQLAlchemy URL / دفتر نمره")
    ta = sub.add_parser("ta", help=_help("ta"), description=_help("ta"))
    tasub = ta.add_subparsers(dest="action", required=True, metavar="ACTION")
    tadd = tasub.add_parser("add", help="add an account or reset its password / افزودن حساب")
    tadd.add_argument("name")
    tadd.add_argument("--role", choices=["ta", "instructor"], default="ta")
    tadd.add_argument("--gradebook")
    tadd.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    b = sub.add_parser("batch", help=_help("batch"), description=_help("batch"))
    b.add_argument("assignment")
    b.add_argument("path", type=Path, help="LMS export: folder or zip / خروجی سامانه")
    b.add_argument("--jobs", type=int, default=1, help="worker processes (local executor)")
    b.add_argument("--executor", choices=["local", "dask"], default="local")
    b.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.1:8786")
    b.add_argument("--regrade", action="store_true", help="grade again even if unchanged")
    b.add_argument("--roster", type=Path, help="CSV: student number, name, email")
    b.add_argument("--gradebook", help="SQLite path or SQLAlchemy URL")
    b.add_argument("--reports", type=Path)
    b.add_argument("--no-report", action="store_true", help="do not render PDFs")
    b.add_argument("--profile", choices=["smoke", "full"], default="smoke")
    b.add_argument("--gpus", help="GPU ids for the local workers, e.g. 0,1 (default: detected)")
    b.add_argument(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="cuda: each worker's notebooks see its GPU (--gpus) inside the sandbox",
    )
    b.add_argument("--no-sandbox", action="store_true", help="run notebooks without bubblewrap")
    b.add_argument("--plain", action="store_true", help="plain progress lines, no live bar")
    b.add_argument("--similarity", type=float, metavar="THRESHOLD", help="also list similar pairs")
    b.add_argument(
        "--accept-failures",
        action="store_true",
        help="score runs that all failed the same way as the students' work (exit 0)",
    )
    b.add_argument("--mode", choices=["execute", "saved"], help="grading mode for every question")
    b.add_argument("--audit", type=float, default=0.0, metavar="FRACTION",
                   help="saved mode, re-executing this fraction of submissions (e.g. 0.1)")
    b.add_argument("--seed", type=int, default=0, help="seed of the audit sample")
    b.add_argument("--times", type=Path, help="CSV of upload times (Moodle grading worksheet)")
    b.add_argument(
        "--trust-file-times", action="store_true", help="apply late penalties from file times"
    )

    e = sub.add_parser("export", help=_help("export"), description=_help("export"))
    e.add_argument("format", choices=["csv", "gradescope", "json"])
    e.add_argument("assignment")
    e.add_argument("--out", type=Path)
    e.add_argument("--gradebook")
    e.add_argument("--roster", type=Path, help="CSV roster: absent students get a row (csv)")

    si = sub.add_parser("similarity", help=_help("similarity"), description=_help("similarity"))
    si.add_argument("assignment")
    si.add_argument("path", type=Path)
    si.add_argument("--threshold", type=float, default=0.5)
    si.add_argument(
        "--starter", type=Path, nargs="*", help="starter code (default: assignments/<id>/starter/)"
    )
    si.add_argument("--out", type=Path)
    from graders.commands import env as env_command  # issue 17

    env_command.add_arguments(sub.add_parser("env", help=_help("env"), description=_help("env")))
    return parser


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        from graders.commands import grade

        grade.main(
            assignment=args.assignment,
            submissions=args.submissions,
            gradebook=args.gradebook,
            reports=args.reports,
            render=not args.no_report,
            as_json=args.json,
            profile=args.profile,
            sandbox=not args.no_sandbox,
            device=args.device,
            mode=args.mode,
        )
    elif args.command == "reference":
        from graders.commands import reference

        reference.build(
            assignment=args.assignment,
            profile=args.profile,
            device=args.device,
            out=args.out,
            only=args.only,
        )
    elif args.command == "report":
        from graders.commands import report

        report.main(
            assignment=args.assignment,
            gradebook=args.gradebook,
            out=args.out,
            keys=args.keys or None,
            jobs=args.jobs,
            similarity=args.similarity,
            summary=not args.no_summary,
        )
    elif args.command == "validate":
        from graders.commands import validate

        problems = validate.main(assignments=args.assignments or None)
        for line in problems:
            print(line, file=sys.stderr)
        print(
            "همهٔ مشخصات معتبرند / all specs are valid"
            if not problems
            else f"{len(problems)} problem(s)"
        )
        return 1 if problems else 0
    elif args.command == "answer-sheet":
        from graders.commands import answer_sheet

        text = answer_sheet.main(assignment=args.assignment, fmt=args.fmt, out=args.out)
        if args.out is None:
            sys.stdout.write(text)
        else:
            print(args.out)
    elif args.command == "score":
        from graders.commands import score

        if args.action == "set":
            score.set_score(
                assignment=args.assignment,
                submission=args.submission,
                item=args.item,
                points=args.points,
                comment=args.comment,
                grader=args.grader,
                gradebook=args.gradebook,
            )
        else:
            score.show(
                assignment=args.assignment, submission=args.submission, gradebook=args.gradebook
            )
    elif args.command in ("review", "ta"):
        from graders.commands import review

        if args.command == "ta":
            review.add_account(name=args.name, role=args.role, gradebook=args.gradebook,
                               password_stdin=args.password_stdin)
        else:
            review.serve(assignment=args.assignment, host=args.host, port=args.port,
                         gradebook=args.gradebook)
    elif args.command == "demo":
        from graders.commands import demo

        demo.main(reports=args.reports, as_json=args.json)
    elif args.command == "batch":
        return _batch(args)
    elif args.command == "export":
        from graders.commands import export

        out = export.main(
            assignment=args.assignment,
            fmt=args.format,
            out=args.out,
            gradebook=args.gradebook,
            roster=args.roster,
        )
        print(out)
    elif args.command == "similarity":
        from graders.commands import similarity

        data = similarity.main(
            assignment=args.assignment,
            path=args.path,
            threshold=args.threshold,
            starter=args.starter,
            out=args.out,
        )
        _print_pairs(data)
    elif args.command == "env":
        from graders.commands import env as env_command

        return env_command.run(args)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from graders.batch.summary_text import print_summary as print_batch_summary
    from graders.commands import batch

    summary = batch.main(
        assignment=args.assignment,
        path=args.path,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        regrade=args.regrade,
        roster=args.roster,
        gradebook=args.gradebook,
        reports=args.reports,
        render=not args.no_report,
        profile=args.profile,
        gpus=args.gpus.split(",") if args.gpus else None,
        plain=True if args.plain else None,
        accept_failures=args.accept_failures,
        device=args.device,
        sandbox=not args.no_sandbox,
        mode=args.mode,
        audit=args.audit,
        seed=args.seed,
        times=args.times,
        trust_file_times=args.trust_file_times,
    )
    print_batch_summary(summary)
    if args.similarity is not None:
        from graders.commands import similarity

        _print_pairs(
            similarity.main(assignment=args.assignment, path=args.path, threshold=args.similarity)
        )
    return 1 if summary.failed or summary.grader_problem else 0


def _print_pairs(data: dict) -> None:
    print(f"{data['note_fa']}\n{data['note_en']}")
    for p in data["pairs"]:
        print(f"{p['similarity']:.2f}  {p['a']}  {p['b']}")
    print(
        f"{len(data['pairs'])} pair(s) >= {data['threshold']} of {len(data['compared'])} notebooks"
    )


def main(argv: list[str] | None = None) -> None:
    try:
        sys.exit(run(argv))
    except DlgradeError as exc:
        print(exc.bilingual(), file=sys.stderr)
        sys.exit(2)
