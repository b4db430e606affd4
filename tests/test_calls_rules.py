"""The rules of a returned call workbook, pure (no ledger, no file): hand cases and invariants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kansen_cli.settings import Settings
from kansen_cli.workbooks.calls import KIND, SHEET, CallsContext, columns
from kansen_cli.workbooks.calls_rules import looks_like_phone, masked_phone
from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook

# Dutch, the default: the workbooks, their headers and the messages these tests assert.

SETTINGS = Settings.model_validate({"letters": {"approach": {"B": "phone_first"}}})
SAME_DAY = Settings.model_validate(
    {"letters": {"approach": {"B": "phone_first"}}, "calls": {"same_day": True}}
)
PEOPLE = {"0001": "B", "0002": "B", "0003": "B", "0004": "A"}  # 0004 is approached by letter
TODAY = dt.date(2026, 11, 20)


def context(recorded=None) -> CallsContext:
    return CallsContext("wijk-1", 1, dt.date(2026, 11, 2), dict(PEOPLE), recorded or {}, TODAY)


def workbook(rows: list[dict], settings: Settings = SETTINGS) -> FilledWorkbook:
    headers = {c.key: c.header for c in columns(settings)}
    meta = {"kind": "calls", "campaign": settings.campaign.name, "batch_id": "wijk-1"}
    filled = FilledWorkbook(Path("bellen.xlsx"), "bellen.xlsx", "0" * 64, meta, {SHEET: headers})
    filled.rows = [FilledRow(SHEET, n, cells) for n, cells in enumerate(rows, start=2)]
    return filled


def row(client: str, day: str, part: str = "ochtend", outcome: str = "Geen gehoor", **more) -> dict:
    return {
        "client_id": client,
        "call_date": day,
        "part_of_day": part,
        "caller": "Sanne",
        "outcome": outcome,
        **more,
    }


def kinds(plan) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.kind) for p in plan.problems.problems]


def test_a_valid_row_plans_a_phone_attempt():
    plan = KIND.plan(
        workbook([row("0001", "10-11-2026", "middag", "Terugbellen op", callback_on="16-11-2026")]),
        context(),
        SETTINGS,
    )
    assert not plan.problems
    [change] = plan.changes
    assert (change.client_id, change.action) == ("0001", "new")
    assert change.record == {
        "batch_id": "wijk-1",
        "round": 1,
        "on_date": "2026-11-10",
        "part_of_day": "middag",
        "by_whom": "Sanne",
        "outcome": "terugbellen",
        "callback_on": "2026-11-16",
        "contact_result": None,  # a call back settles nothing
    }


def test_callback_rules():
    plan = KIND.plan(
        workbook(
            [
                row("0001", "10-11-2026", outcome="Terugbellen op"),  # no day agreed
                row("0002", "10-11-2026", callback_on="12-11-2026"),  # a day without a callback
                row(
                    "0003", "10-11-2026", outcome="Terugbellen op", callback_on="09-11-2026"
                ),  # before the call
            ]
        ),
        context(),
        SETTINGS,
    )
    assert kinds(plan) == [
        (2, "Terugbellen op (datum)", "missing"),
        (3, "Terugbellen op (datum)", "callback_without_outcome"),
        (4, "Terugbellen op (datum)", "date_too_early"),
    ]


def test_a_letter_first_person_and_a_stranger_are_refused():
    plan = KIND.plan(workbook([row("0004", "10-11-2026"), row("7777", "10-11-2026")]), context(), SETTINGS)
    assert kinds(plan) == [(2, "Klantnummer", "not_in_batch"), (3, "Klantnummer", "not_in_batch")]
    assert "niet eerst gebeld wordt" in plan.problems.problems[0].message
    assert "niet in deze batch zit" in plan.problems.problems[1].message


def test_phone_numbers_are_masked_wherever_they_are_typed():
    plan = KIND.plan(
        workbook([row("0001", "10-11-2026", outcome="+31 6 1234 5678"), row("0002", "10-11-2026")]),
        context(),
        SETTINGS,
    )
    [problem] = plan.problems.problems
    assert (problem.column, problem.value, problem.kind) == ("Uitkomst", "+3…", "phone_number_in_cell")
    caller = workbook([{**row("0001", "10-11-2026"), "caller": "050-1234567"}])
    [problem] = KIND.plan(caller, context(), SETTINGS).problems.problems
    assert (problem.column, problem.value) == ("Beller", "05…")
    assert "1234567" not in problem.message


@given(st.sampled_from(["0612345678", "06-12345678", "06 12 34 56 78", "(050) 123 4567", "+31612345678"]))
def test_phone_shapes(number):
    assert looks_like_phone(number)
    assert masked_phone(number) == number.replace("(", "")[:2] + "…"


@given(st.sampled_from(["Geen gehoor", "Afspraak gemaakt", "12-11-2026", "0001", "1234567", "Sanne"]))
def test_not_phone_numbers(text):
    assert not looks_like_phone(text)


calls_st = st.lists(
    st.tuples(
        st.sampled_from(["0001", "0002", "0003"]),
        st.integers(3, 19),
        st.sampled_from(["ochtend", "middag", "avond"]),
    ),
    max_size=8,
)


@given(calls_st, calls_st)
def test_one_call_a_day_unless_allowed(in_ledger, in_file):
    """A (person, day) twice, within the file or with the ledger in another part of the day, is a
    problem exactly when [calls] same_day is false; the file then loads nothing."""
    recorded = {
        (c, dt.date(2026, 11, d).isoformat(), p): {
            "round": 1,
            "by_whom": "X",
            "outcome": "geen_gehoor",
            "callback_on": None,
        }
        for c, d, p in in_ledger
    }
    rows = [row(c, f"{d:02d}-11-2026", p) for c, d, p in in_file]
    for settings in (SETTINGS, SAME_DAY):
        plan = KIND.plan(workbook(rows, settings), context(recorded), settings)
        twice = [k for k in kinds(plan) if k[2] == "second_call_same_day"]
        # A second plain implementation: walk the rows, remembering what came before.
        expected = []
        seen_keys: set = set()
        for n, (c, d, p) in enumerate(in_file, start=2):
            day = dt.date(2026, 11, d).isoformat()
            key = (c, day, p)
            if key in seen_keys:
                seen_keys.add(key)
                continue  # a duplicate row, its own problem
            before = {(sc, sd) for sc, sd, _ in seen_keys} | {(lc, ld) for lc, ld, lp in recorded if lp != p}
            if not settings.calls.same_day and (c, day) in before:
                expected.append((n, "Datum gebeld", "second_call_same_day"))
            seen_keys.add(key)
        assert twice == expected
        assert plan.loadable(False) == (not plan.problems)
