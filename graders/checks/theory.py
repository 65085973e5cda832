"""Theory checks: a student's answer-sheet slot against the accepted reference values.

A golden numeric entry looks like
`{"accepted": [{"value": 64, "convention": "pytorch", "derivation": "b_ih + b_hh = 2 x 32"}]}`;
any accepted convention earns full credit, and a wrong value is told which derivation to follow.
"""

from __future__ import annotations

import math

from graders.answers.numbers import parse_number, parse_shape
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden


class NumericParams(CheckParams):
    slot: str
    golden: str
    rel_tol: float = 0.0
    integer: bool = True


def _fmt(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _conventions(entry: dict) -> str:
    return "; ".join(
        f"{a['value']:,} ({a['convention']}: {a['derivation']})" for a in entry["accepted"]
    )


@register("numeric_answer", NumericParams)
def numeric_answer(facts: Facts, golden: Golden, p: NumericParams) -> CheckResult:
    entry = golden.get(p.golden)
    raw = facts.answers.get(p.slot)
    if raw is None or not str(raw).strip():
        return CheckResult.failed(
            f"پاسخی برای «{p.slot}» پیدا نشد.", f"no answer found for slot {p.slot}.", slot=p.slot
        )
    value = parse_number(raw, integer_expected=p.integer)
    if value is None:
        return CheckResult.review(
            f"عدد پاسخ «{raw}» به‌روشنی خوانده نشد؛ دستیار آموزشی بررسی می‌کند.",
            f"could not read one number from {raw!r}; sent to the TA.",
            slot=p.slot,
            found=raw,
        )
    for accepted in entry["accepted"]:
        expected = float(accepted["value"])
        tol = p.rel_tol * abs(expected)
        if math.isclose(value, expected, abs_tol=max(tol, 1e-9)):
            return CheckResult.passed(
                f"درست است ({accepted['convention']}).",
                f"correct ({accepted['convention']}).",
                slot=p.slot,
                found=value,
                expected=expected,
                derivation=accepted["derivation"],
            )
    return CheckResult.failed(
        f"مقدار {_fmt(value)} درست نیست. مقدار مورد انتظار بسته به قرارداد: {_conventions(entry)}",
        f"{_fmt(value)} is not correct. Expected, by convention: {_conventions(entry)}",
        slot=p.slot,
        found=value,
        expected=[a["value"] for a in entry["accepted"]],
        derivation=_conventions(entry),
    )


class ShapeParams(CheckParams):
    slot: str
    golden: str


@register("shape_answer", ShapeParams)
def shape_answer(facts: Facts, golden: Golden, p: ShapeParams) -> CheckResult:
    """The trailing dimensions must match; a leading batch dimension (any name) is allowed."""
    expected = [int(v) for v in golden.get(p.golden)["shape"]]
    raw = facts.answers.get(p.slot)
    found = parse_shape(raw) if raw is not None else None
    if not found:
        return CheckResult.failed(
            f"شکل خروجی برای «{p.slot}» نوشته نشده است.",
            f"no output shape given for {p.slot}.",
            slot=p.slot,
        )
    if found[-len(expected) :] == expected and len(found) <= len(expected) + 1:
        return CheckResult.passed(
            "شکل خروجی درست است.", "output shape is correct.", found=found, expected=expected
        )
    return CheckResult.failed(
        f"شکل خروجی {found} است اما {expected} (به‌همراه بعد batch) انتظار می‌رفت.",
        f"output shape {found}, expected {expected} (after the batch dimension).",
        found=found,
        expected=expected,
    )
