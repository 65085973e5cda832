"""Checks: small pure functions `(facts, golden, params) -> CheckResult`.

Importing this package registers every built-in check.
"""

from graders.checks import figures, models, theory  # noqa: F401  (registration)
from graders.checks.registry import get_check, registered_checks
from graders.checks.result import CheckResult, Status

__all__ = ["CheckResult", "Status", "get_check", "registered_checks"]
