"""The follow-up workbook (`kansen followup`) and its rules for `ingest`.

Two data sheets: the calls due (people who said they would act on their own, per round) and
the referrals still waiting for the partner's answer. Who is due is decided by
`kansen_cli.followup`; this module writes the workbook and checks what comes back:

- a call only for someone on a follow-up list (role `potential_self`), once per round, dated
  between the conversation and today, with a result from the codebook;
- round n follows only a round n-1 with no contact (role `followup_no_contact`), and a round
  stays "no contact" once a later round is recorded;
- a referral's answer only for a referral the ledger holds, once, dated between the referral
  and today.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kansen_cli.i18n import _, day
from kansen_cli.ledger import followups as ledger_followups
from kansen_cli.ledger import outcomes as ledger_outcomes
from kansen_cli.workbooks import grades
from kansen_cli.workbooks.cells import ClientIds, cell_text, lookup, norm
from kansen_cli.workbooks.grades import grade
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import Column, as_date, person_address, person_name
from kansen_cli.workbooks.plan import (
    Change,
    IngestPlan,
    Planned,
    RowCheck,
    SheetRules,
    plan_rows,
    start_plan,
)
from kansen_cli.workbooks.writing import DataSheet, write_workbook

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook

NAME = "followup"
CALLS_SHEET = "Nabellen"
REFERRALS_SHEET = "Verwijzingen"
CALL_ANSWERS = ("call_date", "followup_result")
REFERRAL_ANSWERS = ("result_date", "referral_result")


def calls_columns(settings: Settings) -> list[Column]:
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("phone", _("Phone"), 14),
        Column("address", _("Address"), 34),
        Column("conversation_date", _("Conversation date"), 13, date=True),
        Column("round", _("Round"), 7),
        Column("call_date", _("Date called"), 13, answer=True, date=True),
        Column("followup_result", _("Result"), 30, True, tuple(settings.codebook.followup_result.values())),
        Column("mark", _("Mark for the municipality (may be empty)"), 14, True, grades.CHOICES),
    ]


def referral_columns(settings: Settings) -> list[Column]:
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("phone", _("Phone"), 14),
        Column("destination", _("Referred to"), 24),
        Column("referred_on", _("Referred on"), 12, date=True),
        Column("result_date", _("Date of answer"), 14, answer=True, date=True),
        Column("referral_result", _("Result"), 24, True, tuple(settings.codebook.referral_result.values())),
    ]


def build(
    calls: pd.DataFrame,
    referrals: pd.DataFrame,
    settings: Settings,
    due: dt.date,
    created_at: str | None = None,
) -> Workbook:
    """The follow-up workbook: one sheet of calls (with round), one of open referrals."""
    destinations = settings.codebook.referrals
    closed = settings.codebook.followup_result[settings.codebook.roles.followup_closed]
    no_result = settings.codebook.referral_result[settings.codebook.roles.referral_closed]
    call_rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "address": person_address(p),
            "conversation_date": as_date(p.get("conversation_date")),
            "round": int(p["round"]),
        }
        for p in calls.to_dict("records")
    ]
    referral_rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "destination": destinations.get(p["destination"], p["destination"]),
            "referred_on": as_date(p.get("referred_on")),
        }
        for p in referrals.to_dict("records")
    ]
    explanation = [
        _("Follow-up calls {campaign}, list of {day}.").format(campaign=settings.campaign.name, day=day(due)),
        _(
            "Sheet {sheet}: people who would do it themselves, {months} months after the conversation."
            " Fill in the date of the call and the result."
        ).format(sheet=CALLS_SHEET, months=settings.followup.months),
        _(
            "No contact in this round? Choose '{no_contact}'; the person comes on the list for the next"
            " round (up to {rounds} rounds)."
        ).format(
            no_contact=settings.codebook.followup_result[settings.codebook.roles.followup_no_contact],
            rounds=settings.followup.rounds,
        ),
        _(
            "Does someone no longer want to be called? Choose '{closed}'; then they no longer come"
            " on the list."
        ).format(closed=closed),
        _("Sheet {sheet}: referrals without an answer; fill in the partner's answer.").format(
            sheet=REFERRALS_SHEET
        ),
        _(
            "Does the partner report no result? Choose '{no_result}'; the referral then does not come back"
            " (nor after {rounds} lists without an answer)."
        ).format(no_result=no_result, rounds=settings.followup.referral_rounds),
        _(
            "Does someone want to give the municipality a mark (1 to 10)? Fill it in; otherwise leave"
            " it empty."
        ),
        _("An empty row means: not called yet."),
    ]
    return write_workbook(
        [
            DataSheet(CALLS_SHEET, calls_columns(settings), call_rows),
            DataSheet(REFERRALS_SHEET, referral_columns(settings), referral_rows),
        ],
        explanation,
        kind=NAME,
        campaign=settings.campaign.name,
        created_at=created_at,
        due=due.isoformat(),
    )


@dataclass
class FollowupContext:
    """What the ledger knows about outcomes, follow-up calls and referrals."""

    outcomes: dict[str, dict[str, Any]]
    followups: dict[str, dict[int, dict[str, Any]]]
    referrals: dict[tuple[str, str], dict[str, Any]]
    today: dt.date


class FollowupKind(WorkbookKind):
    name = NAME
    required: ClassVar[Mapping[str, frozenset[str]]] = {
        CALLS_SHEET: frozenset({"client_id", "round", *CALL_ANSWERS}),
        REFERRALS_SHEET: frozenset({"client_id", "destination", *REFERRAL_ANSWERS}),
    }
    # How each kind of change is written: a call, or a partner's answer to a referral.
    writers: ClassVar[Mapping[str, Callable[[sqlite3.Connection, str, dict[str, Any], str, str], None]]] = {
        "followup": ledger_followups.write_call,
        "referral": ledger_followups.write_referral_result,
    }

    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> FollowupContext:
        return FollowupContext(
            outcomes=ledger_outcomes.current_outcomes(ledger),
            followups=ledger_followups.current_followups(ledger),
            referrals=ledger_followups.current_referrals(ledger),
            today=today,
        )

    def plan(self, filled: FilledWorkbook, context: FollowupContext, settings: Settings) -> IngestPlan:
        return plan_followup(filled, context, settings)

    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        self.writers[change.kind](db, change.client_id, change.record, plan.file, stamp)


KIND = FollowupKind()


def plan_followup(filled: FilledWorkbook, context: FollowupContext, settings: Settings) -> IngestPlan:
    """Validate a follow-up workbook: call results per round and partners' referral results."""
    plan = start_plan(filled, settings, None)
    rules = _Rules(context, settings)
    sheets = {
        CALLS_SHEET: SheetRules(CALL_ANSWERS, rules.call),
        REFERRALS_SHEET: SheetRules(REFERRAL_ANSWERS, rules.referral),
    }
    return plan_rows(plan, filled, sheets)


class _Rules:
    """The rules of one file's rows; remembers the calls and referrals seen, to catch doubles."""

    def __init__(self, context: FollowupContext, settings: Settings) -> None:
        self.context = context
        self.settings = settings
        self.cb = settings.codebook
        self.roles = settings.codebook.roles
        self.seen: set[tuple[str, Any]] = set()
        # The same leading-zero tolerance as registration: one matcher per sheet's known ids.
        self.due_ids = ClientIds(context.outcomes)
        self.referred_ids = ClientIds(client_id for client_id, _ in context.referrals)

    def call(self, check: RowCheck, row: FilledRow) -> Planned | None:
        client_id = check.known_id(self.due_ids)
        outcome = self.context.outcomes.get(client_id)
        if outcome is None or outcome.get("participation_potential") != self.roles.potential_self:
            check.problem("client_id", client_id, "not_due", _("this person is not on a follow-up list"))
            outcome = None
        round_no = _round(check, self.settings.followup.rounds)
        if (client_id, round_no) in self.seen:
            check.problem("client_id", client_id, "duplicate", _("this person and round appear twice"))
        self.seen.add((client_id, round_no))
        earlier = as_date(outcome.get("conversation_date")) if outcome else None
        call_date = check.date("call_date", earlier, self.context.today, _("the conversation"))
        result = check.coded("followup_result", self.cb.followup_result)
        if call_date is None:
            check.missing("call_date", _("the date of the call is required"))
        if result is None:
            check.required("followup_result", self.cb.followup_result)
        mark = grade(check, "mark", required=False)
        calls = self.context.followups.get(client_id, {})
        if round_no is not None and outcome is not None:
            self._round_order(check, round_no, result, calls)
        if round_no is None:
            return None
        record = {"round": round_no, "call_date": call_date, "result": result, "mark": mark}
        return Planned("followup", client_id, record, calls.get(round_no))

    def _round_order(
        self, check: RowCheck, round_no: int, result: str | None, calls: dict[int, dict[str, Any]]
    ) -> None:
        """Round n only after a round n-1 without contact; a round stays so once n+1 exists."""
        no_contact = self.roles.followup_no_contact
        label = self.cb.followup_result[no_contact]
        before = calls.get(round_no - 1)
        if round_no > 1 and (before is None or before["result"] != no_contact):
            check.problem(
                "round",
                round_no,
                "round_order",
                _("round {round_no} follows only a round {value} with '{label}'").format(
                    round_no=round_no, value=round_no - 1, label=label
                ),
            )
        later = calls.get(round_no + 1)
        if later is not None and result is not None and result != no_contact:
            check.problem(
                "followup_result",
                check.cell("followup_result"),
                "round_order",
                _("round {value} is recorded already, so round {round_no} must stay '{label}'").format(
                    value=round_no + 1, round_no=round_no, label=label
                ),
            )

    def referral(self, check: RowCheck, row: FilledRow) -> Planned | None:
        client_id = check.known_id(self.referred_ids)
        destination = lookup(self.cb.referrals).get(norm(check.cell("destination") or ""))
        current = self.context.referrals.get((client_id, destination or ""))
        if current is None:
            check.problem(
                "destination",
                check.cell("destination"),
                "unknown_referral",
                _("the ledger holds no such referral for this client number"),
            )
        elif (client_id, destination) in self.seen:
            check.problem(
                "destination", check.cell("destination"), "duplicate", _("this referral appears twice")
            )
        self.seen.add((client_id, destination))
        referred = as_date(current.get("referred_on")) if current is not None else None
        result_date = check.date("result_date", referred, self.context.today, _("the referral"))
        result = check.coded("referral_result", self.cb.referral_result)
        if result is None:
            check.required("referral_result", self.cb.referral_result)
        if current is None or destination is None:
            return None
        record = {"destination": destination, "result": result, "result_date": result_date}
        # A referral without a result yet gets its first one: "new", like any first record.
        answered = current.get("result") is not None or current.get("result_date") is not None
        return Planned(
            "referral", client_id, record, {**current, "destination": destination} if answered else None
        )


def _round(check: RowCheck, rounds: int) -> int | None:
    value = check.cell("round")
    try:
        number = int(cell_text(value))
    except ValueError:
        number = 0
    if not 1 <= number <= rounds:
        check.problem("round", value, "bad_round", _("a round number 1..{rounds}").format(rounds=rounds))
        return None
    return number
