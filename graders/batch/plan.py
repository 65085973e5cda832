"""Who handed in what: identify each submission's students and resolve groups of two.

- A well-formed name (`HW5_Lastname_StudentNo[_Lastname_StudentNo]`) gives the students.
- A misnamed one is matched by any student number in its name, its LMS wrapper folder or its
  answer sheet that the roster knows; otherwise it is listed as unidentified (still graded).
- The same group uploading twice (both members, or one member twice): the later upload
  counts and the other is recorded as a duplicate of it.
- A student in two different groups is flagged on both submissions, for the TA.
- With a roster: who did not submit, and who submitted without being on the roster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from graders.batch.discover import FoundSubmission
from graders.batch.roster import RosterStudent
from graders.intake import Student, parse_name

Flag = tuple[str, str]  # (Persian, English)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Entry:
    found: FoundSubmission
    students: tuple[Student, ...]
    identified: bool
    content_hash: str = ""
    flags: tuple[Flag, ...] = ()

    @property
    def key(self) -> str:
        return self.found.key

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(s.number for s in self.students if s.number)


@dataclass
class Plan:
    counted: list[Entry] = field(default_factory=list)
    duplicates: list[tuple[Entry, str]] = field(default_factory=list)  # (entry, counted key)
    unidentified: list[Entry] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # number -> keys
    missing: list[RosterStudent] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def homework_number(assignment_id: str) -> int | None:
    match = re.match(r"^hw0*(\d+)", assignment_id, re.IGNORECASE)
    return int(match.group(1)) if match else None


def identify(
    found: FoundSubmission,
    sheet_students: tuple[Student, ...] = (),
    roster: dict[str, RosterStudent] | None = None,
    homework: int | None = None,
    content_hash: str = "",
) -> Entry:
    """Identify the students of one submission (see the module docstring)."""
    parsed = parse_name(found.path.name)
    flags: list[Flag] = []
    students: tuple[Student, ...] = ()
    if parsed.well_formed:
        students = parsed.students
    else:
        flags.append(
            (
                f"نام «{found.path.name}» با الگوی HW{{n}}_نام‌خانوادگی_شماره‌دانشجویی نمی‌خواند.",
                f"the name {found.path.name!r} does not follow HW{{n}}_Lastname_StudentNo.",
            )
        )
        numbers = [*parsed.numbers, *re.findall(r"\d{6,12}", found.origin)]
        numbers += [s.number for s in sheet_students if s.number]
        if roster:
            matched = list(dict.fromkeys(n for n in numbers if n in roster))
            students = tuple(Student(roster[n].name, n) for n in matched)
            if students:
                flags.append(
                    (
                        "دانشجو(یان) با شمارهٔ دانشجویی در فهرست کلاس پیدا شد(ند).",
                        "matched to the roster by student number.",
                    )
                )
        elif parsed.students:
            students = parsed.students
        elif any(s.number for s in sheet_students):
            students = tuple(s for s in sheet_students if s.number)
    if len(students) > 2:
        flags.append(
            (
                f"گروه {len(students)} نفره است؛ بیش از دو نفر مجاز نیست.",
                f"a group of {len(students)}: at most two students are allowed.",
            )
        )
    if homework is not None and parsed.homework is not None and parsed.homework != homework:
        flags.append(
            (
                f"نام فایل تمرین {parsed.homework} را می‌گوید، نه تمرین {homework}.",
                f"the file name says HW{parsed.homework}, not HW{homework}.",
            )
        )
    if roster:
        for s in students:
            if s.number not in roster:
                flags.append(
                    (
                        f"شمارهٔ دانشجویی {s.number} در فهرست کلاس نیست.",
                        f"student number {s.number} is not on the roster.",
                    )
                )
    identified = bool(students)
    if not identified:
        flags.append(
            (
                "دانشجوی این ارسال شناسایی نشد؛ دستیار آموزشی باید تعیین کند.",
                "the students of this submission could not be identified: a TA must assign it.",
            )
        )
    return Entry(found, students, identified, content_hash, tuple(flags))


def make_plan(
    entries: list[Entry], roster: list[RosterStudent] | None = None, ignored: list[str] = ()
) -> Plan:
    """Resolve duplicates and conflicts; list unidentified entries and absent students."""
    plan = Plan(ignored=list(ignored))
    groups: dict[frozenset[str], list[Entry]] = {}
    for e in entries:
        if e.identified:
            groups.setdefault(e.numbers, []).append(e)
        else:
            plan.counted.append(e)
            plan.unidentified.append(e)
    for members in groups.values():
        members.sort(key=lambda e: (e.found.submitted_at or _EPOCH, e.key))
        kept = members[-1]
        plan.counted.append(kept)
        for dup in members[:-1]:
            plan.duplicates.append((dup, kept.key))
    by_number: dict[str, list[Entry]] = {}
    for e in plan.counted:
        for n in e.numbers:
            by_number.setdefault(n, []).append(e)
    conflicted: dict[str, list[str]] = {}
    for number, es in sorted(by_number.items()):
        if len(es) > 1:
            plan.conflicts[number] = sorted(e.key for e in es)
            for e in es:
                conflicted.setdefault(e.key, []).append(number)
    if conflicted:
        plan.counted = [
            dataclasses.replace(
                e,
                flags=(
                    *e.flags,
                    (
                        f"دانشجو(یان) {'، '.join(conflicted[e.key])} در بیش از یک گروه هستند.",
                        f"student(s) {', '.join(conflicted[e.key])} appear in more than one group.",
                    ),
                ),
            )
            if e.key in conflicted
            else e
            for e in plan.counted
        ]
    plan.counted.sort(key=lambda e: e.key)
    if roster is not None:
        submitted = {n for e in entries for n in e.numbers}
        plan.missing = [s for s in roster if s.number not in submitted]
    return plan
