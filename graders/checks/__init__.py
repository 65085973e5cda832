"""Checks: small pure functions `(facts, golden, params) -> CheckResult`.

Every module of this package and of its family subpackages (`rnn/`, `peft/`, `captioning/`)
is imported here, which registers its checks: a new check is a new module (or a function in one)
decorated with `@register`, nothing else to edit.
"""

import importlib
import pkgutil

from graders.checks.registry import get_check, registered_checks
from graders.checks.result import CheckResult, Status

for _module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
    if _module.name not in {f"{__name__}.registry", f"{__name__}.result"}:
        importlib.import_module(_module.name)

__all__ = ["CheckResult", "Status", "get_check", "registered_checks"]
