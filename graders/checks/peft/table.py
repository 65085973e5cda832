"""The PEFT comparison-table check: time, memory and trainable parameters per method, the count
recomputed from the models the notebook built.
"""

from __future__ import annotations

import math
from typing import Any

from graders.checks.peft.parsing import _facts, family_of
from graders.checks.registry import NoParams, register
from graders.checks.result import CheckResult, Status
from graders.facts import Facts
from graders.facts.peft import FAMILY_EN, FAMILY_FA, PeftFacts
from graders.golden import Golden

_COLUMNS = {
    "time": ("time", "زمان", "sec", "second"),
    "memory": ("mem", "حافظه", "gb", "mb"),
    "params": ("param", "پارامتر", "trainable"),
}


def _table_rows(table: Any) -> dict[str, dict[str, Any]]:
    """A DataFrame (as the probe sends it), a dict of rows or a list of records -> rows by label."""
    rows: dict[str, dict[str, Any]] = {}
    if isinstance(table, dict) and {"columns", "data"} <= set(table):
        columns = [str(c) for c in table.get("columns") or []]
        index = table.get("index") or []
        for i, values in enumerate(table.get("data") or []):
            if isinstance(values, list):
                record = dict(zip(columns, values, strict=False))
                label = (
                    " ".join(str(v) for v in values if isinstance(v, str))
                    + f" {index[i] if i < len(index) else ''}"
                )
                rows[label.strip() or str(i)] = record
    elif isinstance(table, dict):
        for label, record in table.items():
            if isinstance(record, dict):
                rows[str(label)] = record
        if not rows:  # a dict of columns: {"method": [...], "time": [...], ...}
            return _table_rows(
                [
                    dict(zip(table, vals, strict=False))
                    for vals in zip(
                        *[v for v in table.values() if isinstance(v, list)], strict=False
                    )
                ]
            )
    elif isinstance(table, list):
        for i, record in enumerate(table):
            if isinstance(record, dict):
                label = " ".join(str(v) for v in record.values() if isinstance(v, str))
                rows[label or str(i)] = record
    return rows


def _number(value: Any) -> float | None:
    try:
        f = (
            float(str(value).replace(",", "").split()[0])
            if isinstance(value, str)
            else float(value)
        )
    except (TypeError, ValueError, IndexError):
        return None
    return f if math.isfinite(f) else None


@register("peft_comparison_table", NoParams, needs_execution=True, probe_facts=_facts)
def peft_comparison_table(
    facts: Facts, golden: Golden, p: NoParams, data: PeftFacts
) -> CheckResult:
    """The `comparison` table has a row for each family with time, memory and trainable
    parameters; the parameter counts agree with the models the notebook built."""
    rows = _table_rows(data.comparison)
    if not rows:
        return CheckResult.failed(
            "جدول مقایسه (متغیر comparison) پیدا نشد.",
            "no comparison table (variable `comparison`: a DataFrame, a dict of rows or a list of records) was found.",
        )
    cells: dict[str, dict[str, float | None]] = {}
    for label, record in rows.items():
        family = family_of(label)
        if family is None or family in cells:
            continue
        found: dict[str, float | None] = {}
        for col, keys in _COLUMNS.items():
            for name, value in record.items():
                if any(k in str(name).lower() for k in keys) and _number(value) is not None:
                    found[col] = _number(value)
                    break
            found.setdefault(col, None)
        cells[family] = found
    filled = sum(
        v is not None
        for f in ("soft_prompt", "lora", "freeze")
        for v in (cells.get(f) or {}).values()
    )
    score = filled / 9
    measured = {
        f: {m.n_trainable for m in data.models if m.family == f}
        for f in ("soft_prompt", "lora", "freeze")
    }
    mismatched = [
        f
        for f, c in cells.items()
        if c.get("params") is not None
        and measured.get(f)
        and not any(abs(c["params"] - n) <= max(1, 0.01 * n) for n in measured[f])
    ]
    evidence = {
        "table": cells,
        "measured_trainable": {k: sorted(v) for k, v in measured.items()},
        "mismatched": mismatched,
    }
    if mismatched:
        return CheckResult(
            score * 0.5,
            f"تعداد پارامترهای قابل آموزش در جدول برای {FAMILY_FA[mismatched[0]]} با مدل ساخته‌شده همخوان نیست.",
            f"the table's trainable-parameter count for {FAMILY_EN[mismatched[0]]} disagrees with the model the notebook built.",
            evidence=evidence,
        )
    if score >= 1:
        return CheckResult.passed(
            "جدول مقایسه زمان، حافظه و پارامترهای قابل آموزش هر سه روش را دارد.",
            "the comparison table lists time, memory and trainable parameters for all three methods.",
            **evidence,
        )
    missing = [
        f"{f}.{c}"
        for f in ("soft_prompt", "lora", "freeze")
        for c in _COLUMNS
        if (cells.get(f) or {}).get(c) is None
    ]
    return CheckResult(
        score,
        "جدول مقایسه کامل نیست: برای هر سه روش زمان، حافظه و تعداد پارامترهای قابل آموزش لازم است.",
        f"the comparison table is incomplete (missing: {', '.join(missing)}).",
        status=Status.FAIL if score == 0 else Status.PARTIAL,
        evidence=evidence,
    )
