"""Theory checks as tables: free-text location, labels, multiple choice, true/false, vectors,
rubrics; and TA scores replacing review results."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.answers.locate import locate_number
from graders.checks import get_check
from graders.checks.result import CheckResult, Status
from graders.facts import Facts
from graders.golden import Golden, load_golden
from graders.gradebook.ta_scores import TAScore, TAScores
from graders.review import UnknownItemError, apply_ta_scores, validate_points
from graders.scoring import CheckOutcome, GradeResult, PartScore, QuestionScore
from graders.spec import load_spec

LABELS = {
    "rnn": ["simple RNN", "RNN ساده", "RNN"],
    "gru": ["GRU"],
    "lstm": ["LSTM"],
    "bilstm": ["BiLSTM", "LSTM دوطرفه"],
}


@pytest.mark.parametrize(
    ("text", "slot", "value", "candidates"),
    [
        ("LSTM: ۴۹٬۶۶۴", "lstm", 49664, ()),
        ("تعداد پارامترهای LSTM برابر ۴۹٫۴۰۸ است و GRU برابر 37,248", "gru", 37248, ()),
        ("تعداد پارامترهای LSTM برابر ۴۹٫۴۰۸ است و GRU برابر 37,248", "lstm", 49408, ()),
        ("| LSTM | 4 × (64·192 + 64) = 49,664 |", "lstm", 49664, ()),
        ("BiLSTM دو برابر LSTM یعنی 99,328", "bilstm", 99328, ()),
        ("BiLSTM دو برابر LSTM یعنی 99,328", "lstm", None, ()),  # only mentioned
        ("۴۹٬۶۶۴ پارامتر برای LSTM", "lstm", 49664, ()),  # number before the label
        ("LSTM: 49408 یا 49664", "lstm", None, (49408, 49664)),
        ("LSTM: 49408\nLSTM (PyTorch): 49664", "lstm", None, (49408, 49664)),
        ("LSTM دوطرفه: 99,328 و LSTM: 49,664", "lstm", 49664, ()),
        ("GRU: 37,248", "lstm", None, ()),
    ],
)
def test_locate_number(text: str, slot: str, value: float | None, candidates: tuple) -> None:
    got = locate_number(text, slot, LABELS)
    assert got.value == value
    assert got.candidates == candidates


@pytest.fixture(scope="module")
def goldens() -> dict[str, Golden]:
    return {
        a: load_golden(a)
        for a in ("hw2-rnn", "hw5-attention-quiz", "hw5-transformers-ut", "hw5-rnn")
    }


def run(gold: Golden, name: str, answers: dict[str, str], **params: object) -> CheckResult:
    return get_check(name).run(Facts(answers=answers), gold, params)


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("many-to-one", Status.PASS),
        ("چند به یک", Status.PASS),
        ("Many to One (N:1)", Status.PASS),
        ("seq2seq", Status.FAIL),
        ("many-to-one یا one-to-many", Status.REVIEW),  # one right among several
        ("نمی‌دانم", Status.REVIEW),  # nothing readable: the TA decides
    ],
)
def test_label_answer(goldens: dict[str, Golden], answer: str, status: Status) -> None:
    r = run(goldens["hw2-rnn"], "label_answer", {"s": answer}, slot="s", golden="q3:sentiment")
    assert r.status == status
    assert r.score == (1.0 if status == Status.PASS else 0.0)


def test_label_alternative_goes_to_review(goldens: dict[str, Golden]) -> None:
    g = goldens["hw5-rnn"]
    assert (
        run(g, "label_answer", {"s": "Deep RNN (stacked LSTM)"}, slot="s", golden="q4:imdb").status
        == Status.PASS
    )
    alt = run(g, "label_answer", {"s": "Skip RNN"}, slot="s", golden="q4:imdb")
    assert alt.status == Status.REVIEW and alt.score == 0
    assert (
        run(g, "label_answer", {"s": "ConvLSTM"}, slot="s", golden="q4:imdb").status == Status.FAIL
    )
    assert (
        run(g, "label_answer", {"s": "ConvLSTM"}, slot="s", golden="q4:nowcasting").status
        == Status.PASS
    )


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("ب، ج", 1.0),
        ("2 و 3", 1.0),
        ("sentiment classification and gender recognition", 1.0),
        ("تحلیل احساسات", 0.5),
        ("الف، ب، ج", 0.5),  # one wrong pick cancels one right pick
        ("speech recognition", 0.0),
    ],
)
def test_choice_answer(goldens: dict[str, Golden], answer: str, score: float) -> None:
    r = run(goldens["hw5-attention-quiz"], "choice_answer", {"s": answer}, slot="s", golden="q1:a")
    assert r.score == pytest.approx(score)


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (r"$P(y_t \mid y_1, \ldots, y_{t-1})$", Status.PASS),
        ("P(y_t | y_{<t})", Status.PASS),
        ("P(y_t)", Status.FAIL),
    ],
)
def test_language_model_formula(goldens: dict[str, Golden], answer: str, status: Status) -> None:
    r = run(goldens["hw5-attention-quiz"], "label_answer", {"s": answer}, slot="s", golden="q1:c")
    assert r.status == status


def test_true_false_from_free_text(goldens: dict[str, Golden]) -> None:
    g = goldens["hw5-transformers-ut"]
    text = (
        "۱) نادرست: ترنسفورمر LSTM ندارد\n"
        "۲) درست\n"
        "۳) غلط، چند سر موازی است\n"
        "۴) صحیح؛ بدون positional encoding ترتیب دیده نمی‌شود"
    )
    answers = {"@pdf:Q4": text}
    for key, status in [
        ("lstm", Status.PASS),
        ("stacks", Status.PASS),
        ("multihead", Status.PASS),
        ("positional", Status.PASS),
    ]:
        r = run(
            g,
            "true_false_answer",
            answers,
            slot=f"Q4.tf.{key}",
            golden=f"concepts:{key}",
            labels="concepts:labels",
            label=key,
            section="Q4",
        )
        assert r.status == status, (key, r.message_en)
        assert r.evidence["source"] == "pdf"
    wrong = run(g, "true_false_answer", {"s": "درست"}, slot="s", golden="concepts:lstm")
    assert wrong.status == Status.FAIL and "recurrent" in wrong.message_en


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("[0.5227, -0.8306]", Status.PASS),
        ("(۰٫۵۲، −۰٫۸۳)", Status.PASS),
        ("[0.58, -1.19]", Status.FAIL),  # the pre-activation, tanh forgotten
        ("0.52", Status.REVIEW),
    ],
)
def test_vector_answer(goldens: dict[str, Golden], answer: str, status: Status) -> None:
    r = run(goldens["hw5-rnn"], "vector_answer", {"s": answer}, slot="s", golden="q2c:h")
    assert r.status == status
    if status == Status.FAIL:
        assert "tanh" in r.message_en


def test_rubric_review_highlights_and_awards_nothing(goldens: dict[str, Golden]) -> None:
    g = goldens["hw5-attention-quiz"]
    r = run(
        g,
        "rubric_review",
        {"Q3.b.text": "چون argmax مشتق‌پذیر نیست گرادیان صفر است؛ از softmax استفاده می‌کنیم."},
        slot="Q3.b.text",
        golden="q3:b",
    )
    assert r.status == Status.REVIEW and r.score == 0
    assert [bool(item["found"]) for item in r.evidence["rubric"]] == [True, True]
    assert r.evidence["reference_fa"] and r.evidence["source"] == "sheet"
    empty = run(g, "rubric_review", {}, slot="Q3.b.text", golden="q3:b")
    assert empty.status == Status.REVIEW and empty.evidence["key_points_seen"] == 0


def _result() -> GradeResult:
    review = CheckResult.review("بررسی", "review", rubric=[])
    passed = CheckResult.passed("درست", "ok")
    part_b = PartScore(
        "b", "ب", "b", 1.0, (CheckOutcome("tanh", "rubric_review", 1, False, "", "", review),)
    )
    part_c = PartScore(
        "c",
        "ج",
        "c",
        2.5,
        (
            CheckOutcome("h", "vector_answer", 1, False, "", "", passed),
            CheckOutcome("y", "vector_answer", 1, False, "", "", CheckResult.failed("x", "x")),
            CheckOutcome("softmax", "vector_answer", 0.5, False, "", "", review),
        ),
    )
    q = QuestionScore("Q2", "سوال ۲", "Q2", "theory", False, None, (part_b, part_c))
    return GradeResult("hw5-rnn", "HW5_A_1", ({"name": "a", "number": "1"},), "ok", (q,))


def test_ta_scores_replace_review_results(tmp_path: Path) -> None:
    spec = load_spec("hw5-rnn")
    assert validate_points(spec, "Q2.b", 0.75) == 1.0
    assert validate_points(spec, "Q2.c.softmax", 0.5) == pytest.approx(0.5)
    with pytest.raises(UnknownItemError):
        validate_points(spec, "Q2.b", 2)
    with pytest.raises(UnknownItemError):
        validate_points(spec, "Q9.z", 1)
    db = tmp_path / "gb.db"
    with TAScores(db) as ta:
        ta.set("hw5-rnn", "HW5_A_1", TAScore("Q2.b", 0.5, "نیمه", "ta1"))
        ta.set("hw5-rnn", "HW5_A_1", TAScore("Q2.b", 0.75, "محدودیت اشباع گفته نشد", "ta1"))
        ta.set("hw5-rnn", "HW5_A_1", TAScore("Q2.c.softmax", 0.5, "", "ta2"))
        scores = ta.latest("hw5-rnn", "HW5_A_1")
        assert ta.latest("hw5-rnn", "other") == {}
    assert scores["Q2.b"] == TAScore("Q2.b", 0.75, "محدودیت اشباع گفته نشد", "ta1")
    before = _result()
    assert before.total == pytest.approx(1.0)  # h only: 2.5 * 1 / 2.5
    after = apply_ta_scores(before, scores)
    assert after.total == pytest.approx(0.75 + 1.0 + 0.5)
    b = after.questions[0].parts[0].checks[0].result
    assert (
        b.status == Status.PARTIAL
        and "0.75" in b.message_en
        and b.evidence["ta"]["grader"] == "ta1"
    )
    assert not after.questions[0].parts[1].needs_review
    js = apply_ta_scores(GradeResult.from_json(before.to_json(), "hw5-rnn"), scores).to_json()
    assert js["score"] == pytest.approx(after.total)
    assert js["questions"][0]["parts"][0]["checks"][0]["status"] == "partial"


def test_score_and_answer_sheet_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graders.cli import run as cli

    db = tmp_path / "gb.db"
    assert (
        cli(
            [
                "score",
                "set",
                "hw5-rnn",
                "HW5_A_1",
                "Q3.a",
                "3.5",
                "--comment",
                "خوب",
                "--gradebook",
                str(db),
            ]
        )
        == 0
    )
    assert "3.5/4" in capsys.readouterr().out
    with TAScores(db) as ta:
        assert ta.latest("hw5-rnn", "HW5_A_1")["Q3.a"].points == 3.5
    out = tmp_path / "answers.md"
    assert cli(["answer-sheet", "hw2-rnn", "--format", "md", "--out", str(out)]) == 0
    assert "`Q2.c.params`" in out.read_text(encoding="utf-8")
