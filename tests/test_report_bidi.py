"""Persian text helpers: LTR runs isolated in their own elements, digits, drawable text."""

from __future__ import annotations

import datetime as dt

import pytest

from graders.report.glyphs import REPLACEMENT, covered, glyph_safe
from graders.report.persian import (
    bidi_html,
    fa_number,
    jalali_datetime,
    parse_moment,
    text_direction,
)

L = '<span class="ltr" dir="ltr">'
E = "</span>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("مقدار 2080 درست نیست.", "مقدار ۲۰۸۰ درست نیست."),
        ("دقت 85.5% است", "دقت ۸۵٫۵٪ است"),
        ("جمع 1,234,567 است", "جمع ۱٬۲۳۴٬۵۶۷ است"),
        ("مدل RNN ساده", f"مدل {L}RNN{E} ساده"),
        (
            "باید لگاریتمی باشد (ax.set_yscale('log')).",
            f"باید لگاریتمی باشد ({L}ax.set_yscale(&#39;log&#39;){E}).",
        ),
        ("شکل [32, 50, 64] است", f"شکل [{L}32, 50, 64{E}] است"),
        ("پاسخی برای «Q1.a.L1.weights» نیست", f"پاسخی برای «{L}Q1.a.L1.weights{E}» نیست"),
        (
            "بسته به قرارداد: 2,080 (pytorch: b_ih + b_hh = 2 x 32); 2,048 (keras).",
            f"بسته به قرارداد: {L}2,080 (pytorch: b_ih + b_hh = 2 x 32); 2,048 (keras){E}.",
        ),
        ("حافظه 512 MB است", f"حافظه {L}512 MB{E} است"),
        ("مقدار -3 است", f"مقدار {L}-3{E} است"),
        ("(a) + (b) کامل", f"{L}(a) + (b){E} کامل"),
        ("Ali Rezaei", f"{L}Ali Rezaei{E}"),
        ("نام Zoë Müller است", f"نام {L}Zoë Müller{E} است"),
        ("نرخ α = 0.5 است", f"نرخ {L}alpha = 0.5{E} است"),
        ("بدون هیچ لاتین", "بدون هیچ لاتین"),
    ],
)
def test_bidi_html_isolates_ltr_runs(text: str, html: str) -> None:
    assert str(bidi_html(text)) == html


def test_bidi_html_escapes_markup() -> None:
    html = str(bidi_html('نام <img src="file:///etc/passwd"> & <script>x</script>'))
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_bidi_controls_are_dropped_and_missing_glyphs_replaced() -> None:
    # An RLO override from a student would reverse the rest of the line; emoji have no glyph.
    assert glyph_safe("\u202eabc\u2066x\u2069") == "abcx"
    assert glyph_safe("ok 😀 \u0000") == f"ok {REPLACEMENT} {REPLACEMENT}"
    assert glyph_safe("RNN(64→32)") == "RNN(64->32)"
    assert glyph_safe("∂L/∂h, η=0.1, Σ, ∇") == "∂L/∂h, eta=0.1, Sigma, grad"
    text = "سلام، دنیا! Hello ۱۲۳ ٫٬٪ «» — ‌"
    assert glyph_safe(text) == text
    assert all(ord(ch) in covered() for ch in glyph_safe("ژ 😀 ✓ ∂ ‖").replace(" ", ""))


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234.5, 2, "۱٬۲۳۴٫۵"), (7, 2, "۷"), (0.125, 2, "۰٫۱۲"), (-0.001, 2, "۰"), (2.5, 0, "۲")],
)
def test_fa_number(value: float, decimals: int, text: str) -> None:
    assert fa_number(value, decimals) == text


def test_jalali_datetime_and_parse() -> None:
    moment = parse_moment("2025-12-29T23:59:59+03:30")
    assert moment == dt.datetime(2025, 12, 29, 23, 59, 59, tzinfo=moment.tzinfo)
    assert jalali_datetime(moment) == "۸ دی ۱۴۰۴، ساعت ۲۳:۵۹"
    assert parse_moment("not a date") is None and parse_moment(None) is None


@pytest.mark.parametrize(
    ("text", "direction"),
    [("a white dog", "ltr"), ("یک سگ سفید", "rtl"), ("123 سگ", "rtl"), ("123 dog", "ltr")],
)
def test_text_direction(text: str, direction: str) -> None:
    assert text_direction(text) == direction
