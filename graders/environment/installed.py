"""What a built kernel environment has installed, read from its `site-packages` folder.

`site_packages(path)` accepts a virtualenv folder (it finds `lib/python3.X/site-packages`) or a
`site-packages` folder itself; `installed_versions` and `installed_modules` read the
distributions' metadata there with `importlib.metadata` (nothing is imported or run).
"""

from __future__ import annotations

from importlib.metadata import Distribution, distributions
from pathlib import Path, PurePosixPath

from packaging.utils import canonicalize_name


def site_packages(path: Path) -> Path | None:
    """The `site-packages` folder of a virtualenv at `path` (or `path` itself), if any."""
    if path.name in {"site-packages", "dist-packages"} and path.is_dir():
        return path
    found = sorted(path.glob("lib/python3*/site-packages")) + sorted(path.glob("Lib/site-packages"))
    return found[-1] if found else None


def _dists(folder: Path) -> list[Distribution]:
    seen: dict[str, Distribution] = {}
    for dist in distributions(path=[str(folder)]):
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            seen.setdefault(canonicalize_name(name), dist)
    return [seen[k] for k in sorted(seen)]


def installed_versions(folder: Path) -> dict[str, str]:
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


def installed_modules(folder: Path) -> dict[str, str]:
    """{top-level module: canonical name of the distribution installing it} in `folder`."""
    out: dict[str, str] = {}
    for dist in _dists(folder):
        name = canonicalize_name(dist.metadata["Name"])
        for module in _top_levels(dist):
            out.setdefault(module, name)
    return out
