"""The bubblewrap command line that confines one worker run.

Inside: a read-only system (/usr and the few /etc files Python needs), the kernel environment
(its own virtualenv, `graders.environment.build`) and the Python install it was made from,
read-only, never the grader's virtualenv, the `graders` package read-only at /opt/dlgrade (nothing else of the
project: no reference solutions, golden files, gradebook, reports or other submissions), the
run folder at /sandbox as the only writable folder, a private RAM-backed /tmp and /dev/shm of
bounded size, no network (a fresh network namespace with only loopback), a fresh PID
namespace (killing its first process ends every process of the run), and the worker drops
to a fresh unprivileged uid so that RLIMIT_NPROC really counts this run's processes. Every
path is computed at run time, so a fresh clone anywhere works.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import graders
from graders.errors import DlgradeError

INSIDE_RUN_DIR = "/sandbox"
INSIDE_PACKAGE_ROOT = "/opt/dlgrade"
INSIDE_HOME = "/tmp/home"
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "hosts",
    "fonts",
    "alternatives",
    "mime.types",
)


class SandboxUnavailable(DlgradeError, RuntimeError):
    """bwrap is missing or refuses to start here."""

    @classmethod
    def because(cls, why: str) -> SandboxUnavailable:
        return cls(
            f"the sandbox (bubblewrap) is not available: {why}. Install it "
            "(apt-get install bubblewrap) or, only for your own notebook on your own machine, "
            "pass --no-sandbox.",
            f"محیط ایزولهٔ اجرا (bubblewrap) در دسترس نیست: {why}. آن را نصب کنید "
            "(apt-get install bubblewrap) یا فقط برای نوت‌بوک خودتان روی رایانهٔ خودتان "
            "گزینهٔ --no-sandbox را بدهید.",
        )


@dataclass(frozen=True)
class Mount:
    host: Path
    inside: str
    dev: bool = False


@dataclass(frozen=True)
class SandboxConfig:
    """What one run may see besides the system: read-only mounts, device, extra environment."""

    mounts: tuple[Mount, ...] = ()
    device: str = "cpu"
    env: dict[str, str] = field(default_factory=dict)
    python_env: Path | None = None  # the kernel environment; None: the grader's own Python


def bwrap_path() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None
    )


@functools.cache
def check_available() -> str:
    """Return the bwrap path, or raise SandboxUnavailable (bwrap missing or refusing)."""
    path = bwrap_path()
    if path is None:
        raise SandboxUnavailable.because("bwrap was not found on PATH")
    try:
        proc = subprocess.run(
            [
                path,
                *_system_binds(),
                "--unshare-pid",
                "--unshare-net",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--die-with-parent",
                "--new-session",
                "true",
            ],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable.because(f"bwrap could not be started ({exc})") from exc
    if proc.returncode != 0:
        why = proc.stderr.decode(errors="replace").strip()[:300] or f"exit {proc.returncode}"
        raise SandboxUnavailable.because(f"bwrap refused to start ({why})")
    return path


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args


def _venv_base(env_dir: Path) -> list[str]:
    """The Python install a virtualenv was made from (`home` in its `pyvenv.cfg`)."""
    try:
        cfg = (env_dir / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return []
    for line in cfg.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home" and value.strip():
            return [str(Path(value.strip()).resolve().parent)]
    return []


def python_paths(env_dir: Path | None = None) -> list[Path]:
    """The Python install and the virtualenv (the kernel environment `env_dir`, else the
    grader's own), never the project around them."""
    out: list[Path] = []
    if env_dir is None:
        prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
        exe = Path(sys.executable)
    else:
        prefixes = [str(env_dir), *_venv_base(env_dir)]
        exe = env_dir / "bin" / "python"
    for p in set(prefixes):
        path = Path(p).resolve()
        if path != Path("/") and path.is_dir():
            out.append(path)
    for candidate in (exe, exe.resolve()):
        if not any(candidate.is_relative_to(p) for p in out) and candidate.exists():
            out.append(candidate.parent)
    return sorted(set(out), key=lambda p: len(p.parts))


def package_dir() -> Path:
    return Path(graders.__file__).resolve().parent


def passwd_files(etc: Path, uid: int) -> tuple[Path, Path]:
    """Minimal /etc/passwd and /etc/group naming the run's uid (some libraries look it up)."""
    etc.mkdir(exist_ok=True)
    passwd = etc / "passwd"
    group = etc / "group"
    passwd.write_text(
        f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
        f"student:x:{uid}:{uid}:student:{INSIDE_HOME}:/usr/sbin/nologin\n",
        encoding="utf-8",
    )
    group.write_text(f"root:x:0:\nstudent:x:{uid}:\n", encoding="utf-8")
    return passwd, group


def data_mounts(
    *, data_dir: str | None, data_mount_at: str, hf_cache: bool, torch_hub: bool, root: Path
) -> tuple[tuple[Mount, ...], dict[str, str]]:
    """The read-only mounts and environment of an assignment's declared data and caches."""
    mounts: list[Mount] = []
    env = {
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }
    if data_dir:
        path = Path(os.path.expandvars(os.path.expanduser(data_dir)))
        path = path if path.is_absolute() else root / path
        if path.is_dir():
            mounts.append(Mount(path.resolve(), "/data"))
            mounts.append(Mount(path.resolve(), f"{INSIDE_RUN_DIR}/work/{data_mount_at}"))
            env["DLGRADE_DATA"] = "/data"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if hf_cache:
        hf = Path(os.environ.get("HF_HOME") or cache / "huggingface")
        if hf.is_dir():
            mounts.append(Mount(hf.resolve(), "/opt/hf"))
            env["HF_HOME"] = "/opt/hf"
    if torch_hub:
        th = Path(os.environ.get("TORCH_HOME") or cache / "torch")
        if th.is_dir():
            mounts.append(Mount(th.resolve(), "/opt/torch"))
            env["TORCH_HOME"] = "/opt/torch"
    return tuple(mounts), env


def gpu_mounts() -> tuple[Mount, ...]:
    """The NVIDIA device files (and /sys for the driver's topology queries)."""
    devs = sorted(glob.glob("/dev/nvidia*")) + sorted(glob.glob("/dev/dri/*"))
    out = [Mount(Path(d), d, dev=True) for d in devs]
    if os.path.isdir("/sys"):
        out.append(Mount(Path("/sys"), "/sys"))  # read-only: the driver's topology queries
    return tuple(out)


def command(
    *,
    bwrap: str,
    run_dir: Path,
    etc_dir: Path,
    uid: int | None,
    limits_tmp_mb: int,
    worker_argv: list[str],
    config: SandboxConfig,
    env: dict[str, str],
    limits_shm_mb: int | None = None,
) -> list[str]:
    """The full argv: bwrap ... setpriv (drop to `uid`) ... python -m graders.execute.worker.

    `uid=None` (the grader is not root): no privilege drop, bwrap makes a user namespace.
    """
    size = str(limits_tmp_mb * 1024 * 1024)
    shm = str((limits_shm_mb or limits_tmp_mb) * 1024 * 1024)
    # The private /tmp comes before every other mount: the project, its venv (tox's .tox/) or
    # the run folder may themselves live under the host's /tmp, and must stay visible.
    args = [bwrap, *_system_binds(), "--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp"]
    args += ["--perms", "1777", "--size", shm, "--tmpfs", "/dev/shm"]
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    passwd, group = passwd_files(etc_dir, uid if uid is not None else os.getuid())
    args += ["--ro-bind", str(passwd), "/etc/passwd", "--ro-bind", str(group), "/etc/group"]
    for path in python_paths(config.python_env):
        args += ["--ro-bind", str(path), str(path)]
    args += ["--ro-bind", str(package_dir()), f"{INSIDE_PACKAGE_ROOT}/graders"]
    args += ["--bind", str(run_dir), INSIDE_RUN_DIR]
    for m in config.mounts:
        args += ["--dev-bind" if m.dev else "--ro-bind", str(m.host), m.inside]
    if config.device == "cuda":
        for m in gpu_mounts():
            args += ["--dev-bind" if m.dev else "--ro-bind", str(m.host), m.inside]
    args += [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "dlgrade-sandbox",
        "--die-with-parent",
        "--new-session",
        "--chdir",
        f"{INSIDE_RUN_DIR}/work",
        "--clearenv",
    ]
    for key, value in sorted(env.items()):
        args += ["--setenv", key, value]
    if uid is None:  # not root: an unprivileged user namespace, the caller's own uid
        return [*_parent_dirs([*args, "--unshare-user"]), *worker_argv]
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    drop = [
        setpriv,
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
    ]
    return [*_parent_dirs(args), *drop, *worker_argv]


def _parent_dirs(args: list[str]) -> list[str]:
    """Create every mount point's parent folders with mode 0755 first (bwrap uses the umask)."""
    dests: list[str] = []
    i = 0
    while i < len(args):
        if args[i] in ("--ro-bind", "--bind", "--dev-bind"):
            dests.append(args[i + 2])
            i += 3
        elif args[i] in ("--symlink", "--setenv", "--size", "--perms"):
            i += 3 if args[i] in ("--symlink", "--setenv") else 2
        else:
            i += 1
    parents: list[str] = []
    for dest in dests:
        for parent in list(reversed(Path(dest).parents))[1:]:
            if str(parent) not in parents:
                parents.append(str(parent))
    # after the private /tmp and /dev/shm, so that folders made under them are not hidden
    cut = max(i for i, a in enumerate(args) if a == "--tmpfs") + 2
    made: list[str] = []
    for parent in parents:
        made += ["--perms", "0755", "--dir", parent]
    return [*args[:cut], *made, *args[cut:]]


def sandbox_env(config: SandboxConfig, *, cuda: bool) -> dict[str, str]:
    """The whole environment inside (bwrap --clearenv): nothing leaks from the grader's."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": INSIDE_HOME,
        "USER": "student",
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONPATH": INSIDE_PACKAGE_ROOT,
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": "/tmp/home/.config/matplotlib",
        "JUPYTER_RUNTIME_DIR": "/tmp/home/.jupyter-runtime",
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": "/tmp/home/.ipython",
        "XDG_CACHE_HOME": "/tmp/home/.cache",
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count() or 1)),
        **device_env("cuda" if cuda else "cpu"),
        **config.env,
    }
    return env


def unsandboxed_env(base: Path) -> dict[str, str]:
    """Without the sandbox, in the kernel environment: the grader's variables minus its
    virtualenv and paths; `graders` alone on PYTHONPATH (a link beside the run, which the
    worker drops before it starts the kernel)."""
    pkg = base / "pkg"
    pkg.mkdir()
    (pkg / "graders").symlink_to(package_dir(), target_is_directory=True)
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "JUPYTER_PATH"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # an empty Jupyter data folder: a `python3` kernelspec of the user's cannot replace the
    # environment's own (nbclient starts `python3`, found first in the user's folder)
    (base / "jupyter-data").mkdir()
    return {
        **env,
        "PYTHONPATH": str(pkg),
        "PYTHONNOUSERSITE": "1",
        "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
    }


def device_env(device: str) -> dict[str, str]:
    """The GPU variables of a run: `cpu` hides every GPU (also without the sandbox); `cuda`
    keeps the worker's CUDA_VISIBLE_DEVICES (its `--gpus` share), numbered in PCI order like
    `nvidia-smi -L`."""
    if device != "cuda":
        return {"CUDA_VISIBLE_DEVICES": ""}
    return {
        "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES", "0"),
        "CUDA_DEVICE_ORDER": "PCI_BUS_ID",
    }
