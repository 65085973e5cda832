"""The student distribution: built from a copy of this project with hidden checks planted, it holds
no hidden file, no hidden check, no golden value only hidden checks use, and it self-checks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from mini_gru import golden_values, make_home

from graders.checks.registry import get_check
from graders.facts import Facts
from graders.golden import Golden, load_golden
from graders.hidden import golden_refs
from graders.spec import load_spec
from graders.student_build import write_student_data

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_NAMES = ("gru-flops", "trained-enough", "mini_gru_loss_drop", "planted-hidden-check")


def _numbers(value) -> set[float]:
    if isinstance(value, dict):
        return set().union(*map(_numbers, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_numbers, value)) if value else set()
    return (
        {float(value)} if isinstance(value, int | float) and not isinstance(value, bool) else set()
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A copy of the project (its git files) plus mini-gru and a hidden check planted in hw5-rnn."""
    src = tmp_path_factory.mktemp("project")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    make_home(src)
    # hw5-rnn: a hidden check on a golden value no public check names
    raw = yaml.safe_load((src / "assignments/hw5-rnn/assignment.yaml").read_text(encoding="utf-8"))
    q1 = json.loads(
        (src / "reference_solutions/hw5_rnn/golden/smoke/q1.json").read_text(encoding="utf-8")
    )
    public = golden_refs(raw, {"q1"})["q1"]
    key = max(
        k
        for k, v in q1["values"].items()
        if k not in public and isinstance(v, dict) and "accepted" in v
    )
    hidden = {"questions": [{"id": "Q1", "parts": [{"id": "c", "checks": [
        {"id": "planted-hidden-check", "check": "numeric_answer", "params": {"slot": "Q1.c.x", "golden": f"q1:{key}"}}
    ]}]}]}  # fmt: skip
    (src / "assignments/hw5-rnn/hidden").mkdir()
    (src / "assignments/hw5-rnn/hidden/planted.yaml").write_text(yaml.safe_dump(hidden))
    secrets = {
        "keys": {("hw5_rnn", "q1", key), ("mini_gru", "t1", "gru.flops")},
        "values": _numbers(q1["values"][key]) | _numbers(golden_values()["gru.flops"]),
    }
    return src, secrets


def _build(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(project: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # offline: the build runs in this environment (setuptools and PyYAML, as build-system.requires)
    _build(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
        ],
        project[0],
    )
    (whl,) = out.glob("dlgrade-*.whl")
    return whl


def _assert_student_only(files: dict[str, bytes], secrets: dict) -> None:
    """`files`: the distribution's files by their path in the package root."""
    data = "graders/_data/"
    names = list(files)
    assert not [n for n in names if "/hidden/" in n or "/examples/" in n]
    assert not [n for n in names if n.startswith(("reference_solutions/", "assignments/"))]
    for name, blob in files.items():
        text = blob.decode("utf-8", errors="replace")
        leaked = [s for s in HIDDEN_NAMES if s in text]
        assert not leaked, f"{name} names hidden check(s) {leaked}"
    shipped = {
        n: json.loads(b) for n, b in files.items() if "/golden/" in n and n.endswith(".json")
    }
    assert {
        "reference_solutions/hw5_rnn/golden/q1.json",
        "reference_solutions/mini_gru/golden/t1.json",
    } <= {n.removeprefix(data) for n in shipped}
    for name, doc in shipped.items():
        package, document = name.split("/")[-3], name.split("/")[-1].removesuffix(".json")
        assert not {k for p, d, k in secrets["keys"] if (p, d) == (package, document)} & set(
            doc["values"]
        )
        assert not _numbers(doc["values"]) & secrets["values"], name
        text = json.dumps(doc["values"])
        # as a whole number in the text (not as digits inside another number such as 0.034561)
        assert not [
            v for v in secrets["values"] if re.search(rf"(?<![\d.]){v:.0f}(?![\d.])", text)
        ], name
    # what students need is there: the public spec, the public golden values, the hidden summary
    t1 = next(d for n, d in shipped.items() if n.endswith("mini_gru/golden/t1.json"))
    assert {a["value"] for a in t1["values"]["gru.params"]["accepted"]} == {168, 156}
    spec = yaml.safe_load(files[data + "assignments/mini-gru/assignment.yaml"])
    assert [c["id"] for q in spec["questions"] for p in q["parts"] for c in p["checks"]] == [
        "gru-params",
        "output-shape",
        "model",
        "loss-log-scale",
    ]
    summary = json.loads(files[data + "assignments/mini-gru/hidden-summary.json"])
    assert summary["questions"] == {
        "T1": {"a": {"checks": 1, "weight": 2.0}},
        "P1": {"a": {"checks": 1, "weight": 1.0}},
    }


@pytest.mark.slow
def test_wheel_ships_public_checks_only(wheel: Path, project: tuple[Path, dict]) -> None:
    with zipfile.ZipFile(wheel) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    _assert_student_only(files, project[1])
    assert "graders/selfcheck/plugin.py" in files and "graders/_data/templates/report.css" in files
    entry_points = next(b for n, b in files.items() if n.endswith(".dist-info/entry_points.txt"))
    assert "[pytest11]\ndlgrade = graders.selfcheck.plugin" in entry_points.decode()


@pytest.mark.slow
def test_sdist_ships_the_same_student_data(project: tuple[Path, dict], tmp_path: Path) -> None:
    code = f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"
    _build([sys.executable, "-c", code], project[0])
    (sdist,) = tmp_path.glob("dlgrade-*.tar.gz")
    with tarfile.open(sdist) as tf:
        files = {
            m.name.split("/", 1)[1]: tf.extractfile(m).read() for m in tf.getmembers() if m.isfile()
        }
    assert "pyproject.toml" in files
    _assert_student_only(files, project[1])


@pytest.mark.slow
def test_installed_wheel_self_checks_from_packaged_data(
    wheel: Path, tmp_path: Path, examples: dict[str, Path]
) -> None:
    target = tmp_path / "site"
    _build(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        tmp_path,
    )
    env = {k: v for k, v in os.environ.items() if k != "DLGRADE_HOME"} | {"PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "from graders.paths import project_root; print(project_root())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert where == str(target / "graders" / "_data")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:dlgrade", "-p", "graders.selfcheck.plugin", "-p", "no:cacheprovider",
         "--submission", str(examples["karimi"] / "hw5_q6.ipynb"), "--assignment", "hw5-rnn", "--no-execute"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 1, out[-3000:] + proc.stderr[-2000:]
    assert "planted-hidden-check" not in out
    assert "1 hidden check(s), worth 0.57 points (Q1), are not run here" in out  # 4 points x 1/7
    # pytest's short summary: "FAILED <notebook>::hw5-rnn::Q1::a::L1-weights - ..."
    assert re.search(r"^FAILED \S*::hw5-rnn::Q1::a::L1-weights\b", out, re.MULTILINE), out[-3000:]


def test_student_golden_gives_public_checks_the_same_results(tmp_path: Path) -> None:
    """Trimming golden files to what public checks name must not change any public check."""
    data = tmp_path / "_data"
    write_student_data(ROOT, data)
    sheets = sorted(ROOT.glob("assignments/*/examples/*/answers.yaml"))
    compared = 0
    for spec_path in sorted(ROOT.glob("assignments/*/assignment.yaml")):
        spec = load_spec(spec_path)
        try:
            full = load_golden(spec.id)
        except FileNotFoundError:
            continue
        try:
            student = load_golden(
                spec.id, data / "reference_solutions" / spec.id.replace("-", "_") / "golden"
            )
        except FileNotFoundError:  # no public check names a golden value
            student = Golden.empty()
        answers = [{}] + [_flat(s) for s in sheets if s.parts[-4] == spec_path.parent.name]
        for q, p, c in spec.iter_checks():
            check = get_check(c.check)
            if c.hidden or check.needs_execution:
                continue
            for sheet in answers:
                facts = Facts(answers=sheet)
                assert check.run(facts, student, c.params) == check.run(facts, full, c.params), (
                    q.id,
                    p.id,
                    c.id,
                )
                compared += 1
    assert compared > 0


def _flat(sheet: Path) -> dict[str, str]:
    from graders.answers.sheet import read_answer_sheet

    return read_answer_sheet(sheet)[0]
