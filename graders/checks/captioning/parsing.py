"""Reading the `captioning` probe's facts: validation into `CaptioningFacts`, or the missing result."""

from __future__ import annotations

from pydantic import ValidationError

from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.captioning import CaptioningFacts


def _facts(facts: Facts) -> CaptioningFacts | CheckResult:
    """The validated probe output, or the CheckResult explaining why it is missing."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    raw = facts.probe.extras.get("captioning")
    if not isinstance(raw, dict):
        return CheckResult.missing(
            "داده‌های بررسی کپشن‌سازی از نوت‌بوک به دست نیامد.",
            "the captioning probe returned nothing.",
        )
    try:
        data = CaptioningFacts.model_validate(raw)
    except ValidationError as exc:
        return CheckResult.missing(
            "خروجی بررسی کپشن‌سازی نامعتبر بود.",
            f"the captioning probe's output was invalid: {str(exc)[:300]}",
        )
    if data.probe_error:
        return CheckResult.missing(
            "بررسی کپشن‌سازی در نوت‌بوک با خطا روبه‌رو شد.",
            f"the captioning probe failed: {data.probe_error}",
        )
    return data
