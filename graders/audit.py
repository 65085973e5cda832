"""Audit re-execution: a reproducible random sample of saved-mode submissions is run in full,
and the facts its kernel produced are compared with the facts its saved outputs claim.

The sample depends only on the seed and the submission keys (each key ranked by a hash of
`seed:key`), so the same seed picks the same submissions whatever the order they are found in,
and adding a submission does not reshuffle the others. A disagreement beyond the reference band
(a trainable count that differs at all, a loss curve whose level differs by more than the
band, a printed BLEU far from the kernel's) flags the submission for the TA with both values.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graders.facts import Facts

LOSS_BAND = 0.15  # relative; the width of the reference loss bands (q1_peft.loss_bands)
BLEU_BAND = 0.05  # absolute, on the 0-1 scale


def audit_sample(keys: Iterable[str], fraction: float, seed: int) -> list[str]:
    """ceil(fraction * n) keys (at least one when fraction > 0), the same for the same seed."""
    keys = sorted(set(keys))
    if fraction <= 0 or not keys:
        return []
    k = min(len(keys), max(1, math.ceil(fraction * len(keys))))
    ranked = sorted(keys, key=lambda key: hashlib.sha256(f"{seed}:{key}".encode()).hexdigest())
    return sorted(ranked[:k])


@dataclass(frozen=True)
class Disagreement:
    what: str
    saved: Any
    executed: Any

    def message(self) -> tuple[str, str]:
        return (
            f"بازبینی با اجرای دوباره: {self.what} در خروجی ذخیره‌شده {self.saved} است، اما اجرای دوباره {self.executed} می‌دهد؛ دستیار آموزشی بررسی کند.",
            f"audit re-run: {self.what} is {self.saved} in the saved outputs but {self.executed} when re-executed; for the TA to review.",
        )


@dataclass
class AuditOutcome:
    key: str
    disagreements: list[Disagreement] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def outcome(self) -> str:
        if self.error:
            return "error"
        return "disagrees" if self.disagreements else "agrees"

    def to_json(self) -> dict[str, Any]:
        return {
            "submission": self.key,
            "outcome": self.outcome,
            "compared": self.compared,
            "error": self.error,
            "disagreements": [
                {"what": d.what, "saved": d.saved, "executed": d.executed}
                for d in self.disagreements
            ],
        }


def _peft(facts: Facts) -> dict[str, Any]:
    raw = facts.probe.extras.get("peft") if facts.probe else None
    return raw if isinstance(raw, dict) else {}


def _level(values: list[float]) -> float:
    q = max(1, len(values) // 4)
    tail = values[-q:]
    return sum(tail) / len(tail)


def compare_facts(facts: Facts, key: str = "") -> AuditOutcome:
    """Executed facts (probe) against saved facts (outputs) of the same notebook run."""
    from graders.checks.peft.parsing import family_of
    from graders.facts.peft import PeftFacts
    from graders.saved.expected import printed_counts, table_counts

    out = AuditOutcome(key)
    if facts.saved is None or facts.static is None:
        out.error = "no saved outputs to compare"
        return out
    peft = PeftFacts.model_validate(_peft(facts)) if _peft(facts) else None
    if peft is not None:
        executed: dict[str, set[int]] = {}
        for m in peft.models:
            if m.family:
                executed.setdefault(m.family, set()).add(m.n_trainable)
        by_var = {m.name: m.n_trainable for m in peft.models}
        for var, count in printed_counts(facts.saved, facts.static).items():
            out.compared.append(f"trainable:{var}")
            if var in by_var and by_var[var] != count:
                out.disagreements.append(
                    Disagreement(f"trainable parameters of {var}", f"{count:,}", f"{by_var[var]:,}")
                )
        for family, count in table_counts(facts.saved).items():
            if family in executed:
                out.compared.append(f"table:{family}")
                if count not in executed[family]:
                    shown = ", ".join(f"{n:,}" for n in sorted(executed[family]))
                    out.disagreements.append(
                        Disagreement(
                            f"trainable parameters in the table ({family})", f"{count:,}", shown
                        )
                    )
        results = peft.results or {}
        for log in facts.saved.losses:
            for name, entry in results.items():
                if not isinstance(entry, dict) or family_of(name) is None:
                    continue
                train = [
                    float(v) for v in entry.get("train_loss") or [] if isinstance(v, int | float)
                ]
                if len(train) != len(log.train) or not train:
                    continue
                out.compared.append(f"loss:{name}")
                a, b = _level(log.train), _level(train)
                if abs(a - b) > LOSS_BAND * max(abs(b), 1e-9):
                    out.disagreements.append(
                        Disagreement(f"final training loss ({name})", round(a, 4), round(b, 4))
                    )
    bleu = _executed_bleu(facts)
    for metric in facts.saved.metrics:
        if metric.name.startswith("bleu") and metric.name in bleu:
            value = metric.value / 100 if metric.percent or metric.value > 1 else metric.value
            out.compared.append(f"{metric.name}:{metric.label}")
            if not any(abs(value - v) <= BLEU_BAND for v in bleu[metric.name]):
                shown = ", ".join(f"{v:.3f}" for v in bleu[metric.name])
                out.disagreements.append(Disagreement(metric.name, f"{value:.3f}", shown))
    return out


def _executed_bleu(facts: Facts) -> dict[str, list[float]]:
    """BLEU the kernel holds (`bleu_scores = {model: {bleu1..bleu4}}`), on the 0-1 scale."""
    raw = facts.probe.extras.get("captioning") if facts.probe else None
    scores = raw.get("bleu_scores") if isinstance(raw, dict) else None
    out: dict[str, list[float]] = {}
    if isinstance(scores, dict):
        for per_model in scores.values():
            if isinstance(per_model, dict):
                for name, v in per_model.items():
                    if isinstance(v, int | float):
                        value = v / 100 if v > 1 else float(v)
                        out.setdefault(str(name).replace("-", "").lower(), []).append(value)
                        if str(name).lower().endswith("4"):
                            out.setdefault("bleu", []).append(value)
    return out


AUDIT_PREFIX = "audit re-run:"


def audit_problems(facts: Facts) -> tuple[tuple[str, str], ...]:
    """The flags an audited run adds to its result: one per disagreement, or a note it agreed."""
    outcome = compare_facts(facts)
    if outcome.error:
        return (
            (
                "بازبینی با اجرای دوباره: خروجی ذخیره‌شده‌ای برای مقایسه نبود.",
                f"{AUDIT_PREFIX} {outcome.error}.",
            ),
        )
    if not outcome.disagreements:
        return (
            (
                f"بازبینی با اجرای دوباره: {len(outcome.compared)} مقدار ذخیره‌شده با اجرای دوباره همخوان بود.",
                f"{AUDIT_PREFIX} {len(outcome.compared)} saved value(s) agree with the re-execution.",
            ),
        )
    return tuple(d.message() for d in outcome.disagreements)


def summarize(results: dict[str, tuple[tuple[str, str], ...]]) -> list[dict[str, Any]]:
    """The class summary's audit list from the audited results' problems."""
    out = []
    for key, problems in sorted(results.items()):
        flags = [en for _fa, en in problems if en.startswith(AUDIT_PREFIX)]
        disagree = [f for f in flags if " but " in f]
        out.append(
            {"submission": key, "outcome": "disagrees" if disagree else "agrees", "flags": flags}
        )
    return out
