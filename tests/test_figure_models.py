"""The figure specs checks build parse as the typed models the report draws
(`graders/figure_models.py`): every `evidence["figure"]` in the committed `--json` snapshot of the
bundled examples (real check outputs of all three kinds) validates, and keeps its series."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graders.figure_models import Captions, CurvesOverBand, Heatmap, parse_figure

SNAPSHOTS = Path(__file__).parent / "files" / "snapshots" / "examples"


def figures(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if isinstance(value.get("figure"), dict):
            yield value["figure"]
        for v in value.values():
            yield from figures(v)
    elif isinstance(value, list):
        for v in value:
            yield from figures(v)


ALL = [f for p in sorted(SNAPSHOTS.glob("*.json")) for f in figures(json.loads(p.read_text()))]


def test_the_snapshot_has_every_kind() -> None:
    assert {f["kind"] for f in ALL} == {"curves_over_band", "captions", "heatmap"}


@pytest.mark.parametrize("raw", ALL, ids=lambda f: f["kind"])
def test_every_check_figure_parses(raw: dict[str, Any]) -> None:
    model = parse_figure(raw)
    assert model is not None
    if isinstance(model, CurvesOverBand):
        assert set(model.student) == set(raw["student"])
        assert set(model.reference) == set(raw["reference"])
        assert all(len(s.x) == len(raw["student"][k]["x"]) for k, s in model.student.items())
    elif isinstance(model, Captions):
        assert [i.student for i in model.items] == [i.get("student", "") for i in raw["items"]]
    else:
        assert isinstance(model, Heatmap)
        assert len(model.values) == len(raw["values"])


def test_an_unknown_kind_or_a_bad_spec_is_refused() -> None:
    assert parse_figure({"kind": "pie", "values": [1, 2]}) is None
    assert parse_figure({"kind": "heatmap", "values": []}) is None
    assert parse_figure(["curves_over_band"]) is None
