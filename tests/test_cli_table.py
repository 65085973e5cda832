"""The table-driven CLI: defaults come from the command functions, one gradebook for all commands.

The gradebook test grades the tiny assignment in saved mode (no kernel starts), so it takes
seconds: batch and grade with `--reports X`, then report, score and export with `--reports X`
all open `X/gradebook.db`.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path

import pytest
from batch_helpers import TINY, make_home, make_zip

from graders import cli
from graders.commands.table import COMMANDS
from graders.errors import ReferencesNotInstalled
from graders.paths import GRADEBOOK_ENV, gradebook_location, import_reference, reports_dir

ROOT = Path(__file__).resolve().parents[1]


def _rows() -> list[cli.Command]:
    rows = []
    for command in COMMANDS:
        rows += [command] if command.target else []
        rows += [a for a in command.actions if a.target]
    return rows


def _parser_of(command: cli.Command) -> cli.CommandParser:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, child in sub.choices.items():
        if name == command.name and child.command is command:
            return child
        actions = [a for a in child._actions if isinstance(a, argparse._SubParsersAction)]
        for inner in actions:
            if inner.choices.get(command.name) and inner.choices[command.name].command is command:
                return inner.choices[command.name]
    raise AssertionError(command.name)


@pytest.mark.parametrize("command", _rows(), ids=lambda c: c.target)
def test_every_option_default_is_the_functions_keyword_default(command: cli.Command) -> None:
    fn = command.function()
    params = {n: p for n, p in inspect.signature(fn).parameters.items() if p.kind == p.KEYWORD_ONLY}
    assert len(params) == len(inspect.signature(fn).parameters), "keyword-only, no *args"
    bound = {a.dest for a in command.args if not a.cli_only}
    assert bound | set(command.internal) == set(params), "each keyword: an option or internal"
    assert not bound & set(command.internal)
    parser = _parser_of(command)
    parser.fill_defaults()
    by_dest = {a.dest: a for a in parser._actions}
    for name in bound:
        action, param = by_dest[name], params[name]
        if param.default is inspect.Parameter.empty:  # required: a positional argument
            assert not action.option_strings and action.nargs in (None, "+"), name
            continue
        assert action.default == param.default, f"{command.target} --{name}"
        if isinstance(action, argparse._StoreTrueAction):
            assert param.default is False, name
        elif isinstance(action, argparse._StoreFalseAction):
            assert param.default is True, name
    for a in command.args:
        if a.cli_only:
            assert a.dest not in params, f"{a.dest} is a keyword of {command.target}"


def test_parsed_defaults_equal_the_functions_defaults() -> None:
    from graders.commands import batch, grade, similarity

    args = cli.build_parser().parse_args(["batch", "hw5-rnn", "x"])
    kw = batch.main.__kwdefaults__
    assert (args.jobs, args.executor, args.profile, args.device, args.audit, args.seed) == (
        kw["jobs"],
        kw["executor"],
        kw["profile"],
        kw["device"],
        kw["audit"],
        kw["seed"],
    )
    assert args.render is True and args.sandbox is True and args.plain is None
    args = cli.build_parser().parse_args(["grade", "hw5-rnn", "a", "--no-report", "--json"])
    assert (args.render, args.as_json, args.profile) == (
        False,
        True,
        grade.main.__kwdefaults__["profile"],
    )
    args = cli.build_parser().parse_args(["similarity", "hw5-rnn", "p"])
    assert args.threshold == similarity.main.__kwdefaults__["threshold"] == 0.5
    args = cli.build_parser().parse_args(["answer-sheet", "hw5-rnn"])
    assert args.fmt == "yaml"
    args = cli.build_parser().parse_args(["ta", "add", "sara"])
    assert args.role == "ta"


def test_a_default_in_the_table_is_refused() -> None:
    with pytest.raises(TypeError, match="default comes from the command's function"):
        cli.arg("--jobs", type=int, default=4)


def test_help_keeps_the_bilingual_texts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # no wrapping
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "grade a whole class from an LMS export (parallel, resumable) / نمره‌دهی همهٔ" in out
    for c in COMMANDS:
        assert re.search(rf"\n    {re.escape(c.name)}\s+{re.escape(c.help_en)} / ", out), c.name


def test_gradebook_location_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GRADEBOOK_ENV, raising=False)
    assert gradebook_location() == reports_dir() / "gradebook.db"
    assert gradebook_location(None, tmp_path) == tmp_path / "gradebook.db"
    monkeypatch.setenv(GRADEBOOK_ENV, "postgresql+psycopg://db/grades")
    assert gradebook_location(None, tmp_path) == "postgresql+psycopg://db/grades"
    assert gradebook_location(tmp_path / "mine.db", tmp_path) == tmp_path / "mine.db"


def test_batch_grade_then_report_score_export_use_one_gradebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = make_home(tmp_path / "home")
    (home / "templates").symlink_to(ROOT / "templates")  # the report's fonts and styles
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    monkeypatch.delenv(GRADEBOOK_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    export, out = tmp_path / "export", tmp_path / "X"
    make_zip(export, "HW5_Ahmadi_810199101")
    saved = ["--mode", "saved", "--no-report"]
    assert cli.run(["batch", TINY, str(export), "--reports", str(out), "--plain", *saved]) == 0
    single = make_zip(tmp_path / "single", "HW5_Karimi_810199105")
    assert cli.run(["grade", TINY, str(single), "--reports", str(out), *saved]) == 0
    assert (out / "gradebook.db").is_file()
    assert not (home / "reports" / "gradebook.db").exists()  # the default was not touched
    capsys.readouterr()

    assert cli.run(["export", "json", TINY, "--reports", str(out)]) == 0
    dump = json.loads((out / TINY / "gradebook.json").read_text(encoding="utf-8"))
    assert [s["key"] for s in dump["submissions"]] == [
        "HW5_Ahmadi_810199101",
        "HW5_Karimi_810199105",
    ]
    assert (
        cli.run(["score", "set", TINY, "HW5_Ahmadi_810199101", "Q2.a", "0", "--reports", str(out)])
        == 0
    )
    assert cli.run(["score", "show", TINY, "HW5_Ahmadi_810199101", "--reports", str(out)]) == 0
    assert "HW5_Ahmadi_810199101: " in capsys.readouterr().out
    assert (
        cli.run(["report", TINY, "HW5_Karimi_810199105", "--reports", str(out), "--no-summary"])
        == 0
    )
    assert (out / TINY / "HW5_Karimi_810199105.pdf").stat().st_size > 1000
    assert not (home / "reports" / "gradebook.db").exists()


def test_without_reference_solutions_a_bilingual_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # as in the student wheel: no reference_solutions package nor any of its modules (earlier
    # tests may have imported some of them into this process)
    for name in [m for m in sys.modules if m.split(".")[0] == "reference_solutions"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "reference_solutions", None)
    with pytest.raises(ReferencesNotInstalled) as err:
        import_reference("build")
    assert "راه‌حل‌های مرجع در این نصب نیستند" in err.value.message_fa
    assert "reference solutions are not part of this install" in err.value.message_en
    with pytest.raises(SystemExit) as exc:
        cli.main(["reference", "build", "hw5-rnn"])
    assert exc.value.code == 2
    assert "راه‌حل‌های مرجع در این نصب نیستند" in capsys.readouterr().err


def test_a_missing_dependency_of_the_references_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "reference_solutions.build", None)
    with pytest.raises(ReferencesNotInstalled):
        import_reference("build")
    monkeypatch.setitem(sys.modules, "no_such_dependency_of_refs", None)
    monkeypatch.setattr(
        "importlib.import_module",
        lambda name: __import__("no_such_dependency_of_refs"),
    )
    with pytest.raises(ModuleNotFoundError) as exc:
        import_reference("build")
    assert not isinstance(exc.value, ReferencesNotInstalled)
