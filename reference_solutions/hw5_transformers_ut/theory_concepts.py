"""hw5-transformers-ut Q1, Q3, Q4 (free text and true/false): attention, BERT, convolution vs
attention, and four true/false statements with reasons. Reference answers in Persian."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubrics

STATEMENTS = {
    "lstm": (
        False,
        "ترنسفورمر پایه هیچ لایهٔ LSTM یا بازگشتی ندارد؛ فقط توجه، شبکهٔ پیش‌خور، نرمال‌سازی و اتصال باقی‌مانده.",
        "the vanilla transformer has no recurrent layer.",
    ),
    "stacks": (
        True,
        "ترنسفورمر اصلی پشته‌ای از N=6 بلوک رمزگذار و N=6 بلوک رمزگشا دارد.",
        "the original has 6 encoder and 6 decoder blocks.",
    ),
    "multihead": (
        False,
        "توجه چندسر چند توجه موازی با تصویرهای خطی جدا (Q, K, V) برای هر سر است که خروجی‌شان به هم چسبانده و تصویر می‌شود، نه یک توجه و چند لایهٔ تمام‌متصل.",
        "several attention heads in parallel, each with its own projections.",
    ),
    "positional": (
        True,
        "توجه نسبت به ترتیب ناورداست (جایگشت‌پذیر)؛ بدون رمزگذاری مکانی ترتیب کلمات دیده نمی‌شود.",
        "attention is permutation-invariant without positions.",
    ),
}
LABELS = {
    "lstm": ["LSTM", "۱)", "1)", "عبارت ۱", "گزاره ۱", "الف"],
    "stacks": ["encoder blocks", "چند بلوک", "۲)", "2)", "عبارت ۲", "گزاره ۲", "ب"],
    "multihead": ["multi-head", "چندسر", "چند سر", "۳)", "3)", "عبارت ۳", "گزاره ۳", "ج"],
    "positional": ["positional", "مکانی", "موقعیتی", "۴)", "4)", "عبارت ۴", "گزاره ۴", "د"],
}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    values: dict[str, Any] = {"labels": LABELS}
    for key, (truth, why_fa, why_en) in STATEMENTS.items():
        values[key] = {"value": truth, "explanation_fa": why_fa, "explanation_en": why_en}
    texts = rubrics(
        __file__,
        statements_fa=" ".join(why for _, why, _ in STATEMENTS.values()),
        statements_en=" ".join(why for _, _, why in STATEMENTS.values()),
    )
    values |= texts["concepts"]
    return {"concepts": values}
