"""How a student report is arranged: questions in the statement's order, the checks that lost
the most points for the first page, alike failures of a part grouped into one block, and runs
of parts that say the same thing merged (used by `graders.report.view`)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from graders.scoring import QuestionScore


def statement_order(questions: Sequence[QuestionScore]) -> list[QuestionScore]:
    """Questions in the assignment statement's order: by the numbers in their ids (Q1, Q2, ...,
    Q10), ids without a number after them; the sort is stable."""

    def key(item: tuple[int, QuestionScore]) -> tuple[Any, ...]:
        index, q = item
        numbers = tuple(int(n) for n in re.findall(r"\d+", q.id))
        return (numbers or (math.inf,), index)

    return [q for _, q in sorted(enumerate(questions), key=key)]


def losses(questions: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """The checks that lost the most points (ties in statement order), for the first page."""
    lost = [
        c | {"q": q["id"], "p": p["id"]}
        for q in questions
        for p in q["part_views"]
        for c in p["check_views"]
        if c["lost"] > 1e-9 and c["status"] != "review"
    ]
    ranked = sorted(lost, key=lambda c: -c["lost"])
    waiting = [
        c | {"q": q["id"], "p": p["id"]}
        for q in questions
        for p in q["part_views"]
        for c in p["check_views"]
        if c["status"] == "review"
    ]
    rest = ranked[limit:]
    return {
        "top": ranked[:limit],
        "more": len(rest),
        "more_points": sum(c["lost"] for c in rest),
        "review": waiting,
    }


def merge_alike_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive parts that each hold one group of alike checks and nothing else (e.g. every
    free-text answer not found, for the TA) are shown as one part listing their ids."""
    out: list[dict[str, Any]] = []
    for p in parts:
        group = p["detailed"][0] if len(p["detailed"]) == 1 and not p["passed"] else None
        key = (group["status"], group["pattern_fa"]) if group and "pattern_fa" in group else None
        prev = out[-1] if out else None
        if key and prev is not None and prev.get("merge_key") == key:
            prev["ids"].append(p["id"])
            prev["score"] = float(prev["score"]) + float(p.get("score") or 0)
            prev["max"] = float(prev["max"]) + float(p.get("max") or 0)
            prev["detailed"][0]["members"].extend(group["members"])  # type: ignore[index]
            prev["title_fa"] = ""
            continue
        if key:
            merged = p | {"merge_key": key, "ids": [p["id"]]}
            merged["detailed"] = [dict(group) | {"members": list(group["members"])}]  # type: ignore[arg-type]
            out.append(merged)
        else:
            out.append(p | {"ids": [p["id"]]})
    return out


def _message_pattern(view: dict[str, Any], slot: str) -> tuple[str, str]:
    fa, en = view.get("message_fa", ""), view.get("message_en", "")
    if slot:
        fa, en = fa.replace(slot, "…"), en.replace(slot, "…")
    return fa, en


def group_similar(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Detailed checks of one part that say the same thing (the same message once the answer
    slot is taken out, no figure, no other evidence) become one block listing them all."""
    out: list[dict[str, Any]] = []
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for c in checks:
        rows = [r for r in c.get("evidence", []) if r["key"] not in ("slot", "source")]
        if c["hidden"] or c.get("has_figure") or rows or c.get("traceback"):
            out.append(c)
            continue
        fa, en = _message_pattern(c, c.get("slot", ""))
        key = (c["status"], fa, en)
        if key in groups:
            groups[key]["members"].append(c)
            continue
        group = c | {"members": [c], "pattern_fa": fa, "pattern_en": en}
        groups[key] = group
        out.append(group)
    return out
