"""`--device cuda` from the command line through GradeTask to the sandbox, tested on the CPU
(issue 22): the parser, the batch's GPU per worker, the sandbox's devices and environment,
GPUs hidden from CPU runs, and the CUDA probe inside the sandbox."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from batch_helpers import TINY, make_home, make_zip

from graders import cli
from graders.execute import cuda_probe, runner
from graders.execute import sandbox as sb
from graders.execute.runner import ExecutionResult
from graders.facts import RunFacts
from graders.spec.models import Limits


def test_batch_parser_accepts_device_cuda_and_gpus() -> None:
    args = cli.build_parser().parse_args(
        ["batch", "hw5-rnn", "export.zip", "--device", "cuda", "--gpus", "1,2", "--no-sandbox"]
    )
    assert (args.device, args.gpus, args.sandbox) == ("cuda", ["1", "2"], False)
    assert cli.build_parser().parse_args(["batch", "hw5-rnn", "x"]).device == "cpu"


def test_cli_passes_device_and_sandbox_to_batch(monkeypatch) -> None:
    from graders.commands import batch

    seen: dict = {}

    class Done(Exception):
        pass

    def fake_main(**kwargs):
        seen.update(kwargs)
        raise Done

    monkeypatch.setattr(batch, "main", fake_main)
    with pytest.raises(Done):
        cli.run(["batch", "hw5-rnn", "x", "--device", "cuda", "--gpus", "3", "--no-sandbox"])
    assert (seen["device"], seen["gpus"], seen["sandbox"]) == ("cuda", ["3"], False)


def _fake_execute(calls: list[dict]):
    import os

    def fake(notebook, **kwargs):
        calls.append({**kwargs, "visible": os.environ.get("CUDA_VISIBLE_DEVICES")})
        return ExecutionResult(RunFacts(outcome="ok"), None, None)

    return fake


@pytest.mark.parametrize("device", ["cuda", "cpu"])
def test_batch_jobs1_gives_the_task_its_device_and_gpu(tmp_path: Path, monkeypatch, device) -> None:
    """`--jobs 1` uses the first of `--gpus` (it was ignored); a CPU batch hands out no GPU."""
    from graders import pipeline
    from graders.commands import batch

    home = make_home(tmp_path / "home")
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # restored after the test, whatever the code sets
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    monkeypatch.setenv("CUDA_DEVICE_ORDER", "")  # restored after the test, whatever the code sets
    monkeypatch.delenv("CUDA_DEVICE_ORDER")
    make_zip(tmp_path / "export", "HW1_Ahmadi_810199101")
    calls: list[dict] = []
    monkeypatch.setattr(pipeline, "execute_notebook", _fake_execute(calls))
    summary = batch.main(
        assignment=TINY,
        path=tmp_path / "export",
        reports=tmp_path / "reports",
        render=False,
        plain=True,
        device=device,
        gpus=["1", "0"],
        sandbox=False,
    )
    assert summary.graded == ["HW1_Ahmadi_810199101"]
    assert len(calls) == 1
    assert calls[0]["device"] == device
    assert calls[0]["sandbox"] is False
    assert calls[0]["visible"] == ("1" if device == "cuda" else None)
    # the run's limits are the device's: under cuda at least the GPU floor
    assert calls[0]["limits"].memory_mb == (16384 if device == "cuda" else 4096)


def test_sandbox_command_for_cuda_has_the_devices_and_the_workers_gpu(
    tmp_path: Path, monkeypatch
) -> None:
    fake_dev = (sb.Mount(Path("/dev/null"), "/dev/nvidia0", dev=True),)
    monkeypatch.setattr(sb, "gpu_mounts", lambda: fake_dev)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")

    def argv(device: str) -> list[str]:
        config = sb.SandboxConfig(device=device)
        return sb.command(
            bwrap="/usr/bin/bwrap",
            run_dir=tmp_path,
            etc_dir=tmp_path / "etc",
            uid=None,
            limits_tmp_mb=64,
            worker_argv=["python"],
            config=config,
            env=sb.sandbox_env(config, cuda=device == "cuda"),
        )

    def has(seq: list[str], *items: str) -> bool:
        return any(seq[i : i + len(items)] == list(items) for i in range(len(seq)))

    cuda = argv("cuda")
    assert has(cuda, "--dev-bind", "/dev/null", "/dev/nvidia0")
    assert has(cuda, "--setenv", "CUDA_VISIBLE_DEVICES", "1")
    assert has(cuda, "--setenv", "CUDA_DEVICE_ORDER", "PCI_BUS_ID")
    cpu = argv("cpu")
    assert "/dev/nvidia0" not in cpu
    assert has(cpu, "--setenv", "CUDA_VISIBLE_DEVICES", "")


class _Started(Exception):
    pass


def _notebook(tmp_path: Path) -> Path:
    path = tmp_path / "sub" / "hw.ipynb"
    path.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), path)
    return path


def test_no_sandbox_cpu_run_hides_the_gpus(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    seen: dict = {}

    def popen(cmd, **kwargs):
        seen.update(kwargs["env"])
        raise _Started

    monkeypatch.setattr(runner.subprocess, "Popen", popen)
    with pytest.raises(_Started):
        runner.execute_notebook(
            _notebook(tmp_path), limits=Limits(), variables=[], sandbox=False, device="cpu"
        )
    assert seen["CUDA_VISIBLE_DEVICES"] == ""


def test_cuda_run_refused_when_torch_sees_no_gpu_inside_the_sandbox(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(sb, "check_available", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(
        cuda_probe, "cuda_in_sandbox", lambda *a: (False, '{"available": false, "devices": 0}')
    )

    def popen(cmd, **kwargs):
        raise AssertionError("the notebook must not start")

    monkeypatch.setattr(runner.subprocess, "Popen", popen)
    result = runner.execute_notebook(
        _notebook(tmp_path), limits=Limits(), variables=[], sandbox=True, device="cuda"
    )
    assert result.run.outcome == "sandbox-unavailable"
    assert result.run.cuda is False
    assert "/dev/nvidia-uvm" in result.run.message
    assert "CUDA درون محیط ایزوله" in result.run.message


def test_probe_output_parsing() -> None:
    assert cuda_probe.parse('noise\n{"available": true, "devices": 2}\n', "", 0)[0] is True
    assert cuda_probe.parse('{"available": true, "devices": 0}', "", 0)[0] is False
    ok, why = cuda_probe.parse("", "ImportError: libcuda.so.1", 1)
    assert ok is False
    assert "libcuda" in why


@pytest.mark.slow
def test_probe_runs_torch_inside_the_real_sandbox(monkeypatch) -> None:
    """On this CPU machine the probe must get torch's answer (False), not a sandbox failure."""
    try:
        bwrap = sb.check_available()
    except sb.SandboxUnavailable:
        pytest.skip("bubblewrap does not run here")
    monkeypatch.setattr(cuda_probe, "_answers", {})
    import os

    ok, seen = cuda_probe.cuda_in_sandbox(
        bwrap, (), lambda: runner._fresh_uid() if os.geteuid() == 0 else None, runner._chown_tree
    )
    assert ok is False
    assert '"available": false' in seen
