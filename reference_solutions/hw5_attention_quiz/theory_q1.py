"""hw5-attention-quiz Q1 (labels): (a) which tasks suit a many-to-one RNN (multiple choice),
(b) unidirectional or bidirectional RNN for a mood that depends on past weather, (c) what an
RNN language model estimates at step t."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import label

OPTIONS = {
    "speech_recognition": [
        "speech recognition",
        "ASR",
        "تشخیص گفتار",
        "بازشناسی گفتار",
        "الف",
        "a",
        "1",
    ],
    "sentiment": [
        "sentiment classification",
        "sentiment",
        "تحلیل احساسات",
        "طبقه بندی احساسات",
        "احساسات",
        "ب",
        "b",
        "2",
    ],
    "gender": ["gender recognition", "gender", "تشخیص جنسیت", "جنسیت", "ج", "c", "3"],
}
DIRECTIONS = {
    "unidirectional": [
        "unidirectional",
        "uni-directional",
        "one-directional",
        "یک طرفه",
        "یکطرفه",
        "یک سویه",
        "یکسویه",
        "یک جهته",
    ],
    "bidirectional": [
        "bidirectional",
        "bi-directional",
        "BiRNN",
        "دو طرفه",
        "دوطرفه",
        "دوسویه",
        "دو سویه",
        "دو جهته",
    ],
}
LM = {
    "conditional": [
        "P(y_t | y_1, ..., y_{t-1})",
        "P(y_t|y_1...y_{t-1})",
        "P(y_t | y_{<t})",
        "P(y_t | y_{1:t-1})",
        "P(y^{<t>} | y^{<1>}, ..., y^{<t-1>})",
        "احتمال شرطی",
        "conditional probability",
    ],
    "joint": ["P(y_1, ..., y_t)", "P(y_1,...,y_T)", "احتمال توأم", "joint probability"],
    "marginal": ["P(y_t)"],
}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {
        "q1": {
            "a": {
                "correct": ["sentiment", "gender"],
                "options": OPTIONS,
                "explanation_fa": "چند به یک یعنی کل دنبالهٔ ورودی به یک خروجی: احساس یک متن و جنسیت گوینده؛ بازشناسی گفتار خروجی دنباله‌ای دارد.",
                "explanation_en": "many-to-one maps a whole sequence to one output: text sentiment and speaker gender; speech recognition outputs a sequence.",
            },
            "b": label(
                ["unidirectional"],
                DIRECTIONS,
                "حال امروز فقط به هوای امروز و روزهای گذشته وابسته است (y_t به x_1..x_t)، پس آینده لازم نیست.",
                "y_t depends on x_1..x_t only: no future context is needed.",
            ),
            "c": label(
                ["conditional"],
                LM,
                "مدل زبانی در گام t توزیع شرطی کلمهٔ بعدی با شرط کلمه‌های قبلی را تخمین می‌زند: P(y_t | y_1..y_{t−1}).",
                "an RNN LM estimates P(y_t | y_1..y_{t-1}) at step t.",
            ),
        }
    }
