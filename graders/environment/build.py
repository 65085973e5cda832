"""The kernel environment on disk: a virtualenv of its own, built from the declared list.

`kernel_env(requirements)` names it: `<root>/<key>/`, where the root is `$DLGRADE_KERNEL_ENVS`
(else `~/.cache/dlgrade/kernel-envs`) and the key hashes the declared list, the packages the
worker and kernel need (`INFRA`) and the grader's torch build. `build(env)` creates it with the
grader's interpreter, no system site-packages and no pip inside (the grader's pip installs into
it with `--python`), the grader's exact torch version, then records what was installed
(`dlgrade-manifest.json`) and writes the marker file last: a half-built folder is never used,
and the next build starts it again. Builds of one key take a lock, so two graders (or a batch's
workers) never build the same folder at once.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from graders.environment.declared import declared_for, environment_key
from graders.errors import DlgradeError

if TYPE_CHECKING:
    from graders.spec.models import AssignmentSpec

ROOT_VAR = "DLGRADE_KERNEL_ENVS"
PIP_ARGS_VAR = "DLGRADE_KERNEL_PIP_ARGS"
MARKER = ".dlgrade-ready"
MANIFEST = "dlgrade-manifest.json"
# what the worker (nbclient, beside the kernel) and the kernel itself need, whatever is declared
INFRA = ("ipykernel>=6.29", "nbclient>=0.10", "nbformat>=5.9")

# run by the kernel environment's python: what it has, as JSON on stdout
MANIFEST_SCRIPT = """
import importlib.metadata as m, json, pkgutil, platform, sys
packages = {}
for d in m.distributions():
    name = d.metadata["Name"]
    if name:
        packages[name.lower().replace("_", "-").replace(".", "-")] = d.version
modules = sorted({i.name for i in pkgutil.iter_modules()} | set(sys.builtin_module_names))
print(json.dumps({"python": platform.python_version(), "packages": packages, "modules": modules}))
"""


class EnvironmentNotBuilt(DlgradeError, RuntimeError):
    """The kernel environment of an assignment has not been built (or was half-built)."""

    @classmethod
    def for_assignment(
        cls, assignment: str, path: Path, profile: str = "smoke"
    ) -> EnvironmentNotBuilt:
        if profile != "smoke":
            assignment = f"{assignment} --profile {profile}"
        return cls(
            f"the kernel environment of {assignment} is not built ({path}). Run "
            f"`dlgrade env build {assignment}` first (the notebooks never run in the grader's "
            "own Python).",
            f"محیط اجرای نوت‌بوک‌های {assignment} هنوز ساخته نشده است ({path}). ابتدا "
            f"`dlgrade env build {assignment}` را اجرا کنید (نوت‌بوک‌ها هرگز در پایتونِ خودِ "
            "نمره‌دهنده اجرا نمی‌شوند).",
        )


class EnvironmentBuildError(DlgradeError, RuntimeError):
    """pip failed, or what it installed does not match what was asked for."""

    @classmethod
    def because(cls, why: str) -> EnvironmentBuildError:
        return cls(
            f"the kernel environment could not be built: {why}",
            f"ساخت محیط اجرای نوت‌بوک ناموفق بود: {why}",
        )


def envs_root() -> Path:
    """Where kernel environments live: `$DLGRADE_KERNEL_ENVS`, else the user's cache."""
    if os.environ.get(ROOT_VAR):
        return Path(os.environ[ROOT_VAR]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "dlgrade" / "kernel-envs"


def grader_torch() -> str | None:
    """The grader's torch version as installed (`2.13.0+cpu`), read without importing torch."""
    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return None


def _torch_cuda() -> str | None:
    """`torch.version.cuda` of the grader's torch, read from its file (importing costs seconds)."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "version.py"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^cuda\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
    return match.group(1) if match else None


def torch_build() -> str:
    """The grader's torch build: its version and CUDA release (`2.13.0+cpu`, `2.5.1/cuda12.4`)."""
    version = grader_torch()
    if version is None:
        return "none"
    cuda = _torch_cuda()
    return f"{version}/cuda{cuda}" if cuda else version


@dataclass(frozen=True)
class KernelEnv:
    """One kernel environment: where it lives, what it holds (declared + infra + torch)."""

    key: str
    path: Path
    requirements: tuple[Requirement, ...]
    torch: str | None
    infra: tuple[str, ...] = INFRA

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def ready(self) -> bool:
        """Built to the end (the marker, written last, names this key)."""
        try:
            marker = (self.path / MARKER).read_text(encoding="utf-8").strip()
        except OSError:
            return False
        return marker == self.key and self.python.exists()

    def manifest(self) -> dict[str, Any]:
        """What the build recorded ({} when not built)."""
        if not self.ready():
            return {}
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def installed(self) -> dict[str, str]:
        """Installed version of each declared package, by canonical name ({} when not built)."""
        packages = self.manifest().get("packages", {})
        out = {}
        for req in self.requirements:
            name = canonicalize_name(req.name)
            if name in packages:
                out[name] = packages[name]
        return out

    def modules(self) -> frozenset[str]:
        """Every top-level module the kernel can import (stdlib and installed)."""
        return frozenset(self.manifest().get("modules", []))

    def base_prefix(self) -> Path | None:
        """The Python install the virtualenv was made from (`home` in `pyvenv.cfg`)."""
        try:
            cfg = (self.path / "pyvenv.cfg").read_text(encoding="utf-8")
        except OSError:
            return None
        match = re.search(r"^home\s*=\s*(.+)$", cfg, re.MULTILINE)
        return Path(match.group(1).strip()).resolve().parent if match else None


def kernel_env(
    requirements: Iterable[Requirement],
    *,
    root: Path | None = None,
    torch: str | None = None,
    infra: tuple[str, ...] = INFRA,
) -> KernelEnv:
    """The environment for a declared list, under `root` (default `envs_root()`).

    `torch`: the torch build to key and pin (default: the grader's); `infra`: what the worker
    and kernel need besides the declared list (only a test of the build itself omits it).
    """
    reqs = tuple(requirements)
    build_id = torch_build() if torch is None else torch
    torch_version = grader_torch() if torch is None else torch.split("/")[0]
    key = environment_key([*reqs, *(Requirement(r) for r in infra)], build_id)
    return KernelEnv(key, (root or envs_root()) / key, reqs, torch_version, infra)


def pip_requirements(env: KernelEnv) -> list[str]:
    """What pip is asked for: the declared list with torch pinned to the grader's exact build,
    and the infra packages."""
    out: list[str] = []
    for req in env.requirements:
        if canonicalize_name(req.name) != "torch":
            out.append(str(req))
            continue
        if env.torch is None:
            raise EnvironmentBuildError.because(
                "torch is declared but the grader has none installed"
            )
        if req.specifier and not req.specifier.contains(env.torch, prereleases=True):
            raise EnvironmentBuildError.because(
                f"the grader's torch {env.torch} does not satisfy the declared {req}"
            )
        out.append(f"torch=={env.torch}")
    return [*out, *env.infra]


def default_pip_args(env: KernelEnv) -> list[str]:
    """`$DLGRADE_KERNEL_PIP_ARGS`; else, for a torch from PyTorch's own index (`+cu124`,
    `+rocm6.2`), that index as an extra one, so the same build is found."""
    if os.environ.get(PIP_ARGS_VAR):
        return shlex.split(os.environ[PIP_ARGS_VAR])
    local = (env.torch or "").partition("+")[2]
    if re.fullmatch(r"cu\d+|rocm[\d.]+", local):
        return ["--extra-index-url", f"https://download.pytorch.org/whl/{local}"]
    return []


def _run_manifest(python: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [str(python), "-I", "-c", MANIFEST_SCRIPT], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise EnvironmentBuildError.because(f"its python does not start: {proc.stderr[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _verify(env: KernelEnv, manifest: dict[str, Any]) -> None:
    packages = manifest["packages"]
    for req in env.requirements:
        name = canonicalize_name(req.name)
        version = packages.get(name)
        if version is None:
            raise EnvironmentBuildError.because(f"{req.name} was not installed")
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            raise EnvironmentBuildError.because(f"{req.name} {version} does not satisfy {req}")
    if env.torch is not None and "torch" in packages and packages["torch"] != env.torch:
        raise EnvironmentBuildError.because(
            f"torch {packages['torch']} was installed, not the grader's {env.torch}: pass the "
            f"grader's index with --pip-args (or ${PIP_ARGS_VAR})"
        )


def size_mb(path: Path) -> float:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return total / 2**20


def _pip(cmd: list[str], quiet: bool) -> tuple[int, str]:
    """Run pip; its stderr passes through (unless `quiet`) without the local index's noise.
    Returns (exit status, the last lines of stderr)."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    tail: list[str] = []
    for line in proc.stderr:
        if "is ignored: it is neither a file nor a directory" in line:
            continue
        tail = [*tail[-30:], line]
        if not quiet:
            sys.stderr.write(line)
    return proc.wait(), "".join(tail)


@dataclass(frozen=True)
class BuildReport:
    env: KernelEnv
    built: bool  # False: it was already there and reused
    seconds: float


def build(
    env: KernelEnv,
    *,
    pip_args: list[str] | None = None,
    force: bool = False,
    quiet: bool = False,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> BuildReport:
    """Create `env` unless it is already built (or `force`); raise EnvironmentBuildError."""
    started = time.monotonic()
    env.path.parent.mkdir(parents=True, exist_ok=True)
    with open(env.path.parent / f".{env.key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build of this key finishes first
        if env.ready() and not force:
            return BuildReport(env, False, time.monotonic() - started)
        requirements = pip_requirements(env)  # refuses a torch outside the bounds, before rm
        if env.path.exists():
            shutil.rmtree(env.path)
        log(f"dlgrade: building the kernel environment {env.path}")
        venv.EnvBuilder(
            system_site_packages=False, clear=True, symlinks=True, with_pip=False
        ).create(env.path)
        args = default_pip_args(env) if pip_args is None else pip_args
        cmd = [sys.executable, "-m", "pip", "--python", str(env.python), "install"]
        cmd += ["--disable-pip-version-check", "--no-input", *(["-q"] if quiet else [])]
        cmd += [*args, *requirements]
        returncode, tail = _pip(cmd, quiet)
        if returncode != 0:
            raise EnvironmentBuildError.because(f"pip exit {returncode}: {tail[-1500:]}")
        manifest = _run_manifest(env.python)
        _verify(env, manifest)
        manifest["key"] = env.key
        manifest["declared"] = [str(r) for r in env.requirements]
        manifest["built_s"] = round(time.monotonic() - started, 1)
        (env.path / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        (env.path / MARKER).write_text(env.key + "\n", encoding="utf-8")  # last
    return BuildReport(env, True, time.monotonic() - started)


def require(env: KernelEnv, assignment: str, profile: str = "smoke") -> KernelEnv:
    """`env` if it is built, else EnvironmentNotBuilt naming the command that builds it."""
    if not env.ready():
        raise EnvironmentNotBuilt.for_assignment(assignment, env.path, profile)
    return env


def env_for(spec: AssignmentSpec, profile: str = "smoke") -> KernelEnv:
    """The kernel environment of an assignment (under `profile`: `full` adds `environment.full`)."""
    return kernel_env(declared_for(spec, profile))
