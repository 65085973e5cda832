"""Typed errors of dlgrade, each subclassing a built-in and carrying a bilingual message."""

from __future__ import annotations


class DlgradeError(Exception):
    """Base class: every error a user may see has a Persian and an English message."""

    def __init__(self, message_en: str, message_fa: str = "") -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fa = message_fa or message_en

    def bilingual(self) -> str:
        return f"{self.message_fa}\n{self.message_en}"


class SpecError(DlgradeError, ValueError):
    """An assignment spec is malformed: names the file, the field path and the problem."""

    @classmethod
    def at(cls, path: str, field: str, problem: str) -> SpecError:
        return cls(
            f"{path}: field '{field}': {problem}",
            f"خطا در فایل مشخصات تمرین {path}، فیلد «{field}»: {problem}",
        )


class UnknownAssignmentError(DlgradeError, LookupError):
    """No assignment with this id exists under assignments/."""


class SubmissionError(DlgradeError, ValueError):
    """A submission cannot be read: no notebook, a broken file, a bad archive."""


class GoldenMissingError(DlgradeError, FileNotFoundError):
    """The golden reference values have not been built for this assignment."""


class ReferencesNotInstalled(DlgradeError, ImportError):
    """The reference solutions are not installed (the student wheel): no golden build, no demo
    without committed golden files."""


class MissingEntry(DlgradeError, LookupError):
    """The gradebook has no such submission or run."""


class SelfCheckError(DlgradeError, ValueError):
    """The student self-check cannot start: no assignment named, a bad `dlgrade.toml`."""
