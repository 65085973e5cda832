"""Build the example bonus submission handed in as several files (issue 16): HW7_Nouri_810199106.

It holds a Q1 fine-tuning notebook (`HW7_Q1_finetuning.ipynb`, the correct Q1 example's cells),
a Q2 captioning notebook (`HW7_Q2_captioning.ipynb`, the correct Q2 example's cells) and the
report PDF with the explanations (`report.pdf`, Persian, headed «سوال ۱» / «سوال ۲»). The
notebooks are copied from the single-notebook examples (HW7_Ahmadi, HW7_Rahimi) so that the
grades of the two ways of handing in can be compared. Regenerate from the repository root:

    .venv/bin/python assignments/bonus-llm-captioning/examples/make_multi_example.py
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "HW7_Nouri_810199106"
REPORT = """سوال ۱
مدل پایه فقط ادامهٔ متن را پیش‌بینی می‌کند و مدل instruct برای پیروی از دستور تنظیم شده است؛ برای گفتگو به فارسی نسخهٔ instruct را برگزیدیم.
LoRA دو ماتریس کم‌رتبه A و B را کنار وزن‌های منجمد لایه‌های توجه (q_proj و v_proj) می‌آموزد.
سوال ۲
توکن‌های <start> و <end> آغاز و پایان کپشن را نشان می‌دهند، <pad> طول‌ها را یکسان می‌کند و <unk> جای واژه‌های ناشناخته است.
BLEU هم‌پوشانی n-gramهای کپشن تولیدی با کپشن‌های مرجع را با جریمهٔ کوتاهی می‌سنجد.
"""


def make_pdf(text: str, path: Path) -> None:
    from weasyprint import HTML

    font = (HERE.parents[2] / "templates" / "fonts" / "Vazirmatn-Regular.ttf").as_uri()
    body = "".join(
        f"<h2>{html.escape(line)}</h2>"
        if line.startswith("سوال")
        else f"<p>{html.escape(line)}</p>"
        for line in text.splitlines()
    )
    HTML(
        string=f"<html dir='rtl' lang='fa'><head><style>@font-face{{font-family:V;src:url({font})}}"
        f"body{{font-family:V}}</style></head><body><h1>گزارش تمرین امتیازی</h1>{body}</body></html>"
    ).write_pdf(path)


def main() -> int:
    TARGET.mkdir(exist_ok=True)
    shutil.copyfile(
        HERE / "HW7_Ahmadi_810199101" / "q1_peft.ipynb", TARGET / "HW7_Q1_finetuning.ipynb"
    )
    shutil.copyfile(
        HERE / "HW7_Rahimi_810199104" / "q2_captioning.ipynb", TARGET / "HW7_Q2_captioning.ipynb"
    )
    make_pdf(REPORT, TARGET / "report.pdf")
    print(f"wrote {TARGET.name}: " + ", ".join(sorted(p.name for p in TARGET.iterdir())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
