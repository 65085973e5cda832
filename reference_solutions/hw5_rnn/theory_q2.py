"""hw5-rnn Q2: CNN vs RNN, tanh, the forward pass of one RNN step, and short concept questions.

Part c is computed: the statement gives W_xh, W_hh, W_hy, b_h, b_y, x_{t-1} and h_{t-2}
(written below as the question's givens); one step of h = tanh(W_xh x + W_hh h_prev + b_h),
y = W_hy h + b_y and softmax(y) is run with torch in float64. The other parts are free text:
a Persian reference answer and a rubric each.
"""

from __future__ import annotations

from typing import Any

import torch

from reference_solutions.theory_common import rubric

# The givens of Q2(c), as printed in the statement.
GIVENS = {
    "W_xh": [[0.5, -0.2], [-1.0, 0.9]],
    "W_hh": [[0.3, 0.1], [-0.4, 0.2]],
    "W_hy": [[1.5, -0.5], [0.5, 1.0]],
    "x": [0.8, -0.5],
    "h_prev": [-0.2, 0.4],
    "b_h": [0.1, -0.1],
    "b_y": [0.0, 0.0],
}
LABELS = {
    "a": ["a_{t-1}", "a_t", "pre-activation", "z_{t-1}", "z_t", "z =", "a ="],
    "h": ["h_{t-1}", "h_t", "h =", "حالت پنهان", "hidden state"],
    "y": ["y_{t-1}", "y_t", "y =", "o_t", "خروجی", "output"],
    "p": ["softmax", "ŷ", "y_hat", "\\hat{y}", "احتمال"],
}


def forward_step() -> dict[str, Any]:
    g = {k: torch.tensor(v, dtype=torch.float64) for k, v in GIVENS.items()}
    a = g["W_xh"] @ g["x"] + g["W_hh"] @ g["h_prev"] + g["b_h"]
    h = torch.tanh(a)
    y = g["W_hy"] @ h + g["b_y"]
    p = torch.softmax(y, dim=0)
    return {"a": a.tolist(), "h": h.tolist(), "y": y.tolist(), "softmax": p.tolist()}


def _vec(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    f = forward_step()
    c_values = {
        "givens": GIVENS,
        "labels": LABELS,
        "a": {"value": f["a"], "derivation": f"a = W_xh x + W_hh h_prev + b_h = {_vec(f['a'])}"},
        "h": {
            "value": f["h"],
            "derivation": f"h = tanh(a) = tanh({_vec(f['a'])}) = {_vec(f['h'])}",
        },
        "y": {"value": f["y"], "derivation": f"y = W_hy h + b_y = {_vec(f['y'])}"},
        "softmax": {
            "value": f["softmax"],
            "derivation": f"softmax(y) = exp(y) / sum(exp(y)) = {_vec(f['softmax'])}",
        },
        "explain": rubric(
            "گذر پیشرو یک گام: ابتدا پیش‌فعال‌سازی a = W_xh x_{t-1} + W_hh h_{t-2} + b_h = "
            f"{_vec(f['a'])}، سپس h_{{t-1}} = tanh(a) = {_vec(f['h'])}، سپس خروجی "
            f"y = W_hy h_{{t-1}} + b_y = {_vec(f['y'])} و در صورت نیاز softmax(y) = {_vec(f['softmax'])}. "
            "همین وزن‌ها در همهٔ گام‌ها مشترک‌اند و h_{t-1} ورودی گام بعدی است.",
            "a = W_xh x + W_hh h + b_h; h = tanh(a); y = W_hy h + b_y; softmax(y); weights shared over time.",
            [
                (
                    "order",
                    0.25,
                    "ترتیب محاسبات: پیش‌فعال‌سازی، tanh، خروجی",
                    "order: pre-activation, tanh, output",
                    ["tanh"],
                ),
                (
                    "shared",
                    0.25,
                    "اشتراک وزن‌ها در زمان و انتقال h به گام بعد",
                    "weights shared; h passed on",
                    ["مشترک", "shared", "گام بعد", "next step"],
                ),
            ],
        ),
    }
    values: dict[str, Any] = {
        "a": rubric(
            "دنبالهٔ ساده: RNN ترتیب و طول متغیر را طبیعی مدل می‌کند اما کند و ترتیبی است؛ CNN یک‌بعدی "
            "موازی و سریع است اما میدان دید محدود دارد. تصویر: CNN با اشتراک وزن و ساختار محلی/ناوردایی "
            "انتقال بهترین است؛ RNN باید تصویر را به دنباله تبدیل کند و ساختار دوبعدی را از دست می‌دهد. "
            "صوت: RNN وابستگی زمانی را دنبال می‌کند ولی روی دنباله‌های بسیار بلند کند است؛ CNN روی "
            "طیف‌نگاره یا موج خام (مثل WaveNet با کانولوشن گشاد) سریع و موازی است اما زمینهٔ محدود دارد. "
            "وابستگی بلندمدت: RNN ساده دچار محو گرادیان می‌شود (LSTM/GRU کمک می‌کنند)؛ CNN برای پوشش "
            "فاصله‌های دور به لایه‌های زیاد یا کانولوشن گشاد نیاز دارد.",
            "Per data type: RNN handles order/variable length but is sequential and forgets; CNN is "
            "parallel with local receptive fields (best for images).",
            [
                (
                    "simple",
                    1.5,
                    "دنبالهٔ ساده: مزایا و معایب هر دو",
                    "simple sequences: both sides",
                    ["ترتیب", "order", "طول متغیر", "variable"],
                ),
                (
                    "image",
                    1.5,
                    "تصویر: ساختار محلی و اشتراک وزن CNN؛ از دست رفتن ساختار دوبعدی در RNN",
                    "images: CNN locality vs RNN flattening",
                    ["محلی", "local", "مکانی", "spatial", "اشتراک وزن"],
                ),
                (
                    "audio",
                    1.5,
                    "صوت: وابستگی زمانی در RNN، سرعت و موازی‌سازی CNN",
                    "audio: temporal RNN vs parallel CNN",
                    ["صوت", "audio", "طیف", "spectrogram", "موازی"],
                ),
                (
                    "long",
                    1.5,
                    "وابستگی بلندمدت: محو گرادیان RNN، میدان دید محدود CNN",
                    "long range: vanishing vs limited receptive field",
                    ["محو", "vanish", "میدان", "receptive", "LSTM"],
                ),
            ],
        ),
        "b": rubric(
            "tanh خروجی صفرمرکز در بازهٔ (−۱، ۱) دارد؛ حالت پنهان کران‌دار می‌ماند و در تکرار منفجر نمی‌شود، "
            "و مشتق آن در صفر یک است (بزرگ‌تر از سیگموید با بیشینهٔ ۰٫۲۵). محدودیت: در ناحیهٔ اشباع مشتق نزدیک "
            "صفر است و ضرب مکرر آن محو گرادیان را می‌سازد؛ ReLU اشباع ندارد اما بی‌کران است و در RNN می‌تواند "
            "منفجر شود.",
            "tanh: zero-centred, bounded, derivative 1 at 0; saturates (vanishing); ReLU unbounded.",
            [
                (
                    "zero",
                    0.25,
                    "صفرمرکز بودن",
                    "zero-centred",
                    ["صفرمرکز", "صفر مرکز", "zero-cent", "متقارن"],
                ),
                (
                    "bounded",
                    0.25,
                    "کران‌دار بودن در (−۱، ۱) و جلوگیری از انفجار حالت",
                    "bounded state",
                    ["کران", "bound", "-1", "−۱", "(-1"],
                ),
                (
                    "saturation",
                    0.25,
                    "اشباع و محو گرادیان",
                    "saturation causes vanishing",
                    ["اشباع", "saturat", "محو", "vanish"],
                ),
                (
                    "compare",
                    0.25,
                    "مقایسه با سیگموید/ReLU",
                    "compared with sigmoid/ReLU",
                    ["سیگموید", "sigmoid", "relu"],
                ),
            ],
        ),
        "d": rubric(
            "گرادیان نسبت به گام‌های دور حاصل‌ضرب ژاکوبی‌های W_hhᵀ diag(tanh') در همهٔ گام‌های میانی است؛ "
            "اگر نرم آن‌ها کمتر از یک باشد گرادیان به‌طور نمایی محو و اگر بیشتر باشد منفجر می‌شود، پس "
            "وزن‌ها از اطلاعات دور یاد نمی‌گیرند و حالت پنهان با ظرفیت ثابت اطلاعات قدیمی را بازنویسی می‌کند.",
            "Gradients are products of Jacobians over time: they vanish or explode exponentially.",
            [
                (
                    "product",
                    0.5,
                    "حاصل‌ضرب ژاکوبی‌ها در طول زمان",
                    "product of Jacobians",
                    ["حاصل‌ضرب", "حاصلضرب", "ضرب", "product", "ژاکوبی"],
                ),
                (
                    "vanish",
                    0.5,
                    "محو/انفجار نمایی گرادیان",
                    "vanishing / exploding",
                    ["محو", "vanish", "انفجار", "explod"],
                ),
            ],
        ),
        "e": rubric(
            "یک به یک: طبقه‌بندی یک ورودی ثابت (مثل شبکهٔ معمولی). یک به چند: توصیف تصویر، تولید موسیقی از یک "
            "بذر. چند به یک: تحلیل احساسات، طبقه‌بندی ویدیو. چند به چند (هم‌تراز): برچسب‌گذاری اجزای کلام، "
            "تشخیص موجودیت‌های نام‌دار، برچسب هر فریم. دنباله به دنباله (رمزگذار-رمزگشا، ناهم‌طول): ترجمهٔ "
            "ماشینی، خلاصه‌سازی، بازشناسی گفتار.",
            "one-to-one: classification; one-to-many: captioning; many-to-one: sentiment; many-to-many: "
            "tagging; seq2seq: translation.",
            [
                (
                    "o2o",
                    0.25,
                    "یک به یک: طبقه‌بندی ورودی ثابت",
                    "one-to-one",
                    ["طبقه‌بندی", "classification"],
                ),
                (
                    "o2m",
                    0.25,
                    "یک به چند: توصیف تصویر / تولید",
                    "one-to-many: captioning",
                    ["توصیف تصویر", "caption", "کپشن", "موسیقی"],
                ),
                (
                    "m2o",
                    0.25,
                    "چند به یک: تحلیل احساسات",
                    "many-to-one: sentiment",
                    ["احساس", "sentiment"],
                ),
                (
                    "m2m",
                    0.25,
                    "چند به چند: برچسب‌گذاری هم‌تراز",
                    "many-to-many: tagging",
                    ["برچسب", "tagging", "pos", "ner", "موجودیت"],
                ),
                (
                    "s2s",
                    0.25,
                    "دنباله به دنباله: ترجمه",
                    "seq2seq: translation",
                    ["ترجمه", "translation"],
                ),
            ],
        ),
        "f": rubric(
            "هر دو داده را به بردار عددی تبدیل می‌کنند. کدگذاری (مثل one-hot) ثابت و دستی است، بُعد آن برابر "
            "اندازهٔ واژگان (بسیار بزرگ و تُنُک) است و شباهت معنایی را نشان نمی‌دهد (همهٔ بردارها متعامدند). "
            "تعبیه (embedding) چگال و کم‌بعد است، در آموزش یاد گرفته می‌شود و کلمه‌های هم‌معنا بردارهای نزدیک "
            "دارند.",
            "Both map data to vectors; encodings are fixed, sparse, vocabulary-sized; embeddings are "
            "dense, low-dimensional and learned.",
            [
                (
                    "sparse",
                    0.35,
                    "کدگذاری: تُنُک، بُعد برابر واژگان",
                    "encoding: sparse, vocabulary-sized",
                    ["تنک", "sparse", "one-hot", "واژگان"],
                ),
                (
                    "dense",
                    0.35,
                    "تعبیه: چگال و کم‌بعد",
                    "embedding: dense, low-dimensional",
                    ["چگال", "dense", "کم‌بعد", "کم بعد"],
                ),
                (
                    "learned",
                    0.3,
                    "تعبیه یادگرفتنی است و شباهت معنایی دارد",
                    "embeddings are learned, semantic",
                    ["یادگرفتنی", "یاد گرفته", "learn", "معنایی"],
                ),
            ],
        ),
        "g": rubric(
            "RNN دوسویه دنباله را از دو جهت می‌خواند و در هر گام به زمینهٔ گذشته و آینده دسترسی دارد؛ وقتی کل "
            "ورودی از پیش در دسترس است (برچسب‌گذاری کلمات، NER، بازشناسی گفتار آفلاین، ترجمه در رمزگذار) بهتر "
            "است، اما برای پیش‌بینی برخط/زمان‌واقعی که آینده در دسترس نیست مناسب نیست.",
            "Reads both directions: past and future context; needs the whole sequence (offline tasks).",
            [
                (
                    "both",
                    0.25,
                    "زمینهٔ گذشته و آینده",
                    "past and future context",
                    ["آینده", "future", "دو جهت", "دوسویه", "both"],
                ),
                (
                    "offline",
                    0.25,
                    "فقط وقتی کل دنباله در دسترس است (نه برخط)",
                    "only when the whole sequence is known",
                    ["برخط", "online", "زمان واقعی", "real-time", "کل دنباله", "آفلاین"],
                ),
            ],
        ),
        "h": rubric(
            "جمع دودویی محلی و تکراری است: هر بیت خروجی فقط به دو بیت هم‌جایگاه و رقم نقلی قبلی وابسته است. "
            "RNN همان قاعده را با وزن مشترک گام‌به‌گام اعمال می‌کند و رقم نقلی را در حالت پنهان نگه می‌دارد، پس "
            "با پارامتر کم برای هر n (حتی طول‌های دیده‌نشده) تعمیم می‌یابد. MLP ورودی با طول ثابت می‌گیرد، باید "
            "برای هر جایگاه جداگانه یاد بگیرد، پارامترها با n رشد می‌کنند و به طول‌های دیگر تعمیم نمی‌یابد؛ "
            "مزیتش موازی بودن است. نتیجه: RNN مناسب‌تر است.",
            "Binary addition is a per-bit rule with a carry: an RNN keeps the carry in its state and "
            "generalizes to any n; an MLP has fixed input size and no weight sharing.",
            [
                (
                    "carry",
                    0.4,
                    "رقم نقلی در حالت پنهان",
                    "carry kept in the hidden state",
                    ["نقلی", "carry", "رقم"],
                ),
                (
                    "sharing",
                    0.3,
                    "اشتراک وزن و تعمیم به طول‌های دیگر",
                    "weight sharing, any length",
                    ["اشتراک", "shar", "طول", "length", "تعمیم"],
                ),
                ("conclusion", 0.3, "نتیجه: RNN مناسب‌تر است", "conclusion: RNN", ["RNN"]),
            ],
        ),
        "i": rubric(
            "محاسبهٔ h_t به h_{t−1} وابسته است، پس گام‌های زمانی باید پشت سر هم اجرا شوند و فقط درون یک گام "
            "(روی batch و ابعاد) موازی‌سازی ممکن است؛ GPU بیکار می‌ماند، برخلاف CNN یا ترنسفورمر که همهٔ "
            "جایگاه‌ها را هم‌زمان پردازش می‌کنند.",
            "h_t depends on h_{t-1}: time steps are sequential, only within-step parallelism.",
            [
                (
                    "sequential",
                    0.25,
                    "وابستگی h_t به h_{t−1} و اجرای ترتیبی",
                    "sequential dependency",
                    ["ترتیبی", "sequential", "h_{t-1}", "وابسته", "گام قبل"],
                ),
            ],
        ),
    }
    return {"q2": values, "q2c": c_values}
