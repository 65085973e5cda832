"""Several notebooks per submission (issue 16): binding by file name, by content, the lone
notebook; each question graded from its own notebook, named in the results."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from pydantic import ValidationError

from graders.binding import bind_notebooks, notebooks_in, question_notebooks
from graders.golden import load_golden
from graders.pipeline import grade_submission
from graders.scoring import GradeResult
from graders.spec.loader import load_spec
from graders.spec.models import AssignmentSpec

SPEC = load_spec("bonus-llm-captioning")
EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "assignments"
    / "bonus-llm-captioning"
    / "examples"
    / "HW7_Nouri_810199106"
)


def notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def bound(folder: Path) -> dict[str, tuple[str | None, str]]:
    found = bind_notebooks(SPEC, notebooks_in(folder, "*.ipynb"))
    return {
        q: (b.notebook.name if b.notebook else None, b.how)
        for q, b in question_notebooks(found).items()
    }


def test_bound_by_file_name(tmp_path: Path) -> None:
    notebook(tmp_path / "HW7_Q2_Captioning.ipynb", "x = 1")
    notebook(tmp_path / "hw7_q1.ipynb", "y = 2")
    notebook(tmp_path / ".ipynb_checkpoints" / "hw7_q1-checkpoint.ipynb", "z = 3")
    assert bound(tmp_path) == {
        "Q1": ("hw7_q1.ipynb", "name"),
        "Q2": ("HW7_Q2_Captioning.ipynb", "name"),
    }


def test_bound_by_content_when_names_say_nothing(tmp_path: Path) -> None:
    notebook(tmp_path / "a.ipynb", "bleu_scores = {}\nmodel = ImageCaptioningModel()")
    notebook(tmp_path / "b.ipynb", "q1_results = {}\nconfig = LoraConfig(r=8)")
    assert bound(tmp_path) == {"Q1": ("b.ipynb", "content"), "Q2": ("a.ipynb", "content")}


def test_one_notebook_answers_both(tmp_path: Path) -> None:
    notebook(tmp_path / "everything.ipynb", "print('hi')")
    assert bound(tmp_path) == {
        "Q1": ("everything.ipynb", "single"),
        "Q2": ("everything.ipynb", "single"),
    }


def test_a_question_without_its_notebook(tmp_path: Path) -> None:
    notebook(tmp_path / "q1.ipynb", "q1_results = {}")
    notebook(tmp_path / "notes.ipynb", "print('nothing here')")
    assert bound(tmp_path) == {"Q1": ("q1.ipynb", "name"), "Q2": (None, "none")}


def test_bindings_must_name_known_questions_and_probes() -> None:
    raw = SPEC.model_dump()
    raw["notebook"]["bind"][0]["questions"] = ["Q9"]
    with pytest.raises(ValidationError, match="unknown questions"):
        AssignmentSpec.model_validate(raw)
    raw = SPEC.model_dump()
    raw["notebook"]["bind"][0]["probes"] = ["vars"]
    with pytest.raises(ValidationError, match="probes not declared"):
        AssignmentSpec.model_validate(raw)


@pytest.fixture(scope="module")
def graded() -> GradeResult:
    return grade_submission(SPEC, EXAMPLE, load_golden("bonus-llm-captioning"))


@pytest.mark.slow
def test_separate_q1_and_q2_notebooks_and_a_report_are_graded_fully(graded: GradeResult) -> None:
    assert graded.outcome == "ok", graded.run_message
    data = {q["id"]: q for q in graded.to_json()["questions"]}
    assert data["Q1"]["notebook"] == "HW7_Q1_finetuning.ipynb"
    assert data["Q2"]["notebook"] == "HW7_Q2_captioning.ipynb"
    assert data["Q1-theory"]["notebook"] == ""  # the explanations come from the report PDF
    for qid in ("Q1", "Q2"):
        failing = {
            f"{p['id']}.{c['id']}": c["message_en"]
            for p in data[qid]["parts"]
            for c in p["checks"]
            if c["status"] != "pass"
        }
        assert failing == {}, (qid, failing)
        assert data[qid]["score"] == 100  # both capped at 100
    # Q2's facts come from the Q2 notebook only: the Q1 notebook has no captioning facts, and
    # Q1's from the Q1 notebook only (its PEFT models)
    bleu = next(p for p in data["Q2"]["parts"] if p["id"] == "cnn-rnn")["checks"][-1]
    assert bleu["evidence"]["declared_test_images"] == 30
    theory = [c for p in data["Q2-theory"]["parts"] for c in p["checks"]]
    special = next(c for c in theory if c["id"] == "special-tokens")
    assert special["status"] == "review" and "<pad>" in str(special["evidence"])
    assert not any(
        "several notebooks" in fa_en["message_en"] for fa_en in graded.to_json()["problems"]
    )


@pytest.mark.slow
def test_the_report_names_each_questions_notebook(graded: GradeResult, tmp_path: Path) -> None:
    from graders.answers.student_report_text import pdf_text
    from graders.commands.grade import assignment_info
    from graders.report.render import render_student_report

    pdf = render_student_report(
        graded, tmp_path / "report.pdf", assignment=assignment_info(SPEC)
    )
    text = pdf_text(pdf)
    assert "HW7_Q1_finetuning.ipynb" in text and "HW7_Q2_captioning.ipynb" in text
