"""Proposing appointments: a date, a time and a consultant for everyone in a batch.

The route order of a batch (its `position`, postcode then house number) is split into one
contiguous run per consultant, so each consultant visits neighbours on consecutive slots.
Slots lie on working days only (settings), never on a Dutch public holiday (`holidays`)
or a closed day, and fit between day_start and day_end with the travel time between two
visits. Slots a consultant already has in another batch are skipped, so nobody is
double-booked across batches either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.settings import PlanningSettings

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")  # date.weekday() order
# A plan never reaches further than this: beyond it the settings cannot be what was meant.
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Busy:
    """An appointment a consultant has already (in another batch)."""

    consultant: str
    date: dt.date
    start: dt.time
    end: dt.time
    batch: str = ""  # the batch it belongs to, to say whose appointments moved a plan
    # Where: a location code and its room for a conversation at a location; "" and 0 at home.
    # A location's rooms are kept free of other batches' conversations by these two.
    location: str = ""
    room: int = 0


@dataclass(frozen=True)
class Moved:
    """A plan whose first appointment lies later than its asked start because of other batches."""

    first: dt.date  # the plan's first appointment
    days: int  # open days from the asked start up to (not including) `first`
    batches: list[str]  # the other batches with appointments of these consultants in between


class Calendar:
    """Which days are open for visits: working days minus public holidays and closed days."""

    def __init__(self, planning: PlanningSettings, first_year: int) -> None:
        import holidays

        self.working = {WEEKDAYS.index(d) for d in planning.working_days}
        self.closed = set(planning.closed_days)
        # expand=True (the default) adds later years on lookup, so long plans stay correct.
        self.holidays = holidays.country_holidays("NL", years=range(first_year, first_year + 2))

    def is_open(self, day: dt.date) -> bool:
        return day.weekday() in self.working and day not in self.holidays and day not in self.closed

    def open_days(self, start: dt.date) -> Iterator[dt.date]:
        for offset in range(MAX_DAYS):
            day = start + dt.timedelta(days=offset)
            if self.is_open(day):
                yield day

    def open_days_from(self, first: dt.date, before: dt.date) -> int:
        """How many open days from `first` (counted) up to `before` (not counted), as
        numpy.busday_count counts: Monday 5 to Wednesday 7 October 2026 is 2, a week is 5."""
        days = (before - first).days
        return sum(1 for offset in range(days) if self.is_open(first + dt.timedelta(days=offset)))

    def previous_open_day(self, day: dt.date) -> dt.date:
        """The open day before `day`: when to make the reminder call."""
        for offset in range(1, MAX_DAYS):
            earlier = day - dt.timedelta(days=offset)
            if self.is_open(earlier):
                return earlier
        return day - dt.timedelta(days=1)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def day_slots(planning: PlanningSettings) -> list[tuple[int, int]]:
    """Start and end (minutes after midnight) of each visit in a day, travel time between them."""
    step = planning.conversation_minutes + planning.travel_minutes
    first, last = _minutes(planning.day_start), _minutes(planning.day_end)
    slots = []
    start = first
    while start + planning.conversation_minutes <= last:
        slots.append((start, start + planning.conversation_minutes))
        start += step
    return slots


def split_route(n: int, parts: int) -> list[range]:
    """`n` route positions in `parts` contiguous runs whose sizes differ by at most one."""
    parts = max(1, min(parts, n)) if n else 1
    base, extra = divmod(n, parts)
    runs, begin = [], 0
    for i in range(parts):
        size = base + (1 if i < extra else 0)
        runs.append(range(begin, begin + size))
        begin += size
    return runs


def _free(
    busy: dict[tuple[str, dt.date], list[tuple[int, int]]],
    consultant: str,
    day: dt.date,
    slot: tuple[int, int],
    travel: int,
) -> bool:
    # A slot is free when it keeps the travel time clear of every appointment the consultant has.
    start, end = slot
    return not any(
        start < other_end + travel and other_start < end + travel
        for other_start, other_end in busy.get((consultant, day), [])
    )


def _slots(
    consultant: str,
    start: dt.date,
    calendar: Calendar,
    slots: Sequence[tuple[int, int]],
    busy: dict[tuple[str, dt.date], list[tuple[int, int]]],
    travel: int,
) -> Iterator[tuple[dt.date, int, int]]:
    for day in calendar.open_days(start):
        for slot in slots:
            if _free(busy, consultant, day, slot, travel):
                yield day, slot[0], slot[1]


def plan(
    client_ids: Sequence[str],
    start: dt.date,
    planning: PlanningSettings,
    busy: Iterable[Busy] = (),
) -> pd.DataFrame:
    """One appointment per person, `client_ids` given in route order.

    Returns a frame with client_id, date, start, end (datetime.date / datetime.time) and
    consultant, in route order.
    """
    import pandas as pd

    slots = day_slots(planning)
    if not slots:
        raise KansenError(
            _("no visit fits in a day: [planning] day_start to day_end is shorter than conversation_minutes")
        )
    calendar = Calendar(planning, start.year)
    taken: dict[tuple[str, dt.date], list[tuple[int, int]]] = {}
    for b in busy:
        taken.setdefault((b.consultant, b.date), []).append((_minutes(b.start), _minutes(b.end)))
    rows: list[dict[str, Any]] = []
    for consultant, run in zip(
        planning.consultants, split_route(len(client_ids), len(planning.consultants)), strict=False
    ):
        free = _slots(consultant, start, calendar, slots, taken, planning.travel_minutes)
        for index in run:
            try:
                day, begin, end = next(free)
            except StopIteration:
                raise KansenError(
                    _(
                        "no free day within {days} days of {start}; check "
                        "[planning] working_days and closed_days in kansen.toml"
                    ).format(days=MAX_DAYS, start=i18n.day(start))
                ) from None
            # Booked at once, so a name listed twice in the settings is still never double-booked.
            taken.setdefault((consultant, day), []).append((begin, end))
            rows.append(
                {
                    "client_id": client_ids[index],
                    "date": day,
                    "start": _time(begin),
                    "end": _time(end),
                    "consultant": consultant,
                }
            )
    return pd.DataFrame(rows, columns=["client_id", "date", "start", "end", "consultant"])


def plan_overview(appointments: pd.DataFrame) -> list[dict[str, Any]]:
    """Per consultant: how many visits, first and last day (for the terminal and --json)."""
    out = []
    for consultant, group in appointments.groupby("consultant", sort=False):
        out.append(
            {
                "consultant": str(consultant),
                "people": len(group),
                "first": min(group["date"]).isoformat(),
                "last": max(group["date"]).isoformat(),
                "days": int(group["date"].nunique()),
            }
        )
    return out


def moved_start(
    appointments: pd.DataFrame, start: dt.date, planning: PlanningSettings, busy: Iterable[Busy] = ()
) -> Moved | None:
    """Whether other batches pushed the plan's first appointment behind the asked `start`.

    Without other appointments the first consultant's first slot lies on the first open day
    from `start` on, so a later first appointment was moved by the consultants' appointments
    elsewhere. It is moved by the open days from `start` up to the first appointment (the day
    itself not counted): a start on Monday 12-10-2026 and a first appointment on Monday
    26-10-2026 is 10 days. None when it was not moved, or the plan is empty.
    """
    if appointments.empty:
        return None
    first = min(appointments["date"])
    calendar = Calendar(planning, start.year)
    days = calendar.open_days_from(start, first)
    if days == 0:
        return None
    ours = set(planning.consultants)
    batches = sorted({b.batch for b in busy if b.consultant in ours and start <= b.date <= first and b.batch})
    return Moved(first, days, batches)
