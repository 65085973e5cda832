"""hw5-rnn Q3 (free text): LSTM/GRU gates, LSTM vs GRU, CNN+LSTM vs ConvLSTM, and kernel size /
receptive field reinterpreted for RNNs. Reference answers in Persian with rubrics."""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubric


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    return {
        "q3": {
            "a": rubric(
                "LSTM یک حالت سلول c_t جدا از h_t دارد. گیت فراموشی f_t = σ(W_f[h_{t−1}, x_t] + b_f) تعیین می‌کند "
                "چه بخشی از c_{t−1} بماند؛ گیت ورودی i_t و مقدار نامزد c̃_t = tanh(...) مشخص می‌کنند چه اطلاعات "
                "تازه‌ای افزوده شود: c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t؛ گیت خروجی o_t تعیین می‌کند چه بخشی از "
                "سلول بیرون برود: h_t = o_t ⊙ tanh(c_t). مسیر جمعی سلول جریان گرادیان را حفظ می‌کند. GRU دو گیت "
                "دارد: گیت به‌روزرسانی z_t میان حالت قبلی و نامزد درون‌یابی می‌کند "
                "(h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t) و گیت بازنشانی r_t تعیین می‌کند چه مقدار از h_{t−1} "
                "در ساخت نامزد h̃_t به‌کار رود.",
                "LSTM: forget, input, output gates and an additive cell; GRU: update and reset gates.",
                [
                    (
                        "forget",
                        1.0,
                        "گیت فراموشی و نگه‌داشتن حافظهٔ سلول",
                        "forget gate",
                        ["فراموشی", "forget"],
                    ),
                    (
                        "input",
                        1.0,
                        "گیت ورودی و مقدار نامزد؛ به‌روزرسانی جمعی سلول",
                        "input gate, additive cell update",
                        ["ورودی", "input", "نامزد", "candidate"],
                    ),
                    (
                        "output",
                        0.5,
                        "گیت خروجی و h_t = o ⊙ tanh(c)",
                        "output gate",
                        ["خروجی", "output"],
                    ),
                    (
                        "gru",
                        1.5,
                        "گیت‌های به‌روزرسانی و بازنشانی GRU",
                        "GRU update and reset gates",
                        ["به‌روزرسانی", "بروزرسانی", "update", "بازنشانی", "reset"],
                    ),
                ],
            ),
            "b": rubric(
                "هر دو با گیت‌ها و مسیر جمعی/درون‌یابی مشکل محو گرادیان را کم می‌کنند. LSTM سه گیت و حالت سلول "
                "جدا دارد (کنترل جدای نوشتن، پاک کردن و خواندن)؛ GRU دو گیت دارد، حالت سلول و گیت خروجی ندارد و "
                "فراموشی و نوشتن را با یک گیت z به هم گره می‌زند، پس حدود سه‌چهارم پارامترهای LSTM را دارد و سریع‌تر "
                "است؛ دقت معمولاً نزدیک است و LSTM روی وابستگی‌های خیلی بلند یا داده‌های بزرگ گاهی بهتر است.",
                "Both gate an additive path; GRU merges forget/input into one update gate, has no cell or "
                "output gate, ~3/4 the parameters.",
                [
                    (
                        "common",
                        1.0,
                        "مبنای مشترک: گیت‌ها و مسیر جمعی برای جریان گرادیان",
                        "shared principle",
                        ["محو", "vanish", "گرادیان", "gradient"],
                    ),
                    (
                        "structure",
                        1.0,
                        "سه گیت + سلول در برابر دو گیت بدون سلول",
                        "3 gates + cell vs 2 gates",
                        ["سه گیت", "دو گیت", "سلول", "cell"],
                    ),
                    (
                        "cost",
                        1.0,
                        "پارامتر و سرعت: GRU سبک‌تر (۳ در برابر ۴ بلوک وزن)",
                        "GRU lighter: 3 vs 4 weight blocks",
                        ["پارامتر", "parameter", "سریع", "faster", "سبک"],
                    ),
                ],
            ),
            "c": rubric(
                "در CNN + LSTM یک CNN هر فریم را جداگانه به یک بردار ویژگی تبدیل می‌کند و LSTM روی این بردارهای "
                "تخت‌شده زمان را مدل می‌کند: مکان و زمان جدا و پشت سر هم پردازش می‌شوند و ساختار مکانی در "
                "ورودی LSTM از بین رفته است. در ConvLSTM ضرب‌های ماتریسی گیت‌ها با کانولوشن جایگزین شده‌اند و "
                "ورودی، حالت پنهان و سلول نقشه‌های ویژگی سه‌بعدی‌اند، پس وابستگی مکانی-زمانی در هر گام با هم "
                "مدل می‌شود (مثلاً حرکت ابر)؛ لایه‌ها به‌صورت پشته‌ای از ConvLSTMها (رمزگذار-پیش‌بین) سازمان می‌یابند.",
                "CNN+LSTM: per-frame CNN features flattened into an LSTM (space then time); ConvLSTM: "
                "convolutions inside the gates, states are feature maps (joint spatiotemporal).",
                [
                    (
                        "cnnlstm",
                        1.0,
                        "CNN+LSTM: استخراج ویژگی فریم‌به‌فریم و بردار تخت",
                        "per-frame features, flattened",
                        ["تخت", "flatten", "بردار", "هر فریم"],
                    ),
                    (
                        "convlstm",
                        1.0,
                        "ConvLSTM: کانولوشن درون گیت‌ها و حالت‌های نقشهٔ ویژگی",
                        "convolutions in the gates, map states",
                        ["کانولوشن", "convolution", "نقشه", "feature map"],
                    ),
                    (
                        "spatiotemporal",
                        1.0,
                        "مدل‌سازی هم‌زمان مکانی-زمانی در برابر جداگانه",
                        "joint vs separate spatiotemporal modelling",
                        ["مکانی", "spatial", "زمانی", "temporal"],
                    ),
                ],
            ),
            "d": rubric(
                "در RNN «کرنل» همان وزن‌های مشترک W_xh و W_hh است که در هر گام روی ورودی فعلی و حالت قبلی اعمال "
                "می‌شود: اندازهٔ کرنل در محور زمان عملاً ۱ گام ورودی به‌علاوهٔ حالت قبلی است (مانند کانولوشن "
                "علّی با گام ۱ و وزن مشترک). میدان تاثیر h_t از نظر نظری کل گذشته (x_1..x_t) است چون حالت "
                "بازگشتی همه را خلاصه می‌کند، برخلاف CNN که با عمق و اندازهٔ کرنل خطی رشد می‌کند؛ اما میدان تاثیر "
                "مؤثر به‌دلیل محو گرادیان کوتاه است و در RNN دوسویه آینده را هم در بر می‌گیرد.",
                "Kernel = shared W_xh/W_hh applied per step; receptive field = all past inputs in theory, "
                "short in practice (vanishing); bidirectional adds the future.",
                [
                    (
                        "kernel",
                        1.0,
                        "کرنل = وزن‌های مشترک در هر گام",
                        "kernel = shared per-step weights",
                        ["وزن مشترک", "اشتراک", "shared", "W_hh", "W_xh"],
                    ),
                    (
                        "field",
                        1.0,
                        "میدان تاثیر نظری = کل گذشته",
                        "receptive field = whole past",
                        ["کل گذشته", "همه", "whole", "x_1", "نامحدود"],
                    ),
                    (
                        "effective",
                        1.0,
                        "میدان مؤثر کوتاه به‌خاطر محو گرادیان",
                        "effective field short (vanishing)",
                        ["مؤثر", "موثر", "effective", "محو", "vanish"],
                    ),
                ],
            ),
        }
    }
