"""Upload times: the LMS worksheet (`--times`, Jalali or Gregorian) wins over file times, and
file times that look like a copy's (all within minutes, all late, in the future) get a warning
and no late penalty until a TA confirms (`--trust-file-times`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from batch_helpers import DEADLINE, TINY, make_home, make_zip

from graders.batch.discover import FoundSubmission
from graders.batch.plan import Entry
from graders.batch.times import doubts, parse_upload_time, read_times, settle
from graders.export.lms import lms_csv, lms_rows
from graders.gradebook import Gradebook
from graders.intake import Student
from graders.scoring import GradeResult

TEHRAN = ZoneInfo("Asia/Tehran")
ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday, 29 December 2025, 11:59 PM", dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN)),
        ("Tuesday, 30 December 2025, 12:05 AM", dt.datetime(2025, 12, 30, 0, 5, tzinfo=TEHRAN)),
        ("دوشنبه، ۸ دی ۱۴۰۴، ۱۱:۵۹ ب.ظ", dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN)),
        ("۹ دی ۱۴۰۴، ساعت ۱۰:۳۰", dt.datetime(2025, 12, 30, 10, 30, tzinfo=TEHRAN)),
        ("۱۴۰۴/۱۰/۰۸ ۲۲:۰۰", dt.datetime(2025, 12, 29, 22, 0, tzinfo=TEHRAN)),
        ("2025-12-31T08:15:00+03:30", dt.datetime(2025, 12, 31, 4, 45, tzinfo=dt.UTC)),
    ],
)
def test_parse_upload_time_both_calendars(text: str, expected: dt.datetime) -> None:
    assert parse_upload_time(text) == expected


def test_no_submission_and_nonsense() -> None:
    assert parse_upload_time("-") is None and parse_upload_time("") is None
    with pytest.raises(ValueError):
        parse_upload_time("yesterday evening")


def test_moodle_worksheet_gregorian(tmp_path: Path) -> None:
    sheet = tmp_path / "grades.csv"
    sheet.write_text(
        "Identifier,Full name,ID number,Email address,Status,Grade,Maximum grade,"
        "Last modified (submission),Online text\n"
        "Participant 7,Sara Bagheri,810199102,s@x.ir,Submitted,,100,"
        '"Friday, 2 January 2026, 10:00 AM",\n'
        "Participant 8,Ali Ahmadi,810199101,a@x.ir,No submission,,100,-,\n",
        encoding="utf-8",
    )
    times = read_times(sheet)
    expected = dt.datetime(2026, 1, 2, 10, 0, tzinfo=TEHRAN)
    assert times.by_number == {"810199102": expected, "s": expected}
    assert times.by_participant == {"7": expected}
    # the LMS folder of the upload names the participant: it wins over the group's numbers
    assert times.lookup(["810199101"], "Sara Bagheri_7_assignsubmission_file_/x.zip") == expected
    assert times.lookup(["810199101"], "x.zip") is None


def test_any_csv_jalali_persian_headers(tmp_path: Path) -> None:
    sheet = tmp_path / "times.csv"
    sheet.write_text(
        "شماره دانشجویی,زمان ارسال\n۸۱۰۱۹۹۱۰۱,۱۴۰۴/۱۰/۰۸ ۲۲:۰۰\n810199103,دوشنبه، ۸ دی ۱۴۰۴، ۱۱:۵۹ ب.ظ\n",
        encoding="utf-8",
    )
    times = read_times(sheet)
    assert times.by_number == {
        "810199101": dt.datetime(2025, 12, 29, 22, 0, tzinfo=TEHRAN),
        "810199103": dt.datetime(2025, 12, 29, 23, 59, tzinfo=TEHRAN),
    }


def _entry(number: str, when: dt.datetime) -> Entry:
    found = FoundSubmission(Path(f"HW5_X_{number}.zip"), f"HW5_X_{number}", f"HW5_X_{number}.zip", when)
    return Entry(found, (Student("X", number),), True)


def test_doubts_copy_times_late_and_future() -> None:
    copy = NOW - dt.timedelta(days=2)
    same = [copy, copy + dt.timedelta(seconds=40), copy + dt.timedelta(minutes=2)]
    reasons = [en for _, en in doubts(same, DEADLINE, NOW)]
    assert len(reasons) == 2
    assert "within 5 minutes" in reasons[0] and "after the deadline" in reasons[1]
    spread = [DEADLINE - dt.timedelta(hours=5), DEADLINE - dt.timedelta(hours=1)]
    assert doubts(spread, DEADLINE, NOW) == []
    future = doubts([DEADLINE - dt.timedelta(days=1), NOW + dt.timedelta(days=1)], DEADLINE, NOW)
    assert [en for _, en in future] == ["1 upload time(s) lie in the future."]


def test_settle_sources(tmp_path: Path) -> None:
    copy = NOW - dt.timedelta(hours=3)
    entries = [_entry("810199101", copy), _entry("810199102", copy)]
    _, sources, warnings = settle(entries, None, DEADLINE, now=NOW)
    assert set(sources.values()) == {"file-untrusted"} and len(warnings) == 3
    _, sources, warnings = settle(entries, None, DEADLINE, trust_file_times=True, now=NOW)
    assert set(sources.values()) == {"file-confirmed"} and len(warnings) == 2
    sheet = tmp_path / "t.csv"
    sheet.write_text("student_number,submitted_at\n810199101,1404/10/08 20:00\n", encoding="utf-8")
    settled, sources, warnings = settle(entries, read_times(sheet), DEADLINE, now=NOW)
    assert sources == {"HW5_X_810199101": "lms", "HW5_X_810199102": "file-untrusted"}
    assert settled[0].found.submitted_at == dt.datetime(2025, 12, 29, 20, 0, tzinfo=TEHRAN)
    assert "not in the times CSV" in warnings[0][1]


def test_lms_export_has_time_and_source() -> None:
    final = GradeResult("hw", "k", ({"name": "A", "number": "1"},), "ok", ())
    intake = [{"key": "k", "status": "graded", "submitted_at": "2025-12-29T18:30:00+00:00",
               "time_source": "file-untrusted"}]  # fmt: skip
    text = lms_csv(lms_rows([final], [], intake), [])
    header, row = text.splitlines()
    assert header.split(",")[5:7] == ["submitted_at", "time_source"]
    assert row.split(",")[5:7] == ["2025-12-29T18:30:00+00:00", "file-untrusted"]


def _batch(home: Path, export: Path, *args: str) -> dict:
    env = {**os.environ, "DLGRADE_HOME": str(home),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}  # fmt: skip
    cmd = [sys.executable, "-m", "graders", "batch", TINY, str(export), "--no-report", "--plain"]
    proc = subprocess.run([*cmd, *args], env=env, cwd=home, capture_output=True, text=True,
                          timeout=170)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads((home / "reports" / TINY / "batch-summary.json").read_text())
    return summary | {"_stderr": proc.stderr}


def _graded(home: Path) -> dict[str, tuple[float, float, str]]:
    with Gradebook(home / "reports" / "gradebook.db") as gb:
        intake = {r["key"]: r for r in gb.intake_records(TINY)}
        return {
            r["submission"]: (r["score"], r["late_penalty_percent"], intake[r["submission"]]["time_source"])
            for r in gb.latest_all(TINY)
        }  # fmt: skip


@pytest.mark.slow
def test_copied_export_warns_and_withholds_until_confirmed_or_times(tmp_path: Path) -> None:
    home = make_home(tmp_path / "home")
    export = tmp_path / "export"
    copied = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)  # re-zipped half an hour ago
    make_zip(export, "HW5_Ahmadi_810199101", when=copied)
    make_zip(export, "HW5_Bagheri_810199102", when=copied + dt.timedelta(seconds=20))
    summary = _batch(home, export)
    warnings = [w["message_en"] for w in summary["upload_times"]["warnings"]]
    assert any("within 5 minutes" in w for w in warnings)
    assert any("not applied until a TA confirms" in w for w in warnings)
    assert "warning: upload times" in summary["_stderr"]
    assert _graded(home) == {
        "HW5_Ahmadi_810199101": (200, 0.0, "file-untrusted"),
        "HW5_Bagheri_810199102": (200, 0.0, "file-untrusted"),
    }
    _batch(home, export, "--trust-file-times")  # the TA confirms: far past zero_after_days
    assert _graded(home) == {
        "HW5_Ahmadi_810199101": (0, 100.0, "file-confirmed"),
        "HW5_Bagheri_810199102": (0, 100.0, "file-confirmed"),
    }
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(
        "Identifier,Full name,ID number,Last modified (submission)\n"
        "Participant 1,Ali Ahmadi,810199101,۱۴۰۴/۱۰/۰۸ ۲۲:۰۰\n"
        'Participant 2,Sara Bagheri,810199102,"Friday, 2 January 2026, 10:00 AM"\n',
        encoding="utf-8",
    )
    time.sleep(0.1)
    summary = _batch(home, export, "--times", str(sheet))
    assert summary["upload_times"]["warnings"] == []
    assert _graded(home) == {
        "HW5_Ahmadi_810199101": (200, 0.0, "lms"),  # on time by the worksheet
        "HW5_Bagheri_810199102": (190, 5.0, "lms"),  # day 4 after the deadline: 5 %
    }


def test_class_summary_warns_about_untrusted_times(tmp_path: Path) -> None:
    from graders.report import samples
    from graders.report.feedback_readback import pdftotext
    from graders.report.render import render_class_summary

    results = samples.sample_class(4)
    typed = [samples.typed(r) for r in results]
    trusted = pdftotext(
        render_class_summary(typed, tmp_path / "a.pdf", assignment=samples.ASSIGNMENT)
    )
    for r in results[:3]:
        r["time_source"] = "file-untrusted"
    typed = [samples.typed(r) for r in results]
    warned = pdftotext(
        render_class_summary(typed, tmp_path / "b.pdf", assignment=samples.ASSIGNMENT)
    )
    assert "look untrustworthy" not in trusted
    warned = " ".join(warned.split())
    assert "the upload times of 3 submission" in warned and "look untrustworthy" in warned
