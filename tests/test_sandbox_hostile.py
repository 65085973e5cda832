"""Hostile and broken notebooks (tests/files/hostile/) through the sandbox, with tiny limits.

Every case asserts its precise outcome and the limit recorded, and that nothing outside the
run's private folder changed: the repository (reference solutions, golden files, gradebook),
$HOME, the submission's own folder, and that no process of the run survives it. The cases run
once, three at a time, in a session fixture; each test then checks one case.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
import pytest

from graders.execute.runner import ExecutionResult, execute_notebook
from graders.execute.sandbox import python_paths
from graders.spec.models import DataMounts, Limits

pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "files" / "hostile"
ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "reference_solutions" / "hw5_rnn" / "golden" / "q1.json"
OTHER = ROOT / "assignments" / "hw5-rnn" / "examples" / "HW5_Karimi_401100002"
TINY = dict(
    total_timeout_s=90,
    memory_mb=1536,
    output_bytes_per_cell=1_000_000,
    output_bytes_total=4_000_000,
    disk_mb=20,
    max_file_mb=5,
    tmp_mb=16,
    max_processes=16,
)
FAST = Limits(cell_timeout_s=2, **TINY)
NORMAL = Limits(cell_timeout_s=20, **TINY)
SLOW = Limits(cell_timeout_s=120, **TINY)  # torch + peft imports on a loaded machine
MISSING = ["FileNotFoundError", 2]  # [exception name, errno] as the notebooks record them
DENIED = ["PermissionError", 13]
CASES: dict[str, tuple[Limits, list[str], dict]] = {
    "infinite_loop.ipynb": (FAST, ["x", "y"], {}),
    "ignores_interrupt.ipynb": (FAST, ["x"], {}),
    "fork_bomb.ipynb": (NORMAL, ["x"], {}),
    "allocate_30gb.ipynb": (NORMAL, ["x"], {}),
    # the cell limit is above the total (90 s): only the output limit can end these cells early
    "print_200mb.ipynb": (SLOW, ["x", "y"], {}),
    "print_forever.ipynb": (SLOW, ["x", "y"], {}),
    "os_exit.ipynb": (NORMAL, ["x"], {}),
    "segfault.ipynb": (NORMAL, ["x"], {}),
    "read_secrets.ipynb": (NORMAL, ["attempts"], {}),
    "write_outside.ipynb": (NORMAL, ["attempts"], {"files": {}}),
    "network.ipynb": (NORMAL, ["attempts"], {}),
    "background_process.ipynb": (NORMAL, ["started", "daemonized"], {}),
    "forge_probes.ipynb": (
        SLOW,
        ["score"],
        {"vars": {"names": ["score", "nope"], "types": ["Tensor"]}, "adapters": {}},
    ),
    "disk_flood.ipynb": (NORMAL, ["x", "y"], {}),
    "no_code_cells.ipynb": (NORMAL, [], {"files": {}}),
    "تمرین پنجم من.ipynb": (NORMAL, ["x"], {}),
    "invalid_json.ipynb": (NORMAL, [], {}),
    "nbformat3.ipynb": (NORMAL, ["x"], {}),
}


def _tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [
            d
            for d in dirnames
            if d not in {".git", "__pycache__", ".pytest_cache", ".ruff_cache", *skip}
        ]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            out[str(path.relative_to(folder))] = f"{st.st_size}:{st.st_mtime_ns}:{st.st_mode}"
    return out


def _home_listing() -> set[str]:
    return {p.name for p in Path.home().iterdir() if p.name.startswith("pwned")}


class Run:
    def __init__(self, name: str, result: ExecutionResult, folder: Path, before: str, after: str):
        self.name, self.result, self.folder = name, result, folder
        self.folder_unchanged = before == after

    @property
    def run(self):
        return self.result.run

    @property
    def probe(self):
        return self.result.probe


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for rel, meta in sorted(_tree_digest(folder).items()):
        h.update(f"{rel}={meta};".encode())
    return h.hexdigest()


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    token = secrets.token_hex(8)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0)
    data = tmp_path_factory.mktemp("data")
    (data / "hello.txt").write_text("hello from the data folder", encoding="utf-8")
    data.chmod(0o755)  # the sandbox's uid is not root: data folders must be world-readable
    os.environ["DLGRADE_SECRET_CANARY"] = "leaked"
    subs = {
        "__ROOT__": str(ROOT),
        "__GOLDEN__": str(GOLDEN),
        "__HOME__": str(Path.home()),
        "__OTHER__": str(OTHER),
        "__VENV__": sys.prefix,
        "__PORT__": str(listener.getsockname()[1]),
        "__TOKEN__": token,
    }
    folders = {}
    for name in CASES:
        folder = tmp_path_factory.mktemp("sub") / "پوشهٔ ارسال با فاصله"
        folder.mkdir()
        raw = (HOSTILE / name).read_text(encoding="utf-8")
        for key, value in subs.items():
            raw = raw.replace(key, value.replace("\\", "\\\\"))
        (folder / name).write_text(raw, encoding="utf-8")
        folders[name] = folder
    repo_before = _tree_digest(ROOT)
    home_before = _home_listing()
    before = {name: _digest(folder) for name, folder in folders.items()}

    def one(name: str) -> ExecutionResult:
        limits, variables, probes = CASES[name]
        return execute_notebook(
            folders[name] / name,
            limits=limits,
            variables=variables,
            probes=probes,
            data=DataMounts(data_dir=str(data)),
        )

    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            # the slowest case first, so that it overlaps with the others
            order = sorted(CASES, key=lambda n: n != "forge_probes.ipynb")
            results = dict(zip(order, pool.map(one, order), strict=True))
    finally:
        os.environ.pop("DLGRADE_SECRET_CANARY", None)
    try:
        conn, _ = listener.accept()
        conn.close()
        loopback_reached = True
    except BlockingIOError:
        loopback_reached = False
    listener.close()
    survivors = [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if any(token in part for part in (p.info["cmdline"] or []))
    ]
    runs = {
        name: Run(name, results[name], folders[name], before[name], _digest(folders[name]))
        for name in CASES
    }
    return {
        "runs": runs,
        "repo_changed": sorted(set(repo_before.items()) ^ set(_tree_digest(ROOT).items()), key=str),
        "home_new": _home_listing() - home_before,
        "loopback_reached": loopback_reached,
        "survivors": survivors,
        "token": token,
    }


@pytest.fixture(scope="session")
def runs(hostile) -> dict[str, Run]:
    return hostile["runs"]


def _hits(run: Run) -> set[str]:
    return {h.name for h in run.run.limits_hit}


def test_nothing_outside_the_run_folders_changed(hostile, runs) -> None:
    assert hostile["repo_changed"] == []
    assert hostile["home_new"] == set()
    assert hostile["survivors"] == []
    assert not hostile["loopback_reached"]
    assert all(r.folder_unchanged for r in runs.values()), [
        n for n, r in runs.items() if not r.folder_unchanged
    ]
    assert all(r.run.sandboxed for n, r in runs.items() if n != "invalid_json.ipynb")


def test_infinite_loop_is_interrupted_and_probes_still_run(runs) -> None:
    r = runs["infinite_loop.ipynb"]
    assert r.run.outcome == "timeout"
    (hit,) = r.run.limits_hit
    assert (hit.name, hit.code_cell) == ("cell-time", 2)
    assert r.probe is not None and r.probe.variables == {"x": 1}  # cell 3 was skipped


def test_a_loop_that_swallows_the_interrupt_times_out(runs) -> None:
    r = runs["ignores_interrupt.ipynb"]
    assert r.run.outcome == "timeout"
    assert "cell-time" in _hits(r)
    assert r.probe is None and r.run.n_cells_run >= 1


def test_fork_bomb_hits_the_process_limit(runs) -> None:
    r = runs["fork_bomb.ipynb"]
    assert r.run.outcome == "kernel-died"
    (hit,) = r.run.limits_hit
    assert hit.name == "processes" and hit.observed >= 16
    assert r.run.n_cells_run == 1  # the first cell's facts are kept


def test_allocating_30_gb_hits_the_memory_limit(runs) -> None:
    r = runs["allocate_30gb.ipynb"]
    assert r.run.outcome == "memory"
    (hit,) = r.run.limits_hit
    assert hit.name == "memory" and hit.limit == 1536 and hit.observed > 1536
    assert hit.observed < 8000  # the watchdog stopped it long before 30 GB


@pytest.mark.parametrize("name", ["print_200mb.ipynb", "print_forever.ipynb"])
def test_printing_too_much_hits_the_output_limit(runs, name: str) -> None:
    # Output is counted as it arrives and the kernel is interrupted at the limit: 200 MB
    # (buffered by the kernel in a few huge messages) and an endless print loop both end as
    # output-limit, the next cell is skipped and the probes run in the same kernel.
    r = runs[name]
    assert r.run.outcome == "output-limit", (r.run.outcome, r.run.message)
    (hit,) = r.run.limits_hit
    assert (hit.name, hit.limit, hit.code_cell) == ("output-cell", 1_000_000, 2)
    assert hit.observed > 1_000_000
    assert r.run.n_cells_run == 2
    assert r.probe is not None and r.probe.variables == {"x": 1}


def test_os_exit_is_a_dead_kernel(runs) -> None:
    r = runs["os_exit.ipynb"]
    assert r.run.outcome == "kernel-died"
    assert r.probe is None and r.run.limits_hit == []


def test_segfault_is_a_dead_kernel(runs) -> None:
    r = runs["segfault.ipynb"]
    assert r.run.outcome == "kernel-died"
    assert r.probe is None


def test_secrets_are_not_visible_but_declared_data_is(runs) -> None:
    r = runs["read_secrets.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    a = r.probe.variables["attempts"]
    for key in ("golden", "reference", "shadow", "other_submission"):
        assert a[key][0] == "FileNotFoundError", (key, a[key])
    # the repo is absent inside, or shows only the virtualenv when it lives in the repo
    # (.venv, or tox's .tox): nothing of the project's own files
    root = Path(__file__).resolve().parents[1]
    in_repo = sorted(
        {p.relative_to(root).parts[0] for p in python_paths() if p.is_relative_to(root)}
    )
    assert a["repo_listing"] == (["ok", str(in_repo)] if in_repo else MISSING), a["repo_listing"]
    # $HOME is absent inside, or holds only the folders leading to a bound Python install
    home = Path.home()
    allowed = sorted(
        {p.relative_to(home).parts[0] for p in python_paths() if p.is_relative_to(home)}
    )
    assert a["home"] == (["ok", str(allowed)] if allowed else MISSING), a["home"]
    assert a["data_rel"] == ["ok", "hello from the data folder"]
    assert a["data_abs"] == ["ok", "hello from the data folder"]
    assert a["data_write"] == ["OSError", 30]  # EROFS: mounted read-only
    assert a["hf_offline"] == ["ok", "11"]
    assert a["uid"][0] == "ok" and int(a["uid"][1]) >= 1_000_000  # never root
    assert a["env_leak"] == ["ok", "absent"]  # the grader's environment does not leak in


def test_writes_outside_the_run_folder_fail(runs) -> None:
    r = runs["write_outside.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    a = r.probe.variables["attempts"]
    # the repo and $HOME exist inside only as parents of a bound Python install (made 0755 by
    # bwrap, not owned by the run's uid): then writing there is denied, else the folder is absent
    paths = python_paths()
    root_inside = any(p.is_relative_to(ROOT) for p in paths)
    home_inside = any(p.is_relative_to(Path.home()) for p in paths)
    assert a["repo"] == (DENIED if root_inside else MISSING), a["repo"]
    assert a["home"] == (DENIED if home_inside else MISSING), a["home"]
    assert a["gradebook"] == MISSING and a["golden"] == MISSING, (a["gradebook"], a["golden"])
    for key in ("package", "usr", "venv"):
        assert a[key] == ["OSError", 30], (key, a[key])  # EROFS: bound read-only
    assert a["own_folder"] == ["ok", "4"]
    assert a["big_file"] == ["OSError", 27]  # EFBIG: RLIMIT_FSIZE = max_file_mb
    assert a["tmp_full"] == ["OSError", 28]  # ENOSPC: /tmp is a 16 MB tmpfs
    files = {f["path"] for f in r.probe.extras["files"]["files"]}
    assert "mine.txt" in files


def test_no_network(runs) -> None:
    r = runs["network.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    a = r.probe.variables["attempts"]
    assert a["loopback"][0] == "ConnectionRefusedError"  # the host's listener is not reachable
    assert a["public"] == ["OSError", 101]  # ENETUNREACH
    assert a["dns"][0] == "gaierror"


def test_background_processes_do_not_outlive_the_run(hostile, runs) -> None:
    r = runs["background_process.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    assert r.probe.variables == {"started": True, "daemonized": True}
    assert hostile["survivors"] == []


def test_forged_probe_output_is_ignored(runs) -> None:
    r = runs["forge_probes.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    assert r.probe.variables == {"score": 1}
    modules = {m.name: m for m in r.probe.modules}
    assert "forged" not in modules
    net = modules["net"]
    assert (net.n_params, net.n_trainable) == (15 + 8, 3 + 8)  # first weight frozen
    children = {c.name: c for c in net.children}
    assert (children["0"].n_params, children["0"].n_trainable) == (15, 3)
    assert (children["2"].cls, children["2"].n_trainable) == ("Linear", 8)
    grads = {p.name: (p.shape, p.requires_grad) for p in net.params}
    assert grads["0.weight"] == ([3, 4], False) and grads["0.bias"] == ([3], True)
    (model,) = r.probe.extras["adapters"]["models"]
    assert model["configs"]["default"]["r"] == 2
    assert model["configs"]["default"]["target_modules"] == ["fc"]
    assert sorted(model["trainable"]) == [
        "base_model.model.fc.lora_A.default.weight",
        "base_model.model.fc.lora_B.default.weight",
    ]
    assert model["n_trainable"] == 2 * 8 + 8 * 2
    chosen = r.probe.extras["vars"]
    assert chosen["missing"] == ["nope"]
    assert chosen["variables"]["score"]["value"] == 1
    assert chosen["variables"]["weights"]["shape"] == [3, 5]


def test_disk_flood_hits_the_disk_limit(runs) -> None:
    r = runs["disk_flood.ipynb"]
    assert r.run.outcome == "output-limit"
    assert "disk" in _hits(r)


def test_no_code_cells(runs) -> None:
    r = runs["no_code_cells.ipynb"]
    assert r.run.outcome == "ok"
    assert r.run.n_code_cells == 0 and r.probe.modules == []
    assert {f["path"] for f in r.probe.extras["files"]["files"]} == {
        "no_code_cells.ipynb",
        "data/hello.txt",  # the declared data folder, mounted read-only
    }


def test_persian_file_name_with_spaces(runs) -> None:
    r = runs["تمرین پنجم من.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    assert r.probe.variables == {"x": 42}
    (fig,) = r.probe.figures
    assert fig.axes[0].title == "نمودار" and fig.axes[0].lines[0].label == "زیان"


def test_invalid_json(runs) -> None:
    r = runs["invalid_json.ipynb"]
    assert r.run.outcome == "invalid-notebook"
    assert r.probe is None


def test_nbformat_3_is_upgraded_and_run(runs) -> None:
    r = runs["nbformat3.ipynb"]
    assert r.run.outcome == "ok", r.run.message
    assert r.probe.variables == {"x": 42}
    assert r.run.n_code_cells == 1


def test_hostile_notebooks_are_valid_files() -> None:
    names = {p.name for p in HOSTILE.iterdir()}
    assert names == set(CASES)
    for name in names - {"invalid_json.ipynb"}:
        nbformat.read(HOSTILE / name, as_version=4)
