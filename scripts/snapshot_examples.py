"""Snapshot of `dlgrade grade --json` on every bundled example, for refactors that must not
change results (issue 14): `write` stores one JSON file per assignment under
tests/files/snapshots/examples/, `check` regrades and diffs against them.

Keys are sorted; only what differs between two runs of the same code is blanked: the
signature's `dlgrade` version and wall-clock figures the notebooks measure themselves (evidence
keys in `VOLATILE`, e.g. a PEFT table's training `time`). A diff means a result changed. Run from the repository root with the project's venv:

    .venv/bin/python scripts/snapshot_examples.py write
    .venv/bin/python scripts/snapshot_examples.py check
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "files" / "snapshots" / "examples"


def example_folders(assignment: str) -> list[Path]:
    """Every bundled example submission folder of one assignment."""
    base = ROOT / "assignments" / assignment / "examples"
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith("HW"))


def assignments() -> list[str]:
    """Assignments with bundled examples."""
    return sorted(p.parent.name for p in (ROOT / "assignments").glob("*/examples"))


VOLATILE = frozenset({"time", "seconds", "elapsed", "elapsed_s", "wall_s", "duration_s"})


def blank_volatile(value: object) -> object:
    """The same JSON with numbers under `VOLATILE` keys replaced by a marker."""
    if isinstance(value, dict):
        return {
            k: "<volatile>" if k in VOLATILE and isinstance(v, int | float) else blank_volatile(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [blank_volatile(v) for v in value]
    return value


def grade(assignment: str) -> dict:
    """`dlgrade grade ASSIGNMENT <examples> --json --no-report` into a throwaway gradebook."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "graders",
                "grade",
                assignment,
                *map(str, example_folders(assignment)),
                "--json",
                "--no-report",
                "--gradebook",
                str(Path(tmp) / "gradebook.db"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    if proc.returncode != 0:
        raise SystemExit(f"{assignment}: exit {proc.returncode}\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout)
    for sub in data["submissions"]:
        sub.get("signature", {}).pop("dlgrade", None)
    return blank_volatile(data)


def differences(old: object, new: object, where: str = "") -> list[tuple[str, object, object]]:
    """(JSON path, old, new) of every leaf that differs; a key only on one side counts once."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, object, object]] = []
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                out.append((f"{where}/{key}", old.get(key, "<absent>"), new.get(key, "<absent>")))
            else:
                out += differences(old[key], new[key], f"{where}/{key}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            d
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for d in differences(a, b, f"{where}[{i}]")
        ]
    return [] if old == new else [(where, old, new)]


def text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else "check"
    only = argv[1:] or assignments()
    OUT.mkdir(parents=True, exist_ok=True)
    changed = 0
    for assignment in only:
        new = text(grade(assignment))
        path = OUT / f"{assignment}.json"
        if mode == "write":
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
            continue
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old == new:
            print(f"{assignment}: identical")
            continue
        changed += 1
        saved = Path(tempfile.gettempdir()) / "dlgrade-snapshot-now" / f"{assignment}.json"
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(new, encoding="utf-8")
        paths = differences(json.loads(old) if old else {}, json.loads(new))
        print(f"{assignment}: DIFFERS at {len(paths)} place(s); now in {saved}")
        for where, was, now in paths[:80]:
            print(f"  {where}: {was!r:.120} -> {now!r:.120}")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
