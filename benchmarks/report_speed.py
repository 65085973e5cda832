"""How fast reports render: seconds per student report and for a class summary.

    .venv/bin/python benchmarks/report_speed.py [--students 8] [--class-size 300] [--jobs N]
        [--results GRADES.json]

`--results` takes the output of `dlgrade grade ASSIGNMENT SUBMISSION... --json` (e.g. the
bundled hw5-rnn examples) and prints pages and seconds for each of its reports (page budget:
5 pages for a typical submission).

Prints, for the synthetic sample grade (3 pages, 2 plots; `graders.report.samples`):
- one report in this process after warm-up (wall and CPU seconds),
- a whole fresh process per report (imports, fonts, plots, PDF): `python -c ...`,
- `--students` reports rendered by the parallel renderer (`--jobs` processes): wall seconds
  per report, the figure a batch sees;
and the class summary of `--class-size` students (wall and CPU).
Targets on the 2-core machine: <= 1.5 s per student report, <= 30 s for a 300-student summary.
The machine is shared: figures measured while other jobs run are pessimistic; the load
average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.report import samples  # noqa: E402
from graders.report.batch import StudentJob, render_student_reports  # noqa: E402
from graders.report.feedback_readback import page_count  # noqa: E402
from graders.report.render import render_class_summary, render_student_report  # noqa: E402
from graders.scoring import GradeResult  # noqa: E402


def _timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--class-size", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--results", type=Path, help="`dlgrade grade --json` output to render")
    args = parser.parse_args()
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        a = samples.ASSIGNMENT
        render_student_report(samples.typed(samples.sample_result(0)), out / "warm.pdf", assignment=a,
                              artifacts=out / "warm")  # fmt: skip
        pdf, wall, cpu = _timed(
            lambda: render_student_report(
                samples.typed(samples.sample_result(3)), out / "one.pdf", assignment=a, artifacts=out / "one"
            )
        )
        images = len(list((out / "one" / "report-figures").glob("*.png")))
        print(f"student report in process ({page_count(pdf)} pages, {images} plots): "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU")  # fmt: skip

        if args.results:
            graded = json.loads(args.results.read_text(encoding="utf-8"))["submissions"]
            for r in graded:
                name = r["submission"]
                pdf, wall, cpu = _timed(
                    lambda r=r, name=name: render_student_report(
                        GradeResult.from_json(r), out / f"{name}.pdf", assignment=a,
                        artifacts=out / name,
                    )
                )
                print(f"{name}: {page_count(pdf)} pages (budget 5), {wall:.2f} s wall, "
                      f"{cpu:.2f} s CPU")  # fmt: skip

        code = (
            "from pathlib import Path; from graders.report import samples;"
            "from graders.report.render import render_student_report as r;"
            f"r(samples.typed(samples.sample_result(3)), Path({str(out / 'proc.pdf')!r}),"
            f" assignment=samples.ASSIGNMENT, artifacts=Path({str(out / 'proc')!r}))"
        )
        _, wall, _ = _timed(
            lambda: subprocess.run(
                [sys.executable, "-c", code],
                check=True,
                cwd=ROOT,
                env=os.environ | {"PYTHONPATH": str(ROOT)},
            )  # fmt: skip
        )
        print(f"student report as a whole new process (imports included): {wall:.2f} s wall")

        jobs = [
            StudentJob(samples.typed(samples.sample_result(i)), out / f"s{i}.pdf", a, out / f"s{i}")
            for i in range(args.students)
        ]
        rendered, wall, _ = _timed(lambda: render_student_reports(jobs, processes=args.jobs))
        assert all(r.error is None for r in rendered), [r.error for r in rendered]
        print(f"{args.students} student reports in parallel (jobs={args.jobs or 'CPUs'}): "
              f"{wall:.2f} s wall = {wall / args.students:.2f} s per report (target <= 1.5 s)")  # fmt: skip

        results = samples.sample_class(args.class_size)
        pairs = samples.sample_similarity(results)
        pdf, wall, cpu = _timed(
            lambda: render_class_summary(
                [samples.typed(r) for r in results], out / "class.pdf", assignment=a, similarity=pairs, artifacts=out / "class"
            )  # fmt: skip
        )
        print(f"class summary of {args.class_size} students ({page_count(pdf)} pages): "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU (target <= 30 s)")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
