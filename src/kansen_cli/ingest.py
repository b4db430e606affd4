"""Validating returned workbooks and planning what changes in the ledger (pure: no I/O).

Rules, all from the codebook roles in the settings:

- a row with every answer cell empty is not registered yet: skipped and counted as `blank`;
- the person must belong to the batch of the workbook, appear once, and have been sent a
  letter (approached): outcomes exist only for the approached, so every outcome has a
  denominator in the report;
- contact result is required; a conversation date is required when spoken to, and is never
  before the letter went out nor in the future;
- location, classification, participation potential, consent, referrals and activity types
  only for people spoken to (role `spoken`); a classification is required for them, so that
  the outcome table adds up to the number spoken;
- activity types only for the socially active (role `active`);
- a referral only with consent to share (role `consent_yes`);
- labels are matched without regard to case or spacing; the code itself is accepted too.

A file with any problem loads nothing, unless skip_invalid: then its valid rows load and the
rows with problems are counted as `rejected`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kansen_cli.problems import ProblemReport
from kansen_cli.settings import Settings
from kansen_cli.sheets import (
    CALLS_SHEET,
    FOLLOWUP,
    MARK_NO,
    MARK_YES,
    REFERRALS_SHEET,
    REGISTRATION,
    FilledRow,
    FilledWorkbook,
    norm,
)

# Several-valued answers (activity types, referrals) are stored in the ledger as codes joined
# by this separator, in codebook order; `report` splits on the same character.
MULTI_SEP = ";"
TEXT_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%y", "%d/%m/%y")
YES_WORDS = frozenset({MARK_YES.casefold(), "j", "yes", "y", "1", "true", "waar", "x", "✓", "v"})
NO_WORDS = frozenset({MARK_NO.casefold(), "n", "no", "0", "false", "onwaar", "-", "—", "–"})


@dataclass
class Change:
    """One planned change: a new, updated or unchanged record of one kind for one person."""

    kind: str  # outcome | followup | referral
    client_id: str
    action: str  # new | updated | unchanged
    record: dict[str, Any]
    old: dict[str, Any] | None
    row: int


@dataclass
class IngestPlan:
    """Everything `ingest` found in one file and what it would change."""

    file: str
    sha256: str
    kind: str
    batch_id: str | None
    changes: list[Change] = field(default_factory=list)
    problems: ProblemReport = field(default_factory=ProblemReport)
    rejected_rows: set[tuple[str, int]] = field(default_factory=set)
    blank: int = 0
    file_level: bool = False  # a problem with the file itself: never loads

    def loadable(self, skip_invalid: bool) -> bool:
        if self.file_level:
            return False
        return not self.problems or skip_invalid

    def counts(self, loaded: bool = True) -> dict[str, int]:
        def count(action: str) -> int:
            return sum(1 for c in self.changes if c.action == action) if loaded else 0

        return {
            "new": count("new"),
            "updated": count("updated"),
            "unchanged": count("unchanged"),
            "rejected": len(self.rejected_rows),
            "blank": self.blank,
        }


def lookup(choices: dict[str, str]) -> dict[str, str]:
    """Normalised label or code -> code."""
    table = {norm(code): code for code in choices}
    table.update({norm(label): code for code, label in choices.items()})
    return table


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: Any) -> dt.date | None:
    """A date as Excel may have saved it: real date, serial number, or text in a Dutch format."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else None
        return None
    text = str(value).strip()
    if " " in text:  # "2026-11-03 00:00:00": a date that became text with its time
        text = text.split(" ")[0]
    for fmt in TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def cell_text(value: Any) -> str:
    """Text of an identifier cell; Excel may have made 0000119 into the number 119."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class ClientIds:
    """Matches a client-number cell to a known client id, for every kind of returned workbook.

    Excel turns a number-like id such as 0000119 into the number 119, so an id that matches
    no one exactly is matched once more without leading zeros, unless that is ambiguous
    (both 012 and 12 known).
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = set(known)
        stripped: dict[str, str | None] = {}
        for client_id in self.known:
            key = client_id.lstrip("0")
            stripped[key] = None if key in stripped else client_id
        self.stripped = stripped

    def match(self, value: Any) -> str | None:
        if is_blank(value):
            return None
        text = cell_text(value)
        if text in self.known:
            return text
        return self.stripped.get(text.lstrip("0"))


class _RowCheck:
    """Problems of one row, collected into the file's report."""

    def __init__(self, plan: IngestPlan, headers: dict[str, str], row: FilledRow) -> None:
        self.plan = plan
        self.headers = headers
        self.row = row
        self.failed = False

    def problem(self, key: str | None, value: Any, kind: str, message: str) -> None:
        column = self.headers.get(key, key) if key else None
        self.plan.problems.add(self.plan.file, self.row.row, column, value, kind, message)
        self.failed = True

    def coded(self, key: str, choices: dict[str, str]) -> str | None:
        value = self.row.cells.get(key)
        if is_blank(value):
            return None
        code = lookup(choices).get(norm(value))
        if code is None:
            self.problem(
                key, value, "unknown_value", "not in the list; allowed: " + ", ".join(choices.values())
            )
        return code

    def missing(self, key: str, message: str) -> None:
        """A problem when the cell is empty; a filled but invalid cell has its own problem."""
        if is_blank(self.row.cells.get(key)):
            self.problem(key, None, "missing", message)

    def mark(self, key: str) -> bool:
        value = self.row.cells.get(key)
        if is_blank(value) or value is False:
            return False
        if value is True:
            return True
        if norm(value) in YES_WORDS:
            return True
        if norm(value) in NO_WORDS:
            return False
        self.problem(key, value, "unknown_value", f"allowed: {MARK_YES}, {MARK_NO} or empty")
        return False

    def date(self, key: str, not_before: dt.date | None, today: dt.date, before_what: str) -> str | None:
        value = self.row.cells.get(key)
        if is_blank(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, value, "bad_date", "not a date; write it as dd-mm-jjjj")
            return None
        if parsed > today:
            self.problem(key, value, "date_in_future", f"lies after today ({today:%d-%m-%Y})")
        elif not_before is not None and parsed < not_before:
            self.problem(key, value, "date_too_early", f"lies before {before_what} ({not_before:%d-%m-%Y})")
        return parsed.isoformat()


# ---- registration ------------------------------------------------------------------------------


@dataclass
class RegistrationContext:
    """What the ledger knows about the batch of a registration workbook."""

    members: set[str]
    approached_on: dict[str, dt.date]
    current: dict[str, dict[str, Any]]
    today: dt.date


def plan_registration(filled: FilledWorkbook, context: RegistrationContext, settings: Settings) -> IngestPlan:
    """Validate every row of a registration workbook and plan the outcome changes."""
    plan = IngestPlan(filled.name, filled.sha256, REGISTRATION, filled.batch_id)
    _file_problems(filled, plan, settings)
    if plan.file_level:
        return plan
    cb = settings.codebook
    roles = cb.roles
    headers = next(iter(filled.headers.values()))
    answer_keys = [
        k
        for k in headers
        if k
        in (
            "conversation_date",
            "contact_result",
            "location",
            "classification",
            "participation_potential",
            "consent",
        )
        or k.startswith(("activity:", "referral:"))
    ]
    seen: dict[str, int] = {}
    members = ClientIds(context.members)
    for row in filled.rows:
        if all(is_blank(row.cells.get(k)) for k in answer_keys):
            plan.blank += 1
            continue
        check = _RowCheck(plan, headers, row)
        client_id = _member(check, members, row.cells.get("client_id"))
        if client_id is not None:
            if client_id in seen:
                check.problem("client_id", client_id, "duplicate", f"also in row {seen[client_id]}")
            seen.setdefault(client_id, row.row)
        sent = context.approached_on.get(client_id) if client_id else None
        if client_id is not None and sent is None:
            check.problem(
                "client_id",
                client_id,
                "not_approached",
                "no letter was sent to this person; run `kansen letters` for the batch first",
            )
        contact = check.coded("contact_result", cb.contact_result)
        if contact is None:
            check.missing("contact_result", "required; allowed: " + ", ".join(cb.contact_result.values()))
        spoken = contact == roles.spoken
        date = check.date("conversation_date", sent, context.today, "the letter date")
        if spoken and date is None:
            check.missing("conversation_date", "required for a conversation")
        location = check.coded("location", cb.location)
        classification = check.coded("classification", cb.classification)
        potential = check.coded("participation_potential", cb.participation_potential)
        consent = check.coded("consent", cb.consent)
        activities = [code for code in cb.activity_types if check.mark(f"activity:{code}")]
        referrals = [code for code in cb.referrals if check.mark(f"referral:{code}")]
        if contact is not None and not spoken:
            for key, value in (
                ("location", location),
                ("classification", classification),
                ("participation_potential", potential),
                ("consent", consent),
            ):
                if value is not None:
                    check.problem(
                        key, row.cells.get(key), "only_spoken", _only_spoken(cb.contact_result[roles.spoken])
                    )
            for code in activities:
                check.problem(
                    f"activity:{code}",
                    row.cells.get(f"activity:{code}"),
                    "only_spoken",
                    _only_spoken(cb.contact_result[roles.spoken]),
                )
            for code in referrals:
                check.problem(
                    f"referral:{code}",
                    row.cells.get(f"referral:{code}"),
                    "only_spoken",
                    _only_spoken(cb.contact_result[roles.spoken]),
                )
        if spoken:
            if classification is None:
                check.missing(
                    "classification",
                    "required for a conversation; allowed: " + ", ".join(cb.classification.values()),
                )
            if activities and classification is not None and classification != roles.active:
                for code in activities:
                    check.problem(
                        f"activity:{code}",
                        row.cells.get(f"activity:{code}"),
                        "only_active",
                        f"activity types only for '{cb.classification[roles.active]}'",
                    )
            if referrals and consent != roles.consent_yes:
                for code in referrals:
                    check.problem(
                        f"referral:{code}",
                        row.cells.get(f"referral:{code}"),
                        "no_consent",
                        f"a referral needs consent to share ('{cb.consent[roles.consent_yes]}')",
                    )
        if check.failed or client_id is None:
            plan.rejected_rows.add((row.sheet, row.row))
            continue
        record = {
            "contact_result": contact,
            "conversation_date": date,
            "location": location,
            "classification": classification,
            "activity_types": MULTI_SEP.join(activities),
            "participation_potential": potential,
            "referrals": MULTI_SEP.join(referrals),
            "consent": consent,
        }
        _plan_change(plan, "outcome", client_id, record, context.current.get(client_id), row.row)
    return plan


def _only_spoken(spoken_label: str) -> str:
    return f"only when the contact result is '{spoken_label}'"


def _member(check: _RowCheck, members: ClientIds, value: Any) -> str | None:
    if is_blank(value):
        check.problem("client_id", None, "missing", "the client number is empty")
        return None
    client_id = members.match(value)
    if client_id is None:
        check.problem(
            "client_id", cell_text(value), "not_in_batch", "this client number is not in the workbook's batch"
        )
    return client_id


def _plan_change(
    plan: IngestPlan, kind: str, client_id: str, record: dict[str, Any], old: dict[str, Any] | None, row: int
) -> None:
    if old is None:
        action = "new"
    elif all(old.get(k) == v for k, v in record.items()):
        action = "unchanged"
    else:
        action = "updated"
    plan.changes.append(Change(kind, client_id, action, record, None if action == "new" else old, row))


def _file_problems(filled: FilledWorkbook, plan: IngestPlan, settings: Settings) -> None:
    campaign = str(filled.meta.get("campaign", ""))
    if campaign != settings.campaign.name:
        plan.problems.add(
            filled.name,
            None,
            None,
            campaign,
            "wrong_campaign",
            f"this workbook belongs to campaign '{campaign}', not to '{settings.campaign.name}'",
        )
        plan.file_level = True
    for column, message in filled.problems:
        plan.problems.add(filled.name, 1, column or None, None, "missing_column", message)
        plan.file_level = True


# ---- follow-up ---------------------------------------------------------------------------------


@dataclass
class FollowupContext:
    """What the ledger knows about outcomes, follow-up calls and referrals."""

    outcomes: dict[str, dict[str, Any]]
    followups: dict[str, dict[int, dict[str, Any]]]
    referrals: dict[tuple[str, str], dict[str, Any]]
    today: dt.date


def plan_followup(filled: FilledWorkbook, context: FollowupContext, settings: Settings) -> IngestPlan:
    """Validate a follow-up workbook: call results per round and partners' referral results."""
    plan = IngestPlan(filled.name, filled.sha256, FOLLOWUP, None)
    _file_problems(filled, plan, settings)
    if plan.file_level:
        return plan
    cb = settings.codebook
    roles = cb.roles
    seen: set[tuple[str, Any]] = set()
    # The same leading-zero tolerance as registration: one matcher per sheet's known ids.
    due_ids = ClientIds(context.outcomes)
    referred_ids = ClientIds(client_id for client_id, _ in context.referrals)
    for row in filled.rows:
        headers = filled.headers[row.sheet]
        if row.sheet == CALLS_SHEET:
            if is_blank(row.cells.get("call_date")) and is_blank(row.cells.get("followup_result")):
                plan.blank += 1
                continue
            check = _RowCheck(plan, headers, row)
            client_id = _known_id(due_ids, row.cells.get("client_id"))
            outcome = context.outcomes.get(client_id)
            if outcome is None or outcome.get("participation_potential") != roles.potential_self:
                check.problem("client_id", client_id, "not_due", "this person is not on a follow-up list")
                outcome = None
            round_no = _round(check, row.cells.get("round"), settings.followup.rounds)
            if (client_id, round_no) in seen:
                check.problem("client_id", client_id, "duplicate", "this person and round appear twice")
            seen.add((client_id, round_no))
            earlier = None
            if outcome and outcome.get("conversation_date"):
                earlier = dt.date.fromisoformat(outcome["conversation_date"])
            call_date = check.date("call_date", earlier, context.today, "the conversation")
            result = check.coded("followup_result", cb.followup_result)
            if call_date is None:
                check.missing("call_date", "the date of the call is required")
            if result is None:
                check.missing(
                    "followup_result", "required; allowed: " + ", ".join(cb.followup_result.values())
                )
            calls = context.followups.get(client_id, {})
            if round_no is not None and outcome is not None:
                before = calls.get(round_no - 1)
                if round_no > 1 and (before is None or before["result"] != roles.followup_no_contact):
                    check.problem(
                        "round",
                        round_no,
                        "round_order",
                        f"round {round_no} follows only a round {round_no - 1} with "
                        f"'{cb.followup_result[roles.followup_no_contact]}'",
                    )
                later = calls.get(round_no + 1)
                if later is not None and result is not None and result != roles.followup_no_contact:
                    check.problem(
                        "followup_result",
                        row.cells.get("followup_result"),
                        "round_order",
                        f"round {round_no + 1} is recorded already, so round {round_no} must stay "
                        f"'{cb.followup_result[roles.followup_no_contact]}'",
                    )
            if check.failed or round_no is None:
                plan.rejected_rows.add((row.sheet, row.row))
                continue
            record = {"round": round_no, "call_date": call_date, "result": result}
            _plan_change(plan, "followup", client_id, record, calls.get(round_no), row.row)
        elif row.sheet == REFERRALS_SHEET:
            if is_blank(row.cells.get("result_date")) and is_blank(row.cells.get("referral_result")):
                plan.blank += 1
                continue
            check = _RowCheck(plan, headers, row)
            client_id = _known_id(referred_ids, row.cells.get("client_id"))
            destination = lookup(cb.referrals).get(norm(row.cells.get("destination") or ""))
            current = context.referrals.get((client_id, destination or ""))
            if current is None:
                check.problem(
                    "destination",
                    row.cells.get("destination"),
                    "unknown_referral",
                    "the ledger holds no such referral for this client number",
                )
            elif (client_id, destination) in seen:
                check.problem(
                    "destination", row.cells.get("destination"), "duplicate", "this referral appears twice"
                )
            seen.add((client_id, destination))
            referred = None
            if current is not None and current.get("referred_on"):
                referred = dt.date.fromisoformat(current["referred_on"])
            result_date = check.date("result_date", referred, context.today, "the referral")
            result = check.coded("referral_result", cb.referral_result)
            if result is None:
                check.missing(
                    "referral_result", "required; allowed: " + ", ".join(cb.referral_result.values())
                )
            if check.failed or current is None or destination is None:
                plan.rejected_rows.add((row.sheet, row.row))
                continue
            record = {"destination": destination, "result": result, "result_date": result_date}
            # A referral without a result yet gets its first one: "new", like any first record.
            answered = current.get("result") is not None or current.get("result_date") is not None
            old = {**current, "destination": destination} if answered else None
            _plan_change(plan, "referral", client_id, record, old, row.row)
    return plan


def _known_id(ids: ClientIds, value: Any) -> str:
    """The known client id a cell stands for, else the cell's text (for the problem message)."""
    return ids.match(value) or ("" if is_blank(value) else cell_text(value))


def _round(check: _RowCheck, value: Any, rounds: int) -> int | None:
    try:
        number = int(cell_text(value))
    except ValueError:
        check.problem("round", value, "bad_round", f"a round number 1..{rounds}")
        return None
    if not 1 <= number <= rounds:
        check.problem("round", value, "bad_round", f"a round number 1..{rounds}")
        return None
    return number
