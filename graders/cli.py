"""The `dlgrade` command: one table (`COMMANDS`, in `graders.commands.table`) made into argparse.

Each row of the table names a command, its help (Persian and English), the function that does
the work (`graders.commands.<verb>:main`, keyword-only) and its arguments. An argument's `dest`
is the keyword it fills, and its default is *read from that function's keyword defaults*
(`fn.__kwdefaults__`, as Otter's CLI does): the CLI sets no default of its own, so the two
cannot split (`tests/test_cli_table.py` checks it). Command modules are imported only when
their command runs (`dlgrade validate` does not import torch): `CommandParser` fills a
command's defaults when it first parses.

Every user-facing error (`DlgradeError`) is printed in Persian and English, with exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graders import __version__
from graders.errors import DlgradeError

DESCRIPTION = """\
dlgrade — سامانهٔ نمره‌دهی خودکار و گزارش بازخورد فارسی برای درس یادگیری عمیق
dlgrade — automated grading and Persian feedback reports for a deep-learning course
"""


@dataclass(frozen=True)
class Arg:
    """One argparse argument: `flags` and argparse's own keywords (`type`, `choices`, `action`,
    `dest`...). Its dest is a keyword of the command's function, whose default it takes (it
    may set none of its own), unless `cli_only`: then it is for the command's `after` step."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    cli_only: bool = False

    @property
    def dest(self) -> str:
        if "dest" in self.options:
            return self.options["dest"]
        name = next((f for f in self.flags if f.startswith("--")), self.flags[0])
        return name.lstrip("-").replace("-", "_")

    @property
    def positional(self) -> bool:
        return not self.flags[0].startswith("-")


def arg(*flags: str, cli_only: bool = False, **options: Any) -> Arg:
    if "default" in options and not cli_only:
        raise TypeError(f"{flags}: the default comes from the command's function, not the CLI")
    return Arg(flags, options, cli_only)


@dataclass(frozen=True)
class Command:
    """A row of the table: `target` is `module:function` (keyword-only parameters), or None for
    a command that only groups `actions` (`score set|show`). `after(result, args)` prints what
    the function returned and gives the exit status (None: 0). `internal`: keywords of the
    function the CLI leaves at their defaults. `description`: shown by `dlgrade NAME --help`."""

    name: str
    help_fa: str
    help_en: str
    target: str | None = None
    args: tuple[Arg, ...] = ()
    actions: tuple[Command, ...] = ()
    after: Callable[[Any, argparse.Namespace], int | None] | None = None
    internal: tuple[str, ...] = ()
    description: bool = True

    @property
    def help(self) -> str:
        return f"{self.help_en} / {self.help_fa}"

    def function(self) -> Callable[..., Any]:
        """The function, looked up when called (so a test's monkeypatch of it is seen)."""
        assert self.target is not None, self.name
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)


class CommandParser(argparse.ArgumentParser):
    """A command's parser: before it first parses, every argument whose dest is a keyword of
    the command's function takes that keyword's default."""

    command: Command | None = None
    _filled = False

    def fill_defaults(self) -> None:
        if self._filled or self.command is None or self.command.target is None:
            return
        self._filled = True
        defaults = self.command.function().__kwdefaults__ or {}
        for action in self._actions:
            if action.dest in defaults:
                action.default = defaults[action.dest]

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.fill_defaults()
        return super().parse_known_args(args, namespace)


def _add(sub: Any, command: Command) -> None:
    extra = {"description": command.help} if command.description else {}
    parser: CommandParser = sub.add_parser(command.name, help=command.help, **extra)
    parser.command = command
    for a in command.args:
        parser.add_argument(*a.flags, **a.options)
    if command.actions:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=CommandParser
        )
        for action in command.actions:
            _add(actions, action)


def build_parser(commands: Sequence[Command] | None = None) -> argparse.ArgumentParser:
    from graders.commands.table import COMMANDS

    parser = argparse.ArgumentParser(
        prog="dlgrade",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dlgrade {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=CommandParser
    )
    for command in commands if commands is not None else COMMANDS:
        _add(sub, command)
    return parser


def find(name: str, action: str | None = None) -> Command:
    """The row of `dlgrade NAME [ACTION]`."""
    from graders.commands.table import COMMANDS

    command = next(c for c in COMMANDS if c.name == name)
    return next(a for a in command.actions if a.name == action) if action else command


def keywords(command: Command, args: argparse.Namespace) -> dict[str, Any]:
    """The function's keywords from the parsed arguments (the CLI-only ones left out)."""
    return {a.dest: getattr(args, a.dest) for a in command.args if not a.cli_only}


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = find(args.command, getattr(args, "action", None))
    result = command.function()(**keywords(command, args))
    status = command.after(result, args) if command.after else None
    return status or 0


def main(argv: list[str] | None = None) -> None:
    try:
        sys.exit(run(argv))
    except DlgradeError as exc:
        print(exc.bilingual(), file=sys.stderr)
        sys.exit(2)
