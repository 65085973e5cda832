"""Submissions blocked by the grading environment (`environment-missing`), for the batch.

A run whose notebook imported a module the kernel environment does not have ends with outcome
`environment-missing`, the modules named in `signature["environment"]["missing"]`: not the
student's fault, held for the TA. From the latest results of a batch:

- `blocked_by_module`: which modules the class needed, and which submissions each blocked;
- `regrade_blocked_selection`: what `dlgrade batch --regrade-blocked` grades once the
  instructor has added the modules to `environment:` and rebuilt the environment — the
  submissions whose latest result is `environment-missing`, plus those never graded (or marked
  `grader-problem`: not counted as graded); every other graded submission is kept as it is,
  even if a plain rerun would regrade it (a new upload, new golden values);
- `still_undeclared`: blocking modules the declared list still lacks (a regrade would end the
  same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from packaging.requirements import Requirement

from graders.batch.failures import GRADER_PROBLEM
from graders.environment.imports import missing_imports
from graders.errors import DlgradeError

ENVIRONMENT_MISSING = "environment-missing"


def missing_modules(result: Mapping[str, Any]) -> list[str]:
    """The modules an `environment-missing` result names (empty for any other outcome)."""
    if result.get("outcome") != ENVIRONMENT_MISSING:
        return []
    env = (result.get("signature") or {}).get("environment") or {}
    names = env.get("missing") or []
    return sorted({str(n) for n in names if str(n).strip()}) if isinstance(names, list) else []


def blocked_by_module(results: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """{module: sorted submission keys it blocked}, the most blocking module first.

    A blocked result naming no module is counted under "?" (the run did not say which)."""
    out: dict[str, set[str]] = {}
    for r in results:
        if r.get("outcome") != ENVIRONMENT_MISSING:
            continue
        for module in missing_modules(r) or ["?"]:
            out.setdefault(module, set()).add(str(r.get("submission", "")))
    order = sorted(out, key=lambda m: (-len(out[m]), m))
    return {m: sorted(out[m]) for m in order}


def regrade_blocked_selection(
    keys: Iterable[str],
    latest: Mapping[str, Mapping[str, Any]],
    intake_status: Mapping[str, str] | None = None,
) -> list[str]:
    """The keys `--regrade-blocked` grades (see the module docstring), in the order given."""
    status = intake_status or {}
    chosen = []
    for key in keys:
        result = latest.get(key)
        if (
            result is None
            or result.get("outcome") == ENVIRONMENT_MISSING
            or status.get(key) == GRADER_PROBLEM
        ):
            chosen.append(key)
    return chosen


def one_regrade_flag(regrade: bool, regrade_blocked: bool) -> None:
    """`--regrade` and `--regrade-blocked` contradict each other."""
    if regrade and regrade_blocked:
        raise DlgradeError(
            "--regrade grades everything, --regrade-blocked only the blocked: give one of them",
            "‎--regrade همه را دوباره نمره می‌دهد و ‎--regrade-blocked فقط ارسال‌های متوقف‌شده را؛ "
            "فقط یکی را بدهید.",
        )


def still_undeclared(modules: Iterable[str], requirements: Iterable[Requirement]) -> list[str]:
    """Blocking modules that neither the standard library nor a declared package provides."""
    return missing_imports([m for m in modules if m != "?"], requirements)


def blocked_json(
    blocked: Mapping[str, list[str]], undeclared: Iterable[str] = ()
) -> dict[str, Any]:
    """The batch summary's `environment_missing` section."""
    undeclared = sorted(undeclared)
    keys = sorted({k for ks in blocked.values() for k in ks})
    fa = en = ""
    if undeclared:
        names = ", ".join(undeclared)
        fa = (
            f"ماژول‌های {names} هنوز در فهرست محیط (environment:) نیستند؛ آن‌ها را بیفزایید، "
            "محیط را دوباره بسازید (dlgrade env build) و سپس dlgrade batch --regrade-blocked."
        )
        en = (
            f"{names} still not in the environment list (environment:): add them, rebuild "
            "(dlgrade env build), then run dlgrade batch --regrade-blocked."
        )
    return {
        "submissions": keys,
        "modules": [
            {"module": m, "blocked": len(ks), "submissions": ks} for m, ks in blocked.items()
        ],
        "still_undeclared": undeclared,
        "message_fa": fa,
        "message_en": en,
    }
