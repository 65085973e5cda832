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


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("1 638 400", True, 1_638_400),  # spaces as thousands separators
        ("1\u202f638\u202f400", True, 1_638_400),  # narrow no-break spaces
        ("3200 512", True, None),  # two numbers, not one with a space separator
        (r"$1.6 \times 10^{6}$", True, 1_600_000),
        ("1.6e6", True, 1_600_000),
        (r"\num{49408}", True, 49408),
        ("49{,}408", True, 49408),
        (r"$$4 \cdot (64 \cdot 192 + 64) = 49\,408$$", True, 49408),
        ("4(64·192+64) → 49408", True, 49408),
        ("≈ ۱٫۶ میلیون", True, 1_600_000),
        ("LSTM: ۴۹٬۶۶۴ پارامتر", True, 49664),
        ("−۰٫۸۳", False, -0.83),
    ],
)
def test_parse_number_more_forms(text: str, integer: bool, expected: float | None) -> None:
    assert parse_number(text, integer_expected=integer) == expected


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        ("[0.5227, -0.8306]", 2, [0.5227, -0.8306]),
        ("(۰٫۵۲، −۰٫۸۳)", 2, [0.52, -0.83]),
        (r"h = \begin{bmatrix} 0.52 \\ -0.83 \end{bmatrix}", 2, [0.52, -0.83]),
        ("y = W h = [1.2, -0.57]", 2, [1.2, -0.57]),
        ("[1, 2, 3]", 2, None),  # wrong length
    ],
)
def test_parse_vector(text: str, n: int, expected: list[float] | None) -> None:
    from graders.answers.numbers import parse_vector

    assert parse_vector(text, expected_len=n) == expected
