"""The dlgrade pytest plugin (entry point `pytest11: dlgrade`): students check their own work.

    pytest --submission my_notebook.ipynb --assignment hw5-rnn
    pytest                       # in a folder with a dlgrade.toml naming the assignment

Each public check of the assignment becomes one test item (`hw5-rnn::Q6::B::log-scale`). The
notebook runs once, on this machine, without the sandbox; `--no-execute` grades what is saved
in it and skips the checks that need a run. The closing summary counts public points only.

Installed for every pytest run of the environment, so this module stays light: nothing of
dlgrade is imported until a submission is actually collected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TARGET = pytest.StashKey[object]()  # (anchor path, Target) for --submission
ENV_FLAGS = pytest.StashKey[dict]()  # submission key -> imports the grading environment lacks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dlgrade", "dlgrade self-check / بررسی پیش از تحویل")
    group.addoption(
        "--submission",
        metavar="PATH",
        help="your notebook, submission folder or zip / نوت‌بوک، پوشه یا فایل zip شما",
    )
    group.addoption(
        "--assignment",
        metavar="ID",
        help="assignment id, e.g. hw5-rnn (or `assignment` in dlgrade.toml) / شناسهٔ تمرین",
    )
    group.addoption(
        "--answers",
        metavar="PATH",
        help="theory answer sheet (default: the assignment's, e.g. answers.yaml, beside the notebook)",
    )
    group.addoption(
        "--grading-env",
        metavar="PATH",
        help="a built kernel environment (virtualenv or site-packages): show its versions"
        " / محیط نمره‌دهی ساخته‌شده برای نمایش نسخه‌ها",
    )
    group.addoption(
        "--no-execute",
        action="store_true",
        help="do not run the notebook: grade its saved outputs, skip checks that need a run",
    )


def _path_option(config: pytest.Config, name: str) -> Path | None:
    value = config.getoption(name)
    return Path(value).expanduser().resolve() if value else None


def pytest_configure(config: pytest.Config) -> None:
    submission = _path_option(config, "submission")
    if submission is None:
        return
    from graders.errors import SelfCheckError
    from graders.selfcheck.target import from_options

    try:
        target = from_options(
            submission,
            assignment=config.getoption("assignment"),
            answers=_path_option(config, "answers"),
            execute=not config.getoption("no_execute"),
        )
    except SelfCheckError as exc:
        raise pytest.UsageError(exc.bilingual()) from exc
    config.stash[TARGET] = (submission, target)
    # Collect the submission itself: alone when no paths were given, else besides them.
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args[:] = [str(submission)]
    elif not any(submission.is_relative_to(Path(a.split("::")[0]).resolve()) for a in config.args):
        config.args.append(str(submission))


def pytest_unconfigure(config: pytest.Config) -> None:
    from graders.selfcheck.nodes import SCRATCH

    if SCRATCH in config.stash:
        config.stash[SCRATCH].cleanup()


def _anchored(config: pytest.Config, path: Path):
    anchor = config.stash.get(TARGET, None)
    if anchor is not None and path.resolve() == anchor[0]:
        return anchor[1]
    return None


def pytest_collect_directory(path: Path, parent: pytest.Collector):
    target = _anchored(parent.config, path)
    if target is None:
        return None
    from graders.selfcheck.nodes import SubmissionDir

    return SubmissionDir.from_parent(parent, path=path, target=target)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    config = parent.config
    target = _anchored(config, file_path)
    from_file = file_path.name == "dlgrade.toml" and TARGET not in config.stash
    if target is None and not from_file:
        return None
    from graders.selfcheck.nodes import SubmissionFile

    # A dlgrade.toml is read when its node collects: a bad file is that node's error.
    return SubmissionFile.from_parent(parent, path=file_path, target=target)


def pytest_report_header(config: pytest.Config) -> list[str]:
    active = TARGET in config.stash or any(
        (Path(a.split("::")[0]) / "dlgrade.toml").is_file() for a in config.args
    )
    if not active:
        return []
    if config.getoption("no_execute"):
        return [
            "dlgrade: --no-execute: the notebook is not run; checks that need a run are skipped"
            " / نوت‌بوک اجرا نمی‌شود و بررسی‌هایی که به اجرا نیاز دارند رد می‌شوند"
        ]
    return [
        "dlgrade: your notebook runs once, on this machine, WITHOUT the sandbox the TA's grading uses"
        " / نوت‌بوک شما یک بار، روی همین رایانه و بدون سندباکس اجرا می‌شود"
    ]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before any check runs: the grading environment, and the imports it lacks."""
    from graders.selfcheck.nodes import SELFCHECKS

    checks = session.config.stash.get(SELFCHECKS, [])
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not checks or reporter is None:
        return
    from graders.selfcheck.environment import TITLE, selfcheck_environment

    grading_env = _path_option(session.config, "grading_env")
    for sc in checks:
        lines, flags = selfcheck_environment(sc, grading_env)
        session.config.stash.setdefault(ENV_FLAGS, {})[sc.submission.key] = flags
        reporter.write_sep("-", f"{TITLE}: {sc.spec.id}")
        for line in lines:
            reporter.write_line(line)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    from graders.selfcheck.nodes import SELFCHECKS

    checks = config.stash.get(SELFCHECKS, [])
    if not checks:
        return
    from graders.selfcheck.summary import summary_lines

    for sc in checks:
        terminalreporter.write_sep("=", f"dlgrade self-check: {sc.spec.id} / خودآزمایی")
        for line in summary_lines(sc):
            terminalreporter.write_line(line)
        for flag in config.stash.get(ENV_FLAGS, {}).get(sc.submission.key, []):
            terminalreporter.write_line(f"محیط نمره‌دهی / environment: {flag}")
