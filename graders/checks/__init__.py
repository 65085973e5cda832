"""Checks: small pure functions `(facts, golden, params) -> CheckResult`.

Every module of this package is imported here, which registers its checks: a new check is a
new module (or a function in one) decorated with `@register`, nothing else to edit.
"""

import importlib
import pkgutil

from graders.checks.registry import get_check, registered_checks
from graders.checks.result import CheckResult, Status

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in {"registry", "result"}:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["CheckResult", "Status", "get_check", "registered_checks"]
