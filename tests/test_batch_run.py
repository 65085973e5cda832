"""Batch runs of the tiny assignment: end to end, resume after SIGKILL, Dask LocalCluster.

Each notebook is tiny (a plot), about 3 s with the kernel start on an idle machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import distributed
import pytest
from batch_helpers import DEADLINE, TINY, make_home, make_zip

from graders.gradebook import Gradebook

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DLGRADE_HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def _batch(home: Path, export: Path, *args: str, **kwargs) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "graders", "batch", TINY, str(export), "--no-report", "--plain"]
    return subprocess.Popen(
        [*cmd, *args],
        env=_env(home),
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_batch_end_to_end_groups_late_roster_and_skip_on_rerun(tmp_path: Path) -> None:
    home = make_home(tmp_path / "home")
    export = tmp_path / "export"
    make_zip(export, "HW5_Ahmadi_810199101_Bagheri_810199102", answer="41")
    make_zip(
        export / "Sara Bagheri_7_assignsubmission_file_",
        "HW5_Bagheri_810199102_Ahmadi_810199101",
        when=DEADLINE + dt.timedelta(days=3, hours=1),  # day 4: 5 %
    )
    make_zip(export, "my hw 810199103", plot=False)  # misnamed, matched by the roster
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_number,name,email\n810199101,Ali,a@x\n810199102,Sara,s@x\n"
        "810199103,Reza,r@x\n810199104,Mina,m@x\n",
        encoding="utf-8",
    )
    proc = _batch(home, export, "--jobs", "2", "--roster", str(roster))
    out, err = proc.communicate(timeout=170)
    assert proc.returncode == 0, err
    assert "[2/2]" in err and "ETA" in err  # plain progress lines
    summary = json.loads((home / "reports" / TINY / "batch-summary.json").read_text())
    assert summary["duplicates"] == {
        "HW5_Ahmadi_810199101_Bagheri_810199102": "HW5_Bagheri_810199102_Ahmadi_810199101"
    }
    assert [m["number"] for m in summary["missing"]] == ["810199104"]
    with Gradebook(home / "reports" / "gradebook.db") as gb:
        group = gb.latest(TINY, "HW5_Bagheri_810199102_Ahmadi_810199101")
        assert group["late_penalty_percent"] == 5 and group["score"] == pytest.approx(190)
        assert {s["number"] for s in group["students"]} == {"810199101", "810199102"}
        misnamed = gb.latest(TINY, "my hw 810199103")
        assert misnamed["students"] == [{"name": "Reza", "number": "810199103"}]
        assert misnamed["score"] == 100  # no plot: Q1 0, Q2 100
        assert gb.count_runs(TINY, "HW5_Ahmadi_810199101_Bagheri_810199102") == 0
        statuses = {r["key"]: r["status"] for r in gb.intake_records(TINY)}
        assert statuses["HW5_Ahmadi_810199101_Bagheri_810199102"] == "duplicate"
    # the student re-uploads a fixed notebook: only that one is graded again
    make_zip(export, "my hw 810199103", plot=True)
    proc = _batch(home, export, "--jobs", "2")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    summary = json.loads((home / "reports" / TINY / "batch-summary.json").read_text())
    assert summary["graded"] == ["my hw 810199103"]
    assert summary["skipped_already_graded"] == ["HW5_Bagheri_810199102_Ahmadi_810199101"]
    with Gradebook(home / "reports" / "gradebook.db") as gb:
        assert gb.latest(TINY, "my hw 810199103")["score"] == 200
        assert gb.count_runs(TINY, "HW5_Bagheri_810199102_Ahmadi_810199101") == 1


def test_sigkill_at_random_moments_then_resume_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    home = make_home(tmp_path / "home")
    export = tmp_path / "export"
    keys = [f"HW5_S{i}_81019920{i}" for i in range(4)]
    for key in keys:
        make_zip(export, key)
    rng = random.Random(9)
    db = home / "reports" / "gradebook.db"
    done_before: list[int] = []
    for _ in range(3):
        proc = _batch(home, export, "--jobs", "2", start_new_session=True)
        time.sleep(rng.uniform(2.0, 7.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        if db.exists():
            with Gradebook(db) as gb:
                done_before.append(len(gb.latest_all(TINY)))
    proc = _batch(home, export, "--jobs", "2")
    _, err = proc.communicate(timeout=170)
    assert proc.returncode == 0, err
    with Gradebook(db) as gb:
        assert sorted(r["submission"] for r in gb.latest_all(TINY)) == keys
        assert all(gb.count_runs(TINY, k) == 1 for k in keys)
        assert all(r["score"] == 200 for r in gb.latest_all(TINY))
    assert done_before == sorted(done_before)  # committed results were never lost


def test_dask_local_cluster_of_two_worker_processes(tmp_path: Path, monkeypatch) -> None:
    from graders.commands import batch

    home = make_home(tmp_path / "home")
    export = tmp_path / "export"
    make_zip(export, "HW5_A_810199301")
    make_zip(export, "HW5_B_810199302", answer="7")
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = batch.main(
            assignment=TINY,
            path=export,
            executor="dask",
            scheduler=cluster.scheduler_address,
            render=False,
            plain=True,
        )
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    assert sorted(summary.graded) == ["HW5_A_810199301", "HW5_B_810199302"] and not summary.failed
    with Gradebook(home / "reports" / "gradebook.db") as gb:
        assert gb.latest(TINY, "HW5_A_810199301")["score"] == 200
        assert gb.latest(TINY, "HW5_B_810199302")["score"] == 100
