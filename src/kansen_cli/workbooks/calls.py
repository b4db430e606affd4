"""The call workbook (`kansen calls`) and how `ingest` reads it back.

One data sheet, "Bellen": a row per phone-first person due a call, with what the caller needs
(phone number, the appointment `plan` made so it can be proposed, earlier calls with their
outcome, the parts of the day still to try) and the call to fill in: its date, part of the
day, caller, outcome and, for "Terugbellen op", the day agreed. The marker names the batch.
The rules a returned workbook is checked by are in `calls_rules`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kansen_cli.i18n import _, day
from kansen_cli.ledger import calls as ledger_calls
from kansen_cli.ledger.letters import batch_variants
from kansen_cli.settings_routes import PARTS_OF_DAY
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import Column, as_date, person_name, present
from kansen_cli.workbooks.plan import (
    Change,
    FileRefused,
    IngestPlan,
    SheetRules,
    plan_rows,
    start_plan,
)
from kansen_cli.workbooks.writing import DataSheet, write_workbook

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

    from kansen_cli.calling import Call, CallStatus
    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.reading import FilledWorkbook

NAME = "calls"
SHEET = "Bellen"
ANSWERS = ("call_date", "part_of_day", "caller", "outcome", "callback_on")
HOME = "Bij de persoon thuis"


def columns(settings: Settings) -> list[Column]:
    outcomes = tuple(settings.codebook.phone_outcome.values())
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("phone", _("Phone"), 14),
        Column("appointment_date", _("Proposed appointment"), 12, date=True),
        Column("appointment_time", _("Time"), 12),
        Column("appointment_place", _("Where"), 28),
        Column("earlier", _("Earlier attempts"), 40),
        Column("parts", _("Preferably call"), 16),
        Column("call_date", _("Date called"), 12, answer=True, date=True),
        Column("part_of_day", _("Part of day"), 12, True, PARTS_OF_DAY),
        Column("caller", _("Caller"), 16, answer=True),
        Column("outcome", _("Outcome"), 22, True, outcomes),
        Column("callback_on", _("Call back on (date)"), 14, answer=True, date=True, future=True),
    ]


def earlier_calls(calls: Sequence[Call], labels: Mapping[str, str]) -> str | None:
    """The earlier calls in one cell: date, part of the day and outcome label; no notes."""
    parts = []
    for call in calls:
        text = f"{call.on_date:%d-%m-%Y}" + (f" {call.part_of_day}" if call.part_of_day else "")
        outcome = labels.get(call.outcome, call.outcome)
        if call.callback_on is not None:
            outcome += f" {call.callback_on:%d-%m-%Y}"
        parts.append(f"{text}: {outcome}")
    return "; ".join(parts) or None


def _place(person: Mapping[str, Any], settings: Settings) -> str | None:
    if not present(person.get("appointment_date")):
        return None
    code = person.get("location")
    if not present(code):
        return HOME
    location = settings.planning.location(str(code))
    if location is None:
        return str(code)
    return ", ".join(p for p in (location.name, location.one_line_address()) if p)


def _time(person: Mapping[str, Any]) -> str | None:
    start, end = person.get("appointment_start"), person.get("appointment_end")
    if not present(start):
        return None
    return f"{start}-{end}" if present(end) else str(start)


def build(
    people: pd.DataFrame,
    calls: Mapping[str, Sequence[Call]],
    statuses: Mapping[str, CallStatus],
    settings: Settings,
    batch_id: str,
    written_on: dt.date,
    created_at: str | None = None,
) -> Workbook:
    """The call workbook of one batch: `people` (from `ledger.letters.letter_people`) are those
    due a call, in the batch's order; `calls` and `statuses` by client id."""
    labels = settings.codebook.phone_outcome
    rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "appointment_date": as_date(p.get("appointment_date")),
            "appointment_time": _time(p),
            "appointment_place": _place(p, settings),
            "earlier": earlier_calls(calls.get(str(p["client_id"]), ()), labels),
            "parts": ", ".join(statuses[str(p["client_id"])].preferred_parts),
        }
        for p in people.to_dict("records")
    ]
    callback = labels.get(settings.codebook.roles.phone_callback, _("Call back on"))
    made = labels.get(settings.codebook.roles.phone_appointment, settings.codebook.roles.phone_appointment)
    explanation = [
        _("Call list {batch} ({campaign}), made on {day}.").format(
            batch=batch_id, campaign=settings.campaign.name, day=day(written_on)
        ),
        _(
            "Call everyone on the sheet and fill in for each call: the date, the part of day, who called"
            " and the outcome."
        ),
        _("If there is a proposed appointment, propose it; if that works, choose '{made}'.").format(
            made=made
        ),
        _("With '{callback}' also the date on which you call back, as agreed.").format(callback=callback),
        _("Try a part of day not tried yet (column '{column}').").format(column=_("Preferably call")),
        _("An empty row means: not called. Read the filled-in file in with kansen ingest;"),
        _("then kansen calls makes the next call list with whoever is due then."),
    ]
    return write_workbook(
        [DataSheet(SHEET, columns(settings), rows)],
        explanation,
        kind=NAME,
        campaign=settings.campaign.name,
        batch_id=batch_id,
        created_at=created_at,
        written_on=written_on.isoformat(),
    )


@dataclass
class CallsContext:
    """What the ledger knows about this workbook's batch."""

    batch_id: str
    round: int
    made_on: dt.date  # no call before this day
    variants: dict[str, str]  # client id -> letter variant, for everyone in the batch
    recorded: dict[tuple[str, str, str], dict[str, Any]]  # ledger.calls.recorded_calls
    today: dt.date
    # What `made_on` is, for the message "lies before {since} (dd-mm-yyyy)".
    since: str = "the selection the batch was made from"


class CallsKind(WorkbookKind):
    name = NAME
    required: ClassVar[Mapping[str, frozenset[str]]] = {SHEET: frozenset({"client_id", *ANSWERS})}

    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> CallsContext:
        batch_id = filled.batch_id or ""
        info = ledger_calls.batch_info(ledger, batch_id)
        if info is None:
            raise FileRefused(
                "unknown_batch",
                batch_id,
                _("the ledger holds no batch '{batch_id}'").format(batch_id=batch_id),
            )
        return CallsContext(
            batch_id=batch_id,
            round=info["round"],
            made_on=info["made_on"],
            since=info["since"],
            variants=batch_variants(ledger, batch_id),
            recorded=ledger_calls.recorded_calls(ledger, batch_id),
            today=today,
        )

    def plan(self, filled: FilledWorkbook, context: CallsContext, settings: Settings) -> IngestPlan:
        from kansen_cli.workbooks.calls_rules import CallRules

        plan = start_plan(filled, settings, context.batch_id)
        plan_rows(plan, filled, {SHEET: SheetRules(ANSWERS, CallRules(context, settings).row)})
        # write_attempts keeps a corrected attempt's old values in the history itself; the
        # plan keeps the action (new, updated, unchanged) for the counts but drops the old
        # record, so that write_plan does not record it a second time.
        for change in plan.changes:
            change.old = None
        return plan

    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        from kansen_cli.ledger.attempts import Attempt, write_attempts

        r = change.record
        attempt = Attempt(
            client_id=change.client_id,
            batch_id=r["batch_id"],
            round=r["round"],
            channel="phone",
            on_date=dt.date.fromisoformat(r["on_date"]),
            part_of_day=r["part_of_day"],
            by_whom=r["by_whom"],
            outcome=r["outcome"],
            callback_on=None if r["callback_on"] is None else dt.date.fromisoformat(r["callback_on"]),
        )
        write_attempts(db, [attempt], plan.file, stamp)
        call = (r["on_date"], r["part_of_day"])
        source = (plan.file, plan.sha256)
        ledger_calls.settle_contact_result(db, change.client_id, call, r["contact_result"], source, stamp)


KIND = CallsKind()
