"""What the CLI prints after a command returns: the `after=` hooks of `graders/commands/table.py`
(`(result, args) -> exit status`), kept apart from the table itself."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def print_pairs(data: dict) -> None:
    print(f"{data['note_fa']}\n{data['note_en']}")
    for p in data["pairs"]:
        print(f"{p['similarity']:.2f}  {p['a']}  {p['b']}")
    print(
        f"{len(data['pairs'])} pair(s) >= {data['threshold']} of {len(data['compared'])} notebooks"
    )


def after_env_build(reports: Any, args: argparse.Namespace) -> int:
    from graders.commands.env import print_built

    return print_built(reports, args)


def after_env_show(lines: list[str], args: argparse.Namespace) -> int:
    from graders.commands.env import print_lines

    return print_lines(lines, args)


def after_validate(problems: list[str], args: argparse.Namespace) -> int:
    for line in problems:
        print(line, file=sys.stderr)
    print(
        "همهٔ مشخصات معتبرند / all specs are valid"
        if not problems
        else f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


def after_answer_sheet(text: str, args: argparse.Namespace) -> None:
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(args.out)


def after_batch(summary: Any, args: argparse.Namespace) -> int:
    from graders.batch.summary_text import print_summary
    from graders.commands import similarity

    print_summary(summary)
    if args.similarity is not None:
        print_pairs(
            similarity.main(
                assignment=args.assignment,
                path=args.path,
                threshold=args.similarity,
                reports=args.reports,
            )
        )
    return 1 if summary.failed or summary.grader_problem else 0
