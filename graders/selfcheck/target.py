"""What a self-check grades: the assignment and the submission, from options or `dlgrade.toml`.

`dlgrade.toml`, beside the student's notebook:

    assignment = "hw5-rnn"
    notebook = "hw5_q6.ipynb"    # optional: else the submission is the whole folder
    answers = "answers.yaml"     # optional: else the assignment's answer sheet in the folder

Command-line options win over the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from graders.errors import SelfCheckError

CONFIG_FILE = "dlgrade.toml"
_KEYS = {"assignment", "notebook", "answers"}


@dataclass(frozen=True)
class Target:
    assignment: str
    submission: Path  # a notebook, a submission folder or a zip
    answers: Path | None = None
    execute: bool = True


def _existing(path: Path | None, option: str) -> Path | None:
    if path is not None and not path.is_file():
        raise SelfCheckError(
            f"{option} {path}: no such file", f"فایل {path} (گزینهٔ {option}) پیدا نشد."
        )
    return path


def read_config(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SelfCheckError(
            f"{path}: not valid TOML: {exc}", f"فایل {path} قالب TOML معتبری ندارد: {exc}"
        ) from exc
    unknown = sorted(set(data) - _KEYS)
    bad = sorted(k for k in set(data) & _KEYS if not isinstance(data[k], str))
    if unknown or bad:
        what = unknown or bad
        raise SelfCheckError(
            f"{path}: unknown or non-text key(s) {what}; allowed: assignment, notebook, answers",
            f"فایل {path}: کلیدهای {what} نامعتبرند؛ کلیدهای مجاز: assignment، notebook، answers",
        )
    return data


def from_config(
    path: Path, *, assignment: str | None, answers: Path | None, execute: bool
) -> Target:
    """The target of a `dlgrade.toml` (options given on the command line win)."""
    data = read_config(path)
    folder = path.parent
    name = assignment or data.get("assignment")
    if not name:
        raise SelfCheckError(
            f'{path}: name the assignment, e.g. assignment = "hw5-rnn"',
            f'در فایل {path} شناسهٔ تمرین را بنویسید، مثلاً assignment = "hw5-rnn"',
        )
    submission = folder / data["notebook"] if data.get("notebook") else folder
    if not submission.exists():
        raise SelfCheckError(
            f"{path}: notebook {submission.name} not found",
            f"{path}: نوت‌بوک {submission.name} پیدا نشد.",
        )
    sheet = _existing(answers, "--answers") or _existing(
        folder / data["answers"] if data.get("answers") else None, f"{path}: answers ="
    )
    return Target(name, submission, sheet, execute)


def from_options(
    submission: Path, *, assignment: str | None, answers: Path | None, execute: bool
) -> Target:
    """The target of `--submission` (with `--assignment`, or a `dlgrade.toml` beside it).

    The submission is a notebook, a folder or a zip; an answer sheet (`.yaml`) alone stands for
    its folder, for assignments with theory questions only.
    """
    if not submission.exists():
        raise SelfCheckError(
            f"--submission {submission}: no such file or folder",
            f"فایل یا پوشهٔ {submission} (گزینهٔ ‎--submission) پیدا نشد.",
        )
    folder = submission if submission.is_dir() else submission.parent
    config = folder / CONFIG_FILE
    if assignment is None and config.is_file():
        assignment = read_config(config).get("assignment")
    if not assignment:
        raise SelfCheckError(
            "name the assignment: --assignment ID (e.g. hw5-rnn), or a dlgrade.toml beside the notebook",
            "شناسهٔ تمرین را بدهید: ‎--assignment hw5-rnn یا فایل dlgrade.toml کنار نوت‌بوک.",
        )
    if submission.suffix.lower() in {".yaml", ".yml"}:
        submission, answers = submission.parent, answers or submission
    return Target(assignment, submission, _existing(answers, "--answers"), execute)
