"""Check parameters shared by several PEFT checks."""

from __future__ import annotations

from graders.checks.peft.schema import Family
from graders.checks.registry import CheckParams


class FamilyParams(CheckParams):
    family: Family


class NoParams(CheckParams):
    pass
