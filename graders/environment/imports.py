"""What a student notebook imports, and which of those imports the grading environment lacks.

Pure functions (no virtualenv is read here; `graders.environment.installed` reads one):

- `scan_notebook(nb)` / `notebook_imports(nb)`: the top-level modules the code cells import
  (`import a.b` → `a`, `from a import b` → `a`, inside functions and `try:` blocks too,
  `importlib.import_module("a")` / `__import__("a")` with a literal name; relative imports are
  the submission's own). IPython syntax (`!pip`, `%matplotlib`, `x = !ls`, `df?`) is turned
  into Python by IPython's `TransformerManager` when IPython is there, else those lines are
  dropped; a `%%time`/`%%capture` cell's body is read as Python, a `%%writefile helper.py`
  cell makes `helper` a module of the submission, other cell magics (`%%bash`) are not Python.
  A cell that still does not parse is skipped and named in `unparsed`. A module all of whose
  imports sit in a `try:` catching ImportError (`from google.colab import drive`) is `guarded`:
  the run goes on without it.
- `check_imports(...)` / `missing_imports(...)`: each import is provided by the standard
  library (`sys.stdlib_module_names`), by a declared package (its import names), by the kernel
  itself (IPython, ipykernel), or by a `.py` file / package folder of the submission; else it
  is **missing**. With a built environment's module map (`installed`), a module found there
  whose distribution is not declared (e.g. `yaml`, which `transformers` pulls in through
  PyYAML) is **not promised**: it imports today, but only as another package's dependency, so
  a rebuilt environment may drop it. It is reported to the student as a warning, never as
  missing; without a built environment such a module cannot be told apart and is missing
  ("the list lacks it").
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from graders.environment.declared import import_names

# top-level modules a declared distribution installs besides its `import_names`
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "matplotlib": ("matplotlib", "mpl_toolkits", "pylab"),
    "torch": ("torch", "functorch", "torchgen"),
    "pyyaml": ("yaml", "_yaml"),
    "scikit-learn": ("sklearn",),
}
# the kernel cannot run without these, so every environment has them
KERNEL_MODULES = frozenset({"IPython", "ipykernel"})
# cell magics whose body is Python run by the kernel
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
FILE_CELL_MAGICS = frozenset({"writefile", "file"})
_IPYTHON_LINE = re.compile(r"^\s*(?:[!%]|[\w.]+\s*=\s*[!%]|[\w.]+\?{1,2}\s*$)")
_IMPORTERS = {"import_module", "__import__"}
_CATCHING = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


@dataclass(frozen=True)
class ImportScan:
    """The modules a notebook imports, and the code cells (1-based) that could not be read."""

    modules: frozenset[str] = frozenset()
    unparsed: tuple[int, ...] = ()
    written: frozenset[str] = frozenset()  # modules the notebook writes (`%%writefile x.py`)
    guarded: frozenset[str] = frozenset()  # every import of them catches ImportError


@dataclass(frozen=True)
class ImportCheck:
    """`missing`: nothing provides them; `unpromised`: only another package's dependency."""

    missing: list[str] = field(default_factory=list)
    unpromised: dict[str, str] = field(default_factory=dict)  # module -> installed dist


def _top(name: str | None) -> str | None:
    top = (name or "").split(".")[0].strip()
    return top if top.isidentifier() else None


def _imported(node: ast.AST) -> list[str]:
    """The top-level modules one node imports (none for most nodes)."""
    names: list[str | None] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0:
        names = [node.module]
    elif isinstance(node, ast.Call) and node.args:
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        arg = node.args[0]
        if called in _IMPORTERS and isinstance(arg, ast.Constant):
            names = [arg.value if isinstance(arg.value, str) else None]
    return [t for t in map(_top, names) if t]


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return handler.type is None or any(
        (k.id if isinstance(k, ast.Name) else getattr(k, "attr", "")) in _CATCHING for k in kinds
    )


def import_uses(tree: ast.AST) -> dict[str, bool]:
    """{module: whether EVERY import of it sits in a `try:` whose handler catches ImportError}
    for the top-level modules imported anywhere in `tree` (relative imports left out)."""
    out: dict[str, bool] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, guarded = stack.pop()
        for name in _imported(node):
            out[name] = out.get(name, True) and guarded
        if isinstance(node, ast.Try | ast.TryStar):
            inner = guarded or any(_catches_import_error(h) for h in node.handlers)
            stack += [(c, inner) for c in node.body]
            stack += [(c, guarded) for c in (*node.handlers, *node.orelse, *node.finalbody)]
        else:
            stack += [(c, guarded) for c in ast.iter_child_nodes(node)]
    return out


def modules_in(tree: ast.AST) -> set[str]:
    """Top-level modules imported anywhere in `tree` (relative imports left out)."""
    return set(import_uses(tree))


def _transformer() -> Any:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return None
    return TransformerManager()


def to_python(source: str, transformer: Any = None) -> str:
    """A cell's source as Python: IPython's transformation, else IPython lines dropped."""
    if transformer is not None:
        try:
            return transformer.transform_cell(source)
        except Exception:  # IPython could not read it: fall back to dropping lines
            pass
    return "\n".join(line for line in source.splitlines() if not _IPYTHON_LINE.search(line))


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _cell_magic(source: str) -> tuple[str, str, str] | None:
    """(magic, its arguments, body) of a `%%magic` cell."""
    first, _, body = source.lstrip().partition("\n")
    if not first.startswith("%%"):
        return None
    name, _, args = first[2:].partition(" ")
    return name.strip(), args.strip(), body


def scan_notebook(nb: Any) -> ImportScan:
    """What the code cells of `nb` (an nbformat notebook or its dict) import."""
    transformer = _transformer()
    uses: dict[str, bool] = {}
    written: set[str] = set()
    unparsed: list[int] = []
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for number, cell in enumerate(code, 1):
        source = _source(cell)
        magic = _cell_magic(source)
        if magic is not None:
            name, args, body = magic
            if name in FILE_CELL_MAGICS:
                target = PurePath(args.split()[-1]) if args.split() else None
                if target is None or target.suffix != ".py":
                    continue
                written.add(target.stem)
            elif name not in PYTHON_CELL_MAGICS:
                continue  # %%bash, %%html, ...: not Python
            source = body
        try:
            cell_uses = import_uses(ast.parse(to_python(source, transformer)))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            unparsed.append(number)
            continue
        for module, guarded in cell_uses.items():
            uses[module] = uses.get(module, True) and guarded
    return ImportScan(
        frozenset(uses),
        tuple(unparsed),
        frozenset(written),
        frozenset(m for m, guarded in uses.items() if guarded),
    )


def notebook_imports(nb: Any) -> set[str]:
    """The top-level modules `nb`'s code cells import."""
    return set(scan_notebook(nb).modules)


def declared_modules(requirements: Iterable[Requirement]) -> set[str]:
    """The top-level modules the declared distributions provide (without a built env)."""
    out: set[str] = set()
    for req in requirements:
        out.update(import_names(req))
        out.update(EXTRA_MODULES.get(canonicalize_name(req.name), ()))
    return out


def local_modules(submission_files: Iterable[str | PurePath]) -> set[str]:
    """Modules a submission provides itself: every `.py` file's stem and every folder holding
    one (a package or namespace package), at any depth (a notebook may extend `sys.path`)."""
    out: set[str] = set()
    for f in submission_files:
        path = PurePath(f)
        if path.suffix != ".py":
            continue
        out.add(path.stem)
        out.update(part for part in path.parts[:-1] if part.isidentifier())
    return out


def check_imports(
    imports: Iterable[str],
    requirements: Iterable[Requirement],
    submission_files: Iterable[str | PurePath] = (),
    installed: Mapping[str, str] | None = None,
) -> ImportCheck:
    """Sort `imports` into provided, missing and not promised (see the module docstring).

    `installed` maps a built environment's top-level modules to their distributions."""
    requirements = list(requirements)
    declared_dists = {canonicalize_name(r.name) for r in requirements}
    provided = (
        set(sys.stdlib_module_names)
        | KERNEL_MODULES
        | declared_modules(requirements)
        | local_modules(submission_files)
    )
    missing: list[str] = []
    unpromised: dict[str, str] = {}
    for module in sorted(set(imports)):
        if module in provided:
            continue
        dist = (installed or {}).get(module)
        if dist is not None and canonicalize_name(dist) in declared_dists:
            continue  # an extra module of a declared package (e.g. mpl_toolkits)
        if dist is not None:
            unpromised[module] = dist
        else:
            missing.append(module)
    return ImportCheck(missing, unpromised)


def missing_imports(
    imports: Iterable[str],
    requirements: Iterable[Requirement],
    submission_files: Iterable[str | PurePath] = (),
    installed: Mapping[str, str] | None = None,
) -> list[str]:
    """The imports nothing provides: not stdlib, not declared, not the submission's own (and,
    given a built environment's module map, not installed there either), sorted."""
    return check_imports(imports, requirements, submission_files, installed).missing
