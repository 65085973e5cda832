"""What a notebook imports, and which imports the declared grading environment lacks (issue 17)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

from graders.environment import imports
from graders.environment.imports import (
    check_imports,
    missing_imports,
    notebook_imports,
    scan_notebook,
    to_python,
)
from graders.environment.installed import (
    dependency_closure,
    installed_modules,
    installed_versions,
    required_by,
    site_packages,
)

DECLARED = [Requirement(r) for r in ("numpy>=1.26", "pandas>=2,<3", "scikit-learn", "Pillow")]
DECLARED += [Requirement("matplotlib>=3.7"), Requirement("transformers>=4.40")]


def _nb(*cells: str, markdown: str = "") -> nbformat.NotebookNode:
    out = [nbformat.v4.new_code_cell(c) for c in cells]
    if markdown:
        out.insert(0, nbformat.v4.new_markdown_cell(markdown))
    return nbformat.v4.new_notebook(cells=out)


def test_imports_of_every_form_including_nested_and_dynamic_ones() -> None:
    nb = _nb(
        "import numpy as np, os.path\nfrom pandas import DataFrame\nimport torch.nn.functional as F",
        "def f():\n    import seaborn as sns\n    return sns\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json",
        "from . import sibling\nfrom .pkg import x\nfrom sklearn.metrics import f1_score",
        "import importlib\nm = importlib.import_module('scipy.stats')\nn = __import__('tqdm')",
        markdown="import notcode",
    )
    assert notebook_imports(nb) == {
        "numpy", "os", "pandas", "torch", "seaborn", "ujson", "json", "sklearn", "importlib",
        "scipy", "tqdm",
    }  # fmt: skip


def test_ipython_lines_do_not_break_the_cell_and_cell_magics_are_read_by_kind() -> None:
    nb = _nb(
        "!pip install -q pandas\n%matplotlib inline\nfiles = !ls\ndf?\nimport pandas as pd",
        "%%time\nimport seaborn\nx = 1",
        "%%bash\nimport not_python_here\necho hi",
        "%%writefile helper.py\nimport regex\ndef f():\n    return 1",
        "import helper",
    )
    scan = scan_notebook(nb)
    assert scan.modules == {"pandas", "seaborn", "regex", "helper"}
    assert scan.written == {"helper"}
    assert scan.unparsed == ()


def test_imports_that_catch_import_error_are_guarded() -> None:
    nb = _nb(
        "try:\n    from google.colab import drive\nexcept ImportError:\n    drive = None",
        "try:\n    import cv2\nexcept (ValueError, ModuleNotFoundError):\n    pass",
        "try:\n    import ujson\nexcept KeyError:\n    pass",  # not caught: the run stops
        "try:\n    import tqdm\nexcept ImportError:\n    pass\nimport tqdm.auto",
        "try:\n    x = 1\nexcept ImportError:\n    import pandas",  # in the handler: not guarded
    )
    scan = scan_notebook(nb)
    assert scan.modules == {"google", "cv2", "ujson", "tqdm", "pandas"}
    assert scan.guarded == {"google", "cv2"}


def test_a_cell_that_does_not_parse_is_skipped_and_named() -> None:
    nb = _nb("import numpy", "def broken(:\n    import pandas", "import scipy")
    scan = scan_notebook(nb)
    assert scan.modules == {"numpy", "scipy"}
    assert scan.unparsed == (2,)


def test_without_ipython_ipython_lines_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "_transformer", lambda: None)
    source = "!pip install x\n%matplotlib inline\nout = !ls\nnp.mean?\nimport numpy\nx = a != b"
    assert to_python(source) == "import numpy\nx = a != b"
    assert notebook_imports(_nb(source, "%%capture\nimport pandas")) == {"numpy", "pandas"}


def test_missing_leaves_out_stdlib_declared_kernel_and_the_submissions_own_modules() -> None:
    found = {
        "os", "json", "numpy", "pandas", "sklearn", "PIL", "mpl_toolkits", "transformers",
        "IPython", "mylib", "utils", "seaborn", "cv2", "yaml",
    }  # fmt: skip
    files = ["hw.ipynb", "mylib.py", "utils/__init__.py", "data/train.csv"]
    assert missing_imports(found, DECLARED, files) == ["cv2", "seaborn", "yaml"]
    # an assignment that withholds pandas: pandas becomes missing
    no_pandas = [r for r in DECLARED if r.name != "pandas"]
    assert missing_imports({"pandas", "numpy"}, no_pandas) == ["pandas"]


def test_a_dependency_of_a_declared_package_is_not_promised_but_not_missing() -> None:
    installed = {"yaml": "pyyaml", "transformers": "transformers", "mpl_toolkits": "matplotlib"}
    installed |= {"tokenizers": "tokenizers"}
    result = check_imports({"yaml", "tokenizers", "cv2", "transformers"}, DECLARED, (), installed)
    assert result.missing == ["cv2"]
    assert result.unpromised == {"tokenizers": "tokenizers", "yaml": "pyyaml"}
    # declared PyYAML makes it promised
    with_yaml = [*DECLARED, Requirement("PyYAML>=6")]
    assert check_imports({"yaml"}, with_yaml, (), installed).unpromised == {}


def test_the_built_environment_map_reads_a_site_packages_folder(tmp_path: Path) -> None:
    sp = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    info = sp / "PyYAML-6.0.2.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.2\n")
    (info / "top_level.txt").write_text("_yaml\nyaml\n")
    needs = sp / "needs_yaml-2.0.dist-info"
    needs.mkdir()
    (needs / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: needs-yaml\nVersion: 2.0\nRequires-Dist: PyYAML>=6\n"
        "Requires-Dist: tiny-pkg; extra == 'dev'\nRequires-Dist: absent-dist\n"
    )
    plain = sp / "tiny_pkg-1.0.dist-info"
    plain.mkdir()
    (plain / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-pkg\nVersion: 1.0\n")
    (plain / "RECORD").write_text(
        "tinymod/__init__.py,,\nsolo.py,,\ntiny_pkg-1.0.dist-info/METADATA,,\n../../bin/x,,\n"
    )
    # the files RECORD lists exist, as in a real install: the importlib_metadata backport (which
    # dask brings, and whose finder then answers stdlib `distributions()` too) drops missing ones
    (sp / "tinymod").mkdir()
    (sp / "tinymod" / "__init__.py").write_text("")
    (sp / "solo.py").write_text("")
    (tmp_path / "venv" / "bin").mkdir()
    (tmp_path / "venv" / "bin" / "x").write_text("")
    assert site_packages(tmp_path / "venv") == sp
    assert site_packages(sp) == sp
    assert site_packages(tmp_path) is None
    assert installed_versions(sp) == {"needs-yaml": "2.0", "pyyaml": "6.0.2", "tiny-pkg": "1.0"}
    # an extra's requirement is not needed; one not installed is named but goes no further
    assert dependency_closure(["Needs_Yaml"], sp) == {"needs-yaml", "pyyaml", "absent-dist"}
    assert required_by(["needs-yaml", "PyYAML"], sp) == {
        "needs-yaml": {"needs-yaml"},
        "pyyaml": {"needs-yaml", "pyyaml"},
        "absent-dist": {"needs-yaml"},
    }
    assert installed_modules(sp, only={"tiny-pkg"}) == {"tinymod": "tiny-pkg", "solo": "tiny-pkg"}
    assert installed_modules(sp) == {
        "_yaml": "pyyaml",
        "yaml": "pyyaml",
        "tinymod": "tiny-pkg",
        "solo": "tiny-pkg",
    }
