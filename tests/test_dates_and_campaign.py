"""Issue 15, items 2 and 5: dates that make sense, and a ledger only in a campaign.

Expected dates and counts are worked out by hand from the calendar of October to December
2026 (5 and 12 October are Mondays; 25 and 26 December are Dutch public holidays) and, for
the working days, checked against numpy.busday_count.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from dates import TODAY
from kansen_cli.errors import KansenError
from kansen_cli.settings import PlanningSettings, Settings

AS_OF = "2026-10-01"


def _settings(min_working_days: int | None = None, closed: list[dt.date] | None = None) -> Settings:
    settings = Settings()
    if min_working_days is not None:
        settings.letters.min_working_days = min_working_days
    if closed is not None:
        settings.planning.closed_days = closed
    return settings


def _people(*dates: str | None) -> pd.DataFrame:
    return pd.DataFrame({"appointment_date": list(dates)})


# --- the working-day count ----------------------------------------------------------------

CHRISTMAS = [dt.date(2026, 12, 25), dt.date(2026, 12, 26)]  # Eerste en Tweede Kerstdag


def _busday_count(first: dt.date, before: dt.date, closed: list[dt.date] = ()) -> int:
    """The second count: numpy's, with Christmas (the only holidays in these ranges) by hand."""
    import numpy as np

    if before <= first:
        return 0
    return int(np.busday_count(first, before, holidays=[*CHRISTMAS, *closed]))


@pytest.mark.parametrize(
    ("first", "before", "expected"),
    [
        (dt.date(2026, 10, 5), dt.date(2026, 10, 7), 2),  # Mon -> Wed: Monday, Tuesday
        (dt.date(2026, 10, 5), dt.date(2026, 10, 12), 5),  # Mon -> next Mon: a week
        (dt.date(2026, 10, 5), dt.date(2026, 10, 13), 6),
        (dt.date(2026, 10, 10), dt.date(2026, 10, 12), 0),  # Sat -> Mon: the weekend only
        (dt.date(2026, 10, 5), dt.date(2026, 10, 5), 0),
        (dt.date(2026, 10, 7), dt.date(2026, 10, 5), 0),  # backwards: nothing
        # 21, 22, 23, 24 and 28 December; the 25th and 26th are Kerstmis, the 27th a Sunday.
        (dt.date(2026, 12, 21), dt.date(2026, 12, 29), 5),
    ],
)
def test_open_days_from_counts_like_busday_count(first, before, expected) -> None:
    from kansen_cli.planning import Calendar

    assert _busday_count(first, before) == expected
    assert Calendar(PlanningSettings(), 2026).open_days_from(first, before) == expected


def test_closed_days_are_no_working_days() -> None:
    from kansen_cli.planning import Calendar

    closed = [dt.date(2026, 12, 23)]
    counted = Calendar(PlanningSettings(closed_days=closed), 2026).open_days_from(
        dt.date(2026, 12, 21), dt.date(2026, 12, 29)
    )
    assert counted == _busday_count(dt.date(2026, 12, 21), dt.date(2026, 12, 29), closed) == 4


# --- letters too close to the first appointment -------------------------------------------


def test_the_default_asks_five_working_days() -> None:
    assert Settings().letters.min_working_days == 5


def test_letters_two_days_before_are_refused_with_the_numbers() -> None:
    from kansen_cli.workflows.letters import LettersTooLateError, refuse_late_letters

    people = _people("2026-10-09", "2026-10-07", None)  # the first appointment is Wednesday 7th
    with pytest.raises(LettersTooLateError) as refused:
        refuse_late_letters(people, _settings(), "selwerd-1", dt.date(2026, 10, 5))
    message = str(refused.value)
    assert "2 werkdagen tussen 05-10-2026 en de eerste afspraak op 07-10-2026" in message
    assert "er zijn er minstens 5 nodig" in message


def test_letters_exactly_the_minimum_before_pass() -> None:
    from kansen_cli.workflows.letters import LettersTooLateError, refuse_late_letters

    refuse_late_letters(_people("2026-10-12"), _settings(), "b", dt.date(2026, 10, 5))  # a week: 5
    with pytest.raises(LettersTooLateError, match="4 werkdagen"):
        refuse_late_letters(_people("2026-10-12"), _settings(), "b", dt.date(2026, 10, 6))
    refuse_late_letters(_people("2026-10-12"), _settings(min_working_days=4), "b", dt.date(2026, 10, 6))


def test_holidays_and_closed_days_count_against_the_letters() -> None:
    from kansen_cli.workflows.letters import LettersTooLateError, refuse_late_letters

    people = _people("2026-12-29")
    refuse_late_letters(people, _settings(), "b", dt.date(2026, 12, 21))
    closed = _settings(closed=[dt.date(2026, 12, 23)])
    with pytest.raises(LettersTooLateError, match="4 werkdagen"):
        refuse_late_letters(people, closed, "b", dt.date(2026, 12, 21))


def test_a_batch_without_appointments_is_not_checked() -> None:
    from kansen_cli.workflows.letters import refuse_late_letters

    refuse_late_letters(_people(None, None), _settings(), "b", dt.date(2026, 10, 5))
    refuse_late_letters(_people(), _settings(), "b", dt.date(2026, 10, 5))


# --- the reminder call --------------------------------------------------------------------


def _call_date(appointment: str, sent_on: dt.date) -> str | None:
    from kansen_cli import letters as core

    row = {
        "batch_id": "b",
        "variant": "A",
        "client_id": "1",
        "surname": "Veen",
        "phone": "06-12345678",
        "appointment_date": appointment,
        "appointment_start": "10:30",
        "appointment_end": "11:30",
        "consultant": "Anouk Dijkstra",
    }
    fields = core.letter_fields(pd.DataFrame([row]), Settings(), sent_on)
    sheet = core.call_lists(fields)["Bellijst"]
    assert list(sheet["Beldatum"]) == [fields[0]["call_date"]]
    return fields[0]["call_date"]


def test_the_call_is_the_working_day_before_the_appointment() -> None:
    assert _call_date("2026-10-12", dt.date(2026, 10, 1)) == "vrijdag 9 oktober 2026"


def test_the_call_is_never_before_the_letter() -> None:
    # Letters posted on Saturday 10th for Monday 12th: the working day before is Friday 9th,
    # before the letter; the call moves to the day the letter goes out.
    assert _call_date("2026-10-12", dt.date(2026, 10, 10)) == "zaterdag 10 oktober 2026"
    # Sent on Friday 9th: the call that day is on (not before) the letter date.
    assert _call_date("2026-10-12", dt.date(2026, 10, 9)) == "vrijdag 9 oktober 2026"


# --- the plan moved behind other batches --------------------------------------------------


def _busy_days(consultant: str, first: dt.date, last: dt.date, batch: str) -> list:
    from kansen_cli.planning import Busy

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [Busy(consultant, d, dt.time(9, 0), dt.time(17, 0), batch) for d in days if d.weekday() < 5]


def test_a_plan_behind_another_batch_says_by_how_much() -> None:
    from kansen_cli.planning import moved_start, plan

    planning = PlanningSettings(consultants=["Anouk Dijkstra"])
    busy = _busy_days("Anouk Dijkstra", dt.date(2026, 10, 12), dt.date(2026, 10, 23), "selwerd-1")
    start = dt.date(2026, 10, 12)
    appointments = plan(["1", "2"], start, planning, busy)
    moved = moved_start(appointments, start, planning, busy)
    assert moved is not None
    # Busy all of 12-23 October: Monday 26th, ten working days after Monday 12th.
    assert moved.first == dt.date(2026, 10, 26)
    assert moved.days == 10
    assert moved.batches == ["selwerd-1"]


def test_a_plan_not_moved_says_nothing() -> None:
    from kansen_cli.planning import moved_start, plan

    planning = PlanningSettings(consultants=["Anouk Dijkstra"])
    busy = _busy_days("Bram Hoekstra", dt.date(2026, 10, 12), dt.date(2026, 10, 23), "selwerd-1")
    start = dt.date(2026, 10, 10)  # a Saturday: Monday is the first day it could be anyway
    appointments = plan(["1"], start, planning, busy)
    assert min(appointments["date"]) == dt.date(2026, 10, 12)
    assert moved_start(appointments, start, planning, busy) is None


@pytest.fixture
def batched(invoke, small_register, campaign) -> Path:
    assert invoke("select", small_register, "--as-of", AS_OF, "-c", campaign).exit_code == 0
    assert invoke("batch", "--size", "50", "-c", campaign).exit_code == 0
    return campaign


def _weekdays_from(start: dt.date, first: dt.date) -> int:
    """A second count: weekdays from `start` up to `first` (November 2026 has no holiday)."""
    return _busday_count(start, first)


def test_plan_command_says_when_other_batches_moved_it(invoke, batched) -> None:
    # One consultant, five visits a day: selwerd-1 takes her several days from Monday 2 November.
    settings = batched / "kansen.toml"
    settings.write_text("[planning]\nconsultants = ['Anouk Dijkstra']\n", encoding="utf-8")
    first = invoke("plan", "selwerd-1", "--start", "2026-11-02", "-c", batched, "--json")
    assert first.exit_code == 0, first.stderr
    first_plan = json.loads(first.stdout)
    assert first_plan["moved_by_days"] == 0 and first_plan["busy_with"] == []
    last_day = dt.date.fromisoformat(first_plan["consultants"][0]["last"])
    second = invoke("plan", "paddepoel-1", "--start", "2026-11-02", "-c", batched, "--json")
    assert second.exit_code == 0, second.stderr
    data = json.loads(second.stdout)
    begins = dt.date.fromisoformat(data["first_appointment"])
    assert begins >= last_day > dt.date(2026, 11, 2)
    assert data["moved_by_days"] == _weekdays_from(dt.date(2026, 11, 2), begins) > 0
    assert data["busy_with"] == ["selwerd-1"]
    shown = invoke("plan", "paddepoel-1", "--start", "2026-11-02", "-c", batched)
    assert shown.exit_code == 0, shown.stderr
    line = " ".join(shown.stdout.split())
    assert (
        f"paddepoel-1: eerste afspraak op {begins:%d-%m-%Y}, {data['moved_by_days']} werkdagen na de "
        "gevraagde start: de consulenten zijn tot dan bezig met selwerd-1"
    ) in line


# --- letters through the command ----------------------------------------------------------


def test_letters_command_refuses_a_late_send_date_but_not_a_dry_run(invoke, batched) -> None:
    assert invoke("plan", "selwerd-1", "--start", "2026-11-09", "-c", batched).exit_code == 0
    # Thursday 5 November for Monday 9th: Thursday and Friday, 2 working days.
    refused = invoke("letters", "selwerd-1", "--sent-on", "2026-11-05", "-c", batched)
    assert refused.exit_code == 1
    message = " ".join(refused.stderr.split())
    assert "2 werkdagen tussen 05-11-2026 en de eerste afspraak op 09-11-2026" in message
    assert "er zijn er minstens 5 nodig" in message
    assert not (batched / "letters" / "selwerd-1" / "selwerd-1.pdf").exists()
    with sqlite3.connect(batched / "kansen.sqlite") as db:
        assert db.execute("SELECT count(*) FROM letters").fetchone()[0] == 0
    dry = invoke("letters", "selwerd-1", "--sent-on", "2026-11-05", "--dry-run", "-c", batched)
    assert dry.exit_code == 0, dry.stderr
    # The setting lowered to 2 lets them through.
    (batched / "kansen.toml").write_text("[letters]\nmin_working_days = 2\n", encoding="utf-8")
    sent = invoke("letters", "selwerd-1", "--sent-on", "2026-11-05", "-c", batched)
    assert sent.exit_code == 0, sent.stderr
    # Friday 6th leaves 1; --force sends them anyway, as it does letters sent before.
    late = invoke("letters", "selwerd-1", "--sent-on", "2026-11-06", "-c", batched, "--force")
    assert late.exit_code == 0, late.stderr
    with sqlite3.connect(batched / "kansen.sqlite") as db:
        assert db.execute("SELECT DISTINCT sent_on FROM letters").fetchall() == [("2026-11-06",)]


# --- a future reference date --------------------------------------------------------------


def test_select_refuses_a_future_as_of(invoke, small_register, campaign) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    refused = invoke("select", small_register, "--as-of", tomorrow.isoformat(), "-c", campaign)
    assert refused.exit_code == 1
    message = " ".join(refused.stderr.split())
    assert f"{tomorrow:%d-%m-%Y}" in message and f"{TODAY:%d-%m-%Y}" in message
    assert "--allow-future" in message
    assert not (campaign / "kansen.sqlite").exists()
    today = invoke("select", small_register, "--as-of", TODAY.isoformat(), "-c", campaign)
    assert today.exit_code == 0, today.stderr
    allowed = invoke(
        "select", small_register, "--as-of", "2030-01-01", "--allow-future", "-c", campaign, "--json"
    )
    assert allowed.exit_code == 0, allowed.stderr
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        assert db.execute("SELECT count(*) FROM selection_runs").fetchone()[0] == 2


def test_select_workflow_refuses_a_future_as_of(campaign, small_register) -> None:
    from kansen_cli.workflows import select

    with pytest.raises(KansenError, match="ligt na vandaag"):
        select.run(campaign, Settings(), small_register, TODAY, as_of=TODAY + dt.timedelta(days=400))


# --- a ledger only in a campaign ----------------------------------------------------------


def test_select_outside_a_campaign_leaves_no_file(invoke, small_register, tmp_path) -> None:
    folder = tmp_path / "ergens"
    folder.mkdir()
    result = invoke(
        "select", small_register, "--as-of", AS_OF, "-c", folder, "--out", folder / "selectie.xlsx"
    )
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "kansen.toml" in message and "kansen init" in message
    assert list(folder.iterdir()) == []
    # `kansen init DIR` makes it a campaign; then the same command works.
    assert invoke("init", folder).exit_code == 0
    again = invoke(
        "select", small_register, "--as-of", AS_OF, "-c", folder, "--out", folder / "selectie.xlsx"
    )
    assert again.exit_code == 0, again.stderr
    assert {p.name for p in folder.iterdir()} >= {"kansen.toml", "kansen.sqlite", "selectie.xlsx"}


def test_open_ledger_makes_no_ledger_outside_a_campaign(tmp_path) -> None:
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.core import NotACampaignError

    with pytest.raises(NotACampaignError, match="kansen init"):
        open_ledger(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_read_only_and_sample_commands_work_anywhere(invoke, small_register, tmp_path) -> None:
    folder = tmp_path / "los"
    folder.mkdir()
    checked = invoke("check", small_register, "-c", folder)
    assert checked.exit_code == 0, checked.stderr
    sampled = invoke("sample", folder / "register.csv", "--rows", "20")
    assert sampled.exit_code == 0, sampled.stderr
    assert [p.name for p in folder.iterdir()] == ["register.csv"]


@pytest.mark.parametrize(
    "argv",
    [
        ["batch"],
        ["plan", "selwerd-1", "--start", "2026-11-02"],
        ["letters", "selwerd-1"],
        ["report"],
    ],
)
def test_other_commands_outside_a_campaign_make_no_ledger(invoke, tmp_path, argv) -> None:
    result = invoke(*argv, "-c", tmp_path)
    assert result.exit_code == 1
    assert "kansen init" in result.stderr
    assert not (tmp_path / "kansen.sqlite").exists()
