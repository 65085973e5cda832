"""What a Python environment has installed: a built kernel environment's `site-packages`, or
(folder `None`) the environment running this code.

`site_packages(path)` accepts a virtualenv folder (it finds `lib/python3.X/site-packages`) or a
`site-packages` folder itself; `installed_versions`, `installed_modules`, `required_by` and
`dependency_closure` read the distributions' metadata with `importlib.metadata` (nothing is
imported or run).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import Distribution, distributions
from pathlib import Path, PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name


def site_packages(path: Path) -> Path | None:
    """The `site-packages` folder of a virtualenv at `path` (or `path` itself), if any."""
    if path.name in {"site-packages", "dist-packages"} and path.is_dir():
        return path
    found = sorted(path.glob("lib/python3*/site-packages")) + sorted(path.glob("Lib/site-packages"))
    return found[-1] if found else None


def _dists(folder: Path | None) -> list[Distribution]:
    seen: dict[str, Distribution] = {}
    for dist in distributions(path=[str(folder)]) if folder is not None else distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            seen.setdefault(canonicalize_name(name), dist)
    return [seen[k] for k in sorted(seen)]


def installed_versions(folder: Path | None) -> dict[str, str]:
    """{canonical distribution name: version} of the distributions in `folder`."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in _dists(folder)}


def _top_levels(dist: Distribution) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip().isidentifier()}
    out: set[str] = set()
    for f in dist.files or ():
        parts = PurePosixPath(str(f)).parts
        if not parts or parts[0] in {"..", "__pycache__"} or parts[0].endswith(".dist-info"):
            continue
        head = parts[0]
        if len(parts) == 1:
            if head.endswith(".py"):
                out.add(head[:-3])
            elif head.endswith((".so", ".pyd")):
                out.add(head.split(".")[0])
        elif head.isidentifier():
            out.add(head)
    return {m for m in out if m.isidentifier()}


def installed_modules(folder: Path | None, only: set[str] | None = None) -> dict[str, str]:
    """{top-level module: canonical name of the distribution installing it} in `folder`
    (of the distributions named in `only`, when given)."""
    out: dict[str, str] = {}
    for dist in _dists(folder):
        name = canonicalize_name(dist.metadata["Name"])
        if only is not None and name not in only:
            continue
        for module in _top_levels(dist):
            out.setdefault(module, name)
    return out


def _requires(dist: Distribution) -> list[str]:
    """The distributions `dist` needs (extras and other platforms' markers left out)."""
    out = []
    for text in dist.requires or ():
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            out.append(canonicalize_name(req.name))
    return out


def required_by(names: Iterable[str], folder: Path | None) -> dict[str, set[str]]:
    """{canonical name: the `names` that need it, directly or not} for `names` and everything
    they need, as installed in `folder` (each of `names` needs itself)."""
    by_name = {canonicalize_name(d.metadata["Name"]): d for d in _dists(folder)}
    requires = {name: _requires(d) for name, d in by_name.items()}
    out: dict[str, set[str]] = {}
    for root in map(canonicalize_name, names):
        todo, seen = [root], set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            out.setdefault(name, set()).add(root)
            todo += requires.get(name, [])
    return out


def dependency_closure(names: Iterable[str], folder: Path | None) -> set[str]:
    """The canonical names of `names` and everything they need, as installed in `folder`."""
    return set(required_by(names, folder))
