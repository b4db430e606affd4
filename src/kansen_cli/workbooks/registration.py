"""The registration workbook of one batch (`kansen sheet`) and its rules for `ingest`.

One row per member in route order, pre-filled with client number, name, address and
appointment (with where it was planned: a location's name, or "Thuis"); the consultant
answers contact result, conversation date, location (where it took place), classification,
activity types, participation potential, consent and referrals.

Rules, all from the codebook roles in the settings:

- the person must belong to the batch of the workbook, appear once, and have been sent a
  letter (approached): outcomes exist only for the approached, so every outcome has a
  denominator in the report;
- contact result is required; a conversation date is required when spoken to, and is never
  before the letter went out nor in the future;
- location, classification, participation potential, consent, referrals and activity types
  only for people spoken to (role `spoken`); a classification is required for them, so that
  the outcome table adds up to the number spoken;
- activity types only for the socially active (role `active`);
- a referral only with consent to share (role `consent_yes`); without a conversation only to
  a destination in role `referral_without_conversation` (Nijmegen: the klantmanager takes over
  those not reached), which needs no consent as nobody outside the municipality is told;
- each row sets the outcome of the person's letter (or re-invitation) attempt of this batch to
  its contact result, so every round keeps its own result while `outcomes` has the latest;
- a person whose later round already has a result (a round-1 sheet loaded after round 2's):
  the row sets only this round's attempt outcome (an `attempt` change), never `outcomes` or the
  referrals, which hold the later round's result; the ingest warns how many and which batch;
- no silent undo (issue 15): a row that would remove a referral holding the partner's result,
  or take a conversation with follow-up calls off the follow-up (contact result no longer
  `spoken`, potential no longer `potential_self`), is refused with what would be lost, unless
  `kansen ingest --force` (the context's `force`). An older copy of the sheet loaded after a
  newer one is the usual cause; `workflows.ingest` warns about those.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from kansen_cli.i18n import _, ngettext
from kansen_cli.ledger import outcomes as ledger_outcomes
from kansen_cli.ledger.runs import batch_exists
from kansen_cli.workbooks.cells import ClientIds, cell_text, is_blank
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import MARK_NO, MARK_YES, Column, as_date, person_address, person_name
from kansen_cli.workbooks.plan import (
    Change,
    FileRefused,
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

NAME = "registration"
SHEET = "Registratie"
REQUIRED = frozenset({"client_id", "contact_result", "conversation_date"})
# The answer columns: a row with all of them empty is not registered yet.
ANSWER_KEYS = frozenset(
    {
        "conversation_date",
        "contact_result",
        "location",
        "classification",
        "participation_potential",
        "consent",
    }
)
OPTION_PREFIXES = ("activity:", "referral:")
CODED = ("location", "classification", "participation_potential", "consent")
# The record's key for the outcome of the person's letter attempt of this batch: compared like
# the outcome's own fields, written by `ledger.outcomes.write_round_result`.
ROUND_RESULT = "round_result"
# The change of a row whose person has a later round's result: their attempt of this batch only.
ATTEMPT = "attempt"


def columns(settings: Settings) -> list[Column]:
    cb = settings.codebook
    found = [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("address", _("Address"), 34),
        Column("appointment_date", _("Appointment"), 12, date=True),
        Column("appointment_start", _("Time"), 7),
        Column("consultant", _("Consultant"), 18),
        # Where the appointment was planned; information only, so ingest never reads it (not in
        # ANSWER_KEYS). "Locatie" further on is where the conversation actually took place.
        Column("appointment_location", _("Appointment location"), 24),
        Column("conversation_date", _("Conversation date"), 13, answer=True, date=True),
        Column("contact_result", _("Contact result"), 26, True, tuple(cb.contact_result.values())),
        Column("location", _("Location"), 10, True, tuple(cb.location.values())),
        Column("classification", _("Classification"), 26, True, tuple(cb.classification.values())),
    ]
    found += [
        Column(f"activity:{code}", _("Activity: {label}").format(label=label), 14, True, (MARK_YES, MARK_NO))
        for code, label in cb.activity_types.items()
    ]
    found += [
        Column(
            "participation_potential",
            _("Participation potential"),
            26,
            True,
            tuple(cb.participation_potential.values()),
        ),
        Column("consent", _("Consent to share"), 12, True, tuple(cb.consent.values())),
    ]
    found += [
        Column(f"referral:{code}", _("Referral: {label}").format(label=label), 14, True, (MARK_YES, MARK_NO))
        for code, label in cb.referrals.items()
    ]
    return found


HOME = "Thuis"


def appointment_place(person: Mapping[str, Any], settings: Settings) -> str | None:
    """Where the person's appointment was planned: the location's name, "Thuis" for a home
    visit, empty when not planned; a code no longer in the settings is shown as it is."""
    if _empty(person.get("appointment_date")):
        return None
    code = person.get("location")
    if _empty(code):
        return HOME
    location = settings.planning.location(str(code))
    return location.name if location else str(code)


def _empty(value: Any) -> bool:
    # A frame column of NULLs may hold NaN rather than None.
    return is_blank(value) or (isinstance(value, float) and value != value)


def build(
    people: pd.DataFrame,
    settings: Settings,
    batch_id: str,
    created_at: str | None = None,
    letter_date: dt.date | None = None,
) -> Workbook:
    """The registration workbook of one batch; `people` as `ledger.outcomes.sheet_people` returns.
    A conversation date typed in must lie between `letter_date` (the first letter) and today."""
    rows = [
        {
            "client_id": str(person["client_id"]),
            "name": person_name(person),
            "address": person_address(person),
            "appointment_date": as_date(person.get("appointment_date")),
            "appointment_start": person.get("appointment_start") or None,
            "consultant": person.get("consultant") or None,
            "appointment_location": appointment_place(person, settings),
        }
        for person in people.to_dict("records")
    ]
    explanation = [
        _("Registration {campaign}, batch {batch}.").format(campaign=settings.campaign.name, batch=batch_id),
        _("Fill in the coloured columns for each person; choose from the lists."),
        _("Conversation date: the day of the conversation (or of the last attempt), as dd-mm-yyyy."),
        _(
            "Fill in classification, activities, participation potential, consent and referrals"
            " only when there has been a conversation."
        ),
        _("A referral to a partner needs consent to share data."),
        _("Activities: only for people who are socially active; choose Yes for each activity."),
        _("An empty row means: not registered yet."),
        _("Hand the file to the coordinator, who reads it in with kansen ingest."),
    ]
    return write_workbook(
        [DataSheet(SHEET, columns(settings), rows)],
        explanation,
        kind=NAME,
        campaign=settings.campaign.name,
        batch_id=batch_id,
        created_at=created_at,
        earliest=letter_date,
    )


@dataclass
class RegistrationContext:
    """What the ledger knows about the batch of a registration workbook."""

    members: set[str]
    approached_on: dict[str, dt.date]
    current: dict[str, dict[str, Any]]
    today: dt.date
    # Later work on these outcomes (see `ledger.outcomes.dependent_work`); `force` replaces it.
    answered: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    calls: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    force: bool = False
    # client id -> the outcome of their letter attempt of this batch (`ledger.outcomes.round_results`),
    # for those who have one: the sheet sets it to the contact result, so each round keeps its own.
    round_results: dict[str, str | None] = field(default_factory=dict)
    # client id -> a later round's batch that gave them a result (`ledger.outcomes.later_results`),
    # and their letter attempt of this batch (`round_attempts`): for them only that attempt is set.
    later: dict[str, str] = field(default_factory=dict)
    attempts: dict[str, dict[str, Any]] = field(default_factory=dict)


class RegistrationKind(WorkbookKind):
    name = NAME
    required: ClassVar[Mapping[str, frozenset[str]]] = {SHEET: REQUIRED}

    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> RegistrationContext:
        batch_id = filled.batch_id or ""
        if not batch_exists(ledger, batch_id):
            raise FileRefused("unknown_batch", batch_id, _("this campaign has no such batch"), batch_id)
        answered, calls = ledger_outcomes.dependent_work(ledger, batch_id)
        return RegistrationContext(
            members=ledger_outcomes.batch_member_ids(ledger, batch_id),
            approached_on=ledger_outcomes.approached_on(ledger, batch_id),
            current=ledger_outcomes.current_outcomes(ledger, batch_id),
            today=today,
            answered=answered,
            calls=calls,
            round_results=ledger_outcomes.round_results(ledger, batch_id),
            later=ledger_outcomes.later_results(ledger, batch_id),
            attempts=ledger_outcomes.round_attempts(ledger, batch_id),
        )

    def plan(self, filled: FilledWorkbook, context: RegistrationContext, settings: Settings) -> IngestPlan:
        return plan_registration(filled, context, settings)

    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        if change.kind == ATTEMPT:
            # Only this round's result; write_plan has kept the attempt it replaces.
            result = change.record["outcome"]
            assert plan.batch_id is not None  # read_context refused a sheet without its batch
            ledger_outcomes.write_round_result(
                db, plan.batch_id, change.client_id, result, plan.file, stamp, history=False
            )
            return
        source = (plan.file, plan.sha256)
        ledger_outcomes.write_outcome(db, plan.batch_id, change.client_id, change.record, source, stamp)


KIND = RegistrationKind()


def plan_registration(filled: FilledWorkbook, context: RegistrationContext, settings: Settings) -> IngestPlan:
    """Validate every row of a registration workbook and plan the outcome changes."""
    plan = start_plan(filled, settings, filled.batch_id)
    headers = filled.headers[SHEET]
    answers = [k for k in headers if k in ANSWER_KEYS or k.startswith(OPTION_PREFIXES)]
    rules = _Rules(context, settings)
    plan = plan_rows(plan, filled, {SHEET: SheetRules(answers, rules.row)})
    kept = [c for c in plan.changes if c.kind == ATTEMPT]
    if kept:
        later = sorted({context.later[c.client_id] for c in kept})
        plan.notes.append(
            ngettext(
                "{file}: {count} person has a result from a later round ({rounds}); for them this "
                "sheet sets only this round's result, and their latest result stays as the later "
                "round's sheet gave it",
                "{file}: {count} people have a result from a later round ({rounds}); for them this "
                "sheet sets only this round's result, and their latest result stays as the later "
                "round's sheet gave it",
                len(kept),
            ).format(file=plan.file, count=len(kept), rounds=", ".join(later))
        )
    return plan


class _Rules:
    """The rules of one file's rows; remembers who was seen, to catch a person twice."""

    def __init__(self, context: RegistrationContext, settings: Settings) -> None:
        self.context = context
        self.cb = settings.codebook
        self.roles = settings.codebook.roles
        self.members = ClientIds(context.members)
        self.seen: dict[str, int] = {}

    def row(self, check: RowCheck, row: FilledRow) -> Planned | None:
        client_id = self._member(check, row.row)
        sent = self.context.approached_on.get(client_id) if client_id else None
        if client_id is not None and sent is None:
            check.problem(
                "client_id",
                client_id,
                "not_approached",
                _("no letter was sent to this person; run `kansen letters` for the batch first"),
            )
        record, activities, referrals = self._answers(check, sent)
        contact = record["contact_result"]
        if contact is not None and contact != self.roles.spoken:
            self._only_spoken(check, record, activities, referrals)
        if contact == self.roles.spoken:
            self._spoken(check, record, activities, referrals)
        if client_id is None:
            return None
        if client_id in self.context.later:
            return self._round_only(client_id, contact)
        if not self.context.force:
            self._no_undo(check, client_id, record, referrals)
        return Planned("outcome", client_id, *self._with_round_result(client_id, record))

    def _round_only(self, client_id: str, contact: str | None) -> Planned:
        """A person whose later round has a result: this row sets their attempt of this round
        only, so nothing later work hangs on can be undone. Without such an attempt (letters sent
        before attempts were kept) there is nothing to set: the row is unchanged."""
        old = self.context.attempts.get(client_id)
        if old is None or contact is None:
            return Planned(ATTEMPT, client_id, {}, {})
        return Planned(ATTEMPT, client_id, {"outcome": contact}, old)

    def _with_round_result(
        self, client_id: str, record: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The record and the one it replaces, both with this batch's letter attempt outcome
        (`ROUND_RESULT`), so that a row that leaves the person's latest result as it was but not
        yet this round's (a second round with the same result) is written, not "unchanged"."""
        old = self.context.current.get(client_id)
        if client_id not in self.context.round_results:
            return record, old  # no letter attempt recorded: nothing of this round to set
        record = record | {ROUND_RESULT: record["contact_result"]}
        if old is not None:
            old = old | {ROUND_RESULT: self.context.round_results[client_id]}
        return record, old

    def _no_undo(self, check: RowCheck, client_id: str, record: dict[str, Any], referrals: list[str]) -> None:
        """Refuse a row that would lose a partner's result or a conversation's follow-up calls."""
        cb, roles = self.cb, self.roles
        force = _("use --force to replace it anyway")
        for destination, (result, source) in self.context.answered.get(client_id, {}).items():
            if destination in referrals:
                continue
            key = f"referral:{destination}"
            message = _(
                "this row would remove the referral to {destination}, which has the partner's "
                "result '{result}' (from {source}); {force}"
            ).format(
                destination=cb.referrals.get(destination, destination),
                result=cb.referral_result.get(result, result),
                source=source,
                force=force,
            )
            check.problem(key if key in check.headers else None, check.cell(key), "would_undo", message)
        calls = self.context.calls.get(client_id)
        if not calls:
            return
        made = ", ".join(
            _("round {number} from {source}").format(number=number, source=source) for number, source in calls
        )
        if record["contact_result"] is not None and record["contact_result"] != roles.spoken:
            label = cb.contact_result.get(record["contact_result"], record["contact_result"])
            what = ("contact_result", _("change the contact result to '{label}'").format(label=label))
        elif record["participation_potential"] != roles.potential_self:
            potential = record["participation_potential"]
            empty = _("(empty)")
            label = cb.participation_potential.get(potential, empty) if potential else empty
            what = (
                "participation_potential",
                _("change the participation potential to '{label}'").format(label=label),
            )
        else:
            return
        message = _(
            "this row would {change}, but the conversation has follow-up calls ({calls}); {force}"
        ).format(change=what[1], calls=made, force=force)
        check.problem(what[0], check.cell(what[0]), "would_undo", message)

    def _member(self, check: RowCheck, number: int) -> str | None:
        """The batch member the client-number cell names; once per file."""
        value = check.cell("client_id")
        if is_blank(value):
            check.problem("client_id", None, "missing", _("the client number is empty"))
            return None
        client_id = self.members.match(value)
        if client_id is None:
            check.problem(
                "client_id",
                cell_text(value),
                "not_in_batch",
                _("this client number is not in the workbook's batch"),
            )
            return None
        if client_id in self.seen:
            check.problem(
                "client_id", client_id, "duplicate", _("also in row {seen}").format(seen=self.seen[client_id])
            )
        self.seen.setdefault(client_id, number)
        return client_id

    def _answers(self, check: RowCheck, sent: dt.date | None) -> tuple[dict[str, Any], list[str], list[str]]:
        """Every answer read and checked on its own; the record as the ledger stores it."""
        cb = self.cb
        contact = check.coded("contact_result", cb.contact_result)
        if contact is None:
            check.required("contact_result", cb.contact_result)
        date = check.date("conversation_date", sent, self.context.today, _("the letter date"))
        if contact == self.roles.spoken and date is None:
            check.missing("conversation_date", _("required for a conversation"))
        location = check.coded("location", cb.location)
        classification = check.coded("classification", cb.classification)
        potential = check.coded("participation_potential", cb.participation_potential)
        consent = check.coded("consent", cb.consent)
        activities = [code for code in cb.activity_types if check.mark(f"activity:{code}")]
        referrals = [code for code in cb.referrals if check.mark(f"referral:{code}")]
        record = {
            "contact_result": contact,
            "conversation_date": date,
            "location": location,
            "classification": classification,
            "activity_types": ledger_outcomes.MULTI_SEP.join(activities),
            "participation_potential": potential,
            "referrals": ledger_outcomes.MULTI_SEP.join(referrals),
            "consent": consent,
        }
        return record, activities, referrals

    def _only_spoken(
        self, check: RowCheck, record: dict[str, Any], activities: list[str], referrals: list[str]
    ) -> None:
        """Not spoken to: no answer that only a conversation gives."""
        message = _("only when the contact result is '{spoken}'").format(
            spoken=self.cb.contact_result[self.roles.spoken]
        )
        keys = [key for key in CODED if record[key] is not None]
        # A destination the codebook names may take over whoever was not reached (Nijmegen: the
        # klantmanager); any other referral needs the conversation.
        without = set(self.roles.referral_without_conversation)
        keys += [f"activity:{code}" for code in activities]
        keys += [f"referral:{code}" for code in referrals if code not in without]
        if without and any(code not in without for code in referrals):
            allowed = ", ".join(self.cb.referrals.get(code, code) for code in sorted(without))
            message += _("; without a conversation only a referral to: {allowed}").format(allowed=allowed)
        for key in keys:
            check.problem(key, check.cell(key), "only_spoken", message)

    def _spoken(
        self, check: RowCheck, record: dict[str, Any], activities: list[str], referrals: list[str]
    ) -> None:
        """Spoken to: a classification; activities only when active; referrals only with consent."""
        cb, roles = self.cb, self.roles
        classification = record["classification"]
        if classification is None:
            check.missing(
                "classification",
                _("required for a conversation; allowed: {choices}").format(
                    choices=", ".join(cb.classification.values())
                ),
            )
        if activities and classification is not None and classification != roles.active:
            for code in activities:
                key = f"activity:{code}"
                message = _("activity types only for '{active}'").format(
                    active=cb.classification[roles.active]
                )
                check.problem(key, check.cell(key), "only_active", message)
        if referrals and record["consent"] != roles.consent_yes:
            for code in referrals:
                key = f"referral:{code}"
                message = _("a referral needs consent to share ('{consent}')").format(
                    consent=cb.consent[roles.consent_yes]
                )
                check.problem(key, check.cell(key), "no_consent", message)
