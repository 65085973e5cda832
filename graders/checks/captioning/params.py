"""Check parameters shared by several captioning checks."""

from __future__ import annotations

from graders.checks.registry import CheckParams


class NoParams(CheckParams):
    pass
