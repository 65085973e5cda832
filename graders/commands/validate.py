"""`dlgrade validate`: check assignment specs, their check names and parameters, and golden refs."""

from __future__ import annotations

from graders.golden import load_golden
from graders.paths import assignments_dir
from graders.spec import load_spec


def main(*, assignments: list[str] | None = None) -> list[str]:
    """Return one line per problem; an empty list means every spec is valid."""
    ids = assignments or sorted(p.parent.name for p in assignments_dir().glob("*/assignment.yaml"))
    problems: list[str] = []
    for assignment in ids:
        spec = load_spec(assignment)
        if not spec.questions:
            problems.append(f"{spec.id}: no questions yet")
            continue
        try:
            golden = load_golden(spec.id)
        except FileNotFoundError as exc:
            problems.append(str(exc))
            continue
        for q, p, c in spec.iter_checks():
            for field in ("golden", "labels"):  # `labels`: free-text label aliases (theory)
                ref = c.params.get(field)
                if ref is None:
                    continue
                try:
                    golden.get(ref)
                except KeyError as exc:
                    problems.append(f"{spec.id} {q.id}.{p.id}.{c.id}: {exc.args[0]}")
    return problems
