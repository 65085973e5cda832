"""hw5-transformers-ut Q1, Q3, Q4 (free text and true/false): attention, BERT, convolution vs
attention, and four true/false statements with reasons. Reference answers in Persian."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubric

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
    values["q4.reasons"] = rubric(
        " ".join(why for _, why, _ in STATEMENTS.values()),
        " ".join(why for _, _, why in STATEMENTS.values()),
        [
            ("lstm", 0.5, "بدون لایهٔ بازگشتی", "no recurrence", ["بازگشتی", "recurren", "ندارد"]),
            (
                "stacks",
                0.5,
                "N بلوک رمزگذار و N بلوک رمزگشا",
                "N encoder and decoder blocks",
                ["6", "شش", "پشته", "stack"],
            ),
            (
                "multihead",
                0.5,
                "چند سر موازی با تصویرهای جدا",
                "parallel heads with own projections",
                ["موازی", "parallel", "سر", "head"],
            ),
            (
                "positional",
                0.5,
                "ناوردایی جایگشتی توجه",
                "attention is permutation-invariant",
                ["ترتیب", "order", "جایگشت", "permutation"],
            ),
        ],
    )
    values["q1.a"] = rubric(
        "در مدل رمزگذار-رمزگشا، رمزگشا در هر گام با پرسش حاصل از حالت خودش روی همهٔ خروجی‌های رمزگذار "
        "(کلیدها و مقدارها) وزن می‌گذارد و یک بردار زمینهٔ تازه می‌سازد، پس دیگر همهٔ ورودی در یک بردار ثابت "
        "فشرده نمی‌شود (گلوگاه) و هم‌ترازی نرم یاد گرفته می‌شود.",
        "The decoder attends over all encoder states each step: no fixed-vector bottleneck, learned soft alignment.",
        [
            (
                "context",
                1.0,
                "بردار زمینهٔ تازه در هر گام رمزگشا",
                "a new context each decoder step",
                ["زمینه", "context", "هر گام"],
            ),
            (
                "bottleneck",
                1.0,
                "رفع گلوگاه بردار ثابت / هم‌ترازی",
                "no fixed bottleneck / alignment",
                ["گلوگاه", "bottleneck", "ثابت", "هم‌ترازی", "align"],
            ),
        ],
    )
    values["q1.b"] = rubric(
        "توجه تک‌سر یک توزیع وزن روی جایگاه‌ها می‌سازد؛ توجه چندسر h توجه موازی با تصویرهای خطی جدا و ابعاد "
        "d/h دارد که هر کدام رابطه‌ای متفاوت (نحوی، هم‌مرجعی، فاصله) را در زیرفضای خودش می‌بیند؛ خروجی‌ها "
        "به هم چسبانده و با W_O تصویر می‌شوند، با هزینه‌ای نزدیک به یک سر با بعد کامل.",
        "Multi-head: h parallel attentions in d/h subspaces, concatenated and projected; different relations.",
        [
            (
                "parallel",
                1.0,
                "چند سر موازی با تصویرهای جدا",
                "parallel heads with own projections",
                ["موازی", "parallel", "تصویر", "projection"],
            ),
            (
                "subspaces",
                1.0,
                "روابط/زیرفضاهای متفاوت و الحاق خروجی‌ها",
                "different subspaces, concatenated",
                ["زیرفضا", "subspace", "الحاق", "concat", "متفاوت"],
            ),
        ],
    )
    values["q1.c"] = rubric(
        "[CLS] در ابتدای ورودی می‌آید و نمایش نهایی آن برای طبقه‌بندی کل دنباله به‌کار می‌رود؛ [SEP] پایان "
        "جمله‌ها و مرز دو جمله را مشخص می‌کند. ورودی BERT جمع سه تعبیه است: تعبیهٔ توکن (WordPiece)، تعبیهٔ "
        "بخش (جملهٔ A یا B) و تعبیهٔ مکان (یادگرفتنی).",
        "[CLS] for sequence classification, [SEP] separates sentences; input = token + segment + position embeddings.",
        [
            (
                "cls",
                1.0,
                "[CLS] برای طبقه‌بندی کل دنباله",
                "[CLS] for classification",
                ["cls", "طبقه‌بندی", "classification"],
            ),
            ("sep", 0.5, "[SEP] جداکنندهٔ جمله‌ها", "[SEP] separator", ["sep", "جدا", "separat"]),
            (
                "embeddings",
                1.5,
                "جمع تعبیه‌های توکن، بخش و مکان",
                "token + segment + position embeddings",
                ["segment", "بخش", "position", "مکان", "token", "توکن"],
            ),
        ],
    )
    values["q3"] = rubric(
        "کانولوشن وزن‌های ثابتِ وابسته به موقعیت نسبی در پنجره‌ای محلی دارد (مستقل از محتوا)، اما وزن‌های "
        "توجه از محتوا (شباهت پرسش و کلید) ساخته می‌شوند و می‌توانند سراسری باشند. لایهٔ تمام‌متصل هم مانند "
        "توجه سراسری همهٔ ورودی‌ها را می‌بیند، ولی وزن‌هایش ثابت و وابسته به جایگاه و اندازهٔ ورودی ثابت است؛ "
        "توجه سراسری وزن‌های پویا دارد و با طول متغیر کار می‌کند. CNN مانند توجه محلی فقط همسایگی را می‌بیند؛ "
        "تفاوت در ایستا بودن کرنل کانولوشن در برابر وزن‌های وابسته به محتوا در توجه محلی است.",
        "Conv: static, local, position-based weights; attention: dynamic content-based weights. FC vs "
        "global attention: both see everything, static vs dynamic. CNN vs local attention: both local.",
        [
            (
                "dynamic",
                1.5,
                "وزن‌های ثابت کانولوشن در برابر وزن‌های وابسته به محتوای توجه",
                "static vs content-based weights",
                ["محتوا", "content", "پویا", "dynamic", "ثابت", "static"],
            ),
            (
                "fc_global",
                1.5,
                "تمام‌متصل و توجه سراسری: هر دو همه را می‌بینند",
                "FC vs global attention",
                ["سراسری", "global", "تمام‌متصل", "تمام متصل", "fully"],
            ),
            (
                "cnn_local",
                1.0,
                "CNN و توجه محلی: هر دو همسایگی محلی",
                "CNN vs local attention",
                ["محلی", "local", "همسایگی", "پنجره", "window"],
            ),
        ],
    )
    return {"concepts": values}
