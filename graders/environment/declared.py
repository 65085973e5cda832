"""What an assignment declares its notebooks may import: the course default
(`assignments/environment.yaml`) merged with the assignment's `environment:` block.

Pure: reads YAML and the spec, never a virtualenv. A package is a PEP 508 requirement
(`pandas>=2,<3`); its import names (`scikit-learn` → `sklearn`) come from `IMPORT_NAMES` where
they differ from the distribution's name.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict, Field, field_validator

from graders.errors import SpecError
from graders.paths import PACKAGED_DATA, assignments_dir

if TYPE_CHECKING:
    from graders.spec.models import AssignmentSpec

DEFAULT_FILE = "environment.yaml"

# distribution → the top-level modules it installs, where that is not its own name
IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "scikit-learn": ("sklearn",),
    "pillow": ("PIL",),
    "pyyaml": ("yaml",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "beautifulsoup4": ("bs4",),
    "python-dateutil": ("dateutil",),
    "sentencepiece": ("sentencepiece",),
    "protobuf": ("google",),
}


def _requirement(text: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise ValueError(f"not a PEP 508 requirement: {text!r} ({exc})") from exc


class EnvironmentSpec(BaseModel):
    """An assignment's `environment:` block: packages added to (or re-bounded in) the course
    default, default packages it withholds, and packages added only for the `full` profile
    (heavy ones such as torchvision, which the smoke tests and bundled examples never need)."""

    model_config = ConfigDict(extra="forbid")
    packages: list[str] = Field(default_factory=list)
    without: list[str] = Field(default_factory=list)
    full: list[str] = Field(default_factory=list)

    @field_validator("packages", "full")
    @classmethod
    def _valid(cls, packages: list[str]) -> list[str]:
        for p in packages:
            _requirement(p)
        return packages


def _default_path(root: Path | None) -> Path:
    """The course default's file: under `root` (else the project's assignments folder); a
    project root without one (a test's `$DLGRADE_HOME`) uses the one dlgrade ships with."""
    path = (root or assignments_dir()) / DEFAULT_FILE
    if root is not None or path.is_file():
        return path
    here = Path(__file__).resolve().parents[2]
    for candidate in (here / "assignments", PACKAGED_DATA / "assignments"):
        if (candidate / DEFAULT_FILE).is_file():
            return candidate / DEFAULT_FILE
    return path


def course_default(root: Path | None = None) -> tuple[str, ...]:
    """The course-wide package list (`assignments/environment.yaml`)."""
    return _read_default(_default_path(root))


@cache
def _read_default(path: Path) -> tuple[str, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        packages = tuple(str(p) for p in raw.get("packages", []))
        for p in packages:
            _requirement(p)
    except (OSError, yaml.YAMLError, ValueError, AttributeError) as exc:
        raise SpecError.at(str(path), "packages", str(exc)) from exc
    return packages


def declared(
    environment: EnvironmentSpec | None, default: tuple[str, ...], profile: str = "smoke"
) -> list[Requirement]:
    """The merged list, sorted by canonical name: the default, re-bounded or extended by the
    assignment's packages (and, for the `full` profile, its `full:` packages), minus what it
    withholds."""
    merged: dict[str, Requirement] = {}
    for text in default:
        req = _requirement(text)
        merged[canonicalize_name(req.name)] = req
    if environment is not None:
        extra = environment.full if profile == "full" else []
        for text in [*environment.packages, *extra]:
            req = _requirement(text)
            merged[canonicalize_name(req.name)] = req
        for name in environment.without:
            merged.pop(canonicalize_name(name), None)
    return [merged[k] for k in sorted(merged)]


def import_names(req: Requirement) -> tuple[str, ...]:
    """The top-level modules a declared distribution is imported as."""
    name = canonicalize_name(req.name)
    return IMPORT_NAMES.get(name, (name.replace("-", "_"),))


def environment_key(requirements: list[Requirement], torch_build: str) -> str:
    """A short hash of the declared list and the torch build: a kernel environment is reused
    while it is unchanged."""
    text = "\n".join(sorted(str(r) for r in requirements)) + f"\ntorch-build={torch_build}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def declared_for(spec: AssignmentSpec, profile: str = "smoke") -> list[Requirement]:
    """The packages an assignment's notebooks may import (under `profile`)."""
    return declared(spec.environment, course_default(), profile)
