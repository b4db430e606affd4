"""The retry rules of phone-first calls (issue 12), pure: who is due a call on a given day.

From one person's phone calls, `[calls]` and the codebook roles, `call_status` says whether
calling is finished (an outcome in roles.phone_final, or `max_attempts` calls without
reaching the person), when the next call is due (`days_between` days after the last call, or
the day agreed when the last call ended in roles.phone_callback) and which parts of the day
are preferred (with `vary_part_of_day`, those not tried yet, while one is left). Someone
without a phone number is never called: they get the invitation letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kansen_cli.settings_routes import PARTS_OF_DAY

if TYPE_CHECKING:
    from kansen_cli.settings import CodebookRoles
    from kansen_cli.settings_routes import CallSettings

# What `call_status` concludes about one person.
DUE = "due"
WAITING = "waiting"  # called before, the next call lies ahead
FINISHED = "finished"
NO_PHONE = "no_phone"


@dataclass(frozen=True)
class Call:
    """One phone call to a person: its day, part of the day ('' when not noted) and outcome code."""

    on_date: dt.date
    part_of_day: str
    outcome: str
    callback_on: dt.date | None = None


@dataclass(frozen=True)
class CallStatus:
    """Where calling one person stands on a day."""

    state: str  # DUE, WAITING, FINISHED or NO_PHONE
    calls: int  # calls made so far
    next_due: dt.date | None  # None when finished or without a phone number
    preferred_parts: tuple[str, ...]  # empty unless due or waiting

    @property
    def due(self) -> bool:
        return self.state == DUE


def in_order(calls: Iterable[Call]) -> list[Call]:
    """Calls by date, and within a day ochtend, middag, avond (a call without a part first)."""
    return sorted(calls, key=lambda c: (c.on_date, _part_rank(c.part_of_day)))


def _part_rank(part: str) -> int:
    return PARTS_OF_DAY.index(part) + 1 if part in PARTS_OF_DAY else 0


def call_status(
    calls: Iterable[Call], has_phone: bool, rules: CallSettings, roles: CodebookRoles, today: dt.date
) -> CallStatus:
    """Where calling one person stands on `today`; see the module's docstring for the rules."""
    ordered = in_order(calls)
    if not has_phone:
        return CallStatus(NO_PHONE, len(ordered), None, ())
    if any(c.outcome in roles.phone_final for c in ordered):
        return CallStatus(FINISHED, len(ordered), None, ())
    # A call that reached the person (a callback agreed) does not use up an attempt.
    unreached = sum(1 for c in ordered if c.outcome not in roles.phone_reached)
    if unreached >= rules.max_attempts:
        return CallStatus(FINISHED, len(ordered), None, ())
    next_due = _next_due(ordered, rules, roles, today)
    state = DUE if next_due <= today else WAITING
    return CallStatus(state, len(ordered), next_due, preferred_parts(ordered, rules))


def _next_due(ordered: list[Call], rules: CallSettings, roles: CodebookRoles, today: dt.date) -> dt.date:
    if not ordered:
        return today
    last = ordered[-1]
    if last.outcome == roles.phone_callback and last.callback_on is not None:
        due = last.callback_on  # the day agreed with the person, whatever days_between says
    else:
        due = last.on_date + dt.timedelta(days=rules.days_between)
    if not rules.same_day:
        due = max(due, last.on_date + dt.timedelta(days=1))
    return due


def preferred_parts(ordered: list[Call], rules: CallSettings) -> tuple[str, ...]:
    """The parts of the day to call in next: with vary_part_of_day those not tried yet while
    one is left (someone never home in the morning may be in the evening), else any."""
    if not rules.vary_part_of_day:
        return PARTS_OF_DAY
    used = {c.part_of_day for c in ordered}
    left = tuple(p for p in PARTS_OF_DAY if p not in used)
    return left or PARTS_OF_DAY
