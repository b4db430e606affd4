"""`kansen assign --end REASON IDS`: a trajectory ends with a reason from the codebook, and its
coach's assignment closes the same day (dates worked out by hand)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dates import TODAY
from kansen_cli.errors import KansenError
from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.trajectories import caseloads
from kansen_cli.settings import load_settings
from kansen_cli.workflows import assign
from trajectory_helpers import people_ledger

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

PEOPLE = {"T0001": "Noord", "T0002": "Zuid", "T0003": "Zuid"}


@pytest.fixture
def started(campaign: Path) -> Path:
    """Three people with cm1 (the first of the default coaches) ... cm3, from 2026-10-01."""
    people_ledger(campaign, PEOPLE)
    for client_id, coach in (("T0001", "cm1"), ("T0002", "cm2"), ("T0003", "cm3")):
        assign.run(campaign, load_settings(campaign), TODAY, [client_id], to=coach, on=dt.date(2026, 10, 1))
    return campaign


def rows(folder: Path, sql: str) -> list[tuple]:
    with open_ledger(folder, create=False) as ledger:
        return [tuple(r) for r in ledger.query(sql)]


def test_ending_closes_the_trajectory_and_the_assignment_the_same_day(started: Path) -> None:
    result = assign.run(
        started, load_settings(started), TODAY, ["T0002"], end="werk", on=dt.date(2026, 11, 2)
    )
    assert rows(
        started, "SELECT client_id, started_on, ended_on, end_reason FROM trajectories ORDER BY 1"
    ) == [
        ("T0001", "2026-10-01", None, None),
        ("T0002", "2026-10-01", "2026-11-02", "werk"),
        ("T0003", "2026-10-01", None, None),
    ]
    assert rows(
        started, "SELECT coach, from_on, until_on FROM coach_assignments WHERE client_id = 'T0002'"
    ) == [("cm2", "2026-10-01", "2026-11-02")]
    with open_ledger(started, create=False) as ledger:
        assert caseloads(ledger) == {"cm1": 1, "cm3": 1}
    assert [(c.coach, c.added, c.removed, c.caseload) for c in result.coaches] == [("cm2", 0, 1, 0)]
    assert result.as_json()["ended"] == 1 and result.as_json()["end_reason"] == "werk"
    # A new trajectory may start again, not before the old one ended.
    with pytest.raises(KansenError, match="before an earlier trajectory ended"):
        assign.run(started, load_settings(started), TODAY, ["T0002"], on=dt.date(2026, 11, 1))
    again = assign.run(started, load_settings(started), TODAY, ["T0002"], on=dt.date(2026, 11, 2))
    assert [a.action for a in again.assignments] == ["start"]


def test_bad_ends_are_refused_and_nothing_written(started: Path) -> None:
    settings = load_settings(started)
    with pytest.raises(KansenError, match="'klaar' is no end reason; choose one of: doel_bereikt, werk"):
        assign.run(started, settings, TODAY, ["T0001"], end="klaar")
    with pytest.raises(KansenError, match="not --from-referral, --kind, --to or --force"):
        assign.run(started, settings, TODAY, ["T0001"], end="werk", to="cm2")
    with pytest.raises(
        KansenError, match="before an earlier trajectory ended or the current coach took over"
    ):
        assign.run(started, settings, TODAY, ["T0001"], end="werk", on=dt.date(2026, 9, 30))
    assign.run(started, settings, TODAY, ["T0001"], end="werk")
    with pytest.raises(KansenError, match=r"1 client id\(s\) are in no trajectory: T0001"):
        assign.run(started, settings, TODAY, ["T0001", "T0003"], end="gestopt")
    assert rows(started, "SELECT client_id FROM trajectories WHERE ended_on IS NOT NULL") == [("T0001",)]


def test_cli_end(invoke, started: Path) -> None:
    result = invoke("assign", "T0003", "--end", "verhuisd", "--json", "-c", started)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["ended"], data["end_reason"], data["on"]) == (1, "verhuisd", TODAY.isoformat())
    assert data["assignments"] == [{"client_id": "T0003", "coach": "cm3", "action": "end", "over_cap": False}]
    refused = invoke("assign", "T0003", "--end", "verhuisd", "-c", started)
    assert refused.exit_code == 1
    assert "kansen: error: 1 client id(s) are in no trajectory: T0003" in refused.stderr
