"""The student report's layout: statement order, the first page's summary of lost points,
passed checks as one line, alike failures grouped, shared figures drawn once, time source."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from graders.report import samples
from graders.report.feedback_readback import normalise
from graders.report.render import render_student_report
from graders.report.view import statement_order, student_view
from graders.scoring import QuestionScore

NOW = dt.datetime(2026, 1, 5, 10, 0)


def _ids(questions: list[dict]) -> list[str]:
    return [q["id"] for q in questions]


def _question(qid: str) -> QuestionScore:
    return QuestionScore(qid, "", "", "theory", False, None, ())


def test_statement_order_numeric_ids_then_the_rest_as_listed() -> None:
    qs = [_question(i) for i in ("Q1", "X", "Q6", "Q2", "Q10", "A", "Q3")]
    ordered = [q.id for q in statement_order(qs)]
    assert ordered == ["Q1", "Q2", "Q3", "Q6", "Q10", "X", "A"]


def _no_answer(slot: str, worth: float = 0.5) -> dict:
    return {
        "id": slot.replace(".", "-"), "check": "numeric_answer", "status": "fail", "score": 0.0,
        "weight": worth, "hidden": False, "max": worth,
        "message_fa": f"پاسخی برای «{slot}» در پاسخ‌نامه پیدا نشد.",
        "message_en": f"no answer found for {slot} (answer sheet).",
        "evidence": {"slot": slot},
    }  # fmt: skip


def _result() -> dict:
    result = samples.sample_result(3, figures=True)
    q6 = next(q for q in result["questions"] if q["id"] == "Q6")
    q1 = next(q for q in result["questions"] if q["id"] == "Q1")
    result["questions"] = [q6, q1]  # the spec's order: Q6 listed first
    q1["parts"][0]["checks"].extend(_no_answer(f"Q1.a.L{n}.weights") for n in (5, 6, 7))
    figure_check = next(c for p in q6["parts"] for c in p["checks"] if "figure" in c["evidence"])
    twin = copy.deepcopy(figure_check) | {"id": "twin", "status": "fail", "score": 0.0}
    figure_check |= {"status": "fail", "score": 0.0}
    q6["parts"][0]["checks"].append(twin)
    return result


def test_view_groups_alike_failures_and_draws_a_shared_figure_once(tmp_path: Path) -> None:
    view = student_view(samples.typed(_result()), samples.ASSIGNMENT, tmp_path, now=NOW)
    assert _ids(view["questions"]) == ["Q1", "Q6"]
    part = view["questions"][0]["part_views"][0]
    groups = [c for c in part["detailed"] if len(c.get("members", [])) > 1]
    assert len(groups) == 1
    assert [m["slot"] for m in groups[0]["members"]] == [f"Q1.a.L{n}.weights" for n in (5, 6, 7)]
    assert groups[0]["pattern_en"] == "no answer found for … (answer sheet)."
    assert all(not c["detailed"] for c in part["passed"]) and part["passed"]
    q6 = view["questions"][1]["part_views"][0]["detailed"]
    twin = next(c for c in q6 if c["id"] == "twin")
    assert twin["figure"] is None and twin["same_figure_as"].startswith("check-")
    drawn = sorted(p.name for p in tmp_path.glob("*.png"))
    assert drawn == ["Q6-B-attention.png", "Q6-B-gradient-plot.png"]  # no twin picture
    top = view["losses"]["top"]
    assert len(top) <= 5 and [c["lost"] for c in top] == sorted(
        (c["lost"] for c in top), reverse=True
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
def test_first_page_lists_lost_points_with_pages_and_the_time_source(tmp_path: Path) -> None:
    result = _result() | {"time_source": "file-untrusted", "late_penalty_percent": 0.0}
    pdf = render_student_report(
        samples.typed(result),
        tmp_path / "r.pdf",
        assignment=samples.ASSIGNMENT,
        artifacts=tmp_path,
        now=NOW,
    )
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    first = normalise(" ".join(first.split()))
    assert "Where points were lost" in first and "Scores" in first and "final score" in first
    assert normalise("صفحهٔ") in first  # where to read more
    assert "from the file time, which looks" in first and "untrustworthy" in first
    assert "not applied until a TA confirms" in first


def test_evidence_the_message_states_is_not_repeated_small_numbers_are() -> None:
    from graders.report.view import _already_said

    message = "مقدار 6208 درست نیست؛ RNN(64→32): 6,144 = 32×64 + 64×64."
    assert _already_said(6144, message) and _already_said(6208.0, message)
    assert not _already_said(32, message)  # a small number may mean something else here
    assert not _already_said(614, message)  # not a part of a longer number
    assert _already_said("6,144 = 32×64 + 64×64", message)
    assert not _already_said("RNN", message)
