"""The retry rules of phone-first calls (kansen_cli.calling): hand-built cases and invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kansen_cli.calling import DUE, FINISHED, NO_PHONE, WAITING, Call, call_status, in_order
from kansen_cli.settings import CodebookRoles
from kansen_cli.settings_routes import CallSettings

ROLES = CodebookRoles()
RULES = CallSettings()  # 3 attempts, 2 days between, vary the part of the day, not twice a day
DAY = dt.date(2026, 11, 2)  # a Monday


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_never_called_is_due_today_any_part():
    status = call_status([], True, RULES, ROLES, DAY)
    assert (status.state, status.next_due, status.calls) == (DUE, DAY, 0)
    assert status.preferred_parts == ("ochtend", "middag", "avond")


def test_no_phone_number_is_never_due():
    assert call_status([], False, RULES, ROLES, DAY).state == NO_PHONE


def test_two_days_between_calls_and_another_part_of_the_day():
    calls = [Call(DAY, "ochtend", "geen_gehoor")]
    # Called Monday morning: Tuesday is too soon, Wednesday (Monday + 2) is due.
    assert call_status(calls, True, RULES, ROLES, days(1)).state == WAITING
    status = call_status(calls, True, RULES, ROLES, days(2))
    assert (status.state, status.next_due) == (DUE, days(2))
    assert status.preferred_parts == ("middag", "avond")


def test_every_part_tried_any_part_again():
    calls = [Call(DAY, "ochtend", "geen_gehoor"), Call(days(2), "middag", "voicemail")]
    assert call_status(calls, True, RULES, ROLES, days(4)).preferred_parts == ("avond",)
    rules = CallSettings(max_attempts=5)
    calls.append(Call(days(4), "avond", "geen_gehoor"))
    assert call_status(calls, True, rules, ROLES, days(6)).preferred_parts == ("ochtend", "middag", "avond")


def test_without_vary_part_of_day_any_part():
    rules = CallSettings(vary_part_of_day=False)
    calls = [Call(DAY, "ochtend", "geen_gehoor")]
    assert call_status(calls, True, rules, ROLES, days(2)).preferred_parts == ("ochtend", "middag", "avond")


def test_three_unreached_calls_finish():
    calls = [
        Call(DAY, "ochtend", "geen_gehoor"),
        Call(days(2), "middag", "voicemail"),
        Call(days(4), "avond", "geen_gehoor"),
    ]
    assert call_status(calls, True, RULES, ROLES, days(30)).state == FINISHED
    assert call_status(calls[:2], True, RULES, ROLES, days(30)).state == DUE


def test_final_outcomes_finish_at_once():
    for outcome in ("afspraak_gemaakt", "geen_gesprek", "verkeerd_nummer"):
        assert call_status([Call(DAY, "ochtend", outcome)], True, RULES, ROLES, days(9)).state == FINISHED


def test_callback_day_is_the_next_due_day_and_uses_no_attempt():
    # Agreed on Monday to call back on Friday: not due on Wednesday (Monday + 2), due Friday.
    calls = [Call(DAY, "middag", "terugbellen", days(4))]
    assert call_status(calls, True, RULES, ROLES, days(2)).state == WAITING
    assert call_status(calls, True, RULES, ROLES, days(4)).next_due == days(4)
    # Agreed to call back the next morning, sooner than days_between: the agreement counts.
    soon = [Call(DAY, "middag", "terugbellen", days(1))]
    assert call_status(soon, True, RULES, ROLES, days(1)).state == DUE
    # Three callbacks reached the person each time: still to be called (no attempt used up).
    three = [Call(days(2 * i), "ochtend", "terugbellen", days(2 * i + 2)) for i in range(3)]
    assert call_status(three, True, RULES, ROLES, days(6)).state == DUE


def test_same_day_allowed_with_no_days_between():
    calls = [Call(DAY, "ochtend", "geen_gehoor")]
    assert call_status(calls, True, CallSettings(days_between=0), ROLES, DAY).state == WAITING
    allowed = CallSettings(days_between=0, same_day=True)
    assert call_status(calls, True, allowed, ROLES, DAY).state == DUE


def test_in_order_sorts_by_day_then_part():
    calls = [Call(days(1), "ochtend", "x"), Call(DAY, "avond", "x"), Call(DAY, "ochtend", "x")]
    assert [(c.on_date, c.part_of_day) for c in in_order(calls)] == [
        (DAY, "ochtend"),
        (DAY, "avond"),
        (days(1), "ochtend"),
    ]


# ------------------------------------------------------------------ invariants

OUTCOMES = ["afspraak_gemaakt", "geen_gesprek", "geen_gehoor", "voicemail", "verkeerd_nummer", "terugbellen"]
PARTS = ["ochtend", "middag", "avond"]
rules_st = st.builds(
    CallSettings,
    max_attempts=st.integers(1, 5),
    days_between=st.integers(0, 4),
    vary_part_of_day=st.booleans(),
    same_day=st.booleans(),
)


def simulate(rules: CallSettings, outcomes: list[str], parts: list[int], gaps: list[int]) -> list[Call]:
    """Call day by day as `kansen calls` would list people: only when due, in a preferred part.

    The outcome of the n-th call is outcomes[n]; a callback is agreed gaps[n] days ahead."""
    calls: list[Call] = []
    day = DAY
    for step in range(60):
        status = call_status(calls, True, rules, ROLES, day)
        if status.state == FINISHED or len(calls) == len(outcomes):
            break
        if status.due:
            n = len(calls)
            part = status.preferred_parts[parts[n] % len(status.preferred_parts)]
            callback = day + dt.timedelta(days=gaps[n]) if outcomes[n] == "terugbellen" else None
            calls.append(Call(day, part, outcomes[n], callback))
            # with same_day, the same day may come again once
            if rules.same_day and step % 2 == 0:
                continue
        day += dt.timedelta(days=1)
    return calls


@settings(max_examples=200, deadline=None)
@given(
    rules_st,
    st.lists(st.sampled_from(OUTCOMES), min_size=1, max_size=12),
    st.lists(st.integers(0, 2), min_size=12, max_size=12),
    st.lists(st.integers(0, 5), min_size=12, max_size=12),
)
def test_listing_only_the_due_respects_the_rules(rules, outcomes, parts, gaps):
    calls = simulate(rules, outcomes, parts, gaps)
    # Never more than max_attempts calls that did not reach the person.
    reached = {"afspraak_gemaakt", "geen_gesprek", "terugbellen"}
    assert sum(1 for c in calls if c.outcome not in reached) <= rules.max_attempts
    # Nothing after an outcome that ends the calling.
    finals = [
        i for i, c in enumerate(calls) if c.outcome in ("afspraak_gemaakt", "geen_gesprek", "verkeerd_nummer")
    ]
    assert not finals or finals[0] == len(calls) - 1
    # Never twice on a day unless allowed.
    if not rules.same_day:
        assert len({c.on_date for c in calls}) == len(calls)
    # With vary_part_of_day, a part not used before while one is left.
    if rules.vary_part_of_day:
        for n, call in enumerate(calls):
            used = {c.part_of_day for c in calls[:n]}
            if len(used) < 3:
                assert call.part_of_day not in used


@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(PARTS)), max_size=10))
def test_in_order_gives_date_order(pairs):
    calls = [Call(days(d), p, "geen_gehoor") for d, p in pairs]
    ordered = in_order(calls)
    keys = [(c.on_date, PARTS.index(c.part_of_day)) for c in ordered]
    assert keys == sorted(keys)
    assert sorted(map(repr, ordered)) == sorted(map(repr, calls))
