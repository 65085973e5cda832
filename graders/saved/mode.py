"""Grading modes (`execute`, `saved`) and what a self-reported result is worth.

A question's `grading:` block in the spec picks its mode and the worth of a result that rests
on saved outputs or static code (`self_reported: 1.0` full points, `0.5` a fraction, `review`
a TA decides); `dlgrade grade/batch --mode` overrides the mode for a whole run. In `saved`
mode a check is run through its saved variant (`graders.saved.checks`), or goes to a TA when
it has none; every such result says "self-reported" and carries its sources in the evidence.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from graders.checks.result import CheckResult
    from graders.facts import Facts
    from graders.golden import Golden
    from graders.saved.models import SavedFacts

Mode = Literal["execute", "saved"]
MODES = ("execute", "saved", "audit")
MARK_FA, MARK_EN = "خوداظهاری", "self-reported"


class GradingSpec(BaseModel):
    """`grading:` of a question: its mode and the worth of a self-reported result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Mode = "execute"
    self_reported: float | Literal["review"] = Field(default=1.0)

    def worth(self) -> float | None:
        """The factor on a self-reported score; None: a TA decides."""
        if self.self_reported == "review":
            return None
        return max(0.0, min(1.0, float(self.self_reported)))


def effective_mode(grading: GradingSpec, run_mode: str | None) -> Mode:
    """The run's `--mode` wins over the spec; `audit` grades by execution."""
    if run_mode == "saved":
        return "saved"
    if run_mode in ("execute", "audit"):
        return "execute"
    return grading.mode


def run_saved(
    name: str, params: dict[str, Any], facts: Facts, golden: Golden, grading: GradingSpec
) -> CheckResult:
    """One check in saved mode: its saved variant (or a TA), marked self-reported, at its worth."""
    import graders.saved.checks  # noqa: F401
    import graders.saved.checks_misc  # noqa: F401  (register the saved variants)
    from graders.checks.registry import get_check
    from graders.checks.result import CheckResult, Status
    from graders.saved.sources import SOURCES, VARIANTS, no_source

    registered = get_check(name)
    if not registered.needs_execution:  # theory and TA checks read what they always read
        return registered.run(facts, golden, params)
    if facts.saved is None:
        return CheckResult.missing(
            "نوت‌بوکی برای خواندن پیدا نشد.", "no notebook was found to read its saved outputs."
        )
    variant = VARIANTS.get(name)
    if variant is None:
        return no_source(name)
    if facts.saved.stripped:
        return CheckResult.review(
            "خروجی سلول‌های نوت‌بوک پاک شده است؛ بدون خروجی ذخیره‌شده نمی‌توان نمره داد.",
            "the notebook's outputs are stripped: nothing saved to grade from; a TA decides.",
        )
    result = variant(facts, golden, registered.params_model.model_validate(params))
    if result.evidence.get("no_source"):
        return result
    evidence = {
        **result.evidence,
        "self_reported": True,
        "accepted_sources": list(SOURCES.get(name, ())),
    }
    fa = f"{result.message_fa} ({MARK_FA})"
    en = f"{result.message_en} ({MARK_EN})"
    if result.status in (Status.REVIEW, Status.ERROR):
        return dataclasses.replace(result, message_fa=fa, message_en=en, evidence=evidence)
    worth = grading.worth()
    if worth is None and result.score > 0:
        return CheckResult.review(
            f"{fa}؛ نتیجهٔ خوداظهاری را دستیار آموزشی تأیید می‌کند.",
            f"{en}; a TA confirms the self-reported result.",
            **evidence,
            score_if_confirmed=result.score,
        )
    score = result.score * (worth if worth is not None else 1.0)
    status = (
        result.status if score == result.score else (Status.PARTIAL if score > 0 else Status.FAIL)
    )
    return CheckResult(score, fa, en, status, evidence)


def saved_problems(saved: SavedFacts | None) -> tuple[tuple[str, str], ...]:
    """Flags of a notebook graded from its saved outputs: stripped, unrun or out-of-order cells."""
    if saved is None or saved.n_code_cells == 0:
        return ()
    out = []
    if saved.stripped:
        out.append(
            (
                "خروجی همهٔ سلول‌های کد نوت‌بوک پاک شده است؛ قوانین تمرین می‌گوید خروجی‌ها باید بمانند.",
                "the notebook's code cells have no outputs (stripped); the rules say outputs must be kept.",
            )
        )
    elif saved.unexecuted:
        out.append(
            (
                f"{saved.unexecuted} سلول کد از {saved.n_code_cells} سلول اجرا نشده و خروجی ندارد.",
                f"{saved.unexecuted} of {saved.n_code_cells} code cells were never run (no execution count, no output).",
            )
        )
    if not saved.in_order:
        out.append(
            (
                "شمارهٔ اجرای سلول‌ها به ترتیب نیست: نوت‌بوک از بالا به پایین یک‌باره اجرا نشده است.",
                "the cells' execution counts are out of order: the notebook was not run top to bottom in one go.",
            )
        )
    return tuple(out)
