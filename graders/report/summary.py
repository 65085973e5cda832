"""The class summary for TAs: statistics over the latest grade of every submission.

Pure functions over typed grades (`graders.scoring.GradeResult`): the score distribution,
per-question mean, median and pass rate (a question is passed with at least `PASS_FRACTION` of its points), the
checks most often failed, submissions that did not run and why, late submissions, similarity
pairs (`dlgrade similarity`'s `{"pairs": [{"a", "b", "similarity", "excerpts_a", ...}]}`,
or a bare list of `{"a", "b", "score", "excerpt"}`)
and one row per student.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)

from graders.report.plots import score_histogram
from graders.report.view import students
from graders.scoring import GradeResult, as_recorded

PASS_FRACTION = 0.5
TOP_FAILED = 20


class SimilarityPair(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    a: Annotated[str, StringConstraints(max_length=300)]
    b: Annotated[str, StringConstraints(max_length=300)]
    score: float
    excerpt: Annotated[str, StringConstraints(max_length=100_000)] = ""

    @model_validator(mode="before")
    @classmethod
    def _batch_format(cls, data: Any) -> Any:
        """`dlgrade similarity` writes `similarity` and `excerpts_a` (dlgrade.similarity/1)."""
        if isinstance(data, dict):
            data = dict(data)
            if "score" not in data and "similarity" in data:
                data["score"] = data["similarity"]
            excerpts = data.get("excerpts_a")
            if not data.get("excerpt") and isinstance(excerpts, list) and excerpts:
                data["excerpt"] = str(excerpts[0])
        return data


def similarity_pairs(raw: Any) -> list[SimilarityPair]:
    """Valid pairs, highest score first (`{"pairs": [...]}` or a bare list)."""
    if isinstance(raw, dict):
        raw = raw.get("pairs", [])
    pairs = []
    for item in raw if isinstance(raw, list) else []:
        try:
            pairs.append(SimilarityPair.model_validate(item))
        except ValidationError:
            continue
    return sorted(pairs, key=lambda p: -p.score)


def _names(result: GradeResult) -> str:
    return "، ".join(s["name"] for s in students(result)) or result.submission


def _late_days(result: GradeResult) -> int:
    try:
        return int(result.extra.get("days_late") or 0)
    except (TypeError, ValueError):
        return 0


def class_statistics(results: list[GradeResult], similarity: Any = None) -> dict[str, Any]:
    results = sorted(results, key=lambda r: r.submission)
    scores = [as_recorded(r.total) for r in results]
    maximum = max((r.possible for r in results), default=0.0)

    questions: dict[str, dict[str, Any]] = {}
    failed: Counter[tuple[str, str, str]] = Counter()
    partial: Counter[tuple[str, str, str]] = Counter()
    seen: Counter[tuple[str, str, str]] = Counter()
    titles: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in results:
        for q in r.questions:
            entry = questions.setdefault(
                q.id, {"id": q.id, "title_fa": q.title_fa, "title_en": q.title_en, "max": q.max, "scores": []}
            )  # fmt: skip
            entry["scores"].append(as_recorded(q.score))
            for p in q.parts:
                for c in p.checks:
                    key = (q.id, p.id, c.id)
                    seen[key] += 1
                    status = str(c.result.status)
                    if status in ("fail", "error", "partial"):
                        (failed if status != "partial" else partial)[key] += 1
                        titles.setdefault(key, {"hidden": c.hidden, "function": c.check,
                                                "message_en": c.result.message_en[:200]})  # fmt: skip
    per_question = []
    for q in questions.values():
        s = q["scores"]
        per_question.append(q | {
            "mean": statistics.fmean(s) if s else 0.0,
            "median": statistics.median(s) if s else 0.0,
            "pass_rate": sum(v >= PASS_FRACTION * q["max"] for v in s) / len(s) if s and q["max"] else 0.0,
            "n": len(s),
        })  # fmt: skip
    most_failed = [
        {"question": k[0], "part": k[1], "check": k[2], "failed": n, "partial": partial[k],
         "of": seen[k], **titles[k]}
        for k, n in sorted(failed.items(), key=lambda kv: (-kv[1], -partial[kv[0]], kv[0]))[:TOP_FAILED]
    ]  # fmt: skip

    by_key = {r.submission: r for r in results}
    pairs = [
        {"a": p.a, "b": p.b, "score": p.score, "excerpt": p.excerpt[:600],
         "names_a": _names(by_key[p.a]) if p.a in by_key else "",
         "names_b": _names(by_key[p.b]) if p.b in by_key else ""}
        for p in similarity_pairs(similarity)
    ]  # fmt: skip

    rows = []
    for r in results:
        members = students(r) or [{"name": r.submission, "number": ""}]
        for s in members:
            rows.append({
                "name": s["name"], "number": s["number"], "submission": r.submission,
                "score": as_recorded(r.total), "questions": {q.id: as_recorded(q.score) for q in r.questions},
                "outcome": r.outcome, "days_late": _late_days(r), "penalty": float(r.late_penalty_percent or 0),
                "group": len(members) > 1,
            })  # fmt: skip
    rows.sort(key=lambda s: (s["number"] or "~", s["name"]))

    return {
        "n_submissions": len(results),
        "n_students": len(rows),
        "maximum": maximum,
        "scores": scores,
        "mean": statistics.fmean(scores) if scores else 0.0,
        "median": statistics.median(scores) if scores else 0.0,
        "stdev": statistics.pstdev(scores) if scores else 0.0,
        "min": min(scores, default=0.0),
        "max": max(scores, default=0.0),
        "questions": per_question,
        "most_failed": most_failed,
        "not_run": [
            {
                "submission": r.submission,
                "names": _names(r),
                "outcome": r.outcome,
                "why": r.run_message[:400],
                "problems": r.header()["problems"][:3],
            }
            for r in results
            if r.outcome != "ok"
        ],  # fmt: skip
        "late": [
            {
                "submission": r.submission,
                "names": _names(r),
                "days_late": _late_days(r),
                "penalty": float(r.late_penalty_percent or 0),
                "submitted_at": r.extra.get("submitted_at"),
            }
            for r in results
            if _late_days(r) > 0 or float(r.late_penalty_percent or 0) > 0
        ],  # fmt: skip
        "untrusted_times": sorted(
            r.submission for r in results if r.extra.get("time_source") == "file-untrusted"
        ),
        "similarity": pairs,
        "students": rows,
        "pass_fraction": PASS_FRACTION,
    }


def summarise(
    results: list[GradeResult],
    assignment: dict[str, Any],
    figures: Path,
    *,
    similarity: Any = None,
) -> dict[str, Any]:
    """The class summary template's context; the histogram is drawn into `figures`."""
    stats = class_statistics(results, similarity)
    histogram = (
        score_histogram(stats["scores"], stats["maximum"], figures / "class-score-histogram.png")
        if stats["scores"]
        else None
    )
    return {"s": stats, "histogram": histogram, "a": assignment}
