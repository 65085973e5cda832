"""hw2-rnn Q3 (labels + free text): the RNN architecture of each task, with a justification.

The keys: tasks whose input and output are sequences of different, unaligned lengths are
many-to-many in the encoder-decoder (seq2seq) sense (both names accepted); sentiment analysis
is many-to-one. Speech recognition may also be an aligned many-to-many (CTC); extractive or
answer-selection QA may be argued as many-to-one: those are sent to the TA as alternatives.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import RNN_TYPES, label, rubrics

SEQ = ["seq2seq", "many-to-many"]
TASKS: dict[str, tuple[list[str], list[str], list[str], str, str]] = {
    # key: (accepted, alternatives, labels, why_fa, why_en)
    "summarization": (
        SEQ,
        [],
        ["text summarization", "summarization", "خلاصه سازی متن", "خلاصه سازی", "خلاصه‌سازی"],
        "ورودی متنی بلند و خروجی متنی کوتاه‌تر با طول متفاوت.",
        "long text in, shorter text out, lengths differ.",
    ),
    "translation": (
        SEQ,
        [],
        ["machine translation", "translation", "ترجمه ماشینی", "ترجمهٔ ماشینی", "ترجمه"],
        "جمله به جمله با طول و ترتیب متفاوت.",
        "sentence to sentence, different lengths and order.",
    ),
    "video_captioning": (
        SEQ,
        [],
        ["video captioning", "توصیف ویدیو", "کپشن ویدیو", "زیرنویس ویدیو"],
        "دنبالهٔ فریم‌ها به دنبالهٔ کلمات.",
        "a sequence of frames to a sequence of words.",
    ),
    "sentiment": (
        ["many-to-one"],
        [],
        ["sentiment analysis", "sentiment", "تحلیل احساسات", "تحلیل احساس"],
        "کل متن به یک برچسب.",
        "a whole text to one label.",
    ),
    "speech_recognition": (
        SEQ,
        [],
        ["speech recognition", "ASR", "تشخیص گفتار", "بازشناسی گفتار"],
        "دنبالهٔ قاب‌های صوتی به دنبالهٔ حروف/کلمات با طول متفاوت (یا هم‌تراز با CTC).",
        "audio frames to characters/words (seq2seq, or aligned with CTC).",
    ),
    "question_answering": (
        SEQ,
        ["many-to-one"],
        ["question answering", "QA", "پرسش و پاسخ", "پرسش‌وپاسخ", "پاسخ به پرسش", "پاسخ به سوال"],
        "پرسش (و متن) به پاسخ متنی؛ پاسخ انتخابی را می‌توان چند به یک دید.",
        "question (and context) to an answer text; answer selection can be many-to-one.",
    ),
    "tts": (
        SEQ,
        [],
        ["text-to-speech", "text to speech", "TTS", "تبدیل متن به گفتار", "متن به گفتار"],
        "دنبالهٔ حروف به دنبالهٔ بلندتر قاب‌های صوتی.",
        "characters to a longer sequence of audio frames.",
    ),
    "paraphrase": (
        SEQ,
        [],
        [
            "paraphrase generation",
            "paraphrasing",
            "paraphrase",
            "بازنویسی",
            "تولید دگرنویسی",
            "دگرنویسی",
            "تولید جمله هم معنی",
        ],
        "جمله به جملهٔ هم‌معنی با طول متفاوت.",
        "sentence to an equivalent sentence of another length.",
    ),
    "code_translation": (
        SEQ,
        [],
        ["code translation", "ترجمه کد", "ترجمهٔ کد", "تبدیل کد"],
        "برنامه به برنامه در زبانی دیگر.",
        "program to program in another language.",
    ),
}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    values: dict[str, Any] = {"labels": {k: v[2] for k, v in TASKS.items()}}
    for key, (acc, alt, _labels, why_fa, why_en) in TASKS.items():
        values[key] = label(acc, RNN_TYPES, why_fa, why_en, alternatives=alt)
    values["justification"] = rubrics(__file__)["q3"]["justification"]
    return {"q3": values}
