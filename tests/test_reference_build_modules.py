"""Reference builds one module at a time (issue 22): files written as each module ends,
`--only MODULE`, every prerequisite checked before anything runs, progress with estimates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graders.errors import DlgradeError
from reference_solutions import build

MODULES = {
    "a_first": """
ESTIMATED_SECONDS = {"smoke": 5, "full": 7200}
RAN = []
def golden_documents(profile, device):
    RAN.append(profile)
    return {"first": {"x": 1}}
""",
    "b_second": """
def golden_documents(profile, device):
    raise RuntimeError("second module failed after an hour")
""",
    "c_third": """
def prerequisites(profile):
    if profile != "full":
        return []
    return [("HF_TOKEN تنظیم نشده است", "HF_TOKEN is not set"), ("داده نیست", "no data set")]
def golden_documents(profile, device):
    return {"third": {"y": 2}}
""",
    "helpers": "VALUE = 3  # no golden_documents: not a reference module\n",
}


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch):
    name = f"fake_refs_{abs(hash(tmp_path)) % 10**8}"
    pkg = tmp_path / "pkgs" / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""fake"""\n', encoding="utf-8")
    for module, source in MODULES.items():
        (pkg / f"{module}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setattr(build, "reference_package", lambda _id: name)
    yield name
    for key in [k for k in sys.modules if k.startswith(name)]:
        del sys.modules[key]


def test_files_of_finished_modules_survive_a_later_failure(tmp_path: Path, fake_package) -> None:
    out = tmp_path / "golden"
    lines: list[str] = []
    with pytest.raises(RuntimeError, match="after an hour"):
        build.write_golden("fake", "smoke", "cpu", out_dir=out, log=lines.append)
    first = json.loads((out / "first.json").read_text(encoding="utf-8"))
    assert first["values"] == {"x": 1}
    assert first["provenance"]["profile"] == "smoke"
    assert sorted(p.name for p in out.iterdir()) == ["first.json"]
    assert lines[0] == "[1/3] a_first: running (smoke, about 5 s on a cpu)"
    assert lines[1].startswith("[1/3] a_first: 1 file(s) in ")
    assert lines[2] == "[2/3] b_second: running (smoke)"


def test_only_builds_the_named_module(tmp_path: Path, fake_package) -> None:
    out = tmp_path / "golden"
    paths = build.write_golden("fake", "smoke", "cpu", out_dir=out, only=["c_third"], log=print)
    assert [p.name for p in paths] == ["third.json"]
    assert sys.modules[f"{fake_package}.a_first"].RAN == []
    with pytest.raises(DlgradeError) as err:
        build.write_golden("fake", "smoke", "cpu", out_dir=out, only=["q9"], log=print)
    assert "a_first, b_second, c_third" in err.value.message_en
    assert "q9" in err.value.message_fa


def test_every_prerequisite_is_checked_before_any_module_runs(tmp_path: Path, fake_package) -> None:
    out = tmp_path / "golden"
    lines: list[str] = []
    with pytest.raises(DlgradeError) as err:
        build.write_golden("fake", "full", "cpu", out_dir=out, log=lines.append)
    assert sys.modules[f"{fake_package}.a_first"].RAN == []
    assert lines == []
    assert not out.exists()
    assert "c_third: HF_TOKEN is not set" in err.value.message_en
    assert "c_third: no data set" in err.value.message_en
    assert "c_third: HF_TOKEN تنظیم نشده است" in err.value.message_fa
    assert "nothing was run" in err.value.message_en


def test_cli_only_is_repeatable() -> None:
    from graders.cli import build_parser

    args = build_parser().parse_args(
        [
            "reference",
            "build",
            "bonus-llm-captioning",
            "--only",
            "q1_peft",
            "--only",
            "q2_captioning",
        ]
    )
    assert args.only == ["q1_peft", "q2_captioning"]
