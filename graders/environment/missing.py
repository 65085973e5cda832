"""An import the kernel environment cannot satisfy is not the student's fault (issue 17).

`missing_modules` reads the run's cell errors: a `ModuleNotFoundError` (or `ImportError`)
"No module named 'X...'" whose top-level module `X` the kernel environment does not have.
`reclassify` turns such a `cell-error` run into `environment-missing` (grader-set, never the
worker's word), and `hold_checks` sends every check that needed the run to a TA (status
`review`, no points awarded or withheld) with a bilingual message naming the modules. A module
that is a file the student forgot to hand in (`import utils`) looks the same from here; it is
held too, which is safer than a zero, and the message says so.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections.abc import Iterable

from graders.checks.result import CheckResult, Status
from graders.facts import CellError, RunFacts

NO_MODULE = re.compile(r"No module named '([^']+)'")
IMPORT_ERRORS = ("ModuleNotFoundError", "ImportError")


def _importable_here(top: str) -> bool:
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(errors: Iterable[CellError], available: frozenset[str] | None) -> list[str]:
    """Top-level modules named by the run's import errors that the environment lacks.

    `available`: the kernel environment's top-level modules (its manifest); None when the
    kernel is the grader's own Python (the self-check), which is then asked directly.
    """
    out: list[str] = []
    for err in errors:
        if err.ename not in IMPORT_ERRORS:
            continue
        match = NO_MODULE.search(err.evalue)
        if match is None:
            continue
        top = match.group(1).split(".")[0].strip()
        if not top.isidentifier() or top in out:
            continue
        has = top in available if available is not None else _importable_here(top)
        if not has:
            out.append(top)
    return out


def held_message(modules: list[str]) -> tuple[str, str]:
    """(Persian, English): the run was held for the TA because these modules were missing."""
    names = ", ".join(modules) or "?"
    return (
        f"محیط اجرای نمره‌دهی بستهٔ {names} را ندارد؛ این تقصیر دانشجو نیست و نمرهٔ صفر داده "
        "نشد: دستیار آموزشی بررسی می‌کند (بسته را به `environment:` تمرین بیفزایید و دوباره "
        "نمره دهید). اگر این نام، فایلی از خودِ ارسال است که جا مانده، دستیار آموزشی تصمیم می‌گیرد.",
        f"the grading environment lacks {names} (ModuleNotFoundError): not the student's fault, "
        "so nothing was scored "
        "as zero; held for the TA (add it to the assignment's `environment:` and regrade). If it "
        "is a file of the submission that was left out, the TA decides.",
    )


def reclassify(run: RunFacts, available: frozenset[str] | None) -> RunFacts:
    """`environment-missing` for a run that failed on an import the environment lacks."""
    if run.outcome == "environment-missing":  # only the grader says so
        run = run.model_copy(update={"outcome": "cell-error", "missing_modules": []})
    if run.outcome != "cell-error":
        return run
    missing = missing_modules(run.errors, available)
    if not missing:
        return run
    return run.model_copy(
        update={
            "outcome": "environment-missing",
            "missing_modules": missing,
            "message": f"the kernel environment lacks: {', '.join(missing)}",
        }
    )


def hold_checks(result: CheckResult, run: RunFacts | None) -> CheckResult:
    """A check that needed an `environment-missing` run goes to a TA, unscored."""
    if run is None or run.outcome != "environment-missing":
        return result
    fa, en = held_message(run.missing_modules)
    return dataclasses.replace(
        result,
        score=0.0,
        status=Status.REVIEW,
        message_fa=f"{fa} (این بررسی به‌تنهایی: {result.message_fa})",
        message_en=f"{en} (the check alone found: {result.message_en})",
        evidence={**result.evidence, "missing_modules": list(run.missing_modules)},
    )
