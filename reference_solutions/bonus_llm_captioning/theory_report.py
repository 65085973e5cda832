"""bonus-llm-captioning: the explanatory (theory) items asked in the report, graded by rubric.

The assignment is mostly practical; these are its questions answered in prose: base vs
instruct models, the chat data format, soft prompts, LoRA placement (Q1); special tokens,
fixed caption length, embeddings vs one-hot, the paper's regularisation, masking, positional
embeddings, BLEU (Q2). Each gets a Persian reference answer and a rubric for the TA.
"""

from __future__ import annotations

from typing import Any

from reference_solutions.theory_common import rubric


def golden_documents(profile: str, device: str) -> dict[str, dict[str, Any]]:
    q1 = {
        "base_instruct": rubric(
            "نسخهٔ base فقط با پیش‌بینی توکن بعدی روی متن خام پیش‌آموزش دیده و ادامهٔ متن را می‌نویسد؛ نسخهٔ "
            "instruct پس از آن با دستورالعمل‌ها/گفتگو (SFT و ترجیح انسانی) تنظیم شده و قالب گفتگو و پیروی از "
            "دستور را بلد است. برای تنظیم گفتگوی فارسی با داده و محاسبهٔ کم، instruct نقطهٔ شروع بهتری است "
            "(انتخاب base با استدلال «یادگیری قالب از صفر و سوگیری کمتر» هم پذیرفتنی است).",
            "base: next-token pretraining only; instruct: further tuned on instructions/chat. Instruct is the better start.",
            [
                (
                    "difference",
                    0.5,
                    "تفاوت پیش‌آموزش خام و تنظیم با دستورالعمل",
                    "pretraining vs instruction tuning",
                    ["دستورالعمل", "instruction", "sft", "گفتگو", "chat"],
                ),
                (
                    "choice",
                    0.5,
                    "انتخاب مستدل یکی از دو نسخه",
                    "a justified choice",
                    ["انتخاب", "choose", "instruct", "base"],
                ),
            ],
        ),
        "data_format": rubric(
            "هر نمونه گفتگویی با نقش‌های system / human (user) / gpt (assistant) است؛ پیام سیستم رفتار و سبک "
            "را تعیین می‌کند و پاسخ‌ها گام‌به‌گام (توضیح استدلال) نوشته شده‌اند تا مدل پیروی از دستور و استدلال "
            "را یاد بگیرد و با قالب گفتگوی (chat template) مدل سازگار باشد؛ زیان فقط روی پاسخ دستیار حساب می‌شود.",
            "Role-tagged conversations (system/user/assistant) with reasoned answers, matching the chat template.",
            [
                (
                    "roles",
                    0.5,
                    "نقش‌های system/user/assistant",
                    "system/user/assistant roles",
                    ["system", "سیستم", "user", "assistant", "نقش"],
                ),
                (
                    "purpose",
                    0.5,
                    "هدف: پیروی از دستور و سازگاری با قالب گفتگو",
                    "purpose: instruction following, chat template",
                    ["قالب", "template", "دستور", "instruction"],
                ),
            ],
        ),
        "soft_prompts": rubric(
            "در soft prompt به‌جای متن دستی، چند بردار پیوسته و یادگرفتنی به ورودی افزوده و فقط همان‌ها آموزش "
            "داده می‌شوند (مدل منجمد). Prompt Tuning: چند توکن مجازی فقط در لایهٔ ورودی. Prefix Tuning: بردارهای "
            "پیشوند یادگرفتنی به کلیدها و مقدارهای توجه در همهٔ لایه‌ها (اغلب با یک MLP بازپارامتری). P-Tuning: "
            "توکن‌های مجازی که با یک رمزگذار کوچک (LSTM/MLP) تولید می‌شوند و می‌توانند میان متن هم بیایند.",
            "Learned continuous prompt vectors, model frozen; prompt tuning (input only), prefix tuning "
            "(every layer's K/V), P-tuning (virtual tokens from a small encoder).",
            [
                (
                    "concept",
                    0.5,
                    "بردارهای پیوستهٔ یادگرفتنی، مدل منجمد",
                    "learned vectors, frozen model",
                    ["پیوسته", "continuous", "یادگرفتنی", "منجمد", "frozen", "virtual"],
                ),
                (
                    "methods",
                    1.0,
                    "تفاوت سه روش: فقط ورودی / همهٔ لایه‌ها / رمزگذار پرامپت",
                    "the three methods told apart",
                    ["prefix", "prompt tuning", "p-tuning", "همه لایه", "lstm"],
                ),
            ],
        ),
        "lora": rubric(
            "LoRA وزن اصلی W را منجمد نگه می‌دارد و به‌روزرسانی آن را با حاصل‌ضرب دو ماتریس کم‌رتبه ΔW = BA "
            "(رتبهٔ r بسیار کوچک، ضریب α/r) یاد می‌گیرد؛ پس از آموزش می‌توان BA را در W ادغام کرد و تأخیری اضافه "
            "نمی‌شود. معمولاً روی تصویرهای خطی توجه (q_proj و v_proj، و اغلب k_proj و o_proj) و در صورت نیاز "
            "لایه‌های MLP (gate/up/down) اعمال می‌شود، نه روی تعبیه‌ها و نرمال‌سازی.",
            "W frozen, update BA of rank r; applied to attention projections (q, v, often k, o) and optionally the MLP.",
            [
                (
                    "lowrank",
                    0.5,
                    "ΔW = BA با رتبهٔ کم و W منجمد",
                    "low-rank BA, W frozen",
                    ["رتبه", "rank", "ba", "کم‌رتبه", "low-rank"],
                ),
                (
                    "where",
                    0.5,
                    "محل اعمال: تصویرهای q/k/v/o توجه (و MLP)",
                    "where: attention projections",
                    ["q_proj", "v_proj", "query", "value", "توجه", "attention"],
                ),
            ],
        ),
    }
    q2 = {
        "special_tokens": rubric(
            "<pad> برای هم‌طول کردن کپشن‌ها (در زیان نادیده گرفته می‌شود)، <start>/<bos> شروع تولید، <end>/<eos> "
            "پایان جمله و توقف تولید، و <unk> برای کلمه‌های کم‌تکرار یا بیرون از واژگان.",
            "<pad> for equal lengths, <start> to begin, <end> to stop, <unk> for rare words.",
            [
                ("pad", 0.25, "<pad> و نادیده گرفتن در زیان", "<pad>", ["pad"]),
                (
                    "start_end",
                    0.5,
                    "<start> و <end> برای شروع و توقف تولید",
                    "<start> / <end>",
                    ["start", "bos", "end", "eos", "شروع", "پایان"],
                ),
                ("unk", 0.25, "<unk> برای کلمه‌های ناشناخته", "<unk>", ["unk", "ناشناخته"]),
            ],
        ),
        "fixed_length": rubric(
            "برای ساختن batch به تنسورهای هم‌اندازه نیاز داریم و پردازش موازی روی GPU فقط با طول ثابت ممکن است؛ "
            "کپشن‌های کوتاه با <pad> پر و بلندها بریده می‌شوند و ماسک/ignore_index اثر pad را از زیان حذف می‌کند.",
            "Batches need equal-size tensors; pad short captions, truncate long ones, mask the padding.",
            [
                (
                    "batch",
                    0.5,
                    "ساخت batch و تنسور هم‌اندازه",
                    "batching needs equal sizes",
                    ["batch", "بچ", "دسته", "تنسور", "tensor"],
                ),
                (
                    "mask",
                    0.5,
                    "پر کردن با pad و نادیده گرفتن آن در زیان",
                    "padding ignored in the loss",
                    ["pad", "ignore", "ماسک", "mask"],
                ),
            ],
        ),
        "embedding": rubric(
            "one-hot بُعدی برابر اندازهٔ واژگان دارد، تُنُک است و همهٔ کلمه‌ها در آن هم‌فاصله‌اند؛ لایهٔ embedding "
            "بردارهای چگال کم‌بعد و یادگرفتنی می‌دهد که شباهت معنایی را نشان می‌دهند، حافظه و محاسبه را کم "
            "می‌کنند و با آموزش سرتاسری تنظیم می‌شوند.",
            "Dense, low-dimensional, learned vectors with semantic similarity vs sparse vocabulary-sized one-hot.",
            [
                (
                    "dense",
                    0.5,
                    "چگال و کم‌بعد در برابر تُنُک و هم‌اندازهٔ واژگان",
                    "dense vs sparse",
                    ["چگال", "dense", "تنک", "sparse", "بعد"],
                ),
                (
                    "semantic",
                    0.5,
                    "یادگرفتنی و دارای شباهت معنایی",
                    "learned, semantic similarity",
                    ["معنایی", "semantic", "شباهت", "یادگرفتنی", "learn"],
                ),
            ],
        ),
        "overfitting": rubric(
            "مقالهٔ Show and Tell با مقداردهی اولیهٔ CNN از مدل پیش‌آموزش‌دیده روی ImageNet (انتقال یادگیری)، "
            "dropout و گروه‌بندی چند مدل (ensemble) با بیش‌برازش مقابله می‌کند و تعبیهٔ کلمات را از پیش‌آموزش "
            "نمی‌گیرد چون کمکی نکرد؛ توقف زودهنگام روی اعتبارسنجی هم به‌کار رفته است.",
            "Pretrained CNN initialisation, dropout, ensembling (and early stopping).",
            [
                (
                    "pretrained",
                    0.5,
                    "مقداردهی از CNN پیش‌آموزش‌دیده",
                    "pretrained CNN initialisation",
                    ["پیش‌آموزش", "پیش آموزش", "pretrain", "imagenet", "انتقال"],
                ),
                (
                    "dropout",
                    0.5,
                    "dropout و ensemble",
                    "dropout and ensembling",
                    ["dropout", "ensemble", "گروه"],
                ),
            ],
        ),
        "masking": rubric(
            "ماسک علّی (look-ahead) نمی‌گذارد هر جایگاه رمزگشا به کلمه‌های آینده توجه کند، پس آموزش موازی با "
            "teacher forcing با شرایط تولید گام‌به‌گام سازگار می‌ماند و مدل پاسخ را «نمی‌بیند»؛ ماسک padding هم "
            "جایگاه‌های pad را از توجه و زیان حذف می‌کند.",
            "Causal mask hides future tokens (train = inference conditions); padding mask ignores pads.",
            [
                (
                    "causal",
                    0.5,
                    "ماسک علّی: پنهان کردن آینده",
                    "causal mask hides the future",
                    ["آینده", "future", "علی", "causal", "look-ahead"],
                ),
                ("padding", 0.5, "ماسک padding", "padding mask", ["pad"]),
            ],
        ),
        "positional": rubric(
            "توجه نسبت به جایگشت ورودی ناورداست؛ تعبیهٔ مکانی (سینوسی یا یادگرفتنی) که با تعبیهٔ کلمه جمع "
            "می‌شود، اطلاعات ترتیب کلمه‌ها را به رمزگشا می‌دهد.",
            "Attention is order-blind; positional embeddings added to word embeddings give word order.",
            [
                (
                    "order",
                    0.5,
                    "انتقال اطلاعات ترتیب/جایگاه",
                    "gives order information",
                    ["ترتیب", "order", "جایگاه", "position"],
                ),
                (
                    "invariant",
                    0.5,
                    "توجه به‌خودی‌خود ترتیب را نمی‌بیند؛ جمع با تعبیهٔ کلمه",
                    "attention is order-blind; added",
                    ["جایگشت", "permutation", "جمع", "add"],
                ),
            ],
        ),
        "bleu": rubric(
            "BLEU دقت n-گرام‌های اصلاح‌شده (برش شمارش با بیشینهٔ تکرار در مرجع‌ها) را برای n = ۱ تا ۴ حساب و "
            "میانگین هندسی آن‌ها را در جریمهٔ کوتاهی (brevity penalty) ضرب می‌کند؛ BLEU-n با وزن برابر تا n. "
            "باید گفت کدام پیاده‌سازی (NLTK در ۰ تا ۱، sacrebleu در ۰ تا ۱۰۰، توکن‌سازی و هموارسازی) به‌کار رفته.",
            "Clipped n-gram precision, geometric mean for n=1..4, brevity penalty; state the implementation.",
            [
                (
                    "precision",
                    0.5,
                    "دقت n-گرام اصلاح‌شده/برش‌خورده",
                    "clipped n-gram precision",
                    ["n-gram", "n-گرام", "دقت", "precision"],
                ),
                (
                    "bp",
                    0.5,
                    "میانگین هندسی و جریمهٔ کوتاهی",
                    "geometric mean, brevity penalty",
                    ["brevity", "کوتاهی", "هندسی", "geometric"],
                ),
            ],
        ),
    }
    return {"report_q1": q1, "report_q2": q2}
