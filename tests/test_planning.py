"""Planning appointments: properties of `planning.plan`, and `kansen plan` on a campaign."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansen_cli.errors import KansenError
from kansen_cli.planning import WEEKDAYS, Busy, Calendar, day_slots, plan, split_route
from kansen_cli.settings import PlanningSettings

NL = holidays.country_holidays("NL", years=range(2025, 2032))


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def check_plan(ids, frame, planning: PlanningSettings, busy=()) -> None:
    """Every invariant a plan must keep."""
    # Everyone exactly one appointment.
    assert sorted(frame["client_id"]) == sorted(ids)
    assert frame["client_id"].is_unique
    working = {WEEKDAYS.index(d) for d in planning.working_days}
    by_day = defaultdict(list)
    for row in frame.itertuples(index=False):
        # No weekend (unless configured), holiday, closed day, or time outside hours.
        assert row.date.weekday() in working
        assert row.date not in NL
        assert row.date not in planning.closed_days
        assert row.start >= planning.day_start
        assert row.end <= planning.day_end
        assert _minutes(row.end) - _minutes(row.start) == planning.conversation_minutes
        assert row.consultant in planning.consultants
        by_day[(row.consultant, row.date)].append((_minutes(row.start), _minutes(row.end)))
    for b in busy:
        by_day[(b.consultant, b.date)].append((_minutes(b.start), _minutes(b.end)))
    # No consultant in two places at once, with the travel time between visits.
    for visits in by_day.values():
        visits.sort()
        for (_, end), (start, _) in itertools.pairwise(visits):
            assert start >= end + planning.travel_minutes
    # Route order: each consultant visits a contiguous run of the route, in order.
    position = {cid: i for i, cid in enumerate(ids)}
    for _, group in frame.groupby("consultant"):
        positions = [position[c] for c in group["client_id"]]
        assert positions == list(range(min(positions), max(positions) + 1))
        moments = [dt.datetime.combine(d, s) for d, s in zip(group["date"], group["start"], strict=True)]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)


planning_settings = st.builds(
    lambda consultants, days, start_h, length_h, conv, travel, closed: PlanningSettings(
        consultants=[f"adviseur {i}" for i in range(consultants)],
        working_days=days,
        day_start=dt.time(start_h, 0),
        day_end=dt.time(min(23, start_h + length_h), 30),
        conversation_minutes=conv,
        travel_minutes=travel,
        closed_days=closed,
    ),
    st.integers(1, 5),
    st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
    st.integers(7, 12),
    st.integers(2, 9),
    st.integers(10, 120),
    st.integers(0, 60),
    st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)), max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    planning=planning_settings,
    n=st.integers(0, 90),
    start=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
)
def test_plan_properties(planning: PlanningSettings, n: int, start: dt.date) -> None:
    ids = [f"{i:07d}" for i in range(n)]
    frame = plan(ids, start, planning)
    check_plan(ids, frame, planning)
    assert (frame["date"] >= start).all()


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 60),
    start=st.dates(dt.date(2026, 4, 20), dt.date(2026, 5, 10)),  # around King's Day and Liberation Day
    # Busy hours two apart: the other batch's own plan keeps the travel time too.
    busy_slots=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 20), st.sampled_from([9, 11, 13, 15])),
        max_size=20,
        unique=True,
    ),
)
def test_plan_avoids_appointments_in_other_batches(n, start, busy_slots) -> None:
    planning = PlanningSettings(consultants=["a", "b", "c"])
    busy = [
        Busy(planning.consultants[c], start + dt.timedelta(days=d), dt.time(h, 15), dt.time(h + 1, 15))
        for c, d, h in busy_slots
    ]
    ids = [str(i) for i in range(n)]
    frame = plan(ids, start, planning, busy)
    check_plan(ids, frame, planning, busy)


def test_default_day_has_five_slots_with_travel_time() -> None:
    slots = day_slots(PlanningSettings())
    assert [(s // 60, s % 60) for s, _ in slots] == [(9, 0), (10, 30), (12, 0), (13, 30), (15, 0)]


def test_split_route_is_contiguous_and_balanced() -> None:
    runs = split_route(10, 3)
    assert [len(r) for r in runs] == [4, 3, 3]
    assert [i for r in runs for i in r] == list(range(10))
    assert [len(r) for r in split_route(2, 6)] == [1, 1]


def test_holidays_and_closed_days_are_skipped() -> None:
    # 27 April 2026 is King's Day (a Monday); 28 April is closed in this campaign.
    planning = PlanningSettings(consultants=["a"], closed_days=[dt.date(2026, 4, 28)])
    frame = plan([str(i) for i in range(6)], dt.date(2026, 4, 27), planning)
    assert set(frame["date"]) == {dt.date(2026, 4, 29), dt.date(2026, 4, 30)}
    assert Calendar(planning, 2026).previous_open_day(dt.date(2026, 4, 29)) == dt.date(2026, 4, 24)


def test_a_consultant_listed_twice_is_not_double_booked() -> None:
    planning = PlanningSettings(consultants=["a", "a", "b"])
    ids = [str(i) for i in range(30)]
    check_plan(ids, plan(ids, dt.date(2026, 11, 2), planning), planning)


def test_no_slot_fits_is_a_clear_error() -> None:
    planning = PlanningSettings(
        day_start=dt.time(9, 0), day_end=dt.time(9, 30), conversation_minutes=60, consultants=["a"]
    )
    with pytest.raises(KansenError, match="conversation_minutes"):
        plan(["1"], dt.date(2026, 11, 2), planning)


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def batched(invoke, small_register, campaign):
    assert invoke("select", small_register, "--as-of", "2026-10-01", "--campaign", campaign).exit_code == 0
    assert invoke("batch", "--size", "50", "--campaign", campaign).exit_code == 0
    return campaign


def test_plan_command_stores_one_appointment_each(invoke, batched) -> None:
    from kansen_cli.ledger import open_ledger

    result = invoke("plan", "selwerd-1", "--start", "2026-11-02", "--campaign", batched, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    with open_ledger(batched, create=False) as ledger:
        members = ledger.scalar("SELECT count(*) FROM batch_members WHERE batch_id = 'selwerd-1'")
        planned = ledger.scalar("SELECT count(*) FROM appointments WHERE batch_id = 'selwerd-1'")
        first = ledger.scalar("SELECT min(date) FROM appointments")
    assert data["planned"] == members == planned
    assert sum(c["people"] for c in data["consultants"]) == members
    assert first == "2026-11-02"


def test_plan_again_replaces_until_letters_went_out(invoke, batched) -> None:
    from kansen_cli.ledger import open_ledger

    assert invoke("plan", "hoogkerk-1", "--start", "2026-11-02", "-c", batched).exit_code == 0
    again = invoke("plan", "hoogkerk-1", "--start", "2026-11-09", "-c", batched)
    assert again.exit_code == 0, again.stderr
    assert "hoogkerk-1" in again.stdout
    with open_ledger(batched, create=False) as ledger:
        assert ledger.scalar("SELECT min(date) FROM appointments") == "2026-11-09"
    sent = invoke("letters", "hoogkerk-1", "--sent-on", "2026-10-26", "-c", batched)
    assert sent.exit_code == 0, sent.stderr
    refused = invoke("plan", "hoogkerk-1", "--start", "2026-11-16", "-c", batched)
    assert refused.exit_code == 1
    assert "--force" in refused.stderr
    forced = invoke("plan", "hoogkerk-1", "--start", "2026-11-16", "-c", batched, "--force")
    assert forced.exit_code == 0, forced.stderr


def test_two_batches_share_consultants_without_overlap(invoke, batched) -> None:
    from kansen_cli.ledger import open_ledger

    for batch in ("selwerd-1", "paddepoel-1"):
        assert invoke("plan", batch, "--start", "2026-11-02", "-c", batched).exit_code == 0
    with open_ledger(batched, create=False) as ledger:
        clashes = ledger.scalar(
            "SELECT count(*) FROM appointments a JOIN appointments b"
            " ON a.consultant = b.consultant AND a.date = b.date AND a.client_id < b.client_id"
            " AND a.start < b.end AND b.start < a.end"
        )
    assert clashes == 0


def test_plan_unknown_batch_and_bad_date(invoke, batched) -> None:
    unknown = invoke("plan", "nergens-1", "--start", "2026-11-02", "-c", batched)
    assert unknown.exit_code == 1
    assert "geen batch 'nergens-1'" in unknown.stderr
    bad = invoke("plan", "selwerd-1", "--start", "morgen", "-c", batched)
    assert bad.exit_code == 2


def test_plan_workflow_result_is_the_json(invoke, batched) -> None:
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import plan as workflow

    result = workflow.run(batched, load_settings(batched), "selwerd-1", dt.date(2026, 11, 2))
    # Planning again from the same day makes the same plan: the command prints the same result.
    cli = invoke("plan", "selwerd-1", "--start", "2026-11-02", "-c", batched, "--json")
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout) == result.as_json()
    # The batch's 21 people over the 6 consultants of the default settings, each taking a part of
    # the route from Monday 2 November 2026 (five visits a day: nobody needs a second day).
    assert result.planned == 21 == sum(c["people"] for c in result.consultants)
    assert len(result.consultants) == 6 and {c["days"] for c in result.consultants} == {1}
    assert {c["first"] for c in result.consultants} == {"2026-11-02"}
