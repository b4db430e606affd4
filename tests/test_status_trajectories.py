"""`kansen status` and people in trajectories: how many are open, who is out of view, which
coaches are full, and the step that sends the coordinator to `kansen inview`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kansen_cli.ledger import open_ledger
from kansen_cli.settings import load_settings
from kansen_cli.workflows import status
from trajectory_helpers import add_contact, add_rungs, end_trajectory, people_ledger, start_trajectory

TODAY = dt.date(2026, 11, 20)
# Two coaches: cm1 with a cap of 2, cm2 with a cap of 5.
SETTINGS = """
[trajectories]
contact_weeks = 8
review_weeks = 13

[[trajectories.coaches]]
code = "cm1"
name = "Coach 1"
cap = 2

[[trajectories.coaches]]
code = "cm2"
name = "Coach 2"
cap = 5
"""


@pytest.fixture(autouse=True)
def _english_steps(monkeypatch):
    """The next steps are asserted as written in the source (English); Dutch with `--lang nl`."""
    monkeypatch.setenv("KANSEN_LANG", "en")


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    campaign = tmp_path / "campaign"
    campaign.mkdir()
    (campaign / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
    people_ledger(campaign, {"T0001": "Noord", "T0002": "Noord", "T0003": "Zuid", "T0004": "Zuid"})
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        # T0001: started 01-11, nothing since: 19 days, in view.
        start_trajectory(db, "T0001", "cm1", "2026-11-01")
        # T0002: started 01-06, last contact 24-09 = 57 days before 20-11: more than 8 weeks;
        # a rung on 01-06 is the intake, no review, so the review was due 01-06 + 13 weeks =
        # 31-08: overdue.
        second = start_trajectory(db, "T0002", "cm1", "2026-06-01")
        add_contact(db, second, "2026-09-24", "huisbezoek", "cm1")
        add_rungs(db, second, {"2026-06-01": 2})
        # T0003: started 01-08, contact 25-09 = 56 days: exactly 8 weeks, not yet too long; a
        # review (second rung) on 01-09 puts the next on 01-09 + 13 weeks = 01-12: not overdue.
        third = start_trajectory(db, "T0003", "cm2", "2026-08-01")
        add_contact(db, third, "2026-09-25", "telefonisch", "cm2")
        add_rungs(db, third, {"2026-08-01": 2, "2026-09-01": 3})
        # T0004: ended; not counted, not out of view.
        fourth = start_trajectory(db, "T0004", "cm2", "2026-01-05")
        end_trajectory(db, fourth, "2026-03-01", "werk")
    return campaign


def test_status_counts_open_trajectories_and_who_is_out_of_view(kept: Path) -> None:
    result = status.run(kept, load_settings(kept), TODAY)
    assert result.trajectories is not None
    # Open: T0001, T0002, T0003; out of view: T0002 only (no contact, review overdue); cm1 has
    # 2 of its cap of 2.
    assert result.trajectories.as_json() == {
        "open": 3,
        "no_contact": 1,
        "reviews_overdue": 1,
        "coaches_full": ["cm1"],
    }
    inview = [s for s in result.steps if s.action == "inview"]
    assert len(inview) == 1 and inview[0].batch is None
    assert "1 without contact for more than 8 weeks, 1 with a review overdue" in inview[0].text


def test_a_day_later_the_exact_eight_weeks_tip_over(kept: Path) -> None:
    result = status.run(kept, load_settings(kept), TODAY + dt.timedelta(days=1))
    assert result.trajectories is not None
    # T0003's contact on 25-09 is now 57 days back; T0001's start 20 days: still in view.
    assert (result.trajectories.no_contact, result.trajectories.reviews_overdue) == (2, 1)


def test_no_trajectory_no_line_and_no_step(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign"
    campaign.mkdir()
    (campaign / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
    people_ledger(campaign, {"T0001": "Noord"})
    result = status.run(campaign, load_settings(campaign), TODAY)
    assert result.trajectories is None
    assert result.as_json()["trajectories"] is None
    assert not [s for s in result.steps if s.action == "inview"]


def test_status_cli_shows_the_trajectories(kept: Path, invoke, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_TODAY", TODAY.isoformat())
    shown = invoke("--lang", "nl", "status", "-c", kept)
    assert shown.exit_code == 0, shown.stderr
    assert "Trajecten: 3 open, 1 te lang zonder contact, 1 met een te late evaluatie; caseload vol: cm1." in (
        " ".join(shown.stdout.split())
    )
    english = invoke("--lang", "en", "status", "-c", kept)
    assert (
        "Trajectories: 3 open, 1 without contact for too long, 1 with a review overdue; at their cap: cm1."
        in (" ".join(english.stdout.split()))
    )
    data = json.loads(invoke("status", "-c", kept, "--json").stdout)
    assert data["trajectories"]["open"] == 3
