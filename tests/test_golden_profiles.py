"""Each profile's golden files apart (issue 22): a full build never overwrites the committed
smoke files, grading loads the profile it is asked for, and the grade's signature names it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graders.errors import GoldenMissingError
from graders.golden import Golden, load_golden
from graders.paths import golden_dir, golden_root
from reference_solutions import build

ASSIGNMENTS = [
    "bonus-llm-captioning",
    "hw2-rnn",
    "hw5-attention-quiz",
    "hw5-rnn",
    "hw5-transformers-ut",
]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_golden_files_are_the_smoke_profiles(assignment: str) -> None:
    assert sorted(golden_root(assignment).glob("*.json")) == []  # none left outside a profile
    files = sorted(golden_dir(assignment, "smoke").glob("*.json"))
    assert files
    for f in files:
        assert json.loads(f.read_text(encoding="utf-8"))["provenance"]["profile"] == "smoke", f
    assert load_golden(assignment).profile == "smoke"


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    name = f"fake_golden_{abs(hash(tmp_path)) % 10**8}"
    pkg = tmp_path / "pkgs" / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""fake"""\n', encoding="utf-8")
    (pkg / "q1.py").write_text(
        "def golden_documents(profile, device):\n    return {'q1': {'v': profile}}\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setattr(build, "reference_package", lambda _id: name)
    root = tmp_path / "home"
    monkeypatch.setenv("DLGRADE_HOME", str(root))
    yield root
    for key in [k for k in sys.modules if k.startswith(name)]:
        del sys.modules[key]


def test_full_build_writes_beside_the_smoke_files(home: Path) -> None:
    smoke = build.write_golden("fake-a", "smoke", "cpu", log=print)
    before = {p: p.read_bytes() for p in smoke}
    full = build.write_golden("fake-a", "full", "cpu", log=print)
    assert [p.relative_to(home).as_posix() for p in smoke] == [
        "reference_solutions/fake_a/golden/smoke/q1.json"
    ]
    assert [p.relative_to(home).as_posix() for p in full] == [
        "reference_solutions/fake_a/golden/full/q1.json"
    ]
    assert {p: p.read_bytes() for p in smoke} == before
    s, f = load_golden("fake-a"), load_golden("fake-a", profile="full")
    assert (s.profile, s.get("q1:v")) == ("smoke", "smoke")
    assert (f.profile, f.get("q1:v")) == ("full", "full")
    assert s.digest != f.digest


def test_full_grading_without_full_files_says_what_to_build(home: Path) -> None:
    build.write_golden("fake-a", "smoke", "cpu", log=print)
    with pytest.raises(GoldenMissingError) as err:
        load_golden("fake-a", profile="full")
    assert "--profile full" in err.value.message_en
    assert "--profile full" in err.value.message_fa


def test_a_flat_golden_folder_counts_as_smoke(home: Path) -> None:
    flat = home / "reference_solutions" / "fake_a" / "golden"
    flat.mkdir(parents=True)
    (flat / "q1.json").write_text(json.dumps({"values": {"v": 1}}), encoding="utf-8")
    assert load_golden("fake-a").get("q1:v") == 1
    with pytest.raises(GoldenMissingError):
        load_golden("fake-a", profile="full")


def test_the_signature_names_the_golden_profile() -> None:
    from graders.pipeline import signature
    from graders.spec import load_spec

    sig = signature(load_spec("hw2-rnn"), Golden({}, "abc", "full"), None, "full")
    assert (sig["golden"], sig["golden_profile"], sig["profile"]) == ("abc", "full", "full")
