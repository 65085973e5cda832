"""Reading numbers as students write them."""

from __future__ import annotations

import pytest

from graders.answers.numbers import parse_number, parse_shape


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("3072", True, 3072),
        ("۳۰۷۲", True, 3072),
        ("٣٠٧٢", True, 3072),
        ("۶٬۱۴۴", True, 6144),
        ("۴۹٫۴۰۸", True, 49408),  # ٫ misused as a thousands separator in a count
        ("۴۹٫۴۰۸", False, 49.408),
        ("۱٫۶۳۸٫۴۰۰", True, 1638400),
        ("1,638,400", True, 1638400),
        ("3 × 12,352 = 49,408", True, 49408),
        ("32×64 + 32×32 = 3072", True, 3072),
        ("1.6M", True, 1_600_000),
        ("۱٫۶ میلیون", True, 1_600_000),
        ("۰٫۵", False, 0.5),
        (r"$3\,072$", True, 3072),
        (5120, True, 5120),
        ("no number here", True, None),
        ("64 or 128", True, None),  # ambiguous: sent to the TA, never guessed
    ],
)
def test_parse_number(text: str, integer: bool, expected: float | None) -> None:
    assert parse_number(text, integer_expected=integer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(B, 50, 32)", [50, 32]),
        ("۵۰ × ۳۲", [50, 32]),
        ([50, 32], [50, 32]),
        ("(64, 50, 32)", [64, 50, 32]),
        ("none", None),
    ],
)
def test_parse_shape(text: str | list[int], expected: list[int] | None) -> None:
    assert parse_shape(text) == expected
