"""Theory answers read from the three sources (answer sheet, notebook Markdown, report PDF),
through the real pipeline, with Persian digits and separators; the right slots get the scores."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest
import yaml

from graders.answers.locate import normalize_text
from graders.answers.sections import split_sections
from graders.answers.sheet import flatten
from graders.answers.sources import read_markdown_sheet
from graders.answers.student_report_text import pdf_text
from graders.commands import answer_sheet
from graders.golden import load_golden
from graders.paths import templates_dir
from graders.pipeline import grade_submission
from graders.spec import load_spec

HW2_ANSWER = """\
سوال ۱
الف) مدل CAM-RNN توجه بصری روی نواحی و فریم‌ها، توجه متنی روی n-gramهای قبلی، یک دروازهٔ توازن و مولد LSTM دارد.
ب) بله، اما توجه زمانی روی فریم‌ها در تصویر تک‌فریمی حذف می‌شود.
سوال ۲
RNN ساده: ۱۲٬۴۱۶ پارامتر
GRU دارای 3 × 12,416 = 37,248 پارامتر است و LSTM برابر ۴۹٫۶۶۴ است.
برای BiLSTM دو برابر LSTM یعنی 99,328.
سوال ۳
خلاصه‌سازی متن: many-to-many (seq2seq)
ترجمه ماشینی: seq2seq
تحلیل احساسات: چند به یک چون کل متن یک برچسب می‌گیرد
تبدیل متن به گفتار: one-to-one
سوال ۴
ج) ضریب برش 5/10 = ۰٫۵ و نرم جدید ۵ است؛ برش با نرم جهت را حفظ می‌کند.
"""


def checks(result) -> dict:
    return {
        f"{q.id}.{p.id}.{c.id}": c.result
        for q in result.questions
        for p in q.parts
        for c in p.checks
    }


def make_pdf(text: str, path: Path) -> Path:
    """A student's report: Persian RTL paragraphs in Vazirmatn, rendered by WeasyPrint."""
    from weasyprint import HTML

    font = (templates_dir() / "fonts" / "Vazirmatn-Regular.ttf").as_uri()
    body = "".join(
        f"<h2>{html.escape(line)}</h2>"
        if line.startswith("سوال")
        else f"<p>{html.escape(line)}</p>"
        for line in text.splitlines()
    )
    HTML(
        string=f"<html dir='rtl' lang='fa'><head><style>@font-face{{font-family:V;src:url({font})}}"
        f"body{{font-family:V}}</style></head><body><h1>گزارش تمرین</h1>{body}</body></html>"
    ).write_pdf(path)
    return path


def make_notebook(path: Path, cells: list[tuple[str, list[str]]]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")] + [
        nbformat.v4.new_markdown_cell(src, metadata={"tags": tags}) for src, tags in cells
    ]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def hw2():
    return load_spec("hw2-rnn"), load_golden("hw2-rnn")


def assert_hw2_numbers(c: dict, source: str) -> None:
    for key in ("Q2.a.rnn", "Q2.b.gru", "Q2.c.lstm", "Q2.d.bilstm"):
        assert c[key].status == "pass", (key, c[key].message_en)
        assert c[key].evidence["source"] == source
    assert c["Q3.a.summarization"].status == "pass"
    assert c["Q3.a.translation"].status == "pass"
    assert c["Q3.a.sentiment"].status == "pass"
    assert c["Q3.a.tts"].status == "fail"  # one-to-one is wrong for text-to-speech
    assert "seq2seq" in c["Q3.a.tts"].message_en
    assert c["Q3.a.paraphrase"].status == "review"  # text exists, task not named: the TA looks
    assert c["Q4.c.factor"].status == "pass" and c["Q4.c.norm-after"].status == "pass"
    rubric = c["Q1.a.modules"]
    assert rubric.status == "review" and rubric.score == 0
    assert rubric.evidence["source"] == source and rubric.evidence["key_points_seen"] >= 3


def test_pdf_report_round_trip(tmp_path: Path, hw2) -> None:
    spec, golden = hw2
    sub = tmp_path / "HW2_Ahmadi_810199101"
    sub.mkdir()
    pdf = make_pdf(HW2_ANSWER, sub / "report.pdf")
    text = pdf_text(pdf)
    assert "۴۹٫۶۶۴" in text and "سوال ۲" in text  # logical order, Persian digits kept
    result = grade_submission(spec, sub, golden)
    c = checks(result)
    assert_hw2_numbers(c, "pdf")
    # three parts of Q2 right: the points follow the checks
    q2 = next(q for q in result.questions if q.id == "Q2")
    assert q2.score == pytest.approx(8)


def test_notebook_markdown_cells_headed_and_tagged(tmp_path: Path, hw2) -> None:
    spec, golden = hw2
    sub = tmp_path / "HW2_Bagheri_810199102"
    sub.mkdir()
    q1, rest = HW2_ANSWER.split("سوال ۲\n")
    q2, rest = rest.split("سوال ۳\n")
    q3, q4 = rest.split("سوال ۴\n")
    make_notebook(
        sub / "hw2.ipynb",
        [
            ("## " + q1, []),  # headed «## سوال ۱»
            ("### Q2\n" + q2, []),  # headed «Q2»
            (q3, ["Q3"]),  # tagged
            (q4, ["answer:Q4"]),
        ],
    )
    c = checks(grade_submission(spec, sub, golden))
    assert_hw2_numbers(c, "md")


def test_answer_sheet_wins_and_reads_persian_digits(tmp_path: Path, hw2) -> None:
    spec, golden = hw2
    sub = tmp_path / "HW2_Karimi_810199103"
    sub.mkdir()
    (sub / "answers.yaml").write_text(
        yaml.safe_dump(
            {
                "Q2": {
                    "a": {"params": "۱۲٬۳۵۲"},  # textbook convention
                    "b": {"params": "۳ × (۱۲۸×۶۴ + ۶۴×۶۴ + ۶۴) = ۳۷٬۰۵۶"},
                    "c": {"params": "۴۹٫۴۰۸"},  # ٫ misused as a thousands separator
                    "d": {"params": "98 816"},
                },
                "Q3": {"a": {"sentiment": "many-to-one"}},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    make_pdf("سوال ۲\nLSTM: 1\nسوال ۳\nتحلیل احساسات: one-to-one", sub / "report.pdf")
    c = checks(grade_submission(spec, sub, golden))
    for key in ("Q2.a.rnn", "Q2.b.gru", "Q2.c.lstm", "Q2.d.bilstm", "Q3.a.sentiment"):
        assert c[key].status == "pass", (key, c[key].message_en)
        assert c[key].evidence["source"] == "sheet"
    assert "textbook" in c["Q2.c.lstm"].message_en


def test_ambiguous_free_text_goes_to_the_ta(tmp_path: Path, hw2) -> None:
    spec, golden = hw2
    sub = tmp_path / "HW2_Rezaei_810199104"
    sub.mkdir()
    make_notebook(
        sub / "hw2.ipynb",
        [("## سوال ۲\nLSTM: ۴۹٬۴۰۸ یا ۴۹٬۶۶۴\nGRU: 37,000\nسوال ۴\nج) با نرم", [])],
    )
    c = checks(grade_submission(spec, sub, golden))
    assert c["Q2.c.lstm"].status == "review" and c["Q2.c.lstm"].score == 0
    assert c["Q2.c.lstm"].evidence["candidates"] == [49408, 49664]
    assert c["Q2.b.gru"].status == "fail"  # a clear wrong value is wrong, and says why
    assert "37,248" in c["Q2.b.gru"].message_en and "bias" in c["Q2.b.gru"].message_en
    assert c["Q2.a.rnn"].status == "review"  # Q2 text exists, no value next to «RNN»
    assert c["Q4.c.factor"].status == "review"  # text exists, no factor given
    assert c["Q1.a.modules"].status == "review"  # no text at all: still the TA's call


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سوال ۲ - ۱۵ نمره\nالف) متن", {"Q2": "15 نمره\nمتن", "Q2.a": "متن"}),
        ("## پرسش ۳\n(ب) پاسخ", {"Q3": "پاسخ", "Q3.b": "پاسخ"}),
        ("**Question 4:** true\nb) x", {"Q4": "true\nx", "Q4.b": "x"}),
        ("Q5. پاسخ\nسوال دوم\nادامه", {"Q5": "پاسخ", "Q2": "ادامه"}),
        ("مقدمه\nQ1.a.L1.weights: 3072", {}),  # a slot id is no heading
    ],
)
def test_split_sections(text: str, expected: dict[str, str]) -> None:
    assert split_sections(text) == expected


@pytest.mark.parametrize(
    "assignment",
    ["hw2-rnn", "hw5-rnn", "hw5-attention-quiz", "hw5-transformers-ut", "bonus-llm-captioning"],
)
def test_answer_sheet_templates_cover_every_slot(assignment: str) -> None:
    spec = load_spec(assignment)
    slots = set(answer_sheet.slot_ids(spec))
    assert slots
    data = yaml.safe_load(answer_sheet.main(assignment=assignment))
    data.pop("student")
    assert set(flatten({k: _fill(v) for k, v in data.items()})) == slots


def _fill(tree):
    return {k: _fill(v) for k, v in tree.items()} if isinstance(tree, dict) else "x"


def test_markdown_answer_sheet_round_trip(tmp_path: Path) -> None:
    template = answer_sheet.main(assignment="hw5-attention-quiz", fmt="md")
    filled = (
        template.replace("- `Q1.a.choice`: ", "- `Q1.a.choice`: ب، ج")
        .replace("- `Q3.a.s2`: ", "- `Q3.a.s2`: ۶ − ۲ − ۱ = ۳")
        .replace(
            "### `Q3.b.text` — چرا آموزش توجه argmax دشوار است و چه کمک می‌کند\n",
            "### `Q3.b.text` — چرا آموزش توجه argmax دشوار است و چه کمک می‌کند\nargmax مشتق‌پذیر نیست.\nاز softmax استفاده کنید.\n",
        )
    )
    path = tmp_path / "answers.md"
    path.write_text(filled, encoding="utf-8")
    got = read_markdown_sheet(path)
    assert got == {
        "Q1.a.choice": "ب، ج",
        "Q3.a.s2": "۶ − ۲ − ۱ = ۳",
        "Q3.b.text": "argmax مشتق‌پذیر نیست.\nاز softmax استفاده کنید.",
    }
    spec, golden = load_spec("hw5-attention-quiz"), load_golden("hw5-attention-quiz")
    c = checks(grade_submission(spec, tmp_path, golden))
    assert c["Q1.a.many-to-one"].status == "pass"
    assert c["Q3.a.s2"].status == "pass"
    assert c["Q3.a.s1"].status == "fail"
    assert c["Q3.b.training"].evidence["key_points_seen"] == 2


def test_project_report_pdf_round_trips(tmp_path: Path, hw2) -> None:
    """A PDF from the project's own renderer reads back in logical order, split by question."""
    from graders.commands.grade import assignment_info
    from graders.report.render import render_student_report

    spec, golden = hw2
    sub = tmp_path / "HW2_Ahmadi_810199101"
    sub.mkdir()
    (sub / "answers.yaml").write_text("Q2:\n  c:\n    params: '۴۹٬۶۶۴'\n", encoding="utf-8")
    result = grade_submission(spec, sub, golden)
    pdf = tmp_path / "report.pdf"
    render_student_report(result, pdf, assignment=assignment_info(spec))
    sections = split_sections(pdf_text(pdf))
    assert {"Q1", "Q2", "Q3", "Q4"} <= set(sections)
    q2 = normalize_text(sections["Q2"])
    assert normalize_text("تعداد پارامترهای یک لایه") in q2  # the title, in logical order
    assert "no answer found for q2.d.params" in q2  # each question's feedback under it
    assert "√ lstm 2/2" in q2  # a passed check is one line
    # alike failures (parts a and b) are one block listing their answer slots
    # (the extracted text is NFKC-normalised: the ellipsis reads back as three dots)
    assert normalize_text("no answer found for … (answer sheet,") in q2 and "q2.a.params" in q2
