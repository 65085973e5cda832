"""A batch whose submissions all fail the same way: the grading setup, not the class.

When at least `MIN_RUNS` submissions of one batch run, and all or nearly all of them
(`SHARE`) end with the same outcome and the same error (all `kernel-died`, all `cell-error`
with the same `ModuleNotFoundError`, all `sandbox-unavailable`), the cause is almost always the
grader's environment or the spec. `shared_failure` finds that group; the batch marks its runs
`grader-problem` for a TA instead of counting them as the students' work, and warns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MIN_RUNS = 3
SHARE = 0.8
GRADER_PROBLEM = "grader-problem"
_CELL = re.compile(r"failed in code cell \d+ \(cell \d+ of the notebook\) with ")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PATH = re.compile(r"(?:/[^\s'\"/]+)+/?")

# (outcome or exception name) -> likely cause (Persian, English)
_CAUSES: dict[str, tuple[str, str]] = {
    "ModuleNotFoundError": (
        "بسته‌ای که نوت‌بوک‌ها import می‌کنند در محیط نمره‌دهی نصب نیست.",
        "a package the notebooks import is not installed in the grading environment.",
    ),
    "ImportError": (
        "بسته‌ای در محیط نمره‌دهی نیست یا نسخهٔ آن با نوت‌بوک‌ها نمی‌خواند.",
        "a package is missing from the grading environment, or its version does not match.",
    ),
    "environment-missing": (
        "نوت‌بوک‌ها ماژولی را import می‌کنند که محیط اجرای نوت‌بوک ندارد: آن را به `environment:` "
        "تمرین بیفزایید، `dlgrade env build` و سپس `dlgrade batch --regrade-blocked` را اجرا کنید.",
        "the notebooks import a module the kernel environment lacks: add it to the assignment's "
        "`environment:`, run `dlgrade env build`, then `dlgrade batch --regrade-blocked`.",
    ),
    "FileNotFoundError": (
        "فایل داده‌ای که نوت‌بوک‌ها می‌خوانند در محیط نمره‌دهی نیست (بخش data مشخصات تمرین).",
        "a data file the notebooks read is not mounted (the spec's `data:` section).",
    ),
    "kernel-died": (
        "هستهٔ پایتون بالا نیامد یا کشته شد: ipykernel در محیط نمره‌دهی، حد حافظه یا sandbox.",
        "the kernel could not start or was killed: ipykernel in the grading environment, "
        "the memory limit, or the sandbox.",
    ),
    "sandbox-unavailable": (
        "sandbox (bubblewrap) روی این ماشین اجرا نمی‌شود.",
        "the sandbox (bubblewrap) cannot run on this machine.",
    ),
    "timeout": (
        "حدهای زمانی مشخصات برای این ماشین کم است یا ماشین بیش از حد پربار است.",
        "the spec's time limits are too low for this machine, or it is overloaded.",
    ),
    "memory": (
        "حد حافظهٔ مشخصات برای این تمرین کم است.",
        "the spec's memory limit is too low for this assignment.",
    ),
    "no-notebook": (
        "الگوی نام نوت‌بوک در مشخصات (notebook.glob) با ارسال‌ها نمی‌خواند.",
        "the spec's notebook pattern (notebook.glob) does not match the submissions.",
    ),
}
_DEFAULT_CAUSE = (
    "احتمالاً محیط نمره‌دهی، مشخصات تمرین یا مقادیر مرجع مشکل دارد، نه کار دانشجویان.",
    "most likely the grading environment, the spec or the golden values, not the students' work.",
)


@dataclass(frozen=True)
class SharedFailure:
    outcome: str
    error: str  # the shared error, numbers and paths masked
    keys: tuple[str, ...]
    runs: int  # submissions run in this batch
    example: str = ""  # the error as the first of them saw it (unmasked)

    def cause(self) -> tuple[str, str]:
        if self.outcome == "environment-missing":  # the run already knows: say what to do
            return _CAUSES[self.outcome]
        name = self.error.split(":", 1)[0].strip()
        return _CAUSES.get(name) or _CAUSES.get(self.outcome) or _DEFAULT_CAUSE

    def warning(self, accepted: bool = False) -> tuple[str, str]:
        """The batch's warning, in Persian and English."""
        cause_fa, cause_en = self.cause()
        n, of = len(self.keys), self.runs
        error = self.example or self.error
        then_fa = (
            "با ‎--accept-failures‎ این نتیجه‌ها نمرهٔ دانشجو ثبت شدند."
            if accepted
            else "این اجراها به‌جای نمرهٔ دانشجو «grader-problem» علامت خوردند تا دستیار بررسی کند؛ "
            "پس از رفع مشکل دوباره اجرا کنید (یا ‎--accept-failures‎ اگر خطا واقعاً از دانشجویان است)."
        )
        then_en = (
            "--accept-failures: these results were recorded as the students' grades."
            if accepted
            else f"these runs are marked {GRADER_PROBLEM} for a TA instead of scored as the "
            "students' work; fix the setup and run again (or pass --accept-failures if the "
            "students really did fail this way)."
        )
        return (
            f"هشدار: {n} ارسال از {of} با یک خطای یکسان تمام شدند ({self.outcome}: {error}). "
            f"علت احتمالی: {cause_fa} {then_fa}",
            f"WARNING: {n} of {of} submissions ended the same way ({self.outcome}: {error}). "
            f"Likely cause: {cause_en} {then_en}",
        )


def error_text(outcome: str, run_message: str) -> str:
    """The error of a run message, without the cell it happened in."""
    text = _CELL.sub("failed with ", run_message.strip().splitlines()[0] if run_message else "")
    text = text.split("failed with ", 1)[-1] if "failed with " in text else text
    return text.removeprefix(f"the notebook run ended with {outcome}: ")[:300]


def failure_signature(outcome: str, run_message: str) -> tuple[str, str] | None:
    """(outcome, error) of a failed run, with what differs between students masked (the cell
    number, numbers, paths); None for a run that ended `ok`."""
    if outcome == "ok":
        return None
    text = error_text(outcome, run_message)
    return outcome, _NUMBER.sub("#", _PATH.sub("<path>", text))


def shared_failure(runs: dict[str, tuple[str, str]]) -> SharedFailure | None:
    """`runs`: submission key -> (outcome, run message) of every run of this batch."""
    if len(runs) < MIN_RUNS:
        return None
    signatures = {k: failure_signature(o, m) for k, (o, m) in runs.items()}
    counts = Counter(s for s in signatures.values() if s is not None)
    if not counts:
        return None
    (outcome, error), n = counts.most_common(1)[0]
    if n < MIN_RUNS or n < SHARE * len(runs):
        return None
    keys = tuple(sorted(k for k, s in signatures.items() if s == (outcome, error)))
    example = error_text(outcome, runs[keys[0]][1])
    return SharedFailure(outcome, error, keys, len(runs), example)
