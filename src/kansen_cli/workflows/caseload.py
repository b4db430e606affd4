"""`kansen caseload`: one workbook per coach with their people, goals and reviews due.

A coach without people gets no workbook (the result says so). The workbooks of one run are
all written or none: each is written whole under a temporary name and moved in at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _

if TYPE_CHECKING:
    from kansen_cli.settings import Settings

CASELOAD_DIR = "caseload"


def caseload_path(folder: Path, coach: str, written_on: dt.date) -> Path:
    """A coach's workbook: named by the coach's code and the date, never by a person."""
    return Path(folder) / f"caseload-{coach}-{written_on.isoformat()}.xlsx"


@dataclass
class CoachWorkbook:
    """One coach's workbook: how many people and open goals it holds, and where it is."""

    coach: str
    kind: str
    cap: int
    people: int
    goals: int
    reviews_due: int  # next review due on or before the day it was written
    file: Path

    def as_json(self) -> dict[str, Any]:
        return {
            "coach": self.coach,
            "kind": self.kind,
            "cap": self.cap,
            "people": self.people,
            "goals": self.goals,
            "reviews_due": self.reviews_due,
            "file": str(self.file),
        }


@dataclass
class CaseloadResult:
    """The workbooks written on `written_on`, and the coaches asked for who have nobody."""

    written_on: dt.date
    workbooks: list[CoachWorkbook] = field(default_factory=list)
    without_people: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "written_on": self.written_on.isoformat(),
            "workbooks": [w.as_json() for w in self.workbooks],
            "without_people": self.without_people,
        }


def run(
    campaign: Path,
    settings: Settings,
    today: dt.date,
    coach: str | None = None,
    out: Path | None = None,
    force: bool = False,
) -> CaseloadResult:
    """Write the workbook of `coach` (a code), or of every configured coach with people.

    `out` is the folder to write to (default <campaign>/caseload). An unknown code is a
    `KansenError` listing the codes.
    """
    from kansen_cli.errors import KansenError
    from kansen_cli.files import check_writable, held_back, save_workbook
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.caseload import caseload_people, open_goals
    from kansen_cli.workbooks import caseload as workbook

    coaches = settings.trajectories.coaches
    if coach is not None:
        chosen = settings.trajectories.coach(coach)
        if chosen is None:
            codes = ", ".join(c.code for c in coaches) or "none"
            raise KansenError(
                _("coach {coach!r} is not in kansen.toml; coaches: {codes}").format(coach=coach, codes=codes)
            )
        coaches = [chosen]
    folder = out or Path(campaign) / CASELOAD_DIR
    result = CaseloadResult(written_on=today)
    weeks = settings.trajectories.review_weeks
    with open_ledger(campaign, create=False) as ledger, held_back() as files:
        for one in coaches:
            people = caseload_people(ledger, one.code, weeks)
            if people.empty:
                result.without_people.append(one.code)
                continue
            goals = open_goals(ledger, one.code)
            target = caseload_path(folder, one.code, today)
            check_writable(target, force)
            save_workbook(target, workbook.build(people, goals, settings, one, today), force)
            # Due by today, today included: what the coach reviews at this round of visits
            # (`kansen inview` lists the overdue ones, due before today).
            due = int((people["review_due"] <= today.isoformat()).sum())
            result.workbooks.append(
                CoachWorkbook(one.code, one.kind, one.cap, len(people), len(goals), due, target)
            )
        files.publish()
    return result
