"""`kansen inview`: who is out of view, on a hand-built ledger whose answers are worked out here.

Today is 2026-11-20 (tests/dates.py); contact_weeks 8 (56 days), review_weeks 13 (91 days).
Boundaries chosen: exactly 8 weeks since the last contact is not yet too long (57 days is);
a review due today is not yet overdue (due yesterday is).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from dates import TODAY
from kansen_cli.errors import KansenError, NotFoundError
from kansen_cli.in_view import Kept, out_of_view, review_due, too_long
from kansen_cli.ledger import open_ledger
from kansen_cli.settings import load_settings
from kansen_cli.workflows import inview
from trajectory_helpers import people_ledger, start_trajectory

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

COACHES = """
[[trajectories.coaches]]
code = "cm1"
name = "Coach Een"

[[trajectories.coaches]]
code = "cm2"
name = "Coach Twee"
"""

PEOPLE = {
    "T0001": "Noord",
    "T0002": "Noord",
    "T0003": "Zuid",
    "T0004": "Zuid",
    "T0005": "Oost",
    "T0006": "Oost",
}
STAMP = "2026-11-01T09:00:00+01:00"


def test_the_boundaries_by_hand() -> None:
    assert TODAY - dt.timedelta(days=56) == dt.date(2026, 9, 25)
    assert not too_long(dt.date(2026, 9, 25), TODAY, 8)  # 56 days: exactly 8 weeks
    assert too_long(dt.date(2026, 9, 24), TODAY, 8)  # 57 days
    assert review_due(dt.date(2026, 8, 1), None, 13) == dt.date(2026, 10, 31)
    assert review_due(dt.date(2026, 8, 1), dt.date(2026, 8, 21), 13) == dt.date(2026, 11, 20)


def test_due_today_is_not_overdue_and_the_order_is_kept() -> None:
    kept = [
        Kept("b", "cm1", "Zuid", dt.date(2026, 8, 21), latest_contact=dt.date(2026, 11, 19)),
        Kept("a", "cm1", "Noord", dt.date(2026, 8, 20), latest_contact=dt.date(2026, 11, 19)),
    ]
    found = out_of_view(kept, TODAY, 8, 13)
    # b: due 2026-11-20 = today, not overdue; a: due 2026-11-19, overdue.
    assert [(p.client_id, p.review_due, p.review_overdue, p.no_contact) for p in found] == [
        ("a", dt.date(2026, 11, 19), True, False)
    ]


def build(folder: Path) -> Path:
    """Six people; what each should give is written beside them."""
    (folder / "kansen.toml").write_text(COACHES, encoding="utf-8")
    people_ledger(folder, PEOPLE)
    with open_ledger(folder, create=False) as ledger, ledger.transaction() as db:

        def contact(trajectory: int, client: str, on: str) -> None:
            db.execute(
                "INSERT INTO contact_moments VALUES (?, ?, ?, 'huisbezoek', 'cm1', NULL, 'c.xlsx', ?)",
                (trajectory, client, on, STAMP),
            )

        def rung(trajectory: int, client: str, on: str, value: int) -> None:
            db.execute(
                "INSERT INTO ladder_steps VALUES (?, ?, ?, ?, 'c.xlsx', ?)",
                (trajectory, client, on, value, STAMP),
            )

        # T0001: last contact exactly 8 weeks ago, review due 2026-12-01 -> not listed.
        t1 = start_trajectory(db, "T0001", "cm1", "2026-09-01")
        contact(t1, "T0001", "2026-09-25")
        # T0002: last contact 57 days ago (8 whole weeks), an earlier one too -> no contact only.
        t2 = start_trajectory(db, "T0002", "cm1", "2026-09-01")
        contact(t2, "T0002", "2026-09-10")
        contact(t2, "T0002", "2026-09-24")
        # T0003: no contact since the start 2026-08-01 (111 days, 15 weeks); the intake rung of
        # 2026-10-01 is no review, so the review was due 2026-10-31 -> both.
        t3 = start_trajectory(db, "T0003", "cm1", "2026-08-01")
        rung(t3, "T0003", "2026-10-01", 2)
        # T0004: goal scored 2026-08-21 -> review due 2026-11-20 = today; contact 10 days ago -> not listed.
        t4 = start_trajectory(db, "T0004", "cm2", "2026-06-01")
        rung(t4, "T0004", "2026-06-01", 2)
        contact(t4, "T0004", "2026-11-10")
        db.execute(
            "INSERT INTO goals (goal_id, trajectory_id, client_id, domain, description, set_on, baseline,"
            " source_file, loaded_at) VALUES (1, ?, 'T0004', 'wonen', 'x', '2026-06-01', -1, 'c.xlsx', ?)",
            (t4, STAMP),
        )
        db.execute("INSERT INTO goal_scores VALUES (1, 'T0004', '2026-08-21', 0, 'c.xlsx', ?)", (STAMP,))
        # T0005: a second rung 2026-08-20 is a review -> due 2026-11-19, overdue; contact 19 days ago.
        t5 = start_trajectory(db, "T0005", "cm2", "2026-06-01")
        rung(t5, "T0005", "2026-06-01", 1)
        rung(t5, "T0005", "2026-08-20", 3)
        contact(t5, "T0005", "2026-11-01")
        # T0006: trajectory ended -> neither listed nor in a caseload.
        t6 = start_trajectory(db, "T0006", "cm2", "2026-01-05")
        db.execute(
            "UPDATE trajectories SET ended_on = '2026-05-01', end_reason = 'werk' WHERE trajectory_id = ?",
            (t6,),
        )
        db.execute("UPDATE coach_assignments SET until_on = '2026-05-01' WHERE trajectory_id = ?", (t6,))
        # A name a spreadsheet would take for a formula: the workbook must keep it as text.
        db.execute("UPDATE people SET initials = NULL, surname = '=1+1' WHERE client_id = 'T0003'")
    return folder


@pytest.fixture
def built(campaign: Path) -> Path:
    return build(campaign)


def listed(result: inview.InViewResult) -> dict[str, tuple]:
    return {
        p.client_id: (
            p.coach,
            p.last_contact.isoformat(),
            p.weeks_since,
            p.review_due.isoformat(),
            p.no_contact,
            p.review_overdue,
        )
        for view in result.coaches
        for p in view.people
    }


def test_who_is_out_of_view(built: Path) -> None:
    result = inview.run(built, load_settings(built), TODAY)
    assert listed(result) == {
        "T0002": ("cm1", "2026-09-24", 8, "2026-12-01", True, False),
        "T0003": ("cm1", "2026-08-01", 15, "2026-10-31", True, True),
        "T0005": ("cm2", "2026-11-01", 2, "2026-11-19", False, True),
    }
    assert [(v.coach, v.caseload, v.cap) for v in result.coaches] == [("cm1", 3, 50), ("cm2", 2, 50)]
    assert result.file is None


def test_one_coach(built: Path) -> None:
    result = inview.run(built, load_settings(built), TODAY, coach="CM2")
    assert [v.coach for v in result.coaches] == ["cm2"]
    assert list(listed(result)) == ["T0005"]
    with pytest.raises(NotFoundError, match="--coach 'cm9': no such coach"):
        inview.run(built, load_settings(built), TODAY, coach="cm9")


def test_a_day_later_the_boundaries_tip(built: Path) -> None:
    result = inview.run(built, load_settings(built), TODAY + dt.timedelta(days=1))
    # T0001: 57 days since 2026-09-25; T0004: its review was due 2026-11-20.
    assert set(listed(result)) == {"T0001", "T0002", "T0003", "T0004", "T0005"}


def test_the_workbook_has_names_dates_and_no_formulas(built: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from kansen_cli import i18n

    target = tmp_path / "in-beeld.xlsx"
    with i18n.using("nl"):  # the workbook in Dutch, the default; the errors below in English
        result = inview.run(built, load_settings(built), TODAY, out=target)
    assert result.file == target
    assert os.stat(target).st_mode & 0o777 == 0o600
    sheet = load_workbook(target)["In beeld"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Coach",
        "Klantnummer",
        "Naam",
        "Wijk",
        "Laatste contact",
        "Weken zonder contact",
        "Evaluatie gepland",
        "Te lang geen contact",
        "Evaluatie te laat",
    ]
    assert rows[1] == [
        "cm1",
        "T0002",
        "T. Testpersoon T0002",
        "Noord",
        dt.datetime(2026, 9, 24),
        8,
        dt.datetime(2026, 12, 1),
        "Ja",
        "Nee",
    ]
    assert rows[2][:3] == ["cm1", "T0003", "=1+1"]
    assert sheet["C3"].data_type == "s"
    assert sheet["E2"].number_format == "DD-MM-YYYY"
    assert [r[1] for r in rows[1:]] == ["T0002", "T0003", "T0005"]
    with pytest.raises(KansenError, match="exists"):
        inview.run(built, load_settings(built), TODAY, out=target)
    with pytest.raises(KansenError, match=r"name it \.xlsx"):
        inview.run(built, load_settings(built), TODAY, out=tmp_path / "x.csv")


def test_cli_table_shows_no_names(invoke, built: Path) -> None:
    result = invoke("--lang", "nl", "inview", "-c", built)
    assert result.exit_code == 0, result.stderr
    assert "T0002" in result.stdout and "T0001" not in result.stdout
    assert "24-09-2026" in result.stdout and "31-10-2026" in result.stdout
    assert "2 van 3 uit beeld" in result.stdout
    for header in ("klantnummer", "wijk", "laatste contact", "evaluatie op"):
        assert header in result.stdout
    assert "(te laat)" in result.stdout
    assert "Testpersoon" not in result.stdout + result.stderr and "=1+1" not in result.stdout


def test_cli_table_in_english_with_lang_en(invoke, built: Path) -> None:
    result = invoke("--lang", "en", "inview", "-c", built)
    assert result.exit_code == 0, result.stderr
    assert "cm1: 2 of 3 out of view" in result.stdout
    for header in ("client id", "neighbourhood", "last contact", "review due"):
        assert header in result.stdout
    assert "(overdue)" in result.stdout and "uit beeld" not in result.stdout


def test_cli_json_is_the_workflow_result(invoke, built: Path) -> None:
    result = invoke("inview", "--json", "-c", built)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == inview.run(built, load_settings(built), TODAY).as_json()
    assert set(data) == {"today", "contact_weeks", "review_weeks", "coaches", "file"}
    assert data["coaches"][1] == {
        "coach": "cm2",
        "kind": "professional",
        "caseload": 2,
        "cap": 50,
        "no_contact": 0,
        "review_overdue": 1,
        "people": [
            {
                "client_id": "T0005",
                "wijk": "Oost",
                "last_contact": "2026-11-01",
                "weeks_since_contact": 2,
                "review_due": "2026-11-19",
                "no_contact": False,
                "review_overdue": True,
            }
        ],
    }


def test_cli_unknown_coach_exits_1(invoke, built: Path) -> None:
    result = invoke("inview", "--coach", "cm9", "-c", built)
    assert result.exit_code == 1
    assert "kansen: error: --coach 'cm9'" in result.stderr


def test_cli_writes_the_workbook(invoke, built: Path, tmp_path: Path) -> None:
    target = tmp_path / "lijst.xlsx"
    result = invoke("--lang", "nl", "inview", "--out", target, "-c", built)
    assert result.exit_code == 0, result.stderr
    assert target.is_file()
    assert "geschreven (met namen" in " ".join(result.stderr.split())


def test_cli_shows_coach_codes_not_their_names(invoke, built: Path) -> None:
    # An ambassador coach is a client too: their name stays off the screen like anyone's.
    result = invoke("--lang", "nl", "inview", "-c", built)
    assert "cm1: 2 van 3 uit beeld" in result.stdout
    assert "Coach Een" not in result.stdout
