"""Finding submissions in an LMS export, identifying students, groups and the roster."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

from batch_helpers import DEADLINE, make_zip

from graders.batch.discover import FoundSubmission, discover
from graders.batch.plan import identify, make_plan
from graders.batch.roster import read_roster
from graders.intake import Student

ROSTER = """شماره دانشجویی,نام,ایمیل
۸۱۰۱۹۹۱۰۱,علی احمدی,a@ut.ac.ir
810199102,Sara Bagheri,s@ut.ac.ir
810199103,Reza Karimi,r@ut.ac.ir
810199104,Mina Sadeghi,m@ut.ac.ir
810199105,Nima Absent,n@ut.ac.ir
"""


def _found(name: str, hours: float = -1, origin: str | None = None) -> FoundSubmission:
    when = (DEADLINE + dt.timedelta(hours=hours)).astimezone(dt.UTC)
    return FoundSubmission(Path(f"/x/{name}.zip"), name, origin or f"{name}.zip", when)


def test_roster_with_persian_headers_and_digits(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "r.csv")
    assert [s.number for s in roster][:2] == ["810199101", "810199102"]
    assert roster[0].name == "علی احمدی" and roster[0].email == "a@ut.ac.ir"
    (tmp_path / "plain.csv").write_text("810199101,Ali\n810199102,Sara,s@x\n", encoding="utf-8")
    assert [(s.number, s.email) for s in read_roster(tmp_path / "plain.csv")] == [
        ("810199101", ""),
        ("810199102", "s@x"),
    ]


def test_group_uploaded_twice_the_later_counts_and_a_student_in_two_groups_is_flagged(
    tmp_path: Path,
) -> None:
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "r.csv")
    by_number = {s.number: s for s in roster}
    entries = [
        identify(_found("HW5_Ahmadi_810199101_Bagheri_810199102", hours=-5), (), by_number, 5),
        identify(_found("HW5_Bagheri_810199102_Ahmadi_810199101", hours=-2), (), by_number, 5),
        identify(_found("HW5_Karimi_810199103_Bagheri_810199102"), (), by_number, 5),
        identify(_found("homework five 810199104"), (), by_number, 5),  # misnamed
        identify(_found("final_version"), (), by_number, 5),  # no number at all
        identify(_found("HW4_Stranger_999999999"), (), by_number, 5),
    ]
    plan = make_plan(entries, roster, ignored=["notes.pdf"])
    assert [(e.key, kept) for e, kept in plan.duplicates] == [
        ("HW5_Ahmadi_810199101_Bagheri_810199102", "HW5_Bagheri_810199102_Ahmadi_810199101")
    ]
    counted = {e.key: e for e in plan.counted}
    assert "HW5_Ahmadi_810199101_Bagheri_810199102" not in counted
    assert plan.conflicts == {
        "810199102": [
            "HW5_Bagheri_810199102_Ahmadi_810199101",
            "HW5_Karimi_810199103_Bagheri_810199102",
        ]
    }
    assert any(
        "more than one group" in en
        for _, en in counted["HW5_Karimi_810199103_Bagheri_810199102"].flags
    )
    misnamed = counted["homework five 810199104"]
    assert [(s.name, s.number) for s in misnamed.students] == [("Mina Sadeghi", "810199104")]
    assert any("matched to the roster" in en for _, en in misnamed.flags)
    assert [e.key for e in plan.unidentified] == ["final_version"]  # listed, still counted
    assert "final_version" in counted
    stranger = counted["HW4_Stranger_999999999"]
    assert {en for _, en in stranger.flags} >= {
        "the file name says HW4, not HW5.",
        "student number 999999999 is not on the roster.",
    }
    assert [s.number for s in plan.missing] == ["810199105"]
    assert plan.ignored == ["notes.pdf"]


def test_misnamed_matched_through_the_wrapper_folder_or_the_answer_sheet() -> None:
    roster = {"810199103": read_roster_row("810199103", "Reza Karimi")}
    via_folder = identify(
        _found("hw", origin="Reza Karimi_810199103_assignsubmission_file_/hw.zip"), (), roster
    )
    assert [s.number for s in via_folder.students] == ["810199103"]
    via_sheet = identify(_found("hw"), (Student("Reza", "810199103"),), roster)
    assert [s.number for s in via_sheet.students] == ["810199103"]
    no_roster = identify(_found("hw"), (Student("Reza", "810199103"),), None)
    assert no_roster.identified and no_roster.students[0].number == "810199103"


def read_roster_row(number: str, name: str):
    from graders.batch.roster import RosterStudent

    return RosterStudent(number, name, "")


def test_discover_an_export_zip_with_wrapper_folders_keeps_upload_times(tmp_path: Path) -> None:
    src = tmp_path / "src"
    late = DEADLINE + dt.timedelta(days=4)
    make_zip(src / "Ali Ahmadi_11_assignsubmission_file_", "HW5_Ahmadi_810199101", when=late)
    make_zip(src, "HW5_Karimi_810199103")
    folder = src / "HW5_Sadeghi_810199104"
    folder.mkdir()
    (folder / "hw.ipynb").write_text("{}")
    (src / "notes.pdf").write_text("x")
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        for p in sorted(src.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo.from_file(p, p.relative_to(src).as_posix())
                zf.writestr(info, p.read_bytes())
    found, ignored = discover(export, tmp_path / "work")
    assert [f.key for f in found] == [
        "HW5_Ahmadi_810199101",
        "HW5_Karimi_810199103",
        "HW5_Sadeghi_810199104",
    ]
    assert found[0].origin == "Ali Ahmadi_11_assignsubmission_file_/HW5_Ahmadi_810199101.zip"
    # zip times have a 2 s resolution and no zone: local time of the machine that zipped
    assert abs((found[0].submitted_at - late).total_seconds()) <= 2
    assert ignored == ["notes.pdf"]
    assert os.path.isdir(found[2].path)
