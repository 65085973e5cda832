"""The self-check says which packages the grading environment has, before any check runs, and
flags the notebook's imports the list lacks (issue 17)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

from graders.selfcheck import environment
from graders.selfcheck.environment import environment_lines, package_text

pytest_plugins = ("pytester",)
PLUGIN = ("-p", "no:dlgrade", "-p", "graders.selfcheck.plugin", "-p", "no:cacheprovider")
DECLARED = [Requirement("numpy>=1.26,<3"), Requirement("pandas>=2.0,<3"), Requirement("torch")]


def _notebook(folder: Path, *cells: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    path = folder / "hw5_q6.ipynb"
    nbformat.write(nb, path)
    return path


def _site_packages(root: Path, dists: dict[str, tuple[str, str]]) -> Path:
    """A fake built environment: {dist name: (version, top-level modules)}."""
    sp = root / "lib" / "python3.11" / "site-packages"
    for name, (version, modules) in dists.items():
        info = sp / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "top_level.txt").write_text(modules, encoding="utf-8")
    return root


def test_the_list_with_bounds_and_versions_of_a_built_environment() -> None:
    assert package_text(DECLARED, {}) == "numpy>=1.26,<3, pandas>=2.0,<3, torch"
    versions = {"numpy": "2.1.3", "pandas": "2.2.3"}
    assert package_text(DECLARED, versions) == (
        "numpy>=1.26,<3 (2.1.3), pandas>=2.0,<3 (2.2.3), torch (نصب نیست / not installed)"
    )


def _this_machine(
    monkeypatch: pytest.MonkeyPatch, needed: dict[str, set[str]], here: dict[str, str]
) -> None:
    """This machine's installed metadata, as the self-check reads it without a built env."""
    real_needed, real = environment.required_by, environment.installed_modules

    def needed_by(names, folder):
        return real_needed(names, folder) if folder is not None else needed

    def modules(folder, only=None):
        if folder is not None:
            return real(folder, only)
        return {m: d for m, d in here.items() if only is None or d in only}

    monkeypatch.setattr(environment, "installed_modules", modules)
    monkeypatch.setattr(environment, "required_by", needed_by)


def test_flags_the_imports_the_list_lacks_persian_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # here: pandas needs tzdata (so it is installed with it), PyYAML is installed on its own
    needed = {"numpy": {"numpy"}, "pandas": {"pandas"}, "torch": {"torch"}, "tzdata": {"pandas"}}
    _this_machine(monkeypatch, needed, {"tzdata": "tzdata", "yaml": "pyyaml", "numpy": "numpy"})
    folder = tmp_path / "sub"
    nb = _notebook(
        folder,
        "!pip install seaborn\nimport numpy as np, pandas as pd\nimport seaborn as sns",
        "import helper\nimport yaml\nfrom . import x\nimport tzdata",
        "def broken(:\n    pass",
        "try:\n    from google.colab import drive\nexcept ImportError:\n    pass",
    )
    (folder / "helper.py").write_text("X = 1\n", encoding="utf-8")
    lines, flags = environment_lines(DECLARED, nb, folder)
    assert lines[1] == "  numpy>=1.26,<3, pandas>=2.0,<3, torch"
    assert len(flags) == 5 and flags == lines[-5:]
    assert flags[0].startswith("«google» در محیط نمره‌دهی نیست؛ نوت‌بوک خطای ImportError")
    assert "the notebook catches its ImportError, so the run goes on" in flags[0]
    assert flags[1].startswith("«seaborn» در محیط نمره‌دهی نیست: اجرای دستیار")
    assert "import seaborn: not in the grading environment; the TA's run stops" in flags[1]
    assert flags[2].startswith("«yaml»") and "import yaml: not in" in flags[2]  # no env: missing
    assert flags[3].startswith("«tzdata» چون pandas به بستهٔ tzdata نیاز دارد نصب است")
    assert "import tzdata: installed because pandas needs tzdata, but not in the list" in flags[3]
    assert "code cell(s) 3 could not be read" in flags[4]
    # with the built environment: yaml is there as another package's dependency, not promised
    env = _site_packages(tmp_path / "env", {"PyYAML": ("6.0.2", "yaml\n_yaml\n")})
    _, flags = environment_lines(DECLARED, nb, folder, env)
    assert [f.split(" ")[0] for f in flags] == [
        "«google»",
        "«seaborn»",
        "«tzdata»",  # not in the built environment: missing there
        "«yaml»",
        "import‌های",
    ]
    assert "import tzdata: not in the grading environment" in flags[2]
    assert (
        "import yaml: installed (as pyyaml), but not in the list itself: not promised" in flags[3]
    )
    assert "تضمینی نیست" in flags[3]


def test_a_notebook_within_the_list_gets_no_flag(tmp_path: Path) -> None:
    nb = _notebook(tmp_path, "import os, json\nimport torch.nn as nn\nfrom numpy import pi")
    lines, flags = environment_lines(DECLARED, nb, tmp_path)
    assert flags == []
    assert lines[-1].startswith("همهٔ import‌های نوت‌بوک hw5_q6.ipynb در محیط نمره‌دهی هست")
    missing_list, flags = environment_lines(None, nb, tmp_path)
    assert flags == [] and "package list is not available" in missing_list[0]


def test_pytest_prints_the_environment_before_the_checks_and_repeats_the_flags(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    nb = _notebook(tmp_path / "work", "%matplotlib inline\nimport pandas as pd\nimport cv2")
    env = _site_packages(tmp_path / "env", {"pandas": ("2.2.3", "pandas\n")})
    result = pytester.runpytest(
        *PLUGIN, "-v", "--submission", str(nb), "--assignment", "hw5-rnn", "--no-execute",
        "--grading-env", str(env),
    )  # fmt: skip
    out = result.stdout.lines
    start = next(i for i, line in enumerate(out) if "محیط نمره‌دهی / grading environment" in line)
    first_check = next(i for i, line in enumerate(out) if "hw5-rnn::Q" in line)
    assert start < first_check  # said before any check runs
    section = "\n".join(out[start:first_check])
    assert (
        "pandas>=2.0,<3 (2.2.3)" in section
        and "seaborn>=0.13,<1 (نصب نیست / not installed)" in section
    )
    assert "«cv2» در محیط نمره‌دهی نیست" in section and "import cv2: not in the grading" in section
    assert "pandas»" not in section  # declared: not flagged
    summary = "\n".join(out[first_check:])
    assert "محیط نمره‌دهی / environment: «cv2»" in summary


def test_the_student_package_carries_the_environment_list(tmp_path: Path) -> None:
    from graders.environment.declared import course_default
    from graders.student_build import write_student_data

    root = Path(__file__).resolve().parents[1]
    written = write_student_data(root, tmp_path / "_data")
    shipped = tmp_path / "_data" / "assignments" / "environment.yaml"
    assert shipped in written
    assert course_default(tmp_path / "_data" / "assignments") == course_default(
        root / "assignments"
    )
