"""Conversations at a location: hand-worked plans and the invariants of `planning_locations`."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansen_cli.errors import KansenError
from kansen_cli.planning import Busy
from kansen_cli.planning_locations import choose_location, plan_at_location, plan_places
from kansen_cli.settings import PlanningSettings
from kansen_cli.settings_routes import Location

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

NL = holidays.country_holidays("NL", years=range(2025, 2032))
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONDAY = dt.date(2026, 11, 2)


def _m(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def rows(frame) -> list[tuple[str, str, str, str, int]]:
    """(client, date, start, consultant, room) per appointment, as written by hand below."""
    return [
        (r.client_id, r.date.isoformat(), r.start.strftime("%H:%M"), r.consultant, int(r.room))
        for r in frame.itertuples(index=False)
    ]


def venue(**kwargs) -> Location:
    values = {"code": "buurthuis", "name": "Buurthuis", "rooms": 2}
    values.update(kwargs)
    return Location(**values)


# --- hand-worked plans ------------------------------------------------------------------------


def test_five_people_two_rooms_hour_long_from_nine_on_monday() -> None:
    planning = PlanningSettings(consultants=["A", "B"], conversation_minutes=60)
    frame = plan_at_location(list("12345"), MONDAY, planning, venue())
    # Two at once, back to back, no travel time: 9.00 twice, 10.00 twice, 11.00 once.
    assert rows(frame) == [
        ("1", "2026-11-02", "09:00", "A", 1),
        ("2", "2026-11-02", "09:00", "B", 2),
        ("3", "2026-11-02", "10:00", "A", 1),
        ("4", "2026-11-02", "10:00", "B", 2),
        ("5", "2026-11-02", "11:00", "A", 1),
    ]
    assert list(frame["end"].map(lambda t: t.strftime("%H:%M"))) == [
        "10:00",
        "10:00",
        "11:00",
        "11:00",
        "12:00",
    ]
    assert set(frame["location"]) == {"buurthuis"}


def test_one_consultant_holds_one_conversation_at_a_time_whatever_the_rooms() -> None:
    planning = PlanningSettings(consultants=["A"], conversation_minutes=60)
    frame = plan_at_location(list("123"), MONDAY, planning, venue(rooms=4))
    assert rows(frame) == [
        ("1", "2026-11-02", "09:00", "A", 1),
        ("2", "2026-11-02", "10:00", "A", 1),
        ("3", "2026-11-02", "11:00", "A", 1),
    ]


def test_other_batches_keep_their_room_and_their_consultant() -> None:
    planning = PlanningSettings(consultants=["A", "B"], conversation_minutes=60, travel_minutes=30)
    busy = [
        # Room 1 is taken at 9.00 by another batch at this location (with a third consultant).
        Busy("C", MONDAY, dt.time(9), dt.time(10), "oost-1", "buurthuis", 1),
        # B visits someone at home until 10.00, so with 30 minutes' travel B starts at 11.00.
        Busy("B", MONDAY, dt.time(9), dt.time(10), "west-1"),
    ]
    frame = plan_at_location(list("12345"), MONDAY, planning, venue(), busy)
    assert rows(frame) == [
        ("1", "2026-11-02", "09:00", "A", 2),  # room 1 taken; room 2's B is away: A
        ("2", "2026-11-02", "10:00", "A", 1),  # B still travelling
        ("3", "2026-11-02", "11:00", "A", 1),
        ("4", "2026-11-02", "11:00", "B", 2),
        ("5", "2026-11-02", "12:00", "A", 1),
    ]


def test_a_consultant_goes_on_at_the_same_location_without_travel_time() -> None:
    planning = PlanningSettings(consultants=["A"], conversation_minutes=60, travel_minutes=30)
    busy = [Busy("A", MONDAY, dt.time(9), dt.time(10), "oost-1", "buurthuis", 2)]
    frame = plan_at_location(["1"], MONDAY, planning, venue(), busy)
    assert rows(frame) == [("1", "2026-11-02", "10:00", "A", 1)]


def test_christmas_weekend_and_closed_days_are_skipped() -> None:
    # Thursday 24 December 2026: two slots (9-11); Christmas on Friday, the weekend, then
    # Monday 28 is closed at this location and Tuesday 29 for the whole campaign.
    planning = PlanningSettings(consultants=["A"], closed_days=[dt.date(2026, 12, 29)])
    location = venue(rooms=1, opens=dt.time(9), closes=dt.time(11), closed_days=[dt.date(2026, 12, 28)])
    frame = plan_at_location(list("1234"), dt.date(2026, 12, 24), planning, location)
    assert rows(frame) == [
        ("1", "2026-12-24", "09:00", "A", 1),
        ("2", "2026-12-24", "10:00", "A", 1),
        ("3", "2026-12-30", "09:00", "A", 1),
        ("4", "2026-12-30", "10:00", "A", 1),
    ]


def test_only_the_locations_own_days() -> None:
    # Open on Wednesdays only: from Monday 2 November the first day is Wednesday 4.
    frame = plan_at_location(["1"], MONDAY, PlanningSettings(consultants=["A"]), venue(days=["wo"]))
    assert rows(frame) == [("1", "2026-11-04", "09:00", "A", 1)]


def test_no_conversation_fits_the_opening_hours() -> None:
    location = venue(opens=dt.time(9), closes=dt.time(9, 30))
    with pytest.raises(KansenError, match="no conversation fits in a day at location 'buurthuis'"):
        plan_at_location(["1"], MONDAY, PlanningSettings(conversation_minutes=60), location)


def test_the_wijks_own_location_first_then_one_for_every_wijk_then_the_first() -> None:
    noord = Location(code="noord", name="Noord", wijken=["Noord", "Oosterparkwijk"])
    centrum = Location(code="centrum", name="Centrum")
    oost = Location(code="oost", name="Oost", wijken=["Oost"])
    assert choose_location([noord, centrum, oost], "Oost").code == "oost"
    assert choose_location([noord, centrum, oost], "oosterparkwijk").code == "noord"
    assert choose_location([noord, centrum, oost], "Selwerd").code == "centrum"
    assert choose_location([noord, oost], "Selwerd").code == "noord"
    with pytest.raises(KansenError, match=r"no \[\[planning.locations\]\]"):
        choose_location([], "Selwerd")


def test_a_batch_split_between_home_and_location_keeps_route_order_and_consultants_apart() -> None:
    location = venue(rooms=1)
    planning = PlanningSettings(
        consultants=["A"], locations=[location], conversation_minutes=60, travel_minutes=30
    )
    places = {"1": "home", "2": "location", "3": "home", "4": "location"}
    frame = plan_places(list("1234"), places, "Selwerd", MONDAY, planning)
    assert list(frame["client_id"]) == list("1234")
    # The location first: A at 9 and 10 there; then the home visits from 10.00 + 30 travel on,
    # on the home slots of the day (9.00, 10.30, 12.00, ...): 12.00 and 13.30.
    got = [
        (r.client_id, r.start.strftime("%H:%M"), r.location, None if r.room is None else int(r.room))
        for r in frame.itertuples(index=False)
    ]
    assert got == [
        ("1", "12:00", None, None),
        ("2", "09:00", "buurthuis", 1),
        ("3", "13:30", None, None),
        ("4", "10:00", "buurthuis", 1),
    ]


# --- properties ---------------------------------------------------------------------------------

locations = st.builds(
    lambda rooms, days, opens, hours, closed, wijken: Location(
        code="loc",
        name="Locatie",
        rooms=rooms,
        days=days,
        opens=dt.time(opens),
        closes=dt.time(min(23, opens + hours), 30),
        closed_days=closed,
        wijken=wijken,
    ),
    st.integers(1, 5),
    st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
    st.integers(7, 12),
    st.integers(1, 8),
    st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)), max_size=6),
    st.sampled_from([[], ["Selwerd"], ["Paddepoel", "Selwerd"], ["Oost"]]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    location=locations,
    consultants=st.integers(1, 4),
    minutes=st.sampled_from([30, 45, 60, 90]),
    n=st.integers(0, 40),
    start=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    busy_slots=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 10), st.integers(7, 18), st.integers(0, 5)), max_size=12
    ),
)
def test_location_plan_properties(location, consultants, minutes, n, start, busy_slots) -> None:
    planning = PlanningSettings(
        consultants=[f"adviseur {i}" for i in range(consultants)],
        conversation_minutes=minutes,
        travel_minutes=20,
        locations=[Location(code="elders", name="Elders", wijken=["Paddepoel"]), location],
    )
    # Other batches: at this location in room r (r = 0: a home visit elsewhere).
    busy = [
        Busy(
            f"adviseur {c}",
            start + dt.timedelta(days=d),
            dt.time(h),
            dt.time(h, 50),
            "ander-1",
            "loc" if r else "",
            r,
        )
        for c, d, h, r in busy_slots
    ]
    ids = [f"{i:07d}" for i in range(n)]
    frame = plan_places(ids, dict.fromkeys(ids, "location"), "Selwerd", start, planning, busy)
    # The wijk's own location when it has one, else the one for every wijk, else the first.
    if "Selwerd" in location.wijken or not location.wijken:
        assert set(frame["location"]) <= {"loc"}
    else:
        assert set(frame["location"]) <= {"elders"}
    chosen = location if set(frame["location"]) <= {"loc"} else planning.locations[0]
    # Everyone exactly one slot, in route order.
    assert list(frame["client_id"]) == ids
    room_use = defaultdict(list)
    consultant_use = defaultdict(list)
    at_once = defaultdict(int)
    for r in frame.itertuples(index=False):
        # On an open day of the location, within its opening hours, for the conversation's length.
        assert r.date >= start
        assert DAYS[r.date.weekday()] in chosen.days
        assert r.date not in NL and r.date not in chosen.closed_days
        assert chosen.opens <= r.start and r.end <= chosen.closes
        assert _m(r.end) - _m(r.start) == minutes
        assert 1 <= r.room <= chosen.rooms
        assert r.consultant in planning.consultants
        room_use[(r.room, r.date)].append((_m(r.start), _m(r.end)))
        consultant_use[(r.consultant, r.date)].append((_m(r.start), _m(r.end), True))
        at_once[(r.date, r.start)] += 1
    # At most `rooms` conversations at the same time.
    assert all(count <= chosen.rooms for count in at_once.values())
    for b in busy:
        if b.location == chosen.code and b.room:
            room_use[(b.room, b.date)].append((_m(b.start), _m(b.end)))
    # No room holds two conversations at once (the other batches' ones counted too; the busy
    # list may overlap itself, so only pairs with one of ours count).
    ours = {(r.room, r.date, _m(r.start)) for r in frame.itertuples(index=False)}
    for (room, day), spans in room_use.items():
        for (s1, e1), (s2, e2) in itertools.combinations(spans, 2):
            if (room, day, s1) in ours or (room, day, s2) in ours:
                assert e1 <= s2 or e2 <= s1
    # No consultant in two places at once; from a visit elsewhere with the travel time.
    for r in frame.itertuples(index=False):
        for b in busy:
            if b.consultant != r.consultant or b.date != r.date:
                continue
            gap = 0 if b.location == chosen.code else planning.travel_minutes
            assert _m(r.start) >= _m(b.end) + gap or _m(b.start) >= _m(r.end) + gap
    for spans in consultant_use.values():
        spans.sort()
        for (_, end, _), (begin, _, _) in itertools.pairwise(spans):
            assert begin >= end
