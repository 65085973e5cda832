"""hw2-rnn Q1 (free text): the CAM-RNN co-attention model for video captioning, and whether it
transfers to image captioning. A reference answer in Persian and a rubric of key points."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubric


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {
        "q1": {
            "modules": rubric(
                "CAM-RNN سه بخش توجه و یک مولد دارد: (۱) توجه بصری که در هر گام روی نواحی هر فریم (مکانی) "
                "و روی فریم‌ها (زمانی) وزن می‌گذارد و بردار زمینهٔ بصری می‌سازد؛ (۲) توجه متنی که روی "
                "n-گرام‌ها/کلمه‌های تولیدشدهٔ قبلی وزن می‌گذارد و زمینهٔ متنی می‌دهد؛ (۳) دروازهٔ توازن "
                "(balancing gate) که با وزنی یادگرفتنی سهم زمینهٔ بصری و متنی را در هر گام تعیین می‌کند؛ "
                "(۴) یک LSTM که با این زمینهٔ ترکیبی و کلمهٔ قبلی، کلمهٔ بعدی را تولید می‌کند. توجه‌ها به "
                "حالت پنهان قبلی LSTM وابسته‌اند و همه با هم سرتاسری آموزش می‌بینند.",
                "Visual attention over regions and frames, text attention over previous n-grams, a "
                "balancing gate mixing both contexts, and an LSTM generator, trained end to end.",
                [
                    (
                        "visual",
                        2.0,
                        "توجه بصری روی نواحی (مکانی) و فریم‌ها (زمانی)",
                        "visual attention over regions and frames",
                        ["ناحیه", "نواحی", "region", "فریم", "frame", "مکانی", "زمانی"],
                    ),
                    (
                        "text",
                        2.0,
                        "توجه متنی روی n-گرام‌ها / کلمات قبلی",
                        "text attention over previous n-grams",
                        ["n-gram", "n-گرام", "متنی", "کلمات قبلی", "text attention"],
                    ),
                    (
                        "gate",
                        1.5,
                        "دروازهٔ توازن میان زمینهٔ بصری و متنی",
                        "balancing gate between the two contexts",
                        ["دروازه", "گیت", "gate", "توازن", "balanc"],
                    ),
                    (
                        "lstm",
                        1.5,
                        "مولد LSTM که کلمهٔ بعدی را با زمینه تولید می‌کند",
                        "LSTM generator conditioned on the context",
                        ["LSTM", "مولد", "generator"],
                    ),
                ],
            ),
            "transfer": rubric(
                "بله، با تغییر: توجه مکانی روی نواحی تصویر و توجه متنی و دروازهٔ توازن بی‌تغییر به‌کار می‌آیند، "
                "اما توجه زمانی روی فریم‌ها معنا ندارد چون تصویر یک فریم است (حذف می‌شود یا به توجه مکانی "
                "تبدیل می‌شود)؛ نتیجه مدلی شبیه Show, Attend and Tell به‌همراه توجه متنی است.",
                "Yes: region attention, text attention and the gate carry over; frame (temporal) attention "
                "degenerates for a single image.",
                [
                    (
                        "yes",
                        1.0,
                        "نتیجه‌گیری روشن: قابل انتقال با تغییر",
                        "clear conclusion: transferable with changes",
                        ["بله", "قابل", "می‌توان", "yes", "transfer"],
                    ),
                    (
                        "temporal",
                        1.0,
                        "توجه زمانی/فریمی در تصویر تک‌فریمی حذف می‌شود",
                        "temporal attention drops out for one image",
                        ["زمانی", "فریم", "temporal", "frame"],
                    ),
                    (
                        "spatial",
                        1.0,
                        "توجه مکانی و متنی و دروازه باقی می‌مانند",
                        "spatial and text attention and the gate remain",
                        ["مکانی", "spatial", "ناحیه", "region"],
                    ),
                ],
            ),
        }
    }
