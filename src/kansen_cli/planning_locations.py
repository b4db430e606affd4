"""Conversations at a location: slots per room instead of a consultant's route along the homes.

People who meet at a location (Nijmegen's Bedrijvencentrum Groenestraat) come to it, so there
is no travel time between their conversations: slots of `conversation_minutes` follow each
other back to back from the location's opening time, `rooms` conversations at the same time.
A slot lies on a day the location is open (its `days`), never on a Dutch public holiday, a
closed day of the location or of the campaign (the team is off then). A room never holds two
conversations at once, and a consultant is never in two places at once, also counting the
appointments of other batches (with the travel time when that appointment is elsewhere).

The batch's location is the one whose `wijken` include the batch's wijk, else the first that
serves every wijk (empty `wijken`), else the first. Home people of the same batch keep the
route planning of `planning.plan`, planned after the location so their consultants avoid it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.errors import KansenError
from kansen_cli.i18n import _
from kansen_cli.planning import MAX_DAYS, WEEKDAYS, Busy, plan

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.settings import PlanningSettings
    from kansen_cli.settings_routes import Location

COLUMNS = ["client_id", "date", "start", "end", "consultant", "location", "room"]
_Span = tuple[int, int]  # start and end in minutes after midnight


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def choose_location(locations: Sequence[Location], wijk: str) -> Location:
    """The location for the people of wijk `wijk`: the wijk's own first (compared without
    regard to case), then the first serving every wijk, then simply the first."""
    if not locations:
        raise KansenError(_("no [[planning.locations]] in kansen.toml; add one, or plan with --place home"))
    key = wijk.strip().casefold()
    for location in locations:
        if key and key in {w.strip().casefold() for w in location.wijken}:
            return location
    return next((loc for loc in locations if not loc.wijken), locations[0])


class LocationCalendar:
    """The days a location receives people: its own days, minus holidays and closed days."""

    def __init__(self, location: Location, planning: PlanningSettings, first_year: int) -> None:
        import holidays

        self.days = {WEEKDAYS.index(d) for d in location.days}
        self.closed = set(location.closed_days) | set(planning.closed_days)
        self.holidays = holidays.country_holidays("NL", years=range(first_year, first_year + 2))

    def is_open(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays and day not in self.closed

    def open_days(self, start: dt.date) -> Iterator[dt.date]:
        for offset in range(MAX_DAYS):
            day = start + dt.timedelta(days=offset)
            if self.is_open(day):
                yield day


def location_slots(location: Location, minutes: int) -> list[_Span]:
    """Start and end of each conversation in a day at the location, back to back."""
    first, last = _minutes(location.opens), _minutes(location.closes)
    return [(start, start + minutes) for start in range(first, last - minutes + 1, minutes)]


def _overlaps(span: _Span, others: Iterable[_Span], gap: int = 0) -> bool:
    start, end = span
    return any(start < o_end + gap and o_start < end + gap for o_start, o_end in others)


_Rooms = dict[tuple[int, dt.date], list[_Span]]
# Per consultant and day: (span, at this location) so travel counts only from elsewhere.
_People = dict[tuple[str, dt.date], list[tuple[_Span, bool]]]


def _occupied(busy: Iterable[Busy], location: Location) -> tuple[_Rooms, _People]:
    """The rooms of `location` and the consultants taken already, per day, by other batches."""
    rooms: _Rooms = {}
    people: _People = {}
    for b in busy:
        span = (_minutes(b.start), _minutes(b.end))
        if b.location == location.code and b.room:
            rooms.setdefault((b.room, b.date), []).append(span)
        people.setdefault((b.consultant, b.date), []).append((span, b.location == location.code))
    return rooms, people


def plan_at_location(
    client_ids: Sequence[str],
    start: dt.date,
    planning: PlanningSettings,
    location: Location,
    busy: Iterable[Busy] = (),
) -> pd.DataFrame:
    """One conversation at `location` per person, `client_ids` in route order, earliest first.

    At each slot the free rooms (lowest number first) are paired with the free consultants
    (in settings order, starting from the room's own: room 1 the first consultant, room 2 the
    second, and so on), so with enough consultants a room keeps its consultant all day.
    Returns the columns of `planning.plan` plus `location` (code) and `room` (1..rooms).
    """
    import pandas as pd

    slots = location_slots(location, planning.conversation_minutes)
    if not slots:
        raise KansenError(
            _(
                "no conversation fits in a day at location {code!r}: opens to closes is "
                "shorter than [planning] conversation_minutes"
            ).format(code=location.code)
        )
    rooms, people = _occupied(busy, location)

    def consultant_free(name: str, day: dt.date, span: _Span) -> bool:
        taken = people.get((name, day), [])
        here = [s for s, at_location in taken if at_location]
        elsewhere = [s for s, at_location in taken if not at_location]
        return not _overlaps(span, here) and not _overlaps(span, elsewhere, planning.travel_minutes)

    consultants = list(dict.fromkeys(planning.consultants))  # a name listed twice is one person
    rows: list[dict[str, Any]] = []
    waiting = iter(client_ids)
    remaining = len(client_ids)
    calendar = LocationCalendar(location, planning, start.year)
    for day in calendar.open_days(start):
        if not remaining:
            break
        for span in slots:
            if not remaining:
                break
            free_rooms = [
                r for r in range(1, location.rooms + 1) if not _overlaps(span, rooms.get((r, day), []))
            ]
            used: set[str] = set()
            for room in free_rooms:
                if not remaining:
                    break
                first = (room - 1) % len(consultants)
                order = consultants[first:] + consultants[:first]
                name = next((c for c in order if c not in used and consultant_free(c, day, span)), None)
                if name is None:
                    break  # every consultant is busy at this time
                used.add(name)
                rooms.setdefault((room, day), []).append(span)
                people.setdefault((name, day), []).append((span, True))
                rows.append(
                    {
                        "client_id": next(waiting),
                        "date": day,
                        "start": _time(span[0]),
                        "end": _time(span[1]),
                        "consultant": name,
                        "location": location.code,
                        "room": room,
                    }
                )
                remaining -= 1
    if remaining:
        raise KansenError(
            _(
                "no free room at location {code!r} within {days} days of "
                "{start}; check its days and closed_days in kansen.toml"
            ).format(code=location.code, days=MAX_DAYS, start=i18n.day(start))
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def plan_places(
    client_ids: Sequence[str],
    places: Mapping[str, str],
    wijk: str,
    start: dt.date,
    planning: PlanningSettings,
    busy: Iterable[Busy] = (),
) -> pd.DataFrame:
    """The plan of a batch whose people meet at home or at a location (`places[client_id]`).

    Location people get a room at the wijk's location (`choose_location`); home people the
    route plan, keeping clear of the location's conversations of their consultants. Returns
    `planning.plan`'s columns plus `location` and `room` (None at home), in route order.
    """
    import pandas as pd

    busy = list(busy)
    at_location = [c for c in client_ids if places.get(c) == "location"]
    at_home = [c for c in client_ids if places.get(c) != "location"]
    parts = []
    if at_location:
        location = choose_location(planning.locations, wijk)
        located = plan_at_location(at_location, start, planning, location, busy)
        parts.append(located)
        busy += [
            Busy(r.consultant, r.date, r.start, r.end, "", str(r.location), int(r.room))
            for r in located.itertuples(index=False)
        ]
    if at_home:
        home = plan(at_home, start, planning, busy)
        home["location"] = None
        home["room"] = None
        parts.append(home)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    order = {c: i for i, c in enumerate(client_ids)}
    frame = frame.assign(_order=frame["client_id"].map(order)).sort_values("_order", kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)[COLUMNS]


def places_overview(appointments: pd.DataFrame) -> dict[str, int]:
    """How many people meet at home (key `home`) and how many at each location (its code)."""
    counts: dict[str, int] = {}
    for value in appointments["location"] if "location" in appointments.columns else []:
        key = "home" if value is None or value != value else str(value)
        counts[key] = counts.get(key, 0) + 1
    if "location" not in appointments.columns:
        counts["home"] = len(appointments)
    return counts


def location_overview(appointments: pd.DataFrame, planning: PlanningSettings) -> list[dict[str, Any]]:
    """Per location: its code and name, how many people, first and last day (ISO), and on how
    many days; in order of the first day, for `kansen plan`'s terminal and --json. Home visits
    are left out (the consultant overview covers them). A code no longer in the settings keeps
    its code as name, so the figures still show."""
    if "location" not in appointments.columns:
        return []
    located = appointments[appointments["location"].notna()]
    out = []
    for code, group in located.groupby("location", sort=False):
        location = planning.location(str(code))
        out.append(
            {
                "location": str(code),
                "name": location.name if location else str(code),
                "people": len(group),
                "first": min(group["date"]).isoformat(),
                "last": max(group["date"]).isoformat(),
                "days": int(group["date"].nunique()),
            }
        )
    return sorted(out, key=lambda row: (row["first"], row["location"]))
