"""Does CUDA work inside the sandbox? Asked once per worker process before the first GPU run.

A missing `/dev/nvidia-uvm`, device nodes readable only by a group the sandbox drops, or a
driver library the read-only system lacks make `torch.cuda.is_available()` False inside
bubblewrap while it is True outside; a notebook then falls back to the CPU silently and times
out, or runs for an hour. The probe runs torch in the same sandbox a notebook gets (same
mounts, GPU devices, environment) and the answer is kept for the worker's lifetime.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from graders.execute import sandbox as sb

PROBE = (
    "import json, torch; ok = torch.cuda.is_available(); "
    "print(json.dumps({'available': ok, 'devices': torch.cuda.device_count() if ok else 0, "
    "'cuda': torch.version.cuda}))"
)
_answers: dict[tuple, tuple[bool, str]] = {}


def probe_command(
    bwrap: str,
    base: Path,
    uid: int | None,
    mounts: tuple[sb.Mount, ...],
    python: str | None = None,
    python_env: Path | None = None,
) -> list[str]:
    """The bwrap command that runs `PROBE` with a notebook's sandbox (and its kernel
    environment's Python), GPUs included."""
    config = sb.SandboxConfig(mounts=mounts, device="cuda", python_env=python_env)
    return sb.command(
        bwrap=bwrap,
        run_dir=base / "run",
        etc_dir=base / "etc",
        uid=uid,
        limits_tmp_mb=64,
        worker_argv=[python or sys.executable, "-c", PROBE],
        config=config,
        env=sb.sandbox_env(config, cuda=True),
    )


def parse(stdout: str, stderr: str, returncode: int) -> tuple[bool, str]:
    """(CUDA usable, what was seen) from the probe's output."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            seen = json.loads(line)
        except ValueError:
            continue
        if isinstance(seen, dict) and "available" in seen:
            return bool(seen["available"]) and int(seen.get("devices") or 0) > 0, line
    return False, f"probe exit {returncode}: {stderr.strip()[-300:]}"


def cuda_in_sandbox(
    bwrap: str,
    mounts: tuple[sb.Mount, ...],
    make_uid: Callable[[], int | None],
    chown: Callable[[Path, int], None],
    python: str | None = None,
    python_env: Path | None = None,
) -> tuple[bool, str]:
    """Run the probe once per (bwrap, mounts, Python, CUDA_VISIBLE_DEVICES) in this process."""
    key = (bwrap, mounts, python, os.environ.get("CUDA_VISIBLE_DEVICES"))
    if key in _answers:
        return _answers[key]
    base = Path(tempfile.mkdtemp(prefix="dlgrade-cuda-"))
    try:
        (base / "run" / "work").mkdir(parents=True)
        uid = make_uid()
        if uid is not None:
            chown(base / "run", uid)
        proc = subprocess.run(
            probe_command(bwrap, base, uid, mounts, python, python_env),
            capture_output=True,
            text=True,
            timeout=180,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            check=False,
        )
        answer = parse(proc.stdout, proc.stderr, proc.returncode)
    except (OSError, subprocess.SubprocessError) as exc:
        answer = (False, f"probe could not run: {exc}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    _answers[key] = answer
    return answer


def unavailable_message(detail: str) -> str:
    """Persian and English: why a `--device cuda` run is refused rather than run on the CPU."""
    return (
        "CUDA درون محیط ایزوله در دسترس نیست (torch.cuda.is_available() نادرست است)؛ نوت‌بوک "
        "اجرا نشد تا بی‌صدا روی CPU اجرا نشود. بررسی کنید /dev/nvidia-uvm وجود دارد و فایل‌های "
        "/dev/nvidia* برای همه خواندنی‌اند (0666)، یا با --device cpu نمره بدهید.\n"
        "CUDA is not usable inside the sandbox (torch.cuda.is_available() is False there); the "
        "notebook was not run, rather than fall back to the CPU silently. Check that "
        "/dev/nvidia-uvm exists and /dev/nvidia* are readable by all (0666), or grade with "
        f"--device cpu. Probe: {detail}"
    )
