"""kansen followup: who is due, two call rounds, referral results, ingest of the workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kansen_cli.followup import due_calls, due_referrals, months_before, next_round
from kansen_cli.settings import Settings, load_settings
from kansen_cli.workbooks.followup import CALLS_SHEET, REFERRALS_SHEET
from kansen_cli.workbooks.layout import MARKER_SHEET
from kansen_cli.workflows import followup as followup_workflow
from registration_helpers import (
    TODAY,
    build_campaign,
    fill,
    ingest,
    ledger_rows,
    members,
    send_letters,
    set_setting,
    spoken_acting_on_own,
)

SPOKE = TODAY - dt.timedelta(days=30)
DUE = TODAY + dt.timedelta(days=100)  # more than three months after the conversations


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 36))
def test_months_before(day, months):
    earlier = months_before(day, months)
    assert earlier <= day
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or earlier.day < day.day


def test_months_before_clamps_to_the_month_end():
    assert months_before(dt.date(2027, 5, 31), 3) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2028, 5, 31), 3) == dt.date(2028, 2, 29)


def test_next_round():
    s = Settings()
    assert next_round({}, s) == 1
    assert next_round({1: {"result": "geen_contact"}}, s) == 2
    assert next_round({1: {"result": "geen_contact"}, 2: {"result": "geen_contact"}}, s) is None
    assert next_round({1: {"result": "actief_geworden"}}, s) is None
    assert (
        next_round(
            {1: {"result": "geen_contact"}},
            s.model_copy(update={"followup": s.followup.model_copy(update={"rounds": 1})}),
        )
        is None
    )


def test_due_calls_and_referrals_core():
    settings = Settings()
    people = pd.DataFrame(
        {
            "client_id": ["a", "b", "c", "d", "e"],
            "contact_result": ["gesproken", "gesproken", "gesproken", "gesproken", "afgezegd"],
            "conversation_date": ["2027-01-10", "2027-01-11", "2027-03-01", "2027-01-10", None],
            "participation_potential": ["zelf", "zelf", "zelf", "met_ondersteuning", None],
        }
    )
    calls = {"b": {1: {"round": 1, "call_date": "2027-04-12", "result": "niet_actief"}}}
    due = due_calls(people, calls, settings, dt.date(2027, 4, 10))
    assert due[["client_id", "round"]].to_dict("records") == [{"client_id": "a", "round": 1}]
    referrals = pd.DataFrame(
        {
            "client_id": ["a", "b", "c", "d"],
            "destination": ["wij_team"] * 4,
            "referred_on": ["2027-01-10", "2027-01-10", "2027-01-10", "2027-05-01"],
            "result": [None, "in_behandeling", "gestart", None],
        }
    )
    open_ = due_referrals(referrals, settings, dt.date(2027, 4, 10))
    assert open_["client_id"].tolist() == ["a", "b"]


@pytest.fixture
def registered(invoke, campaign: Path, small_register: Path, tmp_path: Path):
    """Three people acting on their own, one with a referral; loaded through the CLI.

    The referred one is called too (`followup.call_referred`): these tests follow the rounds;
    tests/test_followup_ends.py checks that by default the referred are not called.
    """
    batch_id = build_campaign(invoke, campaign, small_register)
    set_setting(campaign, "followup", "call_referred", True)
    send_letters(campaign, batch_id)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    ids = members(campaign, batch_id)
    own = spoken_acting_on_own(SPOKE)
    answers = {
        ids[0]: own,
        ids[1]: own,
        ids[2]: own | {"referral:coach_meedoen": "Ja"},
        ids[3]: own | {"participation_potential": "Geen"},
    }
    filled = tmp_path / "registratie.xlsx"
    fill(campaign / "sheets" / f"{batch_id}-registratie.xlsx", filled, answers)
    assert ingest(campaign, filled)["new"] == 4
    return campaign, ids


def _due(campaign: Path, day: dt.date) -> dict:
    """The follow-up workflow on `day`, as the JSON `kansen followup --json` prints."""
    return followup_workflow.run(campaign, load_settings(campaign), TODAY, due=day).as_json()


def test_nobody_due_before_the_months_have_passed(invoke, registered):
    campaign, _ = registered
    data = _due(campaign, SPOKE + dt.timedelta(days=60))
    assert data["calls"] == 0
    assert data["referrals"] == 1  # a referral waits for its answer from the start


def test_followup_round_trip_with_two_rounds(invoke, registered, tmp_path):
    campaign, ids = registered
    data = _due(campaign, DUE)
    assert data["calls"] == 3 and data["calls_by_round"] == {"1": 3} and data["referrals"] == 1
    path = Path(data["file"])
    assert path == campaign / "sheets" / f"nabellen-{DUE.isoformat()}.xlsx"
    workbook = load_workbook(path)
    marker = {r[0]: r[1] for r in workbook[MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["kind"] == "followup"
    assert workbook[CALLS_SHEET].protection.sheet

    round_1 = tmp_path / "ronde1.xlsx"
    fill(
        path,
        round_1,
        {
            ids[0]: {"call_date": TODAY.strftime("%d-%m-%Y"), "followup_result": "Geen contact"},
            ids[1]: {
                "call_date": dt.datetime.combine(TODAY, dt.time()),
                "followup_result": "Actief geworden",
            },
            ids[2]: {"call_date": TODAY.isoformat(), "followup_result": "geen contact"},
        },
        sheet=CALLS_SHEET,
    )
    with_refs = tmp_path / "ronde1b.xlsx"
    fill(
        round_1,
        with_refs,
        {
            f"{ids[2]}|Coach Meedoen": {
                "referral_result": "Gestart",
                "result_date": TODAY.strftime("%d-%m-%Y"),
            }
        },
        sheet=REFERRALS_SHEET,
    )
    counts = ingest(campaign, with_refs)
    assert counts["not_loaded"] == [] and (counts["new"], counts["rejected"]) == (4, 0)
    assert ledger_rows(campaign, "SELECT result, result_date FROM referrals") == [
        {"result": "gestart", "result_date": TODAY.isoformat()}
    ]
    again = ingest(campaign, with_refs)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 4)

    # Round 2: only those not reached; the active one and the answered referral are gone.
    data = _due(campaign, DUE + dt.timedelta(days=1))
    assert data["calls_by_round"] == {"2": 2} and data["referrals"] == 0
    listed = [r[0] for r in load_workbook(data["file"])[CALLS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted([ids[0], ids[2]])
    round_2 = tmp_path / "ronde2.xlsx"
    fill(
        Path(data["file"]),
        round_2,
        {
            ids[0]: {"call_date": TODAY.strftime("%d-%m-%Y"), "followup_result": "Geen contact"},
            ids[2]: {
                "call_date": TODAY.strftime("%d-%m-%Y"),
                "followup_result": "Stappen gezet, nog niet actief",
            },
        },
        sheet=CALLS_SHEET,
    )
    assert ingest(campaign, round_2)["not_loaded"] == []
    rows = ledger_rows(campaign, "SELECT client_id, round, result FROM followups ORDER BY client_id, round")
    assert rows == sorted(
        [
            {"client_id": ids[0], "round": 1, "result": "geen_contact"},
            {"client_id": ids[0], "round": 2, "result": "geen_contact"},
            {"client_id": ids[1], "round": 1, "result": "actief_geworden"},
            {"client_id": ids[2], "round": 1, "result": "geen_contact"},
            {"client_id": ids[2], "round": 2, "result": "stappen_gezet"},
        ],
        key=lambda r: (r["client_id"], r["round"]),
    )
    # After two rounds nobody is listed again, and no file is written.
    final = _due(campaign, DUE + dt.timedelta(days=2))
    assert (final["calls"], final["referrals"], final["file"]) == (0, 0, None)
    human = invoke("followup", "--due", (DUE + dt.timedelta(days=2)).isoformat(), "-c", campaign)
    assert human.exit_code == 0 and "hoeft niemand nagebeld" in human.stderr

    # Loading round 1 again with a different result is refused: round 2 exists already.
    changed = tmp_path / "ronde1-anders.xlsx"
    fill(round_1, changed, {ids[0]: {"followup_result": "Niet actief"}}, sheet=CALLS_SHEET)
    refused = ingest(campaign, changed)
    assert refused["not_loaded"] == ["ronde1-anders.xlsx"]
    assert [p["kind"] for p in refused["files"][0]["problems"]] == ["round_order"]


def test_followup_problems_name_row_and_column(invoke, registered, tmp_path):
    campaign, ids = registered
    path = Path(_due(campaign, DUE)["file"])
    bad = tmp_path / "fout.xlsx"
    rows = fill(
        path,
        bad,
        {
            ids[0]: {
                "call_date": (TODAY + dt.timedelta(days=3)).strftime("%d-%m-%Y"),
                "followup_result": "Geen contact",
            },
            ids[1]: {"followup_result": "Weet niet"},
            ids[2]: {"round": 2, "call_date": TODAY, "followup_result": "Niet actief"},
        },
        sheet=CALLS_SHEET,
    )
    result = invoke("ingest", bad, "-c", campaign, "--json")
    assert result.exit_code == 1
    found = {(p["row"], p["column"], p["kind"]) for p in json.loads(result.stdout)["files"][0]["problems"]}
    assert (rows[ids[0]], "Datum gebeld", "date_in_future") in found
    assert (rows[ids[1]], "Resultaat", "unknown_value") in found
    assert (rows[ids[1]], "Datum gebeld", "missing") in found
    assert (rows[ids[2]], "Ronde", "round_order") in found
    assert ledger_rows(campaign, "SELECT * FROM followups") == []


def test_json_is_what_the_core_returns(invoke, registered):
    from kansen_cli.followup import summary
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.followups import current_followups, followup_people, open_referrals

    campaign, _ = registered
    result = invoke("followup", "--due", DUE.isoformat(), "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == str(campaign / "sheets" / f"nabellen-{DUE.isoformat()}.xlsx")
    settings = load_settings(campaign)
    with open_ledger(campaign, create=False) as ledger:
        calls = due_calls(followup_people(ledger), current_followups(ledger), settings, DUE)
        referrals = due_referrals(open_referrals(ledger), settings, DUE)
    assert {k: v for k, v in data.items() if k != "file"} == summary(calls, referrals, DUE)
    # Three people acting on their own, one referral (the `registered` fixture).
    assert (data["calls"], data["calls_by_round"], data["referrals"]) == (3, {"1": 3}, 1)
    human = invoke("followup", "--due", DUE.isoformat(), "-c", campaign, "--force")
    assert human.exit_code == 0, human.stderr
    assert " ".join(human.stdout.split()) == (
        f"Te doen op {DUE:%d-%m-%Y}: 3 nabelgesprekken (ronde 1: 3); 1 verwijzing wacht op antwoord."
    )
    assert "Volgende stap: vul het in" in " ".join(human.stderr.split())
    english = invoke("--lang", "en", "followup", "--due", DUE.isoformat(), "-c", campaign, "--force")
    assert " ".join(english.stdout.split()) == (
        f"Due on {DUE.day} {DUE:%b %Y}: 3 calls (round 1: 3); 1 referral waiting for an answer."
    )


def test_followup_defaults_to_today(invoke, registered):
    """Without --due the list is for today: KANSEN_TODAY on the command line, `today=` in the workflow."""
    campaign, _ = registered
    result = invoke("followup", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # TODAY is 30 days after the conversations: no call due yet, the referral waits from the start.
    assert (data["due"], data["calls"], data["referrals"]) == (TODAY.isoformat(), 0, 1)
    assert data["file"] == str(campaign / "sheets" / f"nabellen-{TODAY.isoformat()}.xlsx")
    later = followup_workflow.run(campaign, load_settings(campaign), DUE, force=True)
    assert later.due == DUE and later.calls == 3


def test_one_months_before_and_one_norm():
    import kansen_cli.followup as followup
    import kansen_cli.privacy as privacy
    import kansen_cli.workbooks.cells as cells

    assert followup.months_before is privacy.months_before
    assert cells.norm(None) == "" and cells.norm("  Datum   Gesprek ") == "datum gesprek"


def test_a_mark_in_the_follow_up_call_is_optional_checked_and_reported(invoke, registered, tmp_path):
    """Satisfaction over time: a mark 1..10 may be written down in the call; 11 is refused."""
    campaign, ids = registered
    path = Path(_due(campaign, DUE)["file"])
    reached = {"call_date": TODAY, "followup_result": "Niet actief"}
    bad = tmp_path / "fout.xlsx"
    rows = fill(path, bad, {ids[0]: reached | {"mark": 11}}, sheet=CALLS_SHEET)
    result = invoke("ingest", bad, "-c", campaign, "--json")
    assert result.exit_code == 1
    found = {(p["row"], p["column"], p["kind"]) for p in json.loads(result.stdout)["files"][0]["problems"]}
    assert found == {(rows[ids[0]], "Cijfer voor de gemeente (mag leeg)", "bad_mark")}
    assert ledger_rows(campaign, "SELECT * FROM followups") == []
    good = tmp_path / "goed.xlsx"
    fill(
        path,
        good,
        {ids[0]: reached | {"mark": 8}, ids[1]: reached | {"mark": "6"}, ids[2]: reached},
        sheet=CALLS_SHEET,
    )
    assert ingest(campaign, good)["new"] == 3
    marks = ledger_rows(campaign, "SELECT client_id, mark FROM followups ORDER BY client_id")
    assert {r["client_id"]: r["mark"] for r in marks} == {ids[0]: 8, ids[1]: 6, ids[2]: None}
    report = invoke("report", "-c", campaign, "--json")
    assert report.exit_code == 0, report.stderr
    # Two marks in round 1: mean (8 + 6) / 2 = 7, median 7.
    marks_json = json.loads(report.stdout)["satisfaction"]["followup_marks"]
    assert marks_json == [{"round": 1, "marks": 2, "mean": 7.0, "median": 7.0}]
