"""The sandbox without a kernel: refusal when bwrap is missing, the mounts it builds, the
grader's reading of untrusted files, limit records in the facts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders import cli
from graders.execute import sandbox as sb
from graders.execute.runner import execute_notebook, read_untrusted
from graders.facts import LimitHit, RunFacts
from graders.spec.models import AssignmentSpec, Limits

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch):
    sb.check_available.cache_clear()
    monkeypatch.setattr(sb, "bwrap_path", lambda: None)
    yield
    sb.check_available.cache_clear()


@pytest.fixture
def refusing_bwrap(monkeypatch: pytest.MonkeyPatch):
    sb.check_available.cache_clear()
    monkeypatch.setattr(sb, "bwrap_path", lambda: "/bin/false")
    yield
    sb.check_available.cache_clear()


def _notebook(tmp_path: Path) -> Path:
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    return path


def test_missing_bwrap_is_sandbox_unavailable(tmp_path: Path, no_bwrap) -> None:
    result = execute_notebook(_notebook(tmp_path), limits=Limits(), variables=[])
    assert result.run.outcome == "sandbox-unavailable"
    assert "bubblewrap" in result.run.message and "--no-sandbox" in result.run.message
    assert "محیط ایزوله" in result.run.message  # Persian first
    assert result.probe is None


def test_refusing_bwrap_is_sandbox_unavailable(tmp_path: Path, refusing_bwrap) -> None:
    with pytest.raises(sb.SandboxUnavailable, match="refused"):
        sb.check_available()
    result = execute_notebook(_notebook(tmp_path), limits=Limits(), variables=[])
    assert result.run.outcome == "sandbox-unavailable"


def test_grade_refuses_without_sandbox_in_both_languages(
    tmp_path: Path, no_bwrap, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["grade", "hw5-rnn", str(tmp_path), "--reports", str(tmp_path / "r")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "در دسترس نیست" in err and "not available" in err
    assert not (tmp_path / "r").exists()  # refused before anything was graded


def test_no_sandbox_is_an_explicit_opt_in(tmp_path: Path, no_bwrap) -> None:
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    result = execute_notebook(
        tmp_path / "broken.ipynb", limits=Limits(), variables=[], sandbox=False
    )
    assert result.run.outcome == "invalid-notebook" and not result.run.sandboxed
    args = cli.build_parser().parse_args(["grade", "hw5-rnn", "x", "--no-sandbox"])
    assert args.sandbox is False and args.device == "cpu"


def test_the_sandbox_binds_no_project_folder(tmp_path: Path) -> None:
    cmd = sb.command(
        bwrap="/usr/bin/bwrap",
        run_dir=tmp_path / "run",
        etc_dir=tmp_path / "etc",
        uid=1_234_567,
        limits_tmp_mb=16,
        worker_argv=[sys.executable, "-m", "graders.execute.worker", sb.INSIDE_RUN_DIR],
        config=sb.SandboxConfig(),
        env=sb.sandbox_env(sb.SandboxConfig(), cuda=False),
    )
    sources = [cmd[i + 1] for i, a in enumerate(cmd) if a in ("--ro-bind", "--bind", "--dev-bind")]
    writable = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--bind"]
    assert writable == [str(tmp_path / "run")]
    for src in sources:
        path = Path(src)
        # the project may only be seen through its `graders` package (and a venv inside it)
        if path.is_relative_to(ROOT):
            assert path == ROOT / "graders" or path.is_relative_to(Path(sys.prefix).resolve())
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"):
        assert flag in cmd
    assert "--clearenv" in cmd and f"--reuid={1_234_567}" in cmd


def test_cuda_device_passes_nvidia_files_and_sets_visible_devices(tmp_path: Path) -> None:
    env = sb.sandbox_env(sb.SandboxConfig(device="cuda"), cuda=True)
    assert env["CUDA_VISIBLE_DEVICES"] != ""
    assert sb.sandbox_env(sb.SandboxConfig(), cuda=False)["CUDA_VISIBLE_DEVICES"] == ""


def test_data_mounts_and_offline_environment(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    mounts, env = sb.data_mounts(
        data_dir="d", data_mount_at="data", hf_cache=False, torch_hub=False, root=tmp_path
    )
    assert {m.inside for m in mounts} == {"/data", f"{sb.INSIDE_RUN_DIR}/work/data"}
    assert env["HF_HUB_OFFLINE"] == env["HF_DATASETS_OFFLINE"] == "1"
    missing, _ = sb.data_mounts(
        data_dir="nowhere", data_mount_at="data", hf_cache=False, torch_hub=False, root=tmp_path
    )
    assert missing == ()


def test_spec_accepts_limits_and_data() -> None:
    spec = AssignmentSpec.model_validate(
        {
            "id": "x",
            "title_fa": "ت",
            "title_en": "t",
            "course_fa": "د",
            "course_en": "c",
            "limits": {"memory_mb": 1536, "max_processes": 16, "output_bytes_total": 10},
            "data": {"data_dir": "$HOME/datasets", "hf_cache": True},
        }
    )
    assert spec.limits.max_processes == 16 and spec.data.hf_cache
    with pytest.raises(ValueError):
        Limits(max_processes=1)


def test_untrusted_files_are_read_without_following_links(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret")
    (tmp_path / "link.json").symlink_to(secret)
    assert read_untrusted(tmp_path / "link.json", 100) is None
    os.mkfifo(tmp_path / "fifo.json")
    assert read_untrusted(tmp_path / "fifo.json", 100) is None  # and it did not block
    (tmp_path / "big.json").write_bytes(b"x" * 101)
    assert read_untrusted(tmp_path / "big.json", 100) is None
    (tmp_path / "ok.json").write_bytes(b"{}")
    assert read_untrusted(tmp_path / "ok.json", 100) == b"{}"


def test_limit_records_are_validated() -> None:
    run = RunFacts.model_validate(
        {"outcome": "memory", "limits_hit": [{"name": "memory", "limit": 1536, "observed": 2000}]}
    )
    assert run.limits_hit == [LimitHit(name="memory", limit=1536, observed=2000)]
    with pytest.raises(ValueError):
        RunFacts.model_validate({"outcome": "ok", "limits_hit": [{"name": "gpu", "limit": 1}]})


def test_bwrap_really_isolates_the_network() -> None:
    bwrap = sb.check_available()
    proc = subprocess.run(
        [bwrap, "--ro-bind", "/", "/", "--unshare-net", "cat", "/proc/net/dev"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    interfaces = {ln.split(":")[0].strip() for ln in proc.stdout.splitlines()[2:]}
    assert interfaces == {"lo"}
