"""Free-text answers: show the TA the student's text, the reference answer and the rubric.

The check always returns status REVIEW with score 0: it awards nothing by itself. It finds the
text (answer sheet slot, else the question's Markdown cells, else the report PDF) and marks which
rubric key points it sees (keyword hits), to speed the TA up. The TA's points are recorded with
`dlgrade score set` and replace this result (`graders.gradebook.ta_scores`).

Golden entry: `{"reference_fa", "reference_en", "rubric": [{"id", "points", "fa", "en", "keywords"}]}`.
"""

from __future__ import annotations

import re

from graders.answers.locate import normalize_text
from graders.answers.sources import SOURCE_FA, sections_for, sheet_slot
from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.golden import Golden

MAX_SHOWN_CHARS = 4000


class RubricParams(CheckParams):
    slot: str  # the answer-sheet slot of the text, e.g. "Q2.b.text"
    golden: str
    section: str | None = None


def keyword_hits(text: str, keywords: list[str]) -> list[str]:
    """Keywords present in the text (Persian stems match inside longer words)."""
    norm = normalize_text(text)
    hits = []
    for kw in keywords:
        k = normalize_text(kw).strip()
        if not k:
            continue
        if re.fullmatch(r"[a-z0-9 \-]+", k):
            if re.search(rf"(?<![a-z]){re.escape(k)}", norm):
                hits.append(kw)
        elif k in norm:
            hits.append(kw)
    return hits


@register("rubric_review", RubricParams)
def rubric_review(facts: Facts, golden: Golden, p: RubricParams) -> CheckResult:
    entry = golden.get(p.golden)
    view, raw = sheet_slot(facts.answers, p.slot)
    if raw is not None:
        text, source = raw, "sheet"
    else:
        texts = view.texts(sections_for(p.slot, p.section))
        text, source = (texts[0].text, texts[0].source) if texts else ("", "")
    rubric = [
        {**item, "found": keyword_hits(text, item.get("keywords", []))} for item in entry["rubric"]
    ]
    seen = sum(1 for item in rubric if item["found"])
    evidence = {
        "slot": p.slot,
        "source": source,
        "text": text[:MAX_SHOWN_CHARS],
        "reference_fa": entry["reference_fa"],
        "reference_en": entry.get("reference_en", ""),
        "rubric": rubric,
        "key_points_seen": seen,
    }
    if not text.strip():
        return CheckResult.review(
            "متن پاسخ در پاسخ‌نامه، نوت‌بوک یا متن گزارش پیدا نشد (شاید دست‌نویس یا تصویری است)؛ دستیار آموزشی بررسی می‌کند.",
            "no answer text found in the sheet, the notebook or the report text (handwritten or scanned?); the TA grades it.",
            **evidence,
        )
    return CheckResult.review(
        f"پاسخ تشریحی ({SOURCE_FA[source]})؛ دستیار آموزشی با روبریک نمره می‌دهد. {seen} از {len(rubric)} نکتهٔ کلیدی در متن دیده شد.",
        f"free-text answer (from {source}); the TA grades it with the rubric. {seen} of {len(rubric)} key points spotted.",
        **evidence,
    )
