"""Final scores: an automatic result with the TAs' manual scores applied (a pure function).

Manual scores replace a part's score (then the question's cap applies again), a whole
question's score (taken as given), or, with question `late`, the late penalty in percent.
The automatic values stay beside them (`auto_score`), so nothing is lost.
"""

from __future__ import annotations

import copy
from typing import Any

LATE = "late"


def latest_manual(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest manual score per (question, part), rows given oldest first."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        out[(row["question"], row.get("part") or "")] = row
    return out


def _mark(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("score", "kind", "comment", "grader", "created_at")}


def apply_manual(result: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a copy of `result` (dlgrade.results/1 submission) with manual scores applied."""
    manual = latest_manual(rows)
    out = copy.deepcopy(result)
    out["manual"] = bool(manual)
    if not manual:
        return out
    for q in out["questions"]:
        changed = False
        for p in q["parts"]:
            row = manual.get((q["id"], p["id"]))
            if row is not None:
                p["auto_score"], p["score"], p["manual"] = p["score"], row["score"], _mark(row)
                changed = True
        if changed:
            raw = sum(p["score"] for p in q["parts"])
            q["auto_score"] = q["score"]
            q["score"] = round(min(raw, q["cap"]) if q.get("cap") is not None else raw, 4)
        row = manual.get((q["id"], ""))
        if row is not None:
            q.setdefault("auto_score", q["score"])
            q["score"], q["manual"] = row["score"], _mark(row)
    late = manual.get((LATE, ""))
    if late is not None:
        out["auto_late_penalty_percent"] = out.get("late_penalty_percent", 0.0)
        out["late_penalty_percent"] = late["score"]
    out["auto_score"] = out["score"]
    raw_total = sum(q["score"] for q in out["questions"])
    out["score"] = round(raw_total * (1 - out.get("late_penalty_percent", 0.0) / 100), 4)
    return out
