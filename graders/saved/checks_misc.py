"""Saved-mode variants that code alone can settle (static source), one table: each passes when
one list of the static facts is not empty (bonus Q1's label masking, hw5-rnn Q6's log-scale
gradient plot, the captioning loss's ignore_index); when the code shows nothing, a TA decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden
from graders.saved.models import StaticFacts
from graders.saved.sources import saved_variant
from graders.saved.sources import undecided as _undecided

T = "static"


@dataclass(frozen=True)
class CodeShows:
    """A variant: `read` picks the findings from the static facts, the first `limit` of them are
    kept as evidence `key`; `passed` when there are any, else `absent` (fa, en) for the TA."""

    read: Callable[[StaticFacts], list[Any]]
    key: str
    limit: int
    passed: tuple[str, str]
    absent: tuple[str, str]

    def __call__(self, facts: Facts, golden: Golden, p: Any) -> CheckResult:
        found = list(self.read(facts.static)) if facts.static else []
        if found:
            return CheckResult.passed(*self.passed, **{self.key: found[: self.limit]}, sources=[T])
        return _undecided(*self.absent)


CODE_SHOWS: dict[str, CodeShows] = {
    # the code builds labels with -100 over the prompt (`[-100] * len(prompt)`)
    "labels_masked": CodeShows(
        lambda static: static.label_masking,
        "code",
        3,
        (
            "برچسب‌ها روی پرامپت با ‎-100 ماسک می‌شوند.",
            "the labels are masked with -100 on the prompt.",
        ),
        (
            "ماسک برچسب‌ها در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no -100 masking of the labels was found in the code; a TA decides.",
        ),
    ),
    # the code draws on a log y axis (set_yscale('log'), semilogy, loglog)
    "gradient_log_scale": CodeShows(
        lambda static: static.log_scale_calls,
        "calls",
        5,
        ("محور عمودی لگاریتمی است.", "the y axis is logarithmic."),
        (
            "فراخوانی محور لگاریتمی در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no log-scale call was found in the code; a TA decides.",
        ),
    ),
    # the loss is built with an ignore_index (the padding id), read from the code
    "caption_loss_ignores_pad": CodeShows(
        lambda static: [str(v) for v in static.ignore_index],
        "ignore_index",
        5,
        (
            "تابع خطا توکن‌های پرکننده را نادیده می‌گیرد (ignore_index).",
            "the loss ignores the padding tokens (ignore_index).",
        ),
        (
            "ignore_index در کد پیدا نشد؛ دستیار آموزشی بررسی می‌کند.",
            "no ignore_index was found in the code; a TA decides.",
        ),
    ),
}
for _name, _variant in CODE_SHOWS.items():
    saved_variant(_name)(_variant)
