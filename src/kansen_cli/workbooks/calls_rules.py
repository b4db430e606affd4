"""The rules of a returned call workbook (`kansen calls`), row by row; pure.

- the person is a phone-first member of the workbook's batch;
- the call is dated between the as-of day of the selection the batch was made from (a later
  round: the day the previous round's letters went out) and today,
  with an outcome from the codebook's phone outcomes (a phone number typed there is named as such, masked);
- the part of the day is one of ochtend, middag, avond (or empty), the caller is named;
- "Terugbellen op" needs the day agreed, on or after the call; other outcomes have none;
- without `[calls] same_day`, one call per person per day: within the file and against the
  calls the ledger holds (the same call again, another part of the day, is a correction only
  when it has the same part of the day).

A call whose outcome is in roles.phone_contact_result ("wil geen gesprek") carries the contact
result it settles; `ledger.calls.settle_contact_result` writes it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.settings_routes import PARTS_OF_DAY
from kansen_cli.workbooks.cells import ClientIds, cell_text, is_blank, parse_date
from kansen_cli.workbooks.plan import Planned, RowCheck

if TYPE_CHECKING:
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.calls import CallsContext
    from kansen_cli.workbooks.reading import FilledRow

# A Dutch phone number as a caller may type it (spaces, dashes, brackets, +31 or 0031).
_PHONE = re.compile(r"(?:\+31|0031|0)[1-9]\d{8}")
_PARTS = {part: part for part in PARTS_OF_DAY}


def looks_like_phone(value: Any) -> bool:
    """A cell that holds a phone number, whatever the separators."""
    if is_blank(value):
        return False
    return bool(_PHONE.fullmatch(re.sub(r"[\s().-]", "", cell_text(value))))


def masked_phone(value: Any) -> str:
    """What a message may show of a phone number: its first two characters ("06…")."""
    return re.sub(r"[\s().-]", "", cell_text(value))[:2] + "…"


def _phone_problem(check: RowCheck, key: str, what_belongs: str) -> None:
    """A phone number typed into a cell where it does not belong, shown masked ("06…"), never
    as typed: a phone number is personal data."""
    value = check.cell(key)
    check.plan.problems.add(
        check.plan.file,
        check.row.row,
        check.headers.get(key, key),
        masked_phone(value),
        "phone_number_in_cell",
        _("this looks like a phone number; {what_belongs}").format(what_belongs=what_belongs),
        known=True,
    )
    check.failed = True


class CallRules:
    """The rules of one file's rows; remembers the calls seen, to catch a second one on a day."""

    def __init__(self, context: CallsContext, settings: Settings) -> None:
        self.ctx = context
        self.outcomes = settings.codebook.phone_outcome
        self.callback = settings.codebook.roles.phone_callback
        self.settles = settings.codebook.roles.phone_contact_result
        self.same_day = settings.calls.same_day
        self.phone_first = {
            client_id
            for client_id, variant in context.variants.items()
            if settings.approach_of(variant) == "phone_first"
        }
        self.ids = ClientIds(context.variants)
        self.seen: set[tuple[str, str, str]] = set()
        # (client id, day) -> the parts of the day the ledger holds a call in
        self.called: dict[tuple[str, str], set[str]] = {}
        for client_id, day, part in context.recorded:
            self.called.setdefault((client_id, day), set()).add(part)

    def row(self, check: RowCheck, row: FilledRow) -> Planned | None:
        ctx = self.ctx
        client_id = check.known_id(self.ids)
        known = client_id in self.phone_first
        if not known:
            why = (
                _("a person not phoned first")
                if client_id in ctx.variants
                else _("a person not in this batch")
            )
            check.problem(
                "client_id",
                client_id,
                "not_in_batch",
                _("{why} ({batch_id})").format(why=why, batch_id=ctx.batch_id),
            )
        on_date = check.date("call_date", ctx.made_on, ctx.today, ctx.since)
        check.missing("call_date", _("the date of the call is required"))
        part = check.coded("part_of_day", _PARTS) or ""
        caller = check.cell("caller")
        check.missing("caller", _("the name of the caller is required"))
        if looks_like_phone(caller):
            _phone_problem(check, "caller", _("the name of the caller belongs here"))
        outcome = self._outcome(check)
        callback_on = self._callback(check, outcome, on_date)
        if not known or on_date is None or outcome is None or check.failed:
            return None
        key = (client_id, on_date, part)
        if key in self.seen:
            check.problem("client_id", client_id, "duplicate", _("this call appears twice in the file"))
        else:
            self._once_a_day(check, client_id, on_date, part)
        self.seen.add(key)
        record = {
            "batch_id": ctx.batch_id,
            "round": ctx.round,
            "on_date": on_date,
            "part_of_day": part,
            "by_whom": " ".join(str(caller).split()),
            "outcome": outcome,
            "callback_on": callback_on,
            # A final answer on the phone becomes the contact result (roles.phone_contact_result).
            "contact_result": self.settles.get(outcome),
        }
        old = ctx.recorded.get(key)
        old_record = None if old is None else {**record, **old}
        return Planned("attempt", client_id, record, old_record)

    def _outcome(self, check: RowCheck) -> str | None:
        value = check.cell("outcome")
        if looks_like_phone(value):
            _phone_problem(
                check,
                "outcome",
                _("the outcome of the call belongs here, allowed: {choices}").format(
                    choices=", ".join(self.outcomes.values())
                ),
            )
            return None
        if is_blank(value):
            check.required("outcome", self.outcomes)
            return None
        return check.coded("outcome", self.outcomes)

    def _callback(self, check: RowCheck, outcome: str | None, on_date: str | None) -> str | None:
        value = check.cell("callback_on")
        label = self.outcomes.get(self.callback, self.callback)
        if outcome is not None and outcome != self.callback:
            if not is_blank(value):
                check.problem(
                    "callback_on",
                    value,
                    "callback_without_outcome",
                    _("a date only with outcome '{label}'").format(label=label),
                )
            return None
        if is_blank(value):
            if outcome == self.callback:
                check.missing(
                    "callback_on",
                    _("outcome '{label}' needs the day agreed to call back").format(label=label),
                )
            return None
        parsed = parse_date(value)
        if parsed is None:
            check.problem("callback_on", value, "bad_date", _("not a date; write it as dd-mm-yyyy"))
            return None
        if on_date is not None and parsed.isoformat() < on_date:
            check.problem("callback_on", value, "date_too_early", _("lies before the call"))
        return parsed.isoformat()

    def _once_a_day(self, check: RowCheck, client_id: str, on_date: str, part: str) -> None:
        if self.same_day:
            return
        day = f"{on_date[8:10]}-{on_date[5:7]}-{on_date[:4]}"
        in_file = any(c == client_id and d == on_date for c, d, _ in self.seen)
        in_ledger = self.called.get((client_id, on_date), set()) - {part}
        if in_file or in_ledger:
            where = _("in this file") if in_file else _("in the ledger")
            check.problem(
                "call_date",
                check.cell("call_date"),
                "second_call_same_day",
                _(
                    "this person was called on {day} already ({where}); one call a day "
                    "([calls] same_day = false)"
                ).format(day=day, where=where),
            )
