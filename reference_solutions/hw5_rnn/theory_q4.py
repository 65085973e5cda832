"""hw5-rnn Q4 (bonus): the architecture for each scenario, among Deep transition RNN, ConvLSTM,
Skip RNN and Deep RNN, with a justification.

Keys: IMDb sentiment with long dependencies -> Deep RNN (of LSTM/GRU cells); precipitation
nowcasting -> ConvLSTM; sparse action detection in long videos -> Skip RNN. A justified
alternative (Deep transition RNN or Skip RNN for IMDb) goes to the TA; anything else is wrong.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import label, rubrics

ARCHS = {
    "deep_transition": ["Deep transition RNN", "deep transition", "DT-RNN", "گذار عمیق"],
    "convlstm": ["ConvLSTM", "Conv LSTM", "Convolutional LSTM", "LSTM کانولوشنی"],
    "skip": ["Skip RNN", "SkipRNN", "Skip-RNN", "skip"],
    "deep": [
        "Deep RNN",
        "stacked RNN",
        "stacked LSTM",
        "deep LSTM",
        "RNN عمیق",
        "LSTM عمیق",
        "RNN چندلایه",
        "LSTM چندلایه",
    ],
}
LABELS = {
    "imdb": [
        "sentiment analysis",
        "sentiment",
        "IMDb",
        "تحلیل احساسات",
        "سناریو ۱",
        "سناریوی ۱",
        "سناریوی اول",
    ],
    "nowcasting": [
        "precipitation nowcasting",
        "nowcasting",
        "بارش",
        "سناریو ۲",
        "سناریوی ۲",
        "سناریوی دوم",
        "رادار",
    ],
    "action": [
        "action detection",
        "ActivityNet",
        "تشخیص کنش",
        "سناریو ۳",
        "سناریوی ۳",
        "سناریوی سوم",
    ],
}


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {
        "q4": {
            "labels": LABELS,
            "imdb": label(
                ["deep"],
                ARCHS,
                "Deep RNN با سلول‌های LSTM/GRU: لایه‌های پشته‌ای نمایش سلسله‌مراتبی می‌سازند و گیت‌ها وابستگی بلندمدت را نگه می‌دارند.",
                "a deep (stacked) RNN of LSTM/GRU cells keeps long dependencies and builds hierarchical features.",
                alternatives=["deep_transition", "skip"],
            ),
            "nowcasting": label(
                ["convlstm"],
                ARCHS,
                "ConvLSTM: حالت‌ها نقشهٔ ویژگی‌اند و گیت‌ها کانولوشنی، پس همسایگی مکانی ابرها حفظ می‌شود.",
                "ConvLSTM keeps the spatial layout: convolutional gates over feature-map states.",
            ),
            "action": label(
                ["skip"],
                ARCHS,
                "Skip RNN: یاد می‌گیرد به‌روزرسانی حالت را برای فریم‌های بی‌ربط رد کند و محاسبه را کم می‌کند.",
                "Skip RNN learns to skip state updates on irrelevant frames, saving computation.",
            ),
            "why": rubrics(__file__)["q4"]["why"],
        }
    }
