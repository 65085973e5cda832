"""Fixtures of the review-app tests: gradebooks filled from the saved `dlgrade grade --json`
results of the hw5-rnn examples (no notebook runs), on SQLite and on a private PostgreSQL."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_server import fresh_database, pg_bin, private_postgres

from graders.gradebook import Gradebook
from graders.gradebook.importing import record_json

RESULTS = Path(__file__).parent / "files" / "review" / "hw5-rnn-results.json"
PASSWORD = "correct horse battery"


def results() -> dict[str, Any]:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def fill(url: str, n: int | None = None, tweak: Any = None) -> list[str]:
    """Record the example results (or `n` copies cycling through them) in the gradebook."""
    doc = results()
    subs = doc["submissions"]
    chosen = subs if n is None else [subs[i % len(subs)] for i in range(n)]
    keys = []
    with Gradebook(url) as gb:
        for i, sub in enumerate(chosen):
            sub = copy.deepcopy(sub)
            if n is not None:
                sub["submission"] = f"HW5_Student{i:03d}_{401200000 + i}"
            if tweak is not None:
                tweak(sub)
            record_json(gb, doc["assignment"], sub)
            keys.append(sub["submission"])
    return sorted(keys)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if pg_bin() is None:
        pytest.skip("Debian's postgresql is not installed (scripts/bootstrap.sh installs it)")
    with private_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    return fresh_database(request.getfixturevalue("pg_server"))
