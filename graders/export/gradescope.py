"""Gradescope autograder `results.json` for one submission (final scores, TA scores applied).

Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ — top-level `score`,
`output`, `tests` (each `score`, `max_score`, `name`, `number`, `output`, `status`,
`visibility`). A hidden check becomes a test with visibility `after_published`.
"""

from __future__ import annotations

from typing import Any


def gradescope_results(final: dict[str, Any]) -> dict[str, Any]:
    tests = []
    for q in final["questions"]:
        for p in q["parts"]:
            checks = p["checks"]
            for c in checks:
                tests.append(
                    {
                        "name": f"{q['id']}.{p['id']}.{c['id']}",
                        "number": f"{q['id']}.{p['id']}",
                        "score": round(c["score"] * c["max"], 4),
                        "max_score": c["max"],
                        "status": "passed" if c["status"] == "pass" else "failed",
                        "output": f"{c['message_fa']}\n{c['message_en']}",
                        "visibility": "after_published" if c["hidden"] else "visible",
                    }
                )
    problems = "\n".join(f"{p['message_fa']}\n{p['message_en']}" for p in final.get("problems", []))
    return {
        "score": final["score"],
        "output": problems,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "dlgrade_submission": final["submission"],
            "students": final["students"],
            "late_penalty_percent": final.get("late_penalty_percent", 0.0),
            "submitted_at": final.get("submitted_at"),
            "time_source": final.get("time_source", ""),
            "signature": final.get("signature", {}),
        },
    }
