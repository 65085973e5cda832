"""Grade theory-answer reports against their `truth.yaml` and print how the decisions fare.

    python benchmarks/theory_corpus.py tests/files/reports_corpus [DIR ...]

Every folder under the given ones that holds `report.pdf` and `truth.yaml` is graded from the
PDF alone (no answer sheet, no notebook). Per report and in total: slots, decided right,
false fail (a correct answer marked wrong), false pass (a wrong or absent answer passed), sent
to the TA, and coverage (decided right / slots). `--verbose` lists every slot's decision.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graders.answers.sources import gather_answers  # noqa: E402
from graders.checks.result import Status  # noqa: E402
from graders.facts import Facts  # noqa: E402
from graders.golden import load_golden  # noqa: E402
from graders.pipeline import run_checks  # noqa: E402
from graders.spec import load_spec  # noqa: E402


@dataclass
class Tally:
    slots: int = 0
    right: int = 0
    false_fail: int = 0
    false_pass: int = 0
    to_ta: int = 0
    wrong_other: int = 0  # a wrong answer passed as another wrong one: none expected
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.right / self.slots if self.slots else 0.0

    def add(self, other: Tally) -> None:
        for name in ("slots", "right", "false_fail", "false_pass", "to_ta", "wrong_other"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def slot_results(folder: Path) -> tuple[dict, dict]:
    """(truth slots, {slot id: CheckResult}) for one report folder."""
    truth = yaml.safe_load((folder / "truth.yaml").read_text(encoding="utf-8"))
    spec, golden = load_spec(truth["assignment"]), load_golden(truth["assignment"])
    answers = gather_answers(None, {}, report=folder / "report.pdf")
    scores = run_checks(spec, Facts(answers=answers), golden)
    by_slot = {
        c_spec.params.get("slot"): outcome.result
        for q_spec, q in zip(spec.questions, scores, strict=True)
        for p_spec, p in zip(q_spec.parts, q.parts, strict=True)
        for c_spec, outcome in zip(p_spec.checks, p.checks, strict=True)
    }
    return truth["slots"], by_slot


def judge(folder: Path) -> Tally:
    truth, results = slot_results(folder)
    tally = Tally()
    for slot, item in truth.items():
        tally.slots += 1
        result = results.get(slot)
        status = result.status if result is not None else Status.ERROR
        expected = item["truth"]
        if status == Status.PASS:
            outcome = "right" if expected == "correct" else "FALSE PASS"
        elif status in (Status.FAIL, Status.PARTIAL):
            outcome = "FALSE FAIL" if expected == "correct" else "right"
        else:
            outcome = "to TA"
        if outcome == "right":
            tally.right += 1
        elif outcome == "FALSE PASS":
            tally.false_pass += 1
        elif outcome == "FALSE FAIL":
            tally.false_fail += 1
        else:
            tally.to_ta += 1
        message = result.message_en if result is not None else "no check for this slot"
        tally.rows.append((slot, expected, outcome, message[:110]))
    return tally


def report_folders(dirs: list[Path]) -> list[Path]:
    found = {
        p.parent for d in dirs for p in d.rglob("truth.yaml") if (p.parent / "report.pdf").is_file()
    }
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    folders = report_folders(args.dirs)
    if not folders:
        print("no folder with report.pdf and truth.yaml found", file=sys.stderr)
        return 2
    total = Tally()
    head = f"{'report':42} {'slots':>5} {'right':>5} {'false fail':>10} {'false pass':>10} {'to TA':>5} {'coverage':>8}"
    print(head)
    for folder in folders:
        t = judge(folder)
        total.add(t)
        print(
            f"{folder.name:42} {t.slots:5} {t.right:5} {t.false_fail:10} {t.false_pass:10} "
            f"{t.to_ta:5} {t.coverage:8.1%}"
        )
        if args.verbose:
            for slot, expected, outcome, message in t.rows:
                print(f"    {slot:28} {expected:8} {outcome:11} {message}")
    print(
        f"{'TOTAL':42} {total.slots:5} {total.right:5} {total.false_fail:10} "
        f"{total.false_pass:10} {total.to_ta:5} {total.coverage:8.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
