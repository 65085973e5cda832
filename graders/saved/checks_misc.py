"""Saved-mode variants of checks outside bonus Q1 that code alone can settle (static source):
hw5-rnn Q6's log-scale gradient plot and the captioning loss's ignore_index."""

from __future__ import annotations

from typing import Any

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden
from graders.saved.sources import saved_variant
from graders.saved.sources import undecided as _undecided

T = "static"


@saved_variant("gradient_log_scale")
def log_scale_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The code draws on a log y axis (set_yscale('log'), semilogy, loglog)."""
    calls = list(facts.static.log_scale_calls) if facts.static else []
    if calls:
        return CheckResult.passed(
            "محور عمودی لگاریتمی است.", "the y axis is logarithmic.", calls=calls[:5], sources=[T]
        )
    return _undecided(
        "فراخوانی محور لگاریتمی در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
        "no log-scale call was found in the code; a TA decides.",
    )


@saved_variant("caption_loss_ignores_pad")
def ignore_index_saved(facts: Facts, golden: Golden, p: Any) -> CheckResult:
    """The loss is built with an ignore_index (the padding id), read from the code."""
    values = list(facts.static.ignore_index) if facts.static else []
    if values:
        return CheckResult.passed(
            "تابع خطا توکن‌های پرکننده را نادیده می‌گیرد (ignore_index).",
            "the loss ignores the padding tokens (ignore_index).",
            ignore_index=[str(v) for v in values[:5]],
            sources=[T],
        )
    return _undecided(
        "ignore_index در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
        "no ignore_index was found in the code; a TA decides.",
    )
