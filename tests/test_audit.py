"""Audit mode: of five saved submissions, the one whose saved outputs were edited after it ran
is caught when the reproducible sample picks it (one notebook is re-executed: slow)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graders.audit import audit_sample
from graders.commands import batch
from graders.golden import load_golden
from graders.pipeline import grade_submission
from graders.spec import load_spec

EXAMPLES = Path(__file__).resolve().parents[1] / "assignments" / "bonus-llm-captioning" / "examples"
EDITED = "HW7_Jafari_810199107"


def _export(root: Path) -> list[str]:
    """Five submissions: the three examples, a copy, and Bagheri's notebook (its base model
    really unfrozen: 266,944 trainable) whose printed table was edited to the LoRA count."""
    for name in ("HW7_Ahmadi_810199101", "HW7_Bagheri_810199102", "HW7_Karimi_810199103"):
        shutil.copytree(EXAMPLES / name, root / name)
    shutil.copytree(EXAMPLES / "HW7_Karimi_810199103", root / "HW7_Nouri_810199106")
    shutil.copytree(EXAMPLES / "HW7_Bagheri_810199102", root / EDITED)
    nb_path = root / EDITED / "q1_peft.ipynb"
    text = nb_path.read_text(encoding="utf-8")
    assert text.count("'trainable_params': 266944") == 1
    nb_path.write_text(
        text.replace("'trainable_params': 266944", "'trainable_params': 10752"), encoding="utf-8"
    )
    return sorted(p.name for p in root.iterdir())


def test_edited_outputs_fool_saved_mode_only(tmp_path: Path) -> None:
    _export(tmp_path)
    spec = load_spec("bonus-llm-captioning")
    result = grade_submission(spec, tmp_path / EDITED, load_golden(spec.id), mode="saved")
    q1 = next(q for q in result.questions if q.id == "Q1")
    checks = {f"{p.id}.{c.id}": c.result for p in q1.parts for c in p.checks}
    assert checks["3.trainable-count"].status == "pass"  # the edited table agrees with LoraConfig
    assert checks["3.base-frozen"].status == "fail"  # but the code still unfreezes the base


@pytest.mark.slow
def test_audit_catches_edited_outputs(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    keys = _export(export)
    seed = next(s for s in range(1000) if audit_sample(keys, 0.2, s) == [EDITED])
    assert audit_sample(list(reversed(keys)), 0.2, seed) == [EDITED]  # same seed, same sample
    summary = batch.main(
        assignment="bonus-llm-captioning",
        path=export,
        gradebook=tmp_path / "gb.db",
        reports=tmp_path / "reports",
        render=False,
        plain=True,
        audit=0.2,
        seed=seed,
    )
    assert sorted(summary.graded) == keys
    assert [a["submission"] for a in summary.audit] == [EDITED]
    audit = summary.audit[0]
    assert audit["outcome"] == "disagrees"
    flag = next(f for f in audit["flags"] if "table (lora)" in f)
    assert "10,752" in flag and "266,944" in flag  # saved and executed side by side
    written = json.loads(
        (tmp_path / "reports" / "bonus-llm-captioning" / "batch-summary.json").read_text()
    )
    assert written["audit"] == summary.audit
