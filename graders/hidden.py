"""Hidden checks: the TA's `assignments/<id>/hidden/*.yaml`, merged into the spec when present.

A hidden file adds checks to parts that the public `assignment.yaml` already has:

    questions:
      - id: Q1
        parts:
          - id: c
            checks:
              - {id: bidirectional-flops, check: numeric_answer, params: {...}}

Every check from a hidden file is hidden (`hidden: true`). The student package never holds the
`hidden/` folder, the hidden checks' entries, nor the golden values only they use; it holds a
summary (`hidden-summary.json`: how many hidden checks, and their weight, per part) so the
self-check can say what it does not include.

This module works on plain dicts and needs only PyYAML: the build hook
(`graders/student_build.py`) runs it in a bare build environment.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graders.errors import SpecError

HIDDEN_DIR = "hidden"
SUMMARY_FILE = "hidden-summary.json"
SUMMARY_SCHEMA = "dlgrade.hidden-summary/1"


def read_hidden(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """The hidden files of one assignment folder (`<folder>/hidden/*.yaml`), sorted by name."""
    import yaml

    hidden = folder / HIDDEN_DIR
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(hidden.glob("*.yaml")) if hidden.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SpecError.at(str(path), "<yaml>", f"invalid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SpecError.at(str(path), "<root>", "expected a mapping at the top level")
        out.append((str(path), data))
    return out


def _by_id(items: Any, path: str, field: str) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SpecError.at(path, field, "expected a list of mappings")
    return {str(i.get("id")): i for i in items}


def _matching(
    items: Any,
    public: dict[str, dict[str, Any]],
    path: str,
    field: str,
    what: str,
    where: str,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each hidden entry (its field path, itself, the public entry of the same id); an entry
    whose id the public spec lacks is an error."""
    for i, entry in enumerate(items or []):
        at = f"{field}[{i}]"
        if not isinstance(entry, dict) or str(entry.get("id")) not in public:
            raise SpecError.at(path, at + ".id", f"no {what} {entry.get('id')!r} {where}")
        yield at, entry, public[str(entry["id"])]


def merge_hidden(raw: dict[str, Any], hidden: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A copy of the raw spec with each hidden file's checks appended to their parts."""
    if not hidden:
        return raw
    merged = copy.deepcopy(raw)
    questions = _by_id(merged.get("questions") or [], "assignment.yaml", "questions")
    for path, doc in hidden:
        unknown = sorted(set(doc) - {"questions"})
        if unknown:
            raise SpecError.at(path, unknown[0], "a hidden file holds only `questions`")
        hqs, in_spec = doc.get("questions"), "in the public spec"
        for field, hq, q in _matching(hqs, questions, path, "questions", "question", in_spec):
            parts = _by_id(q.get("parts") or [], path, field + ".parts")
            in_q = f"in question {hq['id']}"
            hps = hq.get("parts")
            for pfield, hp, part in _matching(hps, parts, path, f"{field}.parts", "part", in_q):
                checks = part.setdefault("checks", [])
                taken = {str(c.get("id")) for c in checks}
                for ci, hc in enumerate(hp.get("checks") or []):
                    cfield = f"{pfield}.checks[{ci}]"
                    if not isinstance(hc, dict):
                        raise SpecError.at(path, cfield, "expected a mapping")
                    if str(hc.get("id")) in taken:
                        raise SpecError.at(path, cfield + ".id", f"duplicate check id {hc['id']!r}")
                    taken.add(str(hc.get("id")))
                    checks.append({**hc, "hidden": True})
    return merged


def _checks(raw: dict[str, Any]):
    for q in raw.get("questions") or []:
        for p in q.get("parts") or []:
            for c in p.get("checks") or []:
                yield q, p, c


def strip_hidden(raw: dict[str, Any]) -> dict[str, Any]:
    """The public spec: a copy without any hidden check."""
    public = copy.deepcopy(raw)
    for q in public.get("questions") or []:
        for p in q.get("parts") or []:
            p["checks"] = [c for c in p.get("checks") or [] if not c.get("hidden")]
    return public


def hidden_summary(raw: dict[str, Any]) -> dict[str, Any]:
    """Per part, how many hidden checks there are and their total weight (nothing else)."""
    parts: dict[str, dict[str, dict[str, float]]] = {}
    for q, p, c in _checks(raw):
        if c.get("hidden"):
            entry = parts.setdefault(str(q["id"]), {}).setdefault(
                str(p["id"]), {"checks": 0, "weight": 0.0}
            )
            entry["checks"] += 1
            entry["weight"] += float(c.get("weight", 1.0))
    return {"schema": SUMMARY_SCHEMA, "questions": parts}


def read_summary(folder: Path) -> dict[str, dict[str, dict[str, float]]]:
    """`hidden-summary.json` beside a shipped spec ({} in a source checkout or when absent)."""
    path = folder / SUMMARY_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("questions", {}) if data.get("schema") == SUMMARY_SCHEMA else {}


def golden_refs(raw: dict[str, Any], documents: set[str]) -> dict[str, set[str]]:
    """Golden values the checks of `raw` name in their params: {file: {key or "" for all}}.

    A reference is a string `file:key` (e.g. `q1:L1.weights`) or a bare golden file name;
    a key also covers the keys below it (`q1:L1` covers `L1.weights`).
    """
    refs: dict[str, set[str]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            name, sep, key = value.partition(":")
            if name in documents:
                refs.setdefault(name, set()).add(key if sep else "")

    for _, _, c in _checks(raw):
        walk(c.get("params") or {})
    return refs


def filter_values(values: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The golden values covered by `keys` (see `golden_refs`)."""
    if "" in keys:
        return dict(values)
    return {
        k: v for k, v in values.items() if any(k == ref or k.startswith(ref + ".") for ref in keys)
    }
