"""Student-style report PDFs (three producers) graded against their truth files, and the
pieces that read them: extraction per producer, headings, TA-style value reading, policy."""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest

from graders.answers.find import NumberQuery, find_number
from graders.answers.locate import normalize_text
from graders.answers.reading import HIGH, MEDIUM, join_formulas, non_answer, read_number
from graders.answers.sections import numbered_part, part_letter, question_number
from graders.answers.student_report_text import pdf_text
from graders.golden import load_golden
from graders.paths import templates_dir
from graders.pipeline import grade_submission
from graders.spec import load_spec

CORPUS = Path(__file__).parent / "files" / "reports_corpus"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import theory_corpus  # noqa: E402

REPORTS = sorted(p.parent.name for p in CORPUS.glob("*/truth.yaml"))


def test_corpus_is_complete() -> None:
    assert len(REPORTS) == 8
    producers = {n.rsplit("_", 1)[1] for n in REPORTS}
    assert producers == {"weasyprint", "libreoffice", "reportlab"}


@pytest.mark.parametrize("name", REPORTS)
def test_corpus_report_decided_without_false_fail_or_pass(name: str) -> None:
    """Per report: no correct answer marked wrong, no wrong or absent one passed, and at
    least 85 % of the slots decided right without the TA."""
    tally = theory_corpus.judge(CORPUS / name)
    wrong = [r for r in tally.rows if r[2] in ("FALSE FAIL", "FALSE PASS")]
    assert tally.false_fail == 0 and tally.false_pass == 0, wrong
    assert tally.coverage >= 0.85, [r for r in tally.rows if r[2] != "right"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("r01_hw2-rnn_weasyprint", ["خلاصه", "قبلاً", "لایه"]),  # lam-alef kept
        ("r02_hw2-rnn_libreoffice", ["اطلاعات", "زبانی"]),  # lam-alef, kashida runs dropped
        ("r06_hw5-rnn_reportlab", ["پاسخ ۱", "لایه اول", "ماتریس"]),  # presentation forms
    ],
)
def test_extraction_per_producer(name: str, words: list[str]) -> None:
    text = pdf_text(CORPUS / name / "report.pdf")
    assert not any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)
    assert "زبYYانی" not in text and "سYYهم" not in text
    for word in words:
        assert word in text.replace("\u200c", ""), word
    assert "\f" in text  # page breaks kept for the evidence's page number


def test_headings_of_every_form() -> None:
    assert question_number("سوال اول") == (1, "")
    assert question_number("سوال 3")[0] == 3
    assert question_number("سوال 1)")[0] == 1
    assert question_number("پاسخ ۱ - مدل CAM-RNN") == (1, "مدل CAM-RNN")
    assert numbered_part("## 2-1") == (2, "a", "")
    assert numbered_part("(3-2) توجیه") == (3, "b", "توجیه")
    assert numbered_part(")2-1( تعداد عملیات") == (1, "b", "تعداد عملیات")  # RTL-mirrored
    assert numbered_part("2-1 = 1") is None
    assert part_letter("(B) foo") == ("b", "foo")
    assert part_letter("GRU (b)") == ("b", "GRU")
    assert part_letter("1. لایه simple RNN") is None  # list numbering is no part


@pytest.mark.parametrize(
    ("text", "value", "confidence"),
    [
        ("Parameters = (128×64)+(64×64)+64 = 12352", 12352, HIGH),
        ("3 × 12,352 = 37,056", 37056, HIGH),
        ("پس در مجموع ۴۹۴۰۸ پارامتر داریم", 49408, HIGH),
        ("1. k2 = [2, 2, 1] : 6 - 2 - 1 = 3", 3, HIGH),
        ("وزن‌ها: 64 × 32 = 2,048 و 64 × 64 = 4,096؛ مجموع 6,144", 6144, HIGH),
        ("12,587,008 4,096 12,582,912 4096 3072 fc1", 12587008, MEDIUM),  # table row total
        ("650 10 640 10 64 fc7", 650, MEDIUM),  # cells, not «10 640» = 10640
    ],
)
def test_read_number_like_a_ta(text: str, value: float, confidence: str) -> None:
    reading = read_number(normalize_text(text))
    assert reading.value == pytest.approx(value) and reading.confidence == confidence


def test_reading_refuses_operands_and_lists() -> None:
    assert read_number(normalize_text("GRU حدود ۳۷ هزار پارامتر")).confidence == MEDIUM
    assert read_number(normalize_text("= 3 × 12,416")).value is None
    assert read_number(normalize_text("ابعاد 32 × 64 و 3 لایه")).value == 3
    assert read_number(normalize_text("LSTM: ۴۹٬۴۰۸ یا ۴۹٬۶۶۴")).candidates == (49408, 49664)
    assert join_formulas("$$ P = 3\n\\times 12416 = 37248 $$").count("\n") == 0
    assert non_answer("به این سوال پاسخ نداده‌ام.") and not non_answer("پاسخ: 12 = 3 × 4")


def test_policy_abstains_unless_confident() -> None:
    doc = "سوال ۲\nGRU: 3 × 12416 = 37248\nLSTM: یا 49664 یا 37248\n"
    answers = {"@pdf:@doc": doc, "@pdf:Q2": doc.split("\n", 1)[1]}
    labels = {"gru": ["GRU"], "lstm": ["LSTM"]}
    gru = find_number(answers, "Q2.b.params", query=NumberQuery(label="gru", labels=labels))
    assert gru.status == "read" and gru.reading.value == 37248 and gru.reading.confidence == HIGH
    lstm = find_number(answers, "Q2.c.params", query=NumberQuery(label="lstm", labels=labels))
    assert lstm.status == "unread" and lstm.candidates == (37248, 49664)
    assert find_number({}, "Q2.c.params", query=NumberQuery(label="lstm", labels=labels)).status == "absent"


def _weasy_report(path: Path, body: str) -> Path:
    from weasyprint import HTML

    font = (templates_dir() / "fonts" / "Vazirmatn-Regular.ttf").as_uri()
    HTML(
        string=f"<html dir='rtl' lang='fa'><head><style>@font-face{{font-family:V;src:url({font})}}"
        f"body{{font-family:V}}</style></head><body>{body}</body></html>"
    ).write_pdf(path)
    return path


def test_own_report_topic_headings_and_layer_blocks(tmp_path: Path) -> None:
    """A report in another style: «پاسخ N» headings, «(1-1)» parts, a block per layer with
    bullets, a summary sentence after the blocks, and a skipped bonus question."""
    layers = [
        ("لایهٔ اول", "32 × 64 + 32 × 32 = 3,072", "32 + 32 = 64", "(B, 50, 32)"),
        ("لایهٔ دوم", "64 × 32 + 64 × 64 = 6,144", "64 + 64 = 128", "(B, 50, 64)"),
    ]
    blocks = "".join(
        f"<p>{html.escape(n)}:</p><ul><li>اندازهٔ خروجی: {s}</li><li>وزن‌ها: {w}</li>"
        f"<li>بایاس‌ها: {b}</li></ul>"
        for n, w, b, s in layers
    )
    sub = tmp_path / "HW5_Rahimi_402000001"
    sub.mkdir()
    _weasy_report(
        sub / "report.pdf",
        f"<h1>پاسخ ۱ - پارامترها</h1><h2>(1-1) اندازهٔ خروجی و پارامترها</h2>{blocks}"
        "<p>جمع کل پارامترها: 9,408</p><h1>پاسخ ۴ (امتیازی)</h1><p>به این سوال پاسخ نداده‌ام.</p>",
    )
    result = grade_submission(load_spec("hw5-rnn"), sub, load_golden("hw5-rnn"))
    c = {
        f"{q.id}.{p.id}.{o.id}": o.result
        for q in result.questions
        for p in q.parts
        for o in p.checks
    }
    for key in ("L1-weights", "L1-biases", "L2-weights", "L2-biases", "L1-output-shape"):
        assert c[f"Q1.a.{key}"].status == "pass", (key, c[f"Q1.a.{key}"].message_en)
    ev = c["Q1.a.L2-weights"].evidence
    assert ev["source"] == "pdf" and ev["page"] == 1 and ev["confidence"] in (HIGH, MEDIUM)
    assert "reason" in ev
    # layers 3 and 4 are not in the report: no block, no reading; the TA looks (never a pass)
    assert c["Q1.a.L3-weights"].status != "pass"


def test_own_notebook_markdown_without_question_headings(tmp_path: Path) -> None:
    """Answers in notebook Markdown go through the same locating and policy: topic headings
    only, answers out of order, the choice argued per option, one question skipped."""
    import nbformat

    from graders.answers.sources import gather_answers
    from graders.facts import Facts
    from graders.pipeline import run_checks

    cells = [
        "## توجه argmax\nشباهت هر کلید با پرسش:\n\n"
        "1. k1: 3×1 + (-1)×2 + (-1)×3 = -2\n2. k2: 6 - 2 - 1 = 3\n"
        "3. k3: 0 - 1 + 1 = 0\n4. k4: 0 - 2 + 1 = -1\n\nخروجی = v2 = [1, 4, 3]",
        "## پرسش‌های کوتاه\n### کدام کارها many-to-one هستند؟\n"
        "بازشناسی گفتار دنباله به دنباله است و مناسب نیست؛ تحلیل احساسات و تشخیص جنسیت "
        "مناسب‌اند. بنابراین گزینه‌های ۲ و ۳ درست است.",
        "### حال حیوان خانگی\nRNN یک‌طرفه کافی است، و RNN دوطرفه لازم نیست چون آینده را نداریم.",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(c) for c in cells]
    path = tmp_path / "quiz.ipynb"
    nbformat.write(nb, path)
    spec, golden = load_spec("hw5-attention-quiz"), load_golden("hw5-attention-quiz")
    facts = Facts(answers=gather_answers(None, {}, notebook=path))
    results = {
        c_spec.params["slot"]: o.result
        for q_spec, q in zip(spec.questions, run_checks(spec, facts, golden), strict=True)
        for p_spec, p in zip(q_spec.parts, q.parts, strict=True)
        for c_spec, o in zip(p_spec.checks, p.checks, strict=True)
        if "slot" in c_spec.params
    }
    for slot in ("Q3.a.s1", "Q3.a.s2", "Q3.a.s3", "Q3.a.s4", "Q3.a.output", "Q1.a.choice"):
        assert results[slot].status == "pass", (slot, results[slot].message_en)
        assert results[slot].evidence["source"] == "md"
    assert results["Q1.b.choice"].status == "pass", results["Q1.b.choice"].message_en
    # the language-model question is not in the notebook at all: 0, not answered
    assert results["Q1.c.choice"].status == "fail"
    assert "no answer" in results["Q1.c.choice"].message_en


def test_verdicts_read_negations() -> None:
    from graders.answers.verdicts import concluded_options, verdict

    words = {"true": ["درست", "صحیح"], "false": ["نادرست", "غلط"]}
    assert verdict(normalize_text("«ترنسفورمر LSTM دارد.» نادرست است، زیرا … درست"), words) == [
        "false"
    ]
    assert verdict(normalize_text("«ترنسفورمر LSTM دارد.» درست نیست."), words) == ["false"]
    assert verdict(normalize_text("«کدگذاری مکانی حیاتی است.» غلط نیست."), words) == ["true"]
    assert verdict(normalize_text("درست است که LSTM دارد ولی گزاره نادرست است"), words) == []
    options = {"a": ["الف", "1"], "b": ["ب", "2"], "c": ["ج", "3"]}
    assert concluded_options("پس جواب: گزینه 2 و 3", options) == ["b", "c"]
    assert concluded_options("بنابراین گزینهٔ ج) درست است.", options) == ["c"]
    assert concluded_options("پس گزینه ۱ مناسب نیست.", options) is None


def test_parts_by_topic_with_list_numbers() -> None:
    """Q2 answered in subsections «1. لایه simple RNN», … with the computation below: the list
    numerals and operands are never read as answers (the issue's hw2-rnn report)."""
    from graders.facts import Facts
    from graders.pipeline import run_checks

    text = (
        "سوال ۲\n1. لایه simple RNN\nParameters = (128×64)+(64×64)+64 = 12352\n"
        "2. لایه GRU\nParameters = 3 × 12,352 = 37,056\n3. لایه LSTM\n"
        "هر گیت ۱۲٬۳۵۲ پارامتر دارد، پس در مجموع ۴۹۴۰۸ پارامتر داریم\n"
        "4. BiLSTM\n2 × 49,408 = 98,816\n"
    )
    spec, golden = load_spec("hw2-rnn"), load_golden("hw2-rnn")
    answers = {"@md:@doc": text, "@md:Q2": text.split("\n", 1)[1]}
    scores = run_checks(spec, Facts(answers=answers), golden)
    q2 = next(q for q in scores if q.id == "Q2")
    for part in q2.parts:
        result = part.checks[0].result
        assert result.status == "pass", (part.id, result.message_en)
        assert result.evidence["source"] == "md"


def test_evidence_shows_section_page_and_excerpt() -> None:
    _, results = theory_corpus.slot_results(CORPUS / "r12_hw5-transformers-ut_reportlab")
    tf = results["Q4.tf.lstm"].evidence
    assert (tf["source"], tf["section"], tf["page"]) == ("pdf", "Q4", 3)  # cover, contents, Q4
    assert "LSTM" in tf["snippet"]
    fc1 = results["Q2.mlp.fc1"].evidence
    assert fc1["confidence"] == HIGH and fc1["page"] == 4 and "12,587,008" in fc1["snippet"]


def test_own_report_true_false_as_a_table(tmp_path: Path) -> None:
    """Another style: «سوال 4» with Latin digit, true/false as a two-column table (cells come
    out one per line), «صحیح»/«غلط» as verdicts; the fourth statement left out."""
    rows = [
        ("ترنسفورمر پایه در برخی لایه‌ها از LSTM استفاده می‌کند.", "غلط"),
        ("ترنسفورمر چند بلوک رمزگذار و چند بلوک رمزگشا دارد.", "صحیح"),
        ("توجه چندسر یک بخش توجه و چند لایهٔ تمام‌متصل موازی است.", "صحیح"),
    ]
    table = "".join(f"<tr><td>{html.escape(a)}</td><td>{b}</td></tr>" for a, b in rows)
    sub = tmp_path / "HW5_Karimi_402000002"
    sub.mkdir()
    _weasy_report(
        sub / "report.pdf",
        f"<h2>سوال 4)</h2><table><tr><th>گزاره</th><th>پاسخ</th></tr>{table}</table>",
    )
    from graders.answers.sources import gather_answers
    from graders.facts import Facts
    from graders.pipeline import run_checks

    spec, golden = load_spec("hw5-transformers-ut"), load_golden("hw5-transformers-ut")
    facts = Facts(answers=gather_answers(None, {}, report=sub / "report.pdf"))
    q4 = next(q for q in run_checks(spec, facts, golden) if q.id == "Q4")
    got = {o.id: o.result for p in q4.parts for o in p.checks}
    assert got["lstm"].status == "pass" and got["stacks"].status == "pass"
    assert got["multihead"].status == "fail"  # «صحیح» is wrong: the statement is false
    assert got["positional"].status == "fail" and "occurs nowhere" in got["positional"].message_en
