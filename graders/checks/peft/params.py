"""Check parameters shared by several PEFT checks."""

from __future__ import annotations

from graders.checks.registry import CheckParams
from graders.facts.peft import Family


class FamilyParams(CheckParams):
    family: Family
