"""The coach's workbook (`kansen caseload`) and how `ingest` reads it back.

One workbook per coach, written on a date; its marker names the coach and that date. Three
data sheets:

- Deelnemers: one row per person in the caseload, with what the coach needs to know (since
  when, last contact, next review due, rung at intake and now), and a contact moment to fill
  in: its date and kind, the rung on the Participatieladder now, and the end of the
  trajectory with its reason;
- Doelen: one row per goal of an open trajectory, with its latest score, and a review to
  fill in: its date and the score on Goal Attainment Scaling (-2 … +2);
- Nieuwe doelen: three empty rows per person for new goals (life domain, description,
  target date, start level).

The rules a returned workbook is checked by are in `caseload_rules`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kansen_cli.i18n import _, day
from kansen_cli.ledger import caseload as ledger_caseload
from kansen_cli.trajectory import GAS_LABELS, LADDER_LABELS
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import Column, as_date, person_name, present
from kansen_cli.workbooks.plan import Change, FileRefused, IngestPlan, start_plan
from kansen_cli.workbooks.scales import GAS_CHOICES, LADDER_CHOICES, choice
from kansen_cli.workbooks.writing import DataSheet, write_workbook

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings
    from kansen_cli.settings_trajectories import Coach
    from kansen_cli.workbooks.reading import FilledWorkbook

NAME = "caseload"
PEOPLE_SHEET = "Deelnemers"
GOALS_SHEET = "Doelen"
NEW_GOALS_SHEET = "Nieuwe doelen"
NEW_GOAL_ROWS = 3  # empty rows per person on "Nieuwe doelen"
PEOPLE_ANSWERS = ("contact_date", "contact_kind", "rung", "end_reason")
GOAL_ANSWERS = ("review_date", "score")
NEW_GOAL_ANSWERS = ("domain", "description", "target_on", "baseline")


def people_columns(settings: Settings) -> list[Column]:
    cb = settings.codebook
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("wijk", _("Neighbourhood"), 14),
        Column("started_on", _("In trajectory since"), 12, date=True),
        Column("last_contact", _("Last contact"), 12, date=True),
        Column("review_due", _("Review due"), 12, date=True),
        Column("intake_rung", _("Rung at start"), 22),
        Column("latest_rung", _("Latest rung"), 22),
        Column("contact_date", _("Date"), 12, answer=True, date=True),
        Column("contact_kind", _("Kind of contact"), 20, True, tuple(cb.contact_kind.values())),
        Column("rung", _("Rung now"), 30, True, LADDER_CHOICES),
        Column("end_reason", _("Trajectory ended"), 24, True, tuple(cb.trajectory_end.values())),
    ]


def goal_columns(settings: Settings) -> list[Column]:
    return [
        Column("goal_id", _("Goal number"), 10),
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("domain", _("Life domain"), 16),
        Column("description", _("Description"), 40),
        Column("target_on", _("Target date"), 12, date=True),
        Column("baseline", _("Baseline"), 22),
        Column("latest_score", _("Latest score"), 22),
        Column("review_date", _("Review date"), 12, answer=True, date=True),
        Column("score", _("Score"), 26, True, GAS_CHOICES),
    ]


def new_goal_columns(settings: Settings) -> list[Column]:
    start = choice(settings.trajectories.baseline, GAS_LABELS)
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("domain", _("Life domain"), 18, True, tuple(settings.codebook.life_domain.values())),
        Column("description", _("Description"), 40, answer=True),
        Column("target_on", _("Target date"), 12, answer=True, date=True, future=True),
        Column("baseline", _("Baseline (empty: {start})").format(start=start), 26, True, GAS_CHOICES),
    ]


def _level(value: Any, labels: dict[int, str]) -> str | None:
    return choice(int(value), labels) if present(value) else None


def build(
    people: pd.DataFrame,
    goals: pd.DataFrame,
    settings: Settings,
    coach: Coach,
    written_on: dt.date,
    created_at: str | None = None,
) -> Workbook:
    """The workbook of one coach: `people` from `ledger.caseload.caseload_people`, `goals` from
    `ledger.caseload.open_goals`."""
    person_rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "wijk": p.get("neighbourhood") or None,
            "started_on": as_date(p["started_on"]),
            "last_contact": as_date(p["last_contact"]),
            "review_due": as_date(p["review_due"]),
            "intake_rung": _level(p["intake_rung"], LADDER_LABELS),
            "latest_rung": _level(p["latest_rung"], LADDER_LABELS),
        }
        for p in people.to_dict("records")
    ]
    domains = settings.codebook.life_domain
    goal_rows = [
        {
            "goal_id": int(g["goal_id"]),
            "client_id": str(g["client_id"]),
            "name": person_name(g),
            "domain": domains.get(g["domain"], g["domain"]),
            "description": g["description"] if present(g["description"]) else None,
            "target_on": as_date(g["target_on"]),
            "baseline": _level(g["baseline"], GAS_LABELS),
            "latest_score": _level(g["latest_score"], GAS_LABELS),
        }
        for g in goals.to_dict("records")
    ]
    new_rows = [
        {"client_id": row["client_id"], "name": row["name"]}
        for row in person_rows
        for _ in range(NEW_GOAL_ROWS)
    ]
    return write_workbook(
        [
            DataSheet(PEOPLE_SHEET, people_columns(settings), person_rows),
            DataSheet(GOALS_SHEET, goal_columns(settings), goal_rows),
            DataSheet(NEW_GOALS_SHEET, new_goal_columns(settings), new_rows),
        ],
        explanation(settings, coach, written_on),
        kind=NAME,
        campaign=settings.campaign.name,
        created_at=created_at,
        coach=coach.code,
        written_on=written_on.isoformat(),
    )


def explanation(settings: Settings, coach: Coach, written_on: dt.date) -> list[str]:
    start = choice(settings.trajectories.baseline, GAS_LABELS)
    return [
        _("Workbook of coach {code} ({name}), {campaign}, {day}.").format(
            code=coach.code, name=coach.name, campaign=settings.campaign.name, day=day(written_on)
        ),
        _(
            "Sheet {sheet}: the people you coach. Did you have contact? Fill in the date and the kind"
            " of contact."
        ).format(sheet=PEOPLE_SHEET),
        _(
            "With that contact you can also fill in the rung on the participation ladder (1 Isolated up to"
            " 6 Paid work). If there is no rung at start yet, the first rung counts as the rung at start."
        ),
        _(
            "Does the trajectory stop? Choose the reason under '{ended}'; the date of the contact is then the"
            " end date. An ended trajectory no longer comes in your workbook."
        ).format(ended=_("Trajectory ended")),
        _("Review due: the next review, {weeks} weeks after the previous one (or after the start).").format(
            weeks=settings.trajectories.review_weeks
        ),
        _("Sheet {sheet}: your participants' goals. At a review you fill in the date and the score:").format(
            sheet=GOALS_SHEET
        ),
        "  " + "; ".join(GAS_CHOICES) + ". " + _("0 means: the goal was reached as agreed."),
        _(
            "Sheet {sheet}: {rows} empty rows per person for new goals. Choose the life domain, describe"
            " the goal briefly, and fill in a target date and the baseline if you like (empty: {start})."
        ).format(sheet=NEW_GOALS_SHEET, rows=NEW_GOAL_ROWS, start=start),
        _("Only the yellow columns can be filled in; client number, name and the other columns are fixed."),
        _(
            "An empty row means: nothing to report. Read the filled-in file in with kansen ingest;"
            " reading the same file again changes nothing."
        ),
    ]


@dataclass
class CaseloadContext:
    """What the ledger knows about the trajectories the workbook's coach ever coached."""

    coach: str
    written_on: dt.date | None
    today: dt.date
    trajectories: dict[str, dict[str, Any]]  # client id -> latest trajectory with this coach
    goals: dict[int, dict[str, Any]]
    scores: dict[tuple[int, str], int]
    rungs: dict[tuple[int, str], int]
    contacts: dict[tuple[int, str], dict[str, Any]]  # (trajectory id, date) -> kind, coach


def _written_on(meta: Mapping[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(meta.get("written_on", "")))
    except ValueError:
        return None


Writer = Callable[[sqlite3.Connection, str, dict[str, Any], str, str], None]


class CaseloadKind(WorkbookKind):
    name = NAME
    required: ClassVar[Mapping[str, frozenset[str]]] = {
        PEOPLE_SHEET: frozenset({"client_id", *PEOPLE_ANSWERS}),
        GOALS_SHEET: frozenset({"goal_id", "client_id", *GOAL_ANSWERS}),
        NEW_GOALS_SHEET: frozenset({"client_id", *NEW_GOAL_ANSWERS}),
    }
    # How each kind of change is written; the history names the replaced records the same way.
    writers: ClassVar[Mapping[str, Writer]] = {
        "contact_moment": ledger_caseload.write_contact,
        "ladder_step": ledger_caseload.write_rung,
        "goal_score": ledger_caseload.write_score,
        "goal": ledger_caseload.write_goal,
        "trajectory_end": ledger_caseload.end_trajectory,
    }

    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> CaseloadContext:
        coach = str(filled.meta.get("coach") or "")
        if not coach:
            raise FileRefused("unknown_coach", None, _("the workbook names no coach; write it again"))
        return CaseloadContext(
            coach=coach,
            written_on=_written_on(filled.meta),
            today=today,
            trajectories=ledger_caseload.coached_trajectories(ledger, coach),
            goals=ledger_caseload.coached_goals(ledger, coach),
            scores=ledger_caseload.coached_scores(ledger, coach),
            rungs=ledger_caseload.coached_rungs(ledger, coach),
            contacts=ledger_caseload.coached_contacts(ledger, coach),
        )

    def plan(self, filled: FilledWorkbook, context: CaseloadContext, settings: Settings) -> IngestPlan:
        from kansen_cli.workbooks.caseload_rules import plan_caseload

        # The coach stands in for the batch: a coach's workbooks follow one another as a batch's
        # do, so `ingest` warns about an older copy among this coach's files only.
        plan = start_plan(filled, settings, context.coach)
        if not plan.file_level and settings.trajectories.coach(context.coach) is None:
            codes = ", ".join(c.code for c in settings.trajectories.coaches)
            plan.problems.add(
                filled.name,
                None,
                None,
                context.coach,
                "unknown_coach",
                _("coach '{coach}' is not in kansen.toml; coaches: {codes}").format(
                    coach=context.coach, codes=codes
                ),
                known=True,  # a coach's code, no person's
            )
            plan.file_level = True
        return plan_caseload(plan, filled, context, settings)

    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        self.writers[change.kind](db, change.client_id, change.record, plan.file, stamp)


KIND = CaseloadKind()
