"""Saved-mode variants that code alone can settle (static source): each passes when one list of
the static facts is not empty (bonus Q1's label masking, hw5-rnn Q6's log-scale gradient plot,
the captioning loss's ignore_index); when the code shows nothing, a TA decides."""

from __future__ import annotations

from typing import Any

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden
from graders.saved.sources import saved_variant
from graders.saved.sources import undecided as _undecided

T = "static"


def _code_shows(
    found: list[Any], key: str, passed: tuple[str, str], absent: tuple[str, str]
) -> CheckResult:
    """Passed with `found` as evidence `key` when the code shows it, else a TA decides."""
    if found:
        return CheckResult.passed(*passed, **{key: found}, sources=[T])
    return _undecided(*absent)


@saved_variant("labels_masked")
def labels_masked_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The code builds labels with -100 over the prompt (`[-100] * len(prompt)`)."""
    masking = list(facts.static.label_masking) if facts.static else []
    return _code_shows(
        masking[:3],
        "code",
        (
            "برچسب‌ها روی پرامپت با ‎-100 ماسک می‌شوند.",
            "the labels are masked with -100 on the prompt.",
        ),
        (
            "ماسک برچسب‌ها در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no -100 masking of the labels was found in the code; a TA decides.",
        ),
    )


@saved_variant("gradient_log_scale")
def log_scale_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The code draws on a log y axis (set_yscale('log'), semilogy, loglog)."""
    calls = list(facts.static.log_scale_calls) if facts.static else []
    return _code_shows(
        calls[:5],
        "calls",
        ("محور عمودی لگاریتمی است.", "the y axis is logarithmic."),
        (
            "فراخوانی محور لگاریتمی در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no log-scale call was found in the code; a TA decides.",
        ),
    )


@saved_variant("caption_loss_ignores_pad")
def ignore_index_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The loss is built with an ignore_index (the padding id), read from the code."""
    values = [str(v) for v in facts.static.ignore_index] if facts.static else []
    return _code_shows(
        values[:5],
        "ignore_index",
        (
            "تابع خطا توکن‌های پرکننده را نادیده می‌گیرد (ignore_index).",
            "the loss ignores the padding tokens (ignore_index).",
        ),
        (
            "ignore_index در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no ignore_index was found in the code; a TA decides.",
        ),
    )
