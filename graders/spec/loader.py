"""Load and validate `assignments/<id>/assignment.yaml`.

When the TA's `hidden/` folder sits beside it, its checks are merged in (`graders.hidden`) and
its `*.py` modules are imported first, so that they can register hidden check functions.

Every error names the file, the field path (e.g. `questions[0].parts[1].checks[0].check`)
and what is wrong, in Persian and English.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from graders.errors import SpecError, UnknownAssignmentError
from graders.hidden import HIDDEN_DIR, merge_hidden, read_hidden
from graders.paths import assignments_dir
from graders.spec.models import AssignmentSpec


def find_assignment(assignment: str | Path) -> Path:
    """Accept an id (`hw5-rnn`), a folder, or a YAML path; return the YAML path."""
    path = Path(assignment)
    if path.is_file():
        return path
    if path.is_dir() and (path / "assignment.yaml").is_file():
        return path / "assignment.yaml"
    candidate = assignments_dir() / str(assignment) / "assignment.yaml"
    if candidate.is_file():
        return candidate
    known = sorted(p.parent.name for p in assignments_dir().glob("*/assignment.yaml"))
    raise UnknownAssignmentError(
        f"unknown assignment {assignment!r}; known: {', '.join(known)}",
        f"تمرینی با شناسهٔ «{assignment}» پیدا نشد؛ تمرین‌های موجود: {'، '.join(known)}",
    )


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out or "<root>"


def load_spec(assignment: str | Path, *, check_registry: bool = True) -> AssignmentSpec:
    path = find_assignment(assignment)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        raise SpecError.at(str(path), "<yaml>", f"invalid YAML at {where}: {exc}") from exc
    if not isinstance(raw, dict):
        raise SpecError.at(str(path), "<root>", "expected a mapping at the top level")
    hidden = read_hidden(path.parent)
    where = f"{path} (+ {HIDDEN_DIR}/*.yaml)" if hidden else str(path)
    if hidden:
        _import_hidden_checks(path.parent / HIDDEN_DIR)
        raw = merge_hidden(raw, hidden)
    try:
        spec = AssignmentSpec.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SpecError.at(where, _field_path(first["loc"]), first["msg"]) from exc
    if check_registry:
        _validate_checks(spec, where)
    return spec


def _import_hidden_checks(folder: Path) -> None:
    """Import `hidden/*.py` once each: they may register check functions students never get."""
    for source in sorted(folder.glob("*.py")):
        name = f"dlgrade_hidden.{folder.parent.name}.{source.stem}"
        if name in sys.modules:
            continue
        module_spec = importlib.util.spec_from_file_location(name, source)
        if module_spec is None or module_spec.loader is None:
            continue
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise SpecError.at(
                str(source), "<python>", f"hidden check module failed: {exc!r}"
            ) from exc


def _validate_checks(spec: AssignmentSpec, path: str) -> None:
    from graders.checks.registry import get_check

    for qi, q in enumerate(spec.questions):
        for pi, p in enumerate(q.parts):
            for ci, c in enumerate(p.checks):
                field = f"questions[{qi}].parts[{pi}].checks[{ci}]"
                try:
                    registered = get_check(c.check)
                except KeyError as exc:
                    raise SpecError.at(path, field + ".check", str(exc.args[0])) from exc
                try:
                    registered.params_model.model_validate(c.params)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    sub = _field_path(first["loc"])
                    raise SpecError.at(path, f"{field}.params.{sub}", first["msg"]) from exc
